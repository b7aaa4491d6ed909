"""One Adam step.

Adam keeps running averages of the gradient (m) and of its square (v). Both
start at 0, so early on they are biased toward 0; dividing by 1 − βᵗ removes
that bias. PyTorch's torch.optim.Adam (without weight decay), as a pure
function.
"""

import numpy as np


def adam_step(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The parameters and moments after step number t (t = 1 at the first):

        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
        p ← p − lr·m̂ / (√v̂ + eps)           (eps outside the square root)

    Return the new m and v, not the bias-corrected ones.

    Parameters
    ----------
    p, g, m, v : ndarray of float64, one shape
        Parameters, gradient, first and second moments (zeros before the first
        step).
    t : int
        The number of this step, from 1.
    lr : float, default 1e-3
    beta1, beta2 : float, default 0.9 and 0.999
    eps : float, default 1e-8

    Returns
    -------
    p_new, m_new, v_new : ndarray of float64
    """
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new

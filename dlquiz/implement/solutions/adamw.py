"""One AdamW step.

AdamW decouples weight decay from the gradient: the weights shrink by a factor
of their own, and the Adam step uses the raw gradient. (Adam's weight_decay
instead adds λ·p to the gradient, where the adaptive denominator rescales it.)
PyTorch's torch.optim.AdamW, as a pure function.
"""

import numpy as np


def adamw_step(
    p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01
):
    """The parameters and moments after step number t (t = 1 at the first).

    In PyTorch's order:
        p ← p·(1 − lr·weight_decay)        (first: decay, scaled by lr)
        m ← β₁·m + (1 − β₁)·g              (the raw gradient: no λ·p added)
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
        p ← p − lr·m̂ / (√v̂ + eps)

    Parameters
    ----------
    p, g, m, v : ndarray of float64, one shape
    t : int
        The number of this step, from 1.
    lr : float, default 1e-3
    beta1, beta2 : float, default 0.9 and 0.999
    eps : float, default 1e-8
    weight_decay : float, default 0.01

    Returns
    -------
    p_new, m_new, v_new : ndarray of float64
    """
    p = p * (1 - lr * weight_decay)
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g * g
    m_hat = m_new / (1 - beta1**t)
    v_hat = v_new / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new

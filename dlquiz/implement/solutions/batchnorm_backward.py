"""Batch norm backward.

In training mode batch norm normalises each feature with the batch's own
statistics, so every output depends on every input of its column through μ_B
and σ²_B: the gradient must flow through them too.
"""

import numpy as np


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    """∂L/∂x, ∂L/∂γ, ∂L/∂β for training-mode batch norm, out = γ ⊙ x̂ + β.

    Forward (per feature, over the batch axis): μ = mean(x), σ² = mean((x −
    μ)²) (biased), x̂ = (x − μ)/√(σ² + ε). Then
        ∂L/∂β = Σ_n dout,   ∂L/∂γ = Σ_n dout ⊙ x̂
        ∂L/∂x = γ/(N·√(σ² + ε)) ⊙ (N·dout − Σ_n dout − x̂ ⊙ Σ_n (dout ⊙ x̂))

    Recompute what you need from x (there is no cache).

    Parameters
    ----------
    dout : ndarray of float64, shape (N, D)
        ∂L/∂out.
    x : ndarray of float64, shape (N, D)
        The forward input.
    gamma : ndarray of float64, shape (D,)
    eps : float, default 1e-5

    Returns
    -------
    dx : ndarray of float64, shape (N, D)
    dgamma : ndarray of float64, shape (D,)
    dbeta : ndarray of float64, shape (D,)
    """
    n = x.shape[0]
    mean = np.mean(x, axis=0)
    inv_std = 1.0 / np.sqrt(np.mean((x - mean) ** 2, axis=0) + eps)
    x_hat = (x - mean) * inv_std
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx = gamma * inv_std / n * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta

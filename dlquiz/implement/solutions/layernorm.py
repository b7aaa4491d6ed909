"""Layer norm forward.

Layer normalisation normalises each example over its own features (the last
axis), so it does not depend on the batch and behaves the same in training and
inference (PyTorch's nn.LayerNorm).
"""

import numpy as np


def layernorm(x, gamma, beta, eps=1e-5):
    """out = γ ⊙ (x − μ) / √(σ² + ε) + β, μ and σ² over each row's last axis.

    σ² is the biased variance (÷ D). x may have any number of leading axes (N,
    D) or (B, L, D).

    Parameters
    ----------
    x : ndarray of float64, shape (..., D)
    gamma, beta : ndarray of float64, shape (D,)
    eps : float, default 1e-5

    Returns
    -------
    ndarray of float64, the shape of x
        As F.layer_norm(x, (D,), gamma, beta, eps) computes it.
    """
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.mean((x - mean) ** 2, axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta

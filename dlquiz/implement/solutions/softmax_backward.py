"""Backward pass of softmax.

p = softmax(z) along the last axis. Given the upstream gradient dp = ∂L/∂p,
return ∂L/∂z. Every p_i depends on every z_j, so the Jacobian is a full matrix,
J_ij = ∂p_i/∂z_j = p_i(δ_ij − p_j).
"""

import numpy as np


def softmax_backward(dp, p):
    """∂L/∂z for p = softmax(z) along the last axis: Jᵀ·dp, row by row.

        ∂L/∂z_j = Σ_i dp_i · p_i(δ_ij − p_j) = p_j (dp_j − Σ_i dp_i p_i)

    Compute it without building the C × C Jacobian.

    Parameters
    ----------
    dp : ndarray of float64, shape (..., C)
        Upstream gradient ∂L/∂p.
    p : ndarray of float64, shape (..., C)
        The softmax output (each row sums to 1).

    Returns
    -------
    ndarray of float64, shape (..., C)
        ∂L/∂z, as autograd of torch.softmax(z, dim=-1) gives it.
    """
    return p * (dp - np.sum(dp * p, axis=-1, keepdims=True))

"""Softmax that does not overflow.

The textbook softmax e^(x_i) / Σ_j e^(x_j) returns NaN for logits around 1000
(e^1000 = inf, and inf / inf = NaN) and for rows of very negative logits (every
e^x underflows to 0, and 0 / 0 = NaN).
"""

import numpy as np


def softmax(x, axis=-1):
    """Softmax along ``axis``: p_i = e^(x_i) / Σ_j e^(x_j), numerically stable.

    softmax(x − c) = softmax(x) for any constant c per slice, so the result
    must be right for logits of any size (1000, −1000) without a NumPy warning.

    Parameters
    ----------
    x : ndarray of float64, any shape (1-D, (N, C), (B, L, C), ...)
        Logits.
    axis : int, default -1
        The axis whose entries sum to 1 (PyTorch's ``dim``).

    Returns
    -------
    ndarray of float64, the shape of x
        Probabilities, as torch.softmax(x, dim=axis) computes them.
    """
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)

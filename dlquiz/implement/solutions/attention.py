"""Scaled dot-product attention with a mask.

Each query attends to the keys: its output is an average of the value rows,
weighted by the softmax of its scaled dot products with the keys. A boolean
mask says which keys a query may see: True = may attend, the convention of
F.scaled_dot_product_attention (nn.MultiheadAttention's masks mean the
opposite).
"""

import numpy as np


def attention(q, k, v, mask=None):
    """out = softmax(q·kᵀ / √d + masking) · v, and the attention weights.

        S = q·kᵀ / √d            (d = the width of q and k)
        S[..., i, j] = −∞ where mask[..., i, j] is False  (weight exactly 0)
        A = softmax(S) over the keys (the last axis),   out = A·v

    Leading axes (batch, heads) broadcast: q may be (B, Lq, d) or (B, h, Lq,
    d). A query whose keys are all masked gets zero weights and a zero output
    row (the checks also accept NaN in such a row, which some PyTorch versions
    return; no other row may be NaN). Large scores must not overflow.

    Parameters
    ----------
    q : ndarray of float64, shape (..., Lq, d)
    k : ndarray of float64, shape (..., Lk, d)
    v : ndarray of float64, shape (..., Lk, dv)
    mask : ndarray of bool, broadcastable to (..., Lq, Lk), or None
        True where query i may attend to key j.

    Returns
    -------
    out : ndarray of float64, shape (..., Lq, dv)
    weights : ndarray of float64, shape (..., Lq, Lk)
    """
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    row_max = np.max(scores, axis=-1, keepdims=True)
    # a fully masked row has the maximum −inf: shift it by 0 instead
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    e = np.exp(scores - row_max)
    total = np.sum(e, axis=-1, keepdims=True)
    # a fully masked row sums to 0: divide it by 1, so it stays all zero
    weights = e / np.where(total > 0, total, 1.0)
    return weights @ v, weights

"""Multi-head self-attention.

The sequence x attends to itself through h heads, each working in its own slice
of the projected features, as nn.MultiheadAttention(E, h, bias=False) does.
Weights use the ``x @ W`` layout (E, E); PyTorch's in_proj_weight is [Wqᵀ; Wkᵀ;
Wvᵀ] and its out_proj.weight is Woᵀ.
"""

import numpy as np


def multi_head_attention(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    """Multi-head self-attention without biases.

        Q = x·Wq,  K = x·Wk,  V = x·Wv                     (each (L, E))
        with hd = E / num_heads, head i uses the feature columns
        i·hd … (i + 1)·hd − 1 of Q, K and V:
        head_i = softmax(Q_i·K_iᵀ / √hd, masked) · V_i        (L, hd)
        out = [head_1, …, head_h] · Wo       (the heads side by side, (L, E))

    Parameters
    ----------
    x : ndarray of float64, shape (L, E)
    Wq, Wk, Wv, Wo : ndarray of float64, shape (E, E)
    num_heads : int
        Divides E.
    mask : ndarray of bool, shape (L, L), or None
        True where token i may attend to token j (e.g. a causal mask, j ≤ i).

    Returns
    -------
    ndarray of float64, shape (L, E)
    """
    length, embed = x.shape
    hd = embed // num_heads

    def split(
        t,
    ):  # (L, E) -> (h, L, hd): head i gets columns i·hd … (i + 1)·hd − 1
        return t.reshape(length, num_heads, hd).transpose(1, 0, 2)

    q, k, v = split(x @ Wq), split(x @ Wk), split(x @ Wv)
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    weights = e / np.sum(e, axis=-1, keepdims=True)
    heads = (weights @ v).transpose(1, 0, 2).reshape(length, embed)
    return heads @ Wo

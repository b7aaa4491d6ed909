"""Scaled dot-product attention (forward and backward), multi-head self-attention, causal masks and
sinusoidal positional encodings.

Masks follow ``F.scaled_dot_product_attention``: a boolean mask is True where a query **may** attend
to a key. ``nn.MultiheadAttention``, ``nn.Transformer*`` and ``key_padding_mask`` use the opposite
(True = blocked): pass ``~causal_mask(L)`` there, or a float mask with −∞ where blocked. Projection
weights use the ``x @ W`` layout, W of shape (in, out).
"""

import numpy as np

__all__ = [
    "scaled_dot_product_attention",
    "attention_backward",
    "multi_head_attention",
    "causal_mask",
    "positional_encoding",
]


def _attention_weights(q, k, mask):
    """softmax(q·kᵀ/√d) over the keys, with masked-out entries exactly 0; shape (..., Lq, Lk)."""
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # e^(−∞) = 0: masked weights are exactly 0
    row_max = scores.max(axis=-1, keepdims=True)
    exp = np.exp(scores - np.where(np.isfinite(row_max), row_max, 0.0))  # stable softmax
    total = exp.sum(axis=-1, keepdims=True)
    return exp / np.where(total > 0, total, 1.0)  # a fully masked row stays all zero


def scaled_dot_product_attention(q, k, v, mask=None):
    """Scaled dot-product attention.

        S = Q·Kᵀ / √d                       (d = the query/key width)
        Sᵢⱼ = −∞ where maskᵢⱼ is False    (so the weight is exactly 0)
        A = softmax(S) along the keys,   out = A·V

    Each output row is a weighted average of the value rows, the weights (a row of A) summing to 1.
    Dividing by √d keeps the scores' variance near 1 when q and k have independent zero-mean,
    unit-variance components (then Var(q·k) = d), so the softmax does not saturate. Matches
    ``F.scaled_dot_product_attention`` with a boolean ``attn_mask``. A query whose keys are all
    masked gets all-zero weights and a zero output here, a choice of ours (depending on version and
    kernel, PyTorch may return NaN for such a row).

    Parameters
    ----------
    q : ndarray, shape (..., Lq, d)
        Queries (leading axes, e.g. batch B or heads, are broadcast).
    k : ndarray, shape (..., Lk, d)
        Keys.
    v : ndarray, shape (..., Lk, dv)
        Values.
    mask : ndarray of bool, broadcastable to (..., Lq, Lk), optional
        True where query i may attend to key j. None means no masking.

    Returns
    -------
    out : ndarray, shape (..., Lq, dv)
        A·V.
    weights : ndarray, shape (..., Lq, Lk)
        The attention weights A.
    """
    weights = _attention_weights(q, k, mask)
    return weights @ v, weights


def attention_backward(dout, q, k, v, mask=None):
    """Gradients of :func:`scaled_dot_product_attention`'s output with respect to q, k and v.

    With A = softmax(S), S = Q·Kᵀ/√d and out = A·V (the forward pass is recomputed):

        ∂L/∂V = Aᵀ·dout
        dA = dout·Vᵀ
        dS = A ⊙ (dA − rowsum(dA ⊙ A))          (softmax Jacobian, row by row)
        ∂L/∂Q = dS·K / √d,   ∂L/∂K = dSᵀ·Q / √d

    Masked entries have A = 0, hence dS = 0: no gradient flows through a masked pair.

    Parameters
    ----------
    dout : ndarray, shape (..., Lq, dv)
        Upstream gradient ∂L/∂out.
    q, k, v, mask
        As in :func:`scaled_dot_product_attention`.

    Returns
    -------
    dq : ndarray, shape (..., Lq, d)
    dk : ndarray, shape (..., Lk, d)
    dv : ndarray, shape (..., Lk, dv)
        ∂L/∂q, ∂L/∂k, ∂L/∂v.
    """
    weights = _attention_weights(q, k, mask)
    dv = np.swapaxes(weights, -1, -2) @ dout
    d_weights = dout @ np.swapaxes(v, -1, -2)
    d_scores = weights * (d_weights - (d_weights * weights).sum(axis=-1, keepdims=True))
    scale = 1.0 / np.sqrt(q.shape[-1])
    dq = d_scores @ k * scale
    dk = np.swapaxes(d_scores, -1, -2) @ q * scale
    return dq, dk, dv


def multi_head_attention(x, Wq, Wk, Wv, Wo, num_heads, mask=None):
    """Multi-head self-attention without biases.

        Q = x·Wq,  K = x·Wk,  V = x·Wv                          (each (L, E))
        headᵢ = Attention(Q[:, i·hd:(i+1)·hd], K[:, …], V[:, …]),   hd = E / h, scale 1/√hd
        out = [head₁, …, headₕ]·Wo                             (concatenate along features)

    The parameter count is 4·E² whatever the number of heads: the heads split E, they do not copy
    it. Its weights match ``nn.MultiheadAttention(E, h, bias=False)`` with
    ``in_proj_weight = [Wqᵀ; Wkᵀ; Wvᵀ]`` and ``out_proj.weight = Woᵀ``; its mask does not (see below).

    Parameters
    ----------
    x : ndarray, shape (L, E)
        A sequence of L token vectors (extra leading axes are treated as a batch).
    Wq, Wk, Wv, Wo : ndarray, shape (E, E)
        Query, key, value and output projections.
    num_heads : int
        h; must divide E.
    mask : ndarray of bool, broadcastable to (L, L), optional
        True where token i may attend to token j (e.g. :func:`causal_mask`), as in
        ``F.scaled_dot_product_attention``. ``nn.MultiheadAttention``'s boolean ``attn_mask`` means the
        opposite (True = blocked): give it ``~mask``.

    Returns
    -------
    ndarray, shape (L, E)
        The attention output.
    """
    length, embed = x.shape[-2:]
    if embed % num_heads:
        raise ValueError(f"num_heads={num_heads} does not divide the embedding size {embed}")
    head_dim = embed // num_heads

    def split_heads(t):  # (..., L, E) -> (..., h, L, hd)
        return np.swapaxes(t.reshape(t.shape[:-1] + (num_heads, head_dim)), -2, -3)

    heads, _ = scaled_dot_product_attention(split_heads(x @ Wq), split_heads(x @ Wk), split_heads(x @ Wv), mask)
    concat = np.swapaxes(heads, -2, -3).reshape(x.shape[:-2] + (length, embed))
    return concat @ Wo


def causal_mask(L):
    """Causal (autoregressive) mask: token i may attend to tokens j ≤ i.

        maskᵢⱼ = (j ≤ i)       (True on and below the diagonal, a lower triangle)

    With it, the attention weights above the diagonal are 0, as in GPT-style decoders. This is the
    convention of ``F.scaled_dot_product_attention`` (``attn_mask=causal_mask(L)`` or ``is_causal=True``);
    ``nn.MultiheadAttention`` and ``nn.TransformerDecoder`` want ``~causal_mask(L)`` (True = blocked) or
    ``nn.Transformer.generate_square_subsequent_mask(L)``, a float mask with −∞ above the diagonal.

    Parameters
    ----------
    L : int
        Sequence length.

    Returns
    -------
    ndarray of bool, shape (L, L)
    """
    return np.tril(np.ones((L, L), dtype=bool))


def positional_encoding(length, d_model):
    """Sinusoidal positional encodings of "Attention Is All You Need".

        PE[pos, 2i]     = sin(pos / 10000^(2i/d))
        PE[pos, 2i + 1] = cos(pos / 10000^(2i/d))

    Each pair of columns is a rotating 2-D vector with angular frequency ωᵢ = 10000^(−2i/d), so
    PE[pos + k] is PE[pos] with every pair rotated by the angle ωᵢ·k, a linear map that depends
    only on the offset k. All entries lie in [−1, 1]; PE[0] = [0, 1, 0, 1, …].

    Parameters
    ----------
    length : int
        Number of positions (0 … length − 1).
    d_model : int
        Embedding width d (for an odd d the last column is a sine without its cosine partner).

    Returns
    -------
    ndarray, shape (length, d_model)
    """
    positions = np.arange(length, dtype=np.float64)[:, None]
    two_i = np.arange(0, d_model, 2, dtype=np.float64)
    angles = positions / 10000.0 ** (two_i / d_model)  # (length, ⌈d/2⌉)
    pe = np.empty((length, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return pe

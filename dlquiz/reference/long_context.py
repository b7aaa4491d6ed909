"""Attention over long sequences: its quadratic cost, sliding-window masks and exact tiled attention.

Full self-attention forms an L×L score matrix per head: O(L²·d) time and O(L²) memory. A sliding
window bounds each token's keys to the last W, making the cost O(L·W·d). FlashAttention keeps the
exact result but never materialises the L×L matrix: it walks over blocks of keys with an *online*
softmax (a running maximum and a running sum), so memory is O(L·d) and the slow GPU memory is read
far less often. :func:`blockwise_attention` reproduces that arithmetic in NumPy.
"""

import numpy as np

__all__ = ["sliding_window_mask", "blockwise_attention", "attention_cost"]


def sliding_window_mask(length, window):
    """Causal sliding-window mask: token i may attend to the ``window`` most recent tokens, itself included.

        mask_ij = (i − window < j ≤ i)

    True = may attend (``F.scaled_dot_product_attention``'s boolean ``attn_mask``; ``nn.MultiheadAttention``
    means the opposite). ``window ≥ length`` gives the plain causal mask. With k stacked layers
    information still travels up to k·(window − 1) positions back, one window per layer.
    (Conventions differ by one between papers and libraries: some count the window
    without the token itself; here it includes it.)

    Parameters
    ----------
    length : int
        L.
    window : int
        W ≥ 1, keys visible to each query.

    Returns
    -------
    ndarray of bool, shape (L, L)
    """
    if window < 1:
        raise ValueError(f"the window must be at least 1, got {window}")
    i = np.arange(length)[:, None]
    j = np.arange(length)[None, :]
    return (j <= i) & (j > i - window)


def blockwise_attention(q, k, v, block_size, causal=False):
    """Exact softmax attention computed block by block with an online softmax (FlashAttention's forward).

    For each block of keys Kᵦ, Vᵦ, with running row maximum m, row sum ℓ and unnormalised output o:

        S = Q·Kᵦᵀ/√d                     (masked entries −∞ when causal)
        m′ = max(m, rowmax(S))
        ℓ ← e^(m − m′)·ℓ + rowsum(e^(S − m′))
        o ← e^(m − m′)·o + e^(S − m′)·Vᵦ
        m ← m′
    and finally out = o / ℓ.

    The rescaling by e^(m − m′) corrects what was accumulated under the old maximum; then the result
    equals softmax(QKᵀ/√d)·V exactly (up to rounding) while only an (Lq × block) tile of scores
    exists at a time.

    Parameters
    ----------
    q : ndarray, shape (..., Lq, d)
    k : ndarray, shape (..., Lk, d)
    v : ndarray, shape (..., Lk, dv)
    block_size : int
        Keys per block.
    causal : bool, default False
        Apply a causal mask (query i sees keys j ≤ i; needs Lq = Lk).

    Returns
    -------
    ndarray, shape (..., Lq, dv)
        softmax(QKᵀ/√d)·V.
    """
    lq, lk = q.shape[-2], k.shape[-2]
    scale = 1.0 / np.sqrt(q.shape[-1])
    m = np.full(q.shape[:-1] + (1,), -np.inf)
    ell = np.zeros(q.shape[:-1] + (1,))
    o = np.zeros(q.shape[:-1] + (v.shape[-1],))
    rows = np.arange(lq)[:, None]
    for start in range(0, lk, block_size):  # a loop over key blocks is the algorithm
        kb, vb = k[..., start : start + block_size, :], v[..., start : start + block_size, :]
        s = q @ np.swapaxes(kb, -1, -2) * scale
        if causal:
            s = np.where(start + np.arange(kb.shape[-2])[None, :] <= rows, s, -np.inf)
        m_new = np.maximum(m, s.max(axis=-1, keepdims=True))
        safe = np.where(np.isfinite(m_new), m_new, 0.0)  # a row with nothing visible yet stays at 0
        p = np.exp(s - safe)
        correction = np.exp(np.where(np.isfinite(m), m - safe, -np.inf))
        ell = correction * ell + p.sum(axis=-1, keepdims=True)
        o = correction * o + p @ vb
        m = m_new
    return o / ell


def attention_cost(length, d_model, num_heads=1, window=None):
    """Multiply-adds and score-matrix entries of one self-attention layer's core (projections excluded).

        multiply-adds = 2·L·K·d        (Q·Kᵀ and weights·V, K = keys per query)
        score entries = H·L·K          (the softmax matrix, one per head)

    K = L for full attention and K = min(W, L) for a sliding window (an upper bound: the first
    tokens see fewer). Doubling L quadruples full attention's cost but only doubles a window's.
    The number of heads does not change the multiply-adds (the heads split d) but multiplies the
    number of score entries.

    Parameters
    ----------
    length : int
        L.
    d_model : int
        d.
    num_heads : int, default 1
        H.
    window : int, optional
        W; None for full attention.

    Returns
    -------
    (int, int)
        (multiply-adds, score entries).
    """
    keys = length if window is None else min(window, length)
    return 2 * length * keys * d_model, num_heads * length * keys

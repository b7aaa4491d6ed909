"""Relative position information for attention: rotary embeddings (RoPE) and ALiBi biases.

RoPE rotates each query and key by an angle proportional to its position, so the score q·k of a
query at position m and a key at position n depends on the offset m − n only. ALiBi adds a penalty
proportional to the distance i − j to the attention scores instead. PyTorch core has neither op;
the conventions here are stated in each docstring.
"""

import numpy as np

__all__ = ["rope_angles", "apply_rope", "rope_pair_permutation", "alibi_slopes", "alibi_bias"]


def rope_angles(positions, head_dim, base=10000.0):
    """The rotation angles of RoPE, one per position and frequency.

        θᵢ = base^(−2i/d),   i = 0 … d/2 − 1
        angle[m, i] = m·θᵢ

    Pair 0 turns by 1 radian per position, the last pair by about 1/base: the same geometric ladder
    of frequencies as the sinusoidal encoding 10000^(2i/d).

    Parameters
    ----------
    positions : array_like of int or float, shape (L,)
        Token positions m (0, 1, 2, … for a fresh sequence; later positions when decoding).
    head_dim : int
        d, the width of one attention head; must be even.
    base : float, default 10000.0
        The base of the frequency ladder (LLaMA 1 and 2 use 10000; later models raise it for long
        contexts).

    Returns
    -------
    ndarray, shape (L, d/2)
    """
    if head_dim % 2:
        raise ValueError(f"RoPE needs an even head dimension, got {head_dim}")
    theta = base ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    return np.asarray(positions, dtype=np.float64)[:, None] * theta


def apply_rope(x, positions=None, base=10000.0, interleaved=True):
    """Rotary position embedding: rotate each pair of features of x by its position's angle.

    For the pair (a, b) with frequency θᵢ at position m:

        a′ = a·cos(m·θᵢ) − b·sin(m·θᵢ)
        b′ = a·sin(m·θᵢ) + b·cos(m·θᵢ)

    Because rotations compose, (R_m q)·(R_n k) = q·(R_(n−m) k): the score depends only on the offset
    m − n, and the norm of every vector is unchanged. Apply it to queries and keys (never to values)
    after their projections, in every layer.

    Pairing. ``interleaved=True`` (the default) pairs features (2i, 2i+1), as the RoFormer paper and
    Meta's original LLaMA code (a view as complex numbers) do, and as
    :func:`dlquiz.reference.attention.positional_encoding` pairs its sin and cos columns.
    ``interleaved=False`` pairs feature i with feature i + d/2, the ``rotate_half`` form of
    GPT-NeoX and Hugging Face transformers. The two are the same rotation applied to permuted
    features (see :func:`rope_pair_permutation`); since q and k come from learned projections,
    either layout works, but a checkpoint must be used with the layout it was trained with (Hugging
    Face permutes the rows of W_Q and W_K when converting Meta's LLaMA weights).

    Parameters
    ----------
    x : ndarray, shape (..., L, d)
        Queries or keys of one or more heads; d even.
    positions : array_like, shape (L,), optional
        The positions m of the L rows; default 0 … L − 1. Position interpolation for a longer
        context passes positions · (L_train / L_new).
    base : float, default 10000.0
        Frequency base, see :func:`rope_angles`.
    interleaved : bool, default True
        The pairing convention described above.

    Returns
    -------
    ndarray, shape (..., L, d)
        The rotated vectors.
    """
    length, dim = x.shape[-2:]
    positions = np.arange(length) if positions is None else positions
    angles = rope_angles(positions, dim, base)  # (L, d/2)
    cos, sin = np.cos(angles), np.sin(angles)
    if interleaved:
        a, b = x[..., 0::2], x[..., 1::2]
    else:
        a, b = x[..., : dim // 2], x[..., dim // 2 :]
    a_rot, b_rot = a * cos - b * sin, a * sin + b * cos
    if interleaved:
        out = np.empty_like(x, dtype=np.float64)
        out[..., 0::2], out[..., 1::2] = a_rot, b_rot
        return out
    return np.concatenate([a_rot, b_rot], axis=-1)


def rope_pair_permutation(head_dim):
    """The feature order that turns the interleaved RoPE layout into the rotate-half layout.

        perm = [0, 2, 4, …, d−2, 1, 3, …, d−1]

    With it, ``apply_rope(x[..., perm], interleaved=False) == apply_rope(x)[..., perm]``: pair
    (2i, 2i+1) lands on features (i, i + d/2).

    Parameters
    ----------
    head_dim : int
        d, even.

    Returns
    -------
    ndarray of int, shape (d,)
    """
    return np.concatenate([np.arange(0, head_dim, 2), np.arange(1, head_dim, 2)])


def alibi_slopes(num_heads):
    """The per-head slopes of ALiBi (Press et al., 2022), for a power-of-two number of heads.

        mₕ = 2^(−8h/H),   h = 1 … H

    Eight heads get 1/2, 1/4, …, 1/256: some heads look far back, others only locally.

    Parameters
    ----------
    num_heads : int
        H, a power of two (the paper interleaves two such ladders otherwise; not done here).

    Returns
    -------
    ndarray, shape (H,)
    """
    if num_heads < 1 or num_heads & (num_heads - 1):
        raise ValueError(f"alibi_slopes needs a power-of-two number of heads, got {num_heads}")
    return 2.0 ** (-8.0 * np.arange(1, num_heads + 1) / num_heads)


def alibi_bias(length, num_heads):
    """ALiBi's additive attention bias: a penalty linear in the distance from query i to key j.

        bias[h, i, j] = −mₕ·(i − j)      for j ≤ i (0 on the diagonal)

    Added to the scores q·k/√d before a causal softmax (positions above the diagonal are masked
    anyway; here they get +mₕ·(j − i), which the mask removes). No position embedding is added to
    the tokens at all, and the bias extends to any length, which is why ALiBi extrapolates past the
    training length better than learned or sinusoidal embeddings.

    Parameters
    ----------
    length : int
        L.
    num_heads : int
        H, a power of two.

    Returns
    -------
    ndarray, shape (H, L, L)
    """
    i = np.arange(length)[:, None]
    j = np.arange(length)[None, :]
    return -alibi_slopes(num_heads)[:, None, None] * (i - j)

"""Grouped-query attention and autoregressive decoding with a key-value cache.

A decoder generates one token at a time. Under a causal mask, the keys and values of earlier tokens
never change when later tokens arrive, so they can be computed once and kept: the KV cache. Each new
token then costs one query against the cached keys (O(t·d) for the t-th token) instead of
re-running attention over the whole prefix (O(t²·d)). Grouped-query attention (GQA) shrinks that
cache by letting several query heads share one key/value head; multi-query attention (MQA) is the
extreme of one shared head.

Layout: ``x @ W`` with W of shape (in, out). Query head h uses key/value head h // (H / H_kv), so
consecutive query heads share a group, as in PyTorch's ``F.scaled_dot_product_attention(...,
enable_gqa=True)`` (which repeats each key/value head with ``repeat_interleave``).
"""

import numpy as np

from dlquiz.reference.attention import scaled_dot_product_attention
from dlquiz.reference.rope import apply_rope

__all__ = ["grouped_query_attention", "empty_kv_cache", "decode_step", "kv_cache_bytes", "attention_param_count"]


def _split(t, heads):
    """(L, heads·hd) -> (heads, L, hd)."""
    length = t.shape[0]
    return t.reshape(length, heads, -1).transpose(1, 0, 2)


def _check_heads(embed, num_heads, num_kv_heads):
    if embed % num_heads:
        raise ValueError(f"num_heads={num_heads} does not divide the embedding size {embed}")
    if num_heads % num_kv_heads:
        raise ValueError(f"num_kv_heads={num_kv_heads} must divide num_heads={num_heads}")
    return embed // num_heads, num_heads // num_kv_heads


def grouped_query_attention(x, Wq, Wk, Wv, Wo, num_heads, num_kv_heads, mask=None, rope=False, positions=None):
    """Self-attention with H query heads sharing H_kv key/value heads (no biases).

        Q = x·Wq (L, H·hd),   K = x·Wk,  V = x·Wv (L, H_kv·hd),   hd = E / H
        head h = Attention(Q_h, K_g, V_g) with g = h // (H / H_kv),   scale 1/√hd
        out = [head_1, …, head_H]·Wo

    H_kv = H is ordinary multi-head attention (:func:`dlquiz.reference.attention.multi_head_attention`
    gives the same output); H_kv = 1 is multi-query attention. Wk and Wv shrink from E×E to
    E×(H_kv·hd), and so does the KV cache, by the factor H / H_kv.

    Parameters
    ----------
    x : ndarray, shape (L, E)
        The token vectors.
    Wq : ndarray, shape (E, E)
    Wk, Wv : ndarray, shape (E, H_kv·hd)
    Wo : ndarray, shape (E, E)
    num_heads : int
        H; divides E.
    num_kv_heads : int
        H_kv; divides H.
    mask : ndarray of bool, broadcastable to (L, L), optional
        True where token i may attend to token j, e.g. a causal mask.
    rope : bool, default False
        Rotate queries and keys with :func:`dlquiz.reference.rope.apply_rope` (interleaved pairs).
    positions : array_like, shape (L,), optional
        The positions for RoPE; default 0 … L − 1.

    Returns
    -------
    ndarray, shape (L, E)
    """
    length, embed = x.shape
    head_dim, group = _check_heads(embed, num_heads, num_kv_heads)
    q, k, v = _split(x @ Wq, num_heads), _split(x @ Wk, num_kv_heads), _split(x @ Wv, num_kv_heads)
    if rope:
        q, k = apply_rope(q, positions), apply_rope(k, positions)
    k, v = np.repeat(k, group, axis=0), np.repeat(v, group, axis=0)  # kv head g serves heads g·G … g·G+G−1
    heads, _ = scaled_dot_product_attention(q, k, v, mask)
    return heads.transpose(1, 0, 2).reshape(length, embed) @ Wo


def empty_kv_cache(num_kv_heads, head_dim):
    """An empty cache: keys and values of shape (H_kv, 0, hd), to be grown by :func:`decode_step`.

    Parameters
    ----------
    num_kv_heads : int
    head_dim : int

    Returns
    -------
    (ndarray, ndarray)
        (keys, values), each of shape (H_kv, 0, hd).
    """
    return np.zeros((num_kv_heads, 0, head_dim)), np.zeros((num_kv_heads, 0, head_dim))


def decode_step(x_t, cache, Wq, Wk, Wv, Wo, num_heads, num_kv_heads, rope=False):
    """Attention output for the newest token, reusing the cached keys and values of the prefix.

        k_t = x_t·Wk,  v_t = x_t·Wv          (rotated by RoPE at position t if ``rope``)
        K ← [K; k_t],  V ← [V; v_t]          (append to the cache: shape (H_kv, t+1, hd))
        out_t = [Attention(q_t,h, K_g, V_g)]_h · Wo

    No mask is needed: the cache holds only tokens 0 … t, exactly the keys a causal mask lets token t
    see. Calling it for t = 0, 1, … gives the rows of :func:`grouped_query_attention` with a causal
    mask. The cache stores keys **after** the RoPE rotation (each key is rotated once, at its own
    position). Per generated token the work is one query against t + 1 keys, O(t·d), and the cache
    grows by 2·H_kv·hd numbers per layer.

    Parameters
    ----------
    x_t : ndarray, shape (E,)
        The newest token's vector (its position t is the cache length).
    cache : (ndarray, ndarray)
        (keys, values) of shape (H_kv, t, hd), from :func:`empty_kv_cache` or a previous call.
    Wq, Wk, Wv, Wo, num_heads, num_kv_heads, rope
        As in :func:`grouped_query_attention`.

    Returns
    -------
    out_t : ndarray, shape (E,)
        The attention output for token t.
    cache : (ndarray, ndarray)
        The new cache, shape (H_kv, t + 1, hd) each (the input arrays are not modified).
    """
    keys, values = cache
    t = keys.shape[1]
    head_dim, group = _check_heads(x_t.shape[-1], num_heads, num_kv_heads)
    row = x_t[None, :]  # one token as a length-1 sequence
    q, k, v = _split(row @ Wq, num_heads), _split(row @ Wk, num_kv_heads), _split(row @ Wv, num_kv_heads)
    if rope:
        q, k = apply_rope(q, [t]), apply_rope(k, [t])
    keys, values = np.concatenate([keys, k], axis=1), np.concatenate([values, v], axis=1)
    heads, _ = scaled_dot_product_attention(q, np.repeat(keys, group, axis=0), np.repeat(values, group, axis=0))
    return heads.transpose(1, 0, 2).reshape(-1) @ Wo, (keys, values)


def kv_cache_bytes(num_layers, num_kv_heads, head_dim, seq_len, batch_size=1, bytes_per_value=2):
    """Memory of a KV cache: a key and a value vector per layer, KV head, token and sequence.

        bytes = 2 · layers · H_kv · hd · tokens · batch · bytes per value

    LLaMA-2-7B (32 layers, 32 heads of 128, no GQA) at 4,096 tokens in fp16: 2·32·32·128·4096·2 =
    2,147,483,648 bytes, 2 GiB per sequence (512 KiB per token). With 8 KV heads (GQA) it is a
    quarter of that.

    Parameters
    ----------
    num_layers : int
    num_kv_heads : int
        H_kv (= H without GQA).
    head_dim : int
        hd.
    seq_len : int
        Tokens cached (prompt plus generated).
    batch_size : int, default 1
    bytes_per_value : int, default 2
        2 for fp16/bf16, 1 for an int8 cache.

    Returns
    -------
    int
    """
    return 2 * num_layers * num_kv_heads * head_dim * seq_len * batch_size * bytes_per_value


def attention_param_count(embed, num_heads, num_kv_heads):
    """Weights of a bias-free attention layer with grouped key/value heads.

        E·E (Wq) + 2·E·(H_kv·hd) (Wk, Wv) + E·E (Wo),   hd = E / H

    Multi-head attention (H_kv = H) has 4·E²; multi-query (H_kv = 1) has 2·E² + 2·E·hd.

    Parameters
    ----------
    embed : int
        E.
    num_heads, num_kv_heads : int
        H and H_kv.

    Returns
    -------
    int
    """
    head_dim, _ = _check_heads(embed, num_heads, num_kv_heads)
    return 2 * embed * embed + 2 * embed * num_kv_heads * head_dim

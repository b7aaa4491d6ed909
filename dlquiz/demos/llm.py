"""Demos of LLM internals: RoPE's relative scores, decoding with a KV cache, grouped-query attention,
sampling filters and beam search."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Table
from dlquiz.demos._util import in_range, need, num, rng
from dlquiz.reference import attention as att
from dlquiz.reference import decoding as dec
from dlquiz.reference import kv_cache as kv
from dlquiz.reference import rope

__all__ = ["rope_relative_scores", "kv_cache_decoding", "gqa_cache_sizes", "sampling_filters", "beam_vs_greedy"]

WORDS = ["the", "a", "cat", "dog", "sat", "ran", "on", "mat"]


def rope_relative_scores(*, head_dim: int = 8, offset: int = 3, seed: int = 0) -> DemoResult:
    """q at position m, k at m − offset: with RoPE the score is the same for every m; with added sinusoids it is not."""
    in_range("head_dim", head_dim, 2, 256)
    need(head_dim % 2 == 0, "'head_dim' must be even")
    in_range("offset", offset, 0, 100)
    r = rng(seed)
    q, k = r.standard_normal(head_dim), r.standard_normal(head_dim)
    starts = [offset, offset + 10, offset + 100, offset + 1000]
    pe = att.positional_encoding(starts[-1] + 1, head_dim)
    rows: list[list[Cell]] = []
    rope_scores, added_scores = [], []
    for m in starts:
        n = m - offset
        qr, kr = rope.apply_rope(q[None], positions=[m])[0], rope.apply_rope(k[None], positions=[n])[0]
        s_rope = num(qr @ kr)
        s_added = num((q + pe[m]) @ (k + pe[n]))
        rope_scores.append(s_rope)
        added_scores.append(s_added)
        rows.append([m, n, s_rope, s_added])
    spread_rope = max(rope_scores) - min(rope_scores)
    spread_added = max(added_scores) - min(added_scores)
    theta = rope.rope_angles([1], head_dim)[0]
    theta_rows: list[list[Cell]] = [[i, num(t)] for i, t in enumerate(theta)]
    return DemoResult(
        title="RoPE: scores depend on the offset only",
        summary="RoPE rotates q at position m and k at position n; rotations compose, so q·k sees only m − n.",
        code=["rope.apply_rope", "rope.rope_angles", "attention.positional_encoding"],
        inputs={"q, k": f"random, d = {head_dim}", "pairing": "interleaved (2i, 2i+1)"},
        tables=[
            Table(
                f"Score of q at m and k at n = m − {offset}",
                ["m", "n", "RoPE q·k", "(q+PE)·(k+PE)"],
                rows,
            ),
            Table(
                "Angle turned per position, θᵢ = 10000^(−2i/d)",
                ["pair i", "θᵢ (radians)"],
                theta_rows,
            ),
        ],
        notes=[
            f"Spread of the score over m: RoPE {spread_rope:.2g}, added sinusoids {spread_added:.3g}.",
            f"Pair 0 turns {num(theta[0]):g} rad per token, the last pair {num(theta[-1]):.2g}: fast and slow clocks.",
        ],
    )


def _weights(r, d_model: int, heads: int, kv_heads: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    hd = d_model // heads
    scale = 1 / math.sqrt(d_model)
    Wq, Wo = r.standard_normal((d_model, d_model)) * scale, r.standard_normal((d_model, d_model)) * scale
    Wk, Wv = r.standard_normal((d_model, kv_heads * hd)) * scale, r.standard_normal((d_model, kv_heads * hd)) * scale
    return Wq, Wk, Wv, Wo


def kv_cache_decoding(*, length: int = 6, d_model: int = 8, heads: int = 2, seed: int = 0) -> DemoResult:
    """Generate token by token with a KV cache: each step equals full causal attention, for a fraction of the work."""
    in_range("length", length, 2, 64)
    in_range("heads", heads, 1, 8)
    need(d_model % heads == 0, f"'heads' must divide d_model ({d_model})")
    r = rng(seed)
    x = r.standard_normal((length, d_model))
    W = _weights(r, d_model, heads, heads)
    full = kv.grouped_query_attention(x, *W, heads, heads, mask=att.causal_mask(length), rope=True)
    cache = kv.empty_kv_cache(heads, d_model // heads)
    rows = []
    with_cache = causal = square = 0
    for t in range(length):
        out_t, cache = kv.decode_step(x[t], cache, *W, heads, heads, rope=True)
        prefix = t + 1
        with_cache += prefix  # one query against t + 1 keys
        causal += prefix * (prefix + 1) // 2  # every query of the prefix again, each against the keys before it
        square += prefix**2  # the same with the whole square of scores computed
        rows.append(
            [t, cache[0].shape[1], num(np.max(np.abs(out_t - full[t]))), prefix, prefix * (prefix + 1) // 2, prefix**2]
        )
    return DemoResult(
        title="Decoding with a KV cache",
        summary="Under a causal mask old keys and values never change: store them, and each new token runs one query.",
        code=["kv_cache.decode_step", "kv_cache.grouped_query_attention", "kv_cache.empty_kv_cache"],
        inputs={"x": f"({length}, {d_model}) random", "position encoding": "RoPE on q and k"},
        tables=[
            Table(
                "Step by step (scores per head)",
                ["token t", "cached", "max |Δ| vs full", "with cache", "recompute", "full square"],
                rows,
            )
        ],
        notes=[
            f"Largest difference from full causal attention: {max(row[2] for row in rows):.2g}.",
            f"Scores for {length} tokens: {with_cache} with the cache, {causal} recomputing the prefix each step "
            f"under the causal mask ({square} if the whole square of scores is computed).",
        ],
    )


def gqa_cache_sizes(*, context: int = 4096, seed: int = 0) -> DemoResult:
    """KV-cache bytes of a LLaMA-2-7B-shaped model (32 layers, 32 heads of 128) as key/value heads are shared."""
    in_range("context", context, 1, 1_000_000)
    rows = []
    for kv_heads in (32, 8, 4, 1):
        size = kv.kv_cache_bytes(32, kv_heads, 128, context)
        rows.append([kv_heads, 32 // kv_heads, size / 2**30, kv.attention_param_count(4096, 32, kv_heads)])
    r = rng(seed)
    x = r.standard_normal((5, 8))
    W = _weights(r, 8, 4, 4)
    gap = num(np.max(np.abs(kv.grouped_query_attention(x, *W, 4, 4) - att.multi_head_attention(x, *W, 4))))
    return DemoResult(
        title="Grouped-query attention shrinks the KV cache",
        summary="H query heads share H_kv key/value heads: cache, W_K and W_V shrink by H/H_kv (H_kv = 1: MQA).",
        code=["kv_cache.kv_cache_bytes", "kv_cache.attention_param_count", "kv_cache.grouped_query_attention"],
        inputs={"model": "32 layers, 32 heads × 128, fp16 cache", "batch": 1},
        tables=[
            Table(
                f"One sequence of {context} tokens",
                ["H_kv", "heads per KV", "cache GiB", "attn weights"],
                rows,
            ),
            Table("Check", ["quantity", "value"], [["max |GQA(H_kv = H) − MHA|", gap]]),
        ],
        notes=[
            f"MHA needs {rows[0][2]:.3g} GiB per sequence here; 8 KV heads {rows[1][2]:.3g} GiB; "
            f"MQA {rows[3][2]:.3g} GiB."
        ],
    )


def _kept(logit) -> str:
    return "kept" if np.isfinite(logit) else "cut"


def sampling_filters(*, temperature: float = 1.0, top_k: int = 3, top_p: float = 0.8, seed: int = 0) -> DemoResult:
    """One next-token distribution through temperature, top-k and top-p, and 2,000 samples from the result."""
    in_range("temperature", temperature, 0.01, 100.0)
    in_range("top_k", top_k, 1, len(WORDS))
    in_range("top_p", top_p, 0.01, 1.0)
    logits = np.array([3.0, 2.5, 2.0, 1.0, 0.5, 0.0, -1.0, -2.0])
    z = dec.apply_temperature(logits, temperature)
    probs = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    after_k = dec.top_k_filter(z, top_k)
    after_p = dec.top_p_filter(after_k, top_p)
    final = np.exp(after_p - after_p.max())
    final /= final.sum()
    r = rng(seed)
    draws = np.array([dec.sample_token(logits, r, temperature, top_k, top_p) for _ in range(2000)])
    freq = np.bincount(draws, minlength=len(WORDS)) / len(draws)
    rows: list[list[Cell]] = [
        [
            WORDS[i],
            num(probs[i]),
            bool(np.isfinite(after_k[i])),
            bool(np.isfinite(after_p[i])),
            num(final[i]),
            num(freq[i]),
        ]
        for i in range(len(WORDS))
    ]
    kept = int(np.isfinite(after_p).sum())
    return DemoResult(
        title="Temperature, top-k, top-p",
        summary="Divide the logits by T, keep the k best, keep the smallest set reaching probability p, then sample.",
        code=["decoding.apply_temperature", "decoding.top_k_filter", "decoding.top_p_filter", "decoding.sample_token"],
        inputs={"logits": "3, 2.5, 2, 1, 0.5, 0, −1, −2", "samples": 2000},
        tables=[Table("Next token", ["token", "p after T", "top-k", "top-p", "final p", "sampled"], rows)],
        notes=[
            f"{kept} of {len(WORDS)} tokens survive; the most likely one ends with p = {num(final[0]):.3f}.",
            f"Filtered tokens were sampled {int((freq[final == 0]).sum() * len(draws))} times out of {len(draws)}.",
        ],
    )


def beam_vs_greedy(*, beam_width: int = 2) -> DemoResult:
    """A two-step toy language model where the locally best first word leads to a less probable sentence."""
    in_range("beam_width", beam_width, 1, 5)
    words = ["<s>", "nice", "good", "day", "dog"]
    table = np.array(
        [
            [1e-6, 0.6, 0.4, 1e-6, 1e-6],
            [1e-6, 1e-6, 1e-6, 0.5, 0.5],
            [1e-6, 1e-6, 1e-6, 0.9, 0.1],
            [0.2] * 5,
            [0.2] * 5,
        ]
    )
    table /= table.sum(axis=1, keepdims=True)
    logt = np.log(table)

    def model(tokens):
        return logt[tokens[-1]]

    greedy = dec.greedy_decode(model, [0], 2)
    beam, beam_logp = dec.beam_search(model, [0], beam_width, 2)

    def prob(seq):
        return float(np.prod([table[a, b] for a, b in pairwise(seq)]))

    greedy_p, beam_p = prob(greedy), math.exp(beam_logp)
    rows: list[list[Cell]] = [
        ["greedy", " ".join(words[t] for t in greedy[1:]), greedy_p],
        [f"beam, width {beam_width}", " ".join(words[t] for t in beam[1:]), beam_p],
    ]
    sentence_p = [num(table[0, a] * table[a, b]) for a in (1, 2) for b in (3, 4)]
    all_rows: list[list[Cell]] = [
        [f"{words[a]} {words[b]}", num(table[0, a] * table[a, b])] for a in (1, 2) for b in (3, 4)
    ]
    return DemoResult(
        title="Greedy decoding vs beam search",
        summary="Greedy takes the best word now; beam search keeps the best few partial sentences and can recover.",
        code=["decoding.greedy_decode", "decoding.beam_search"],
        inputs={"P(first word)": "nice 0.6, good 0.4", "P(second)": "after nice: day/dog 0.5/0.5; after good: day 0.9"},
        tables=[
            Table("Decoded", ["method", "sentence", "probability"], rows),
            Table("Every two-word sentence", ["sentence", "probability"], all_rows),
        ],
        notes=[
            f"Greedy's sentence has probability {greedy_p:.3f}, the beam's {beam_p:.3f}; "
            f"the best of all is {max(sentence_p):.3f}."
        ],
    )

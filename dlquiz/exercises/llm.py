"""Exercises on LLM internals: KV-cache memory, a RoPE rotation, temperature, top-p, perplexity."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draws, integer, par, short, vec
from dlquiz.reference import decoder, rope
from dlquiz.reference import decoding as dec
from dlquiz.reference import kv_cache as kv
from dlquiz.wording import noun

__all__ = ["kv_cache_size", "rope_rotation", "temperature_softmax", "top_p_nucleus", "perplexity_from_probabilities"]

GIB = 2**30


def kv_cache_size(rng) -> Exercise:
    """KV-cache memory of a decoder for a batch of long sequences."""
    layers = choice(rng, (12, 24, 32, 40, 80))
    heads = choice(rng, (16, 32, 64))
    kv_heads = choice(rng, (heads, 8, 4, 1))
    head_dim = choice(rng, (64, 128))
    tokens = choice(rng, (1024, 2048, 4096, 8192, 32768))
    batch = choice(rng, (1, 2, 4, 8))
    size = kv.kv_cache_bytes(layers, kv_heads, head_dim, tokens, batch_size=batch, bytes_per_value=2)
    kind = "multi-head" if kv_heads == heads else "multi-query" if kv_heads == 1 else "grouped-query"
    per_token = 2 * layers * kv_heads * head_dim * 2
    return Exercise(
        prompt=(
            f"A decoder has {layers} layers and {heads} query heads of size {head_dim}, with {kv_heads} key/value "
            f"{noun(kv_heads, 'head')} ({kind} attention). It generates "
            f"{f'{batch} sequences' if batch > 1 else 'one sequence'} of {tokens} tokens with a KV cache in fp16 "
            "(2 bytes per number). "
            "How large is the cache at the end, in GiB (2³⁰ bytes)?"
        ),
        answer=(size / GIB,),
        unit="GiB",
        hint="per token and layer: a key and a value vector for every KV head",
        steps=steps(
            (
                f"per token: 2 × {layers} × {kv_heads} × {head_dim} × 2 bytes = {per_token} bytes",
                "K and V, every layer, every KV head (query heads do not count), 2 bytes each",
            ),
            (
                f"× {tokens} tokens × {batch} = {size} bytes = {short(size / GIB)} GiB",
                "the cache grows linearly with context length and batch size",
            ),
        ),
        inputs={"layers": layers, "kv_heads": kv_heads, "head_dim": head_dim, "tokens": tokens, "batch": batch},
    )


def rope_rotation(rng) -> Exercise:
    """Rotate one feature pair of a query by RoPE."""
    while True:
        d = choice(rng, (4, 8))
        i = integer(rng, 0, 1)
        m = integer(rng, 1, 6)
        a, b = draws(rng, 2, -2, 2, 1)
        theta = float(rope.rope_angles([1], d)[0, i])
        pair = np.zeros(d)
        pair[2 * i], pair[2 * i + 1] = a, b
        rotated = rope.apply_rope(pair[None], positions=[m])[0]
        a2, b2 = float(rotated[2 * i]), float(rotated[2 * i + 1])
        if min(abs(a2), abs(b2)) > 0.2:  # no near-cancellation that 4 hand-rounded digits cannot resolve
            break
    angle = m * theta
    return Exercise(
        prompt=(
            f"RoPE with head size d = {d} (interleaved pairs, θᵢ = 10000^(−2i/d)). A query's pair i = {i} holds "
            f"(q₂ᵢ, q₂ᵢ₊₁) = {vec((a, b))} and the token is at position m = {m}. Give the rotated pair "
            "(angles in radians)."
        ),
        answer=(a2, b2),
        labels=("q′₂ᵢ", "q′₂ᵢ₊₁"),
        hint="rotate by m·θᵢ: (a cos φ − b sin φ, a sin φ + b cos φ)",
        steps=steps(
            (
                f"θ_{i} = 10000^(−{2 * i}/{d}) = {short(theta)};  φ = m·θ = {m} × {short(theta)} = {short(angle)}",
                "pair i turns by θᵢ radians per position",
            ),
            (
                f"cos φ = {short(math.cos(angle))}, sin φ = {short(math.sin(angle))}",
                "the angle grows with the position; each pair has its own frequency",
            ),
            (
                f"({fmt(a)}·cos φ − {par(b)}·sin φ, {fmt(a)}·sin φ + {par(b)}·cos φ) = ({short(a2)}, {short(b2)})",
                "a 2-D rotation: the length of the pair is unchanged",
            ),
        ),
        inputs={"d": d, "i": i, "m": m, "a": a, "b": b},
    )


def temperature_softmax(rng) -> Exercise:
    """The probability of the top token after dividing the logits by a temperature."""
    while True:
        logits = draws(rng, 3, -2, 4, 1)
        temperature = choice(rng, (0.5, 2.0, 4.0))
        z = dec.apply_temperature(np.array(logits), temperature)
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        top = int(np.argmax(logits))
        wrong = np.exp(np.array(logits) * temperature)
        if len(set(logits)) == 3 and abs(wrong[top] / wrong.sum() - p[top]) > 0.05 * p[top]:
            break
    answer = float(p[top])
    scaled = [v / temperature for v in logits]
    return Exercise(
        prompt=(
            f"A language model outputs the logits z = {vec(logits)} for three tokens. With temperature "
            f"T = {fmt(temperature)}, what probability does the most likely token get?"
        ),
        answer=(answer,),
        hint="softmax(z / T)",
        steps=steps(
            (f"z/T = {vec(round(v, 6) for v in scaled)}", "divide, don't multiply: T > 1 flattens, T < 1 sharpens"),
            (
                f"p = e^{short(scaled[top])} / ({' + '.join(f'e^{short(v)}' for v in scaled)}) = {short(answer)}",
                "the order of the tokens never changes, only how peaked the distribution is",
            ),
        ),
        inputs={"z": logits, "T": temperature},
    )


def top_p_nucleus(rng) -> Exercise:
    """How many tokens top-p keeps, and the top token's renormalised probability."""
    while True:
        raw = np.sort(rng.integers(1, 40, size=5))[::-1].astype(float)
        probs = [round(float(v), 2) for v in raw / raw.sum()]
        probs[0] = round(1.0 - sum(probs[1:]), 2)
        p = choice(rng, (0.5, 0.6, 0.7, 0.8, 0.9))
        cum = np.cumsum(probs)
        if len(set(probs)) == 5 and probs[0] > probs[1] and min(abs(cum - p)) > 0.015 and probs[-1] > 0:
            break
    shuffled = rng.permutation(5)
    shown = [probs[k] for k in shuffled]
    logits = np.log(np.array(shown))
    kept = np.isfinite(dec.top_p_filter(logits, p))
    count = int(kept.sum())
    top_after = max(shown) / sum(np.array(shown)[kept])
    cum_text = ", ".join(fmt(round(float(c), 2)) for c in cum[:count])
    return Exercise(
        prompt=(
            f"Next-token probabilities over five tokens: {vec(shown)}. Top-p (nucleus) sampling with p = {fmt(p)} "
            "keeps the smallest set of most probable tokens whose probabilities add up to at least p. How many "
            "tokens are kept, and what is the most probable token's probability after renormalising?"
        ),
        answer=(count, top_after),
        labels=("tokens kept", "p(top)"),
        hint="sort, add up until the sum reaches p (the token that crosses p is kept)",
        steps=steps(
            (f"sorted: {vec(probs)}; running sums {cum_text}", "stop at the first sum ≥ p"),
            (
                f"{count} tokens, total {short(float(cum[count - 1]))}; "
                f"top: {fmt(probs[0])}/{short(float(cum[count - 1]))} = {short(top_after)}",
                "the kept tokens are renormalised to sum to 1",
            ),
        ),
        inputs={"probs": shown, "p": p},
    )


def perplexity_from_probabilities(rng) -> Exercise:
    """Perplexity from the probabilities a model gave the correct next tokens."""
    while True:
        probs = draws(rng, 4, 0.05, 0.9, 2)
        geometric = math.exp(-sum(math.log(v) for v in probs) / 4)
        arithmetic = sum(1 / v for v in probs) / 4
        if abs(arithmetic - geometric) > 0.05 * geometric:
            break
    logits = np.log(np.array([[v, 1 - v] for v in probs]))
    ppl = decoder.perplexity(logits, np.zeros(4, dtype=int))
    nll = math.log(ppl)
    return Exercise(
        prompt=(
            f"A language model gave the correct next token the probabilities {vec(probs)} at four positions. "
            "What is its perplexity on these four tokens?"
        ),
        answer=(ppl,),
        hint="exp of the mean negative log-likelihood",
        steps=steps(
            (
                f"−log p: {', '.join(short(-math.log(v)) for v in probs)}; mean = {short(nll)}",
                "the mean cross-entropy in nats",
            ),
            (
                f"PPL = e^{short(nll)} = {short(ppl)}",
                "the geometric mean of 1/p, not the arithmetic mean; a uniform guess over V tokens gives V",
            ),
        ),
        inputs={"p": probs},
    )

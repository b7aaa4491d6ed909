"""Exercises on attention: weights over keys, the √dₖ scale, head sizes, positional encodings."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import DEFAULT_TOLERANCE, Exercise, steps
from dlquiz.exercises._draw import choice, dot_terms, draws, integer, short, vec
from dlquiz.reference import attention as att

__all__ = ["attention_weights_two_keys", "scaled_score", "multi_head_sizes", "positional_encoding_value"]


def attention_weights_two_keys(rng) -> Exercise:
    """Softmax attention weights of one query over two keys (d = 2)."""
    while True:
        q = draws(rng, 2, -2, 2, 1)
        k1 = draws(rng, 2, -2, 2, 1)
        k2 = draws(rng, 2, -2, 2, 1)
        keys = np.array([k1, k2])
        _, weights = att.scaled_dot_product_attention(np.array([q]), keys, np.eye(2))
        w1, w2 = (float(v) for v in weights[0])
        # with nearly equal scores the weights are ≈ ½ with or without 1/√dₖ: forgetting it must show;
        # and a weight under 1 % is 1 − (a weight over 99 %), which 4 rounded digits cannot give to 1 %
        unscaled = 1 / (1 + math.exp(-float(np.dot(q, np.subtract(k1, k2)))))
        if abs(unscaled - w1) > 3 * DEFAULT_TOLERANCE * min(w1, w2) and min(w1, w2) >= 0.01:
            break
    s1, s2 = (float(np.dot(q, k)) / math.sqrt(2) for k in (k1, k2))
    return Exercise(
        prompt=(
            f"Scaled dot-product attention with dₖ = 2: the query q = {vec(q)} attends to the keys k₁ = {vec(k1)} "
            f"and k₂ = {vec(k2)}. Give the attention weights α₁, α₂ = softmax(q·kⱼ/√dₖ)."
        ),
        answer=(w1, w2),
        labels=("α₁", "α₂"),
        hint="with two keys, α₁ = σ(s₁ − s₂): a sigmoid of the score difference",
        steps=steps(
            (
                f"s₁ = ({dot_terms(q, k1)})/√2 = {short(s1)};  s₂ = ({dot_terms(q, k2)})/√2 = {short(s2)}",
                "dot products, scaled by 1/√dₖ",
            ),
            (
                (
                    f"α₁ = e^s₁/(e^s₁ + e^s₂) = 1/(1 + e^({short(s2 - s1)})) = {short(w1)};  α₂ = 1 − α₁ = 1/(1 + "
                    f"e^({short(s1 - s2)})) = {short(w2)}"
                ),
                "softmax over the keys; the weights sum to 1",
            ),
        ),
        inputs={"q": q, "k1": k1, "k2": k2},
    )


def scaled_score(rng) -> Exercise:
    """The score q·k/√dₖ for 4-dimensional q, k."""
    q = draws(rng, 4, -2, 2, 1)
    k = draws(rng, 4, -2, 2, 1)
    dot = float(np.dot(q, k))
    score = dot / math.sqrt(len(q))
    return Exercise(
        prompt=(f"Attention with dₖ = 4: compute the scaled score q·k/√dₖ for q = {vec(q)} and k = {vec(k)}."),
        answer=(score,),
        hint="divide the dot product by √4 = 2",
        steps=steps(
            (f"q·k = {dot_terms(q, k)} = {short(dot)}", "the raw similarity"),
            (
                f"q·k/√dₖ = {short(dot)}/2 = {short(dot / 2)}",
                (
                    "with unit-variance entries q·k has variance dₖ; dividing by √dₖ keeps the scores' spread at 1 "
                    "so the softmax does not saturate"
                ),
            ),
        ),
        inputs={"q": q, "k": k},
    )


def multi_head_sizes(rng) -> Exercise:
    """Head size and parameter count of multi-head attention."""
    d_model = choice(rng, (64, 128, 256, 512, 768, 1024))
    heads = choice(rng, (2, 4, 8, 16))
    head = d_model // heads
    params = 4 * (d_model * d_model + d_model)
    return Exercise(
        prompt=(
            f"Multi-head attention with d_model = {d_model} and h = {heads} heads (PyTorch's nn.MultiheadAttention, "
            "with biases). Give each head's size dₖ and the layer's parameter count (W_Q, W_K, W_V, W_O and "
            "their biases)."
        ),
        answer=(head, params),
        labels=("dₖ", "parameters"),
        tolerance=0,
        hint="dₖ = d_model/h; each of the four projections is d_model × d_model plus a bias",
        steps=steps(
            (
                f"dₖ = {d_model}/{heads} = {head}",
                "the heads split the model width; together they cost as much as one full-width head",
            ),
            (
                f"4 × ({d_model}² + {d_model}) = 4 × {d_model * d_model + d_model} = {params}",
                "Q, K, V and the output projection; the count does not depend on h",
            ),
        ),
        inputs={"d_model": d_model, "h": heads},
    )


def positional_encoding_value(rng) -> Exercise:
    """One entry of the sinusoidal positional encoding."""
    while True:
        d_model = choice(rng, (4, 8, 16))
        pos = integer(rng, 1, 20)
        j = integer(rng, 0, min(d_model, 6) - 1)
        value = float(att.positional_encoding(pos + 1, d_model)[pos, j])
        # cos of a tiny angle is ≈ 1 whatever the frequency: the classic slip of 10000^(j/d) for
        # 10000^(2i/d) must change the value by more than the tolerance
        slip = (math.sin if j % 2 == 0 else math.cos)(pos / 10000 ** (j / d_model))
        if j % 2 == 0 or abs(slip - value) > 3 * DEFAULT_TOLERANCE * abs(value):
            break
    i = j // 2
    rate = 10000 ** (2 * i / d_model)
    func = "sin" if j % 2 == 0 else "cos"
    return Exercise(
        prompt=(
            f"Sinusoidal positional encoding, d_model = {d_model}: PE(pos, 2i) = sin(pos/10000^(2i/d_model)), "
            f"PE(pos, 2i+1) = cos(pos/10000^(2i/d_model)). Compute PE(pos, j) for pos = {pos}, dimension j = {j} "
            "(counting from 0; angles in radians)."
        ),
        answer=(value,),
        hint="even j uses sin, odd j uses cos, with i = ⌊j/2⌋",
        steps=steps(
            (f"j = {j} ⇒ i = {i}, {func}", "each pair of dimensions (2i, 2i+1) shares one frequency"),
            (f"10000^(2·{i}/{d_model}) = {short(rate)}", "the wavelength grows geometrically with i"),
            (f"PE = {func}({pos}/{short(rate)}) = {func}({short(pos / rate)}) = {short(value)}", "angle in radians"),
        ),
        inputs={"d_model": d_model, "pos": pos, "j": j},
    )

"""Exercises on activation functions: values, derivatives, saturation, softmax and its Jacobian."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, dot_terms, draw, draws, integer, par, short, vec
from dlquiz.notation import sup
from dlquiz.reference import activations as act

__all__ = [
    "sigmoid_derivative",
    "tanh_derivative",
    "relu_unit",
    "leaky_relu_derivative",
    "sigmoid_chain_product",
    "softmax_probs",
    "softmax_overflow",
    "softmax_jacobian_entry",
    "softmax_backward",
]

SUB = "₀₁₂₃₄₅₆₇₈₉"
MIN_DIFFERENCE = 0.05  # softmax_backward: smallest |∂L/∂pᵢ − Σⱼ (∂L/∂pⱼ)·pⱼ| it asks about


def sigmoid_derivative(rng) -> Exercise:
    """σ(z) and σ′(z) for a random z."""
    z = draw(rng, -4, 4, 1)
    s = float(act.sigmoid(z))
    d = float(act.sigmoid_grad(z))
    e = math.exp(-z)
    return Exercise(
        prompt=f"For z = {fmt(z)}, compute the sigmoid σ(z) = 1/(1 + e⁻ᶻ) and its derivative σ′(z).",
        answer=(s, d),
        labels=("σ(z)", "σ′(z)"),
        hint="σ′(z) = σ(z)·(1 − σ(z))",
        steps=steps(
            (f"e⁻ᶻ = e^({fmt(-z)}) = {short(e)}", "the exponential in the denominator"),
            (f"σ(z) = 1/(1 + {short(e)}) = {short(s)}", "the logistic function"),
            (
                f"σ′(z) = σ(z)(1 − σ(z)) = {short(s)} × {short(1 - s)} = {short(d)}",
                "differentiating 1/(1 + e⁻ᶻ) gives e⁻ᶻ/(1 + e⁻ᶻ)², which equals σ(1 − σ)",
            ),
        ),
        inputs={"z": z},
    )


def tanh_derivative(rng) -> Exercise:
    """tanh(z) and tanh′(z) for a random z."""
    z = draw(rng, -2.5, 2.5, 1)
    t = float(act.tanh(z))
    d = float(act.tanh_grad(z))
    return Exercise(
        prompt=f"For z = {fmt(z)}, compute tanh(z) and its derivative tanh′(z).",
        answer=(t, d),
        labels=("tanh(z)", "tanh′(z)"),
        hint="tanh′(z) = 1 − tanh²(z)",
        steps=steps(
            (
                (
                    f"tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ) = ({short(math.exp(z))} − {short(math.exp(-z))})/"
                    f"({short(math.exp(z))} + {short(math.exp(-z))}) = {short(t)}"
                ),
                "the definition; equivalently 2σ(2z) − 1",
            ),
            (
                f"tanh′(z) = 1 − tanh²(z) = 1 − {par(round(t, 5))}² = {short(d)}",
                "the derivative of tanh is 1 minus its square; at most 1, at z = 0",
            ),
        ),
        inputs={"z": z},
    )


def relu_unit(rng) -> Exercise:
    """Output of a ReLU unit and its derivative with respect to the bias."""
    while True:
        w = draws(rng, 2, -2, 2, 1)
        x = draws(rng, 2, -2, 2, 1)
        b = draw(rng, -1, 1, 1)
        z = float(np.dot(w, x) + b)
        if abs(z) > 1e-9:  # at z = 0 ReLU′ is a convention (PyTorch: 0) the prompt does not state
            break
    a = float(act.relu(z))
    d = float(act.relu_grad(z))
    return Exercise(
        prompt=(
            f"A ReLU unit has weights w = {vec(w)}, bias b = {fmt(b)} and input x = {vec(x)}. "
            "Give its output a = ReLU(w·x + b) and the derivative ∂a/∂b."
        ),
        answer=(a, d),
        labels=("a", "∂a/∂b"),
        hint="ReLU′(z) is 1 for z > 0 and 0 otherwise (PyTorch uses 0 at z = 0)",
        steps=steps(
            (
                f"z = w·x + b = {dot_terms(w, x)} + {par(b)} = {short(z)}",
                "the pre-activation",
            ),
            (f"a = max(0, z) = {short(a)}", "ReLU passes positive inputs and zeroes the rest"),
            (
                f"∂a/∂b = ReLU′(z)·∂z/∂b = {fmt(d)} × 1 = {fmt(d)}",
                "chain rule: ∂z/∂b = 1, and ReLU′ is 1 where z > 0, 0 where z ≤ 0",
            ),
        ),
        inputs={"w": w, "x": x, "b": b},
    )


def leaky_relu_derivative(rng) -> Exercise:
    """Leaky ReLU value and derivative for a random z and slope."""
    slope = choice(rng, (0.01, 0.05, 0.1, 0.2))
    z = draw(rng, -3, -0.1, 1) if rng.random() < 0.7 else draw(rng, 0.1, 3, 1)
    f = float(act.leaky_relu(z, negative_slope=slope))
    d = float(act.leaky_relu_grad(z, negative_slope=slope))
    branch = "z > 0, so f(z) = z" if z > 0 else f"z < 0, so f(z) = {fmt(slope)}·z"
    return Exercise(
        prompt=(
            f"Leaky ReLU with negative slope α = {fmt(slope)}: f(z) = z for z > 0, α·z otherwise. "
            f"For z = {fmt(z)}, give f(z) and f′(z)."
        ),
        answer=(f, d),
        labels=("f(z)", "f′(z)"),
        steps=steps(
            (f"{branch} = {short(f)}", "pick the branch by the sign of z"),
            (
                f"f′(z) = {fmt(d)}",
                "the slope of that branch: 1 for z > 0, α for z < 0 (never exactly 0, so the unit cannot die)",
            ),
        ),
        inputs={"negative_slope": slope, "z": z},
    )


def sigmoid_chain_product(rng) -> Exercise:
    """The factor Π σ′(zₗ) that backprop multiplies in through a stack of sigmoid layers."""
    layers = integer(rng, 3, 4)
    z = draws(rng, layers, -3, 3, 1)
    grads = act.sigmoid_grad(np.array(z))
    product = float(np.prod(grads))
    names = ", ".join(f"z{SUB[i + 1]}" for i in range(layers))
    factors = " × ".join(short(g) for g in grads)
    return Exercise(
        prompt=(
            f"A gradient flows back through {layers} sigmoid units in a chain (all weights 1). Their "
            f"pre-activations are {names} = {', '.join(fmt(v) for v in z)}. By what factor Π σ′(zₗ) is "
            "the gradient multiplied?"
        ),
        answer=(product,),
        hint="σ′(z) = σ(z)(1 − σ(z)) ≤ 0.25",
        steps=steps(
            (f"σ′(zₗ) = {factors}", "each factor σ(z)(1 − σ(z)) is at most ¼, reached at z = 0"),
            (
                f"Π σ′(zₗ) = {short(product)}",
                f"at most 0.25{sup(layers)} = {short(0.25**layers)}: the gradient vanishes geometrically with depth",
            ),
        ),
        inputs={"z": z},
    )


def _softmax_exercise(logits: list[float], prompt: str) -> Exercise:
    p = act.softmax(np.array(logits))
    top = max(logits)
    shifted = [v - top for v in logits]
    exps = [math.exp(s) for s in shifted]
    total = sum(exps)
    return Exercise(
        prompt=prompt,
        answer=tuple(p),
        labels=("p₁", "p₂", "p₃"),
        hint="subtract max z first: softmax(z) = softmax(z − c) for any constant c",
        steps=steps(
            (
                f"z − max z = {vec(round(s, 6) for s in shifted)}",
                "shifting all logits by a constant leaves softmax unchanged and keeps every eᶻ ≤ 1 (no overflow)",
            ),
            (f"e^(z − max z) = {vec(round(e, 5) for e in exps)}, sum = {short(total)}", "exponentiate"),
            (f"p = {vec(round(float(v), 5) for v in p)}", "divide each exponential by the sum; the p add up to 1"),
        ),
        inputs={"z": logits},
    )


def softmax_probs(rng) -> Exercise:
    """Softmax of a 3-vector, sometimes with logits around 1000 (needs the max-subtraction)."""
    offset = choice(rng, (0, 0, 1000))
    logits = [round(offset + v, 1) for v in draws(rng, 3, -2, 2, 1, avoid=())]
    return _softmax_exercise(logits, f"Compute the softmax p = softmax(z) of the logits z = {vec(logits)}.")


def softmax_overflow(rng) -> Exercise:
    """Softmax of logits so large that e^z overflows in float64."""
    offset = choice(rng, (750, 800, 1000, 5000))
    logits = [round(offset + v, 1) for v in draws(rng, 3, -2, 2, 1, avoid=())]
    return _softmax_exercise(
        logits,
        f"The logits z = {vec(logits)} make np.exp(z) overflow to inf (float64 overflows above z ≈ 709.8), "
        "and inf/inf = nan. Compute the correct softmax p = softmax(z).",
    )


def softmax_backward(rng) -> Exercise:
    """∂L/∂z through a softmax from the upstream gradient ∂L/∂p (the full Jacobian, not its diagonal)."""
    while True:
        logits = draws(rng, 3, -2, 2, 1, avoid=())
        dp = draws(rng, 3, -1, 1, 1, avoid=())
        p = act.softmax(np.array(logits))
        inner = float(np.dot(dp, p))
        # each entry is pᵢ·(∂L/∂pᵢ − Σ): if a difference nearly cancels, 1 % of the entry is below what
        # a learner's rounded p can resolve, so draw again
        if min(abs(d - inner) for d in dp) >= MIN_DIFFERENCE:
            break
    dz = act.softmax_vjp(np.array(logits), np.array(dp))
    return Exercise(
        prompt=(
            f"p = softmax(z) with z = {vec(logits)}, and the upstream gradient is ∂L/∂p = {vec(dp)}. "
            "Compute ∂L/∂z (all three entries)."
        ),
        answer=tuple(float(v) for v in dz),
        labels=("∂L/∂z₁", "∂L/∂z₂", "∂L/∂z₃"),
        hint="∂L/∂z = p ⊙ (∂L/∂p − Σⱼ (∂L/∂pⱼ)·pⱼ)",
        steps=steps(
            (f"p = {vec(round(float(v), 5) for v in p)}", "the softmax of the logits"),
            (
                f"Σⱼ (∂L/∂pⱼ)·pⱼ = {short(inner)}",
                "every logit affects every probability, so this sum enters each entry",
            ),
            (
                f"∂L/∂z = p ⊙ (∂L/∂p − {par(round(inner, 5))}) = ({', '.join(short(float(v)) for v in dz)})",
                "the full Jacobian diag(p) − ppᵀ; keeping only its diagonal, p(1 − p), is the classic bug",
            ),
        ),
        inputs={"z": logits, "dp": dp},
    )


def softmax_jacobian_entry(rng) -> Exercise:
    """One entry ∂pᵢ/∂zⱼ of the softmax Jacobian."""
    logits = draws(rng, 3, -2, 2, 1, avoid=())
    i = integer(rng, 0, 2)
    j = i if rng.random() < 0.5 else integer(rng, 0, 2)
    p = act.softmax(np.array(logits))
    entry = float(act.softmax_jacobian(np.array(logits))[i, j])
    si, sj = SUB[i + 1], SUB[j + 1]
    formula = f"p{si}(1 − p{si})" if i == j else f"−p{si}·p{sj}"
    numbers = f"{short(p[i])} × (1 − {short(p[i])})" if i == j else f"−{short(p[i])} × {short(p[j])}"
    return Exercise(
        prompt=(
            f"p = softmax(z) with z = {vec(logits)}. Compute the Jacobian entry ∂pᵢ/∂zⱼ for i = {i + 1}, "
            f"j = {j + 1}, that is ∂p{si}/∂z{sj}."
        ),
        answer=(entry,),
        hint="∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ)",
        steps=steps(
            (f"p = {vec(round(float(v), 5) for v in p)}", "the softmax of the logits"),
            (
                f"∂p{si}/∂z{sj} = {formula} = {numbers} = {short(entry)}",
                (
                    "∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ): positive on the diagonal, negative off it (raising one logit takes "
                    "mass from the others)"
                ),
            ),
        ),
        inputs={"z": logits, "i": i + 1, "j": j + 1},
    )

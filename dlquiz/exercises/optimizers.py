"""Exercises on optimizers: gradient-descent steps, momentum, Newton, Adagrad, RMSProp, Adam, AdamW."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draw, integer, matrix, par, short, vec
from dlquiz.notation import sup
from dlquiz.reference import optimizers as opt

# θ after a small step differs from θ before it by a few per cent or less: grade those to 0.1 %
STEP_TOLERANCE = 0.001
# ... and keep such θ away from 0, where 0.1 % of θ is finer than a learner's rounded square roots
MIN_THETA = 0.1

__all__ = [
    "gd_step_quadratic",
    "stable_learning_rate",
    "minibatch_noise",
    "momentum_two_steps",
    "newton_step_2d",
    "adagrad_constant_gradient",
    "rmsprop_step",
    "rmsprop_eps_placement",
    "adam_first_step",
    "adam_bias_correction",
    "adamw_step",
    "adam_uncorrected_ratio",
]


def _run(optimizer, theta: float, grads) -> list[float]:
    """θ after each step of ``optimizer`` fed the gradients ``grads`` (a one-parameter model)."""
    params = {"θ": np.array([theta])}
    out = []
    for g in grads:
        optimizer.step(params, {"θ": np.array([g])})
        out.append(float(params["θ"][0]))
    return out


def _moments(grads, betas=(0.9, 0.999)) -> tuple[float, float]:
    """Adam's raw moments mₜ, vₜ after the gradients ``grads``, from m₀ = v₀ = 0."""
    m = v = 0.0
    for g in grads:
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
    return m, v


def gd_step_quadratic(rng) -> Exercise:
    """One gradient-descent step on L(θ) = a·θ²."""
    a = choice(rng, (0.5, 1, 1.5, 2, 3))
    theta = draw(rng, -3, 3, 1)
    lr = choice(rng, (0.05, 0.1, 0.2, 0.25))
    g = 2 * a * theta
    (new,) = _run(opt.SGD(lr), theta, [g])
    return Exercise(
        prompt=(
            f"Gradient descent on L(θ) = {fmt(a)}·θ² from θ = {fmt(theta)} with learning rate η = {fmt(lr)}. What is "
            f"θ after one step?"
        ),
        answer=(new,),
        hint="θ ← θ − η·∂L/∂θ",
        steps=steps(
            (f"∂L/∂θ = 2·{fmt(a)}·θ = {short(g)}", "derivative of a·θ²"),
            (f"θ ← {fmt(theta)} − {fmt(lr)} × {par(round(g, 6))} = {short(new)}", "step against the gradient"),
        ),
        inputs={"a": a, "theta": theta, "lr": lr},
    )


def stable_learning_rate(rng) -> Exercise:
    """The one-step and the divergence learning rates of GD on a quadratic with curvature L."""
    curvature = choice(rng, (0.5, 2, 4, 5, 8, 10, 20, 25, 40, 50))
    one_step = 1 / curvature
    limit = 2 / curvature
    return Exercise(
        prompt=(
            f"Gradient descent on f(θ) = ½·L·θ² with curvature L = {fmt(curvature)}. Which learning rate η "
            "reaches the minimum in one step, and above which η does it diverge?"
        ),
        answer=(one_step, limit),
        labels=("η one step", "η limit"),
        hint="one step multiplies θ by (1 − ηL)",
        steps=steps(
            ("θ ← θ − η·L·θ = (1 − ηL)·θ", "the gradient of ½Lθ² is Lθ"),
            (f"1 − ηL = 0 ⇒ η = 1/L = {short(one_step)}", "lands exactly on θ = 0"),
            (
                f"|1 − ηL| > 1 ⇒ η > 2/L = {short(limit)}",
                (
                    "the factor grows beyond 1 in size: θ oscillates with growing amplitude (at exactly 2/L it "
                    "oscillates forever)"
                ),
            ),
        ),
        inputs={"L": curvature},
    )


def minibatch_noise(rng) -> Exercise:
    """Standard error of a mini-batch gradient, σ/√B."""
    sigma = choice(rng, (0.5, 1, 2, 3, 4, 8))
    batch = choice(rng, (4, 16, 25, 32, 64, 100, 128, 256))
    se = sigma / math.sqrt(batch)
    return Exercise(
        prompt=(
            f"Per-example gradients of one weight have standard deviation σ = {fmt(sigma)} around the "
            f"full-batch gradient. What is the standard deviation of the mean gradient over a mini-batch "
            f"of B = {batch} examples drawn independently?"
        ),
        answer=(se,),
        hint="the mean of B independent samples has standard error σ/√B",
        steps=steps(
            (
                f"Var(ḡ) = σ²/B = {short(sigma**2)}/{batch} = {short(sigma**2 / batch)}",
                "variances of independent terms add, then divide by B²",
            ),
            (
                f"SD(ḡ) = σ/√B = {fmt(sigma)}/{short(math.sqrt(batch))} = {short(se)}",
                "halving the noise takes 4× the batch",
            ),
        ),
        inputs={"sigma": sigma, "B": batch},
    )


def momentum_two_steps(rng) -> Exercise:
    """θ after two SGD-with-momentum steps (PyTorch form: v ← μv + g, θ ← θ − ηv)."""
    theta = draw(rng, -2, 2, 1)
    lr = choice(rng, (0.1, 0.2, 0.5))
    mu = choice(rng, (0.5, 0.9))
    g1, g2 = draw(rng, -2, 2, 1), draw(rng, -2, 2, 1)
    first, second = _run(opt.SGD(lr, momentum=mu), theta, [g1, g2])
    v2 = mu * g1 + g2
    return Exercise(
        prompt=(
            f"SGD with momentum μ = {fmt(mu)} and η = {fmt(lr)}, PyTorch's form v ← μ·v + g, θ ← θ − η·v, "
            f"with v₀ = 0. From θ = {fmt(theta)}, the gradients are g₁ = {fmt(g1)} then g₂ = {fmt(g2)}. "
            "Give θ after step 1 and after step 2."
        ),
        answer=(first, second),
        tolerance=STEP_TOLERANCE,
        labels=("θ₁", "θ₂"),
        steps=steps(
            (
                f"v₁ = g₁ = {fmt(g1)}; θ₁ = {fmt(theta)} − {fmt(lr)} × {par(g1)} = {short(first)}",
                "the velocity starts at 0",
            ),
            (
                f"v₂ = {fmt(mu)} × {par(g1)} + {par(g2)} = {short(v2)}",
                "the old velocity decays by μ and the new gradient adds in",
            ),
            (f"θ₂ = {short(first)} − {fmt(lr)} × {par(round(v2, 6))} = {short(second)}", "step along the velocity"),
        ),
        inputs={"theta": theta, "lr": lr, "mu": mu, "g1": g1, "g2": g2},
    )


def newton_step_2d(rng) -> Exercise:
    """One Newton step on a 2-D quadratic f(θ) = ½θᵀHθ − bᵀθ."""
    a, d = integer(rng, 2, 5), integer(rng, 2, 5)
    c = integer(rng, -1, 1)
    b = [float(integer(rng, -4, 4)) for _ in range(2)]
    theta = [float(integer(rng, -3, 3)) for _ in range(2)]
    H = np.array([[a, c], [c, d]], dtype=float)
    g = H @ np.array(theta) - np.array(b)
    new = opt.newton_step(np.array(theta), g, H)
    det = a * d - c * c
    return Exercise(
        prompt=(
            f"f(θ) = ½·θᵀHθ − bᵀθ with\n{matrix(H)}  = H,   b = {vec(b)}.\n"
            f"Take one Newton step θ ← θ − H⁻¹∇f from θ = {vec(theta)}. Give the new θ."
        ),
        answer=tuple(new),
        labels=("θ₁", "θ₂"),
        hint="∇f = Hθ − b; on a quadratic one Newton step lands on the minimum H⁻¹b",
        steps=steps(
            (f"∇f = Hθ − b = {vec(g)}", "the gradient of the quadratic"),
            (
                f"H⁻¹ = (1/{det})·[[{d}, {fmt(-c)}], [{fmt(-c)}, {a}]]",
                "the 2×2 inverse: swap the diagonal, negate the off-diagonal, divide by det",
            ),
            (
                f"θ ← θ − H⁻¹∇f = {vec(float(v) for v in new)}",
                "the minimum H⁻¹b, reached in one step whatever the start",
            ),
        ),
        inputs={"H": [a, c, d], "b": b, "theta": theta},
    )


def adagrad_constant_gradient(rng) -> Exercise:
    """θ after k Adagrad steps with the same gradient every step."""
    while True:
        theta = draw(rng, -2, 2, 1)
        g = draw(rng, -3, 3, 1)
        lr = choice(rng, (0.1, 0.5, 1))
        k = integer(rng, 2, 4)
        history = _run(opt.Adagrad(lr=lr), theta, [g] * k)
        if abs(history[-1]) >= MIN_THETA:
            break
    sign = 1 if g > 0 else -1
    moves = " + ".join(f"1/√{t}" for t in range(1, k + 1))
    total = sum(1 / math.sqrt(t) for t in range(1, k + 1))
    return Exercise(
        prompt=(
            f"Adagrad (s ← s + g², θ ← θ − η·g/(√s + ε), ε ≈ 0, s₀ = 0) with η = {fmt(lr)} from θ = {fmt(theta)}. "
            f"The gradient is g = {fmt(g)} at every step. What is θ after {k} steps?"
        ),
        answer=(history[-1],),
        tolerance=STEP_TOLERANCE,
        hint="after t steps s = t·g², so step t moves θ by η·sign(g)/√t",
        steps=steps(
            ("sₜ = t·g², so η·g/√sₜ = η·sign(g)/√t", "the accumulated squares grow linearly"),
            (
                (
                    f"θ = {fmt(theta)} − {par(sign * lr)} × ({moves}) = {fmt(theta)} − {par(sign * lr)} × "
                    f"{short(total)} = {short(history[-1])}"
                ),
                "the steps shrink like 1/√t even though the gradient does not",
            ),
        ),
        inputs={"theta": theta, "g": g, "lr": lr, "k": k},
    )


def rmsprop_step(rng) -> Exercise:
    """One RMSProp step from a given running average v."""
    lr = 0.1  # large enough that the step shows in θ's first three digits
    while True:
        theta = draw(rng, -2, 2, 1)
        g = draw(rng, -2, 2, 1)
        v = draw(rng, 0.1, 2, 1)
        alpha = choice(rng, (0.9, 0.99))
        optimizer = opt.RMSProp(lr=lr, alpha=alpha)
        # bring the running average to v with one earlier gradient g₀ = √(v/(1 − α)), then step from θ
        _run(optimizer, theta, [math.sqrt(v / (1 - alpha))])
        (new,) = _run(optimizer, theta, [g])
        new_v = alpha * v + (1 - alpha) * g * g
        # dividing by the old v instead of the updated one must be marked wrong
        stale = theta - lr * g / math.sqrt(v)
        if abs(new) >= MIN_THETA and abs(stale - new) > 3 * STEP_TOLERANCE * abs(new):
            break
    return Exercise(
        prompt=(
            f"RMSProp with α = {fmt(alpha)}, η = {fmt(lr)}, ε ≈ 0: v ← α·v + (1 − α)·g², θ ← θ − η·g/(√v + ε). "
            f"Now θ = {fmt(theta)}, v = {fmt(v)} and the gradient is g = {fmt(g)}. Give the new v and θ."
        ),
        answer=(new_v, new),
        tolerance=STEP_TOLERANCE,
        labels=("v", "θ"),
        steps=steps(
            (
                f"v = {fmt(alpha)} × {fmt(v)} + {fmt(round(1 - alpha, 6))} × {par(g)}² = {short(new_v)}",
                "moving average of squared gradients",
            ),
            (
                f"θ = {fmt(theta)} − {fmt(lr)} × {par(g)}/√{short(new_v)} = {short(new)}",
                "divide by the RMS of recent gradients (ε outside the √, as in PyTorch)",
            ),
        ),
        inputs={"theta": theta, "v": v, "g": g, "alpha": alpha, "lr": lr},
    )


def rmsprop_eps_placement(rng) -> Exercise:
    """RMSProp's first step for a tiny gradient with ε outside (PyTorch) and inside the square root."""
    g = choice(rng, (1, 2, 5)) * choice(rng, (1e-3, 1e-4, 1e-5, 1e-6))
    lr = 1.0
    (new,) = _run(opt.RMSProp(lr=lr, alpha=0.99, eps=1e-8), 0.0, [g])
    outside = -new
    v = 0.01 * g * g
    inside = g / math.sqrt(v + 1e-8)
    return Exercise(
        prompt=(
            f"RMSProp (α = 0.99, ε = 1e−8, v₀ = 0) takes its first step for the gradient g = {fmt(g)}. In units "
            f"of η, how "
            "large is the step with PyTorch's η·g/(√v + ε), and with the buggy η·g/√(v + ε)?"
        ),
        answer=(outside, inside),
        labels=("ε outside", "ε inside"),
        hint="v₁ = (1 − α)·g² = 0.01·g²",
        steps=steps(
            (f"v₁ = 0.01 × ({fmt(g)})² = {short(v)};  √v₁ = {short(math.sqrt(v))}", "the first moving-average value"),
            (
                f"outside: g/(√v₁ + ε) = {fmt(g)}/({short(math.sqrt(v))} + 1e−8) = {short(outside)}",
                "close to 1/√(1 − α) = 10 whatever the scale of g, as long as √v₁ ≫ ε",
            ),
            (
                f"inside: g/√(v₁ + ε) = {fmt(g)}/{short(math.sqrt(v + 1e-8))} = {short(inside)}",
                "ε inside floors the denominator at √ε = 1e−4, so tiny gradients take tiny steps",
            ),
        ),
        inputs={"g": g},
    )


def adam_first_step(rng) -> Exercise:
    """Adam's first step (t = 1): m₁, v₁ and θ₁."""
    while True:
        theta = draw(rng, -2, 2, 1)
        g = draw(rng, -3, 3, 1)
        lr = choice(rng, (0.01, 0.1))
        # θ − η·sign(g) = 0 would leave an answer of size η·ε/|g| ≈ 1e−10, which a learner rightly types as 0
        if abs(theta - lr * math.copysign(1, g)) >= MIN_THETA:
            break
    (new,) = _run(opt.Adam(lr=lr), theta, [g])
    m, v = _moments([g])
    return Exercise(
        prompt=(
            f"Adam with η = {fmt(lr)}, β₁ = 0.9, β₂ = 0.999, ε = 1e−8, starting from m₀ = v₀ = 0. At θ = {fmt(theta)} "
            f"the first gradient is g = {fmt(g)}. Give m₁, v₁ and θ after the first (bias-corrected) step."
        ),
        answer=(m, v, new),
        tolerance=STEP_TOLERANCE,
        labels=("m₁", "v₁", "θ₁"),
        hint="at t = 1, m̂ = g and v̂ = g², so the step is ≈ η·sign(g)",
        steps=steps(
            (
                f"m₁ = 0.1 × {par(g)} = {short(m)};  v₁ = 0.001 × {par(g)}² = {short(v)}",
                "(1 − β₁)·g and (1 − β₂)·g², starting from zero",
            ),
            (
                f"m̂ = m₁/(1 − 0.9) = {fmt(g)};  v̂ = v₁/(1 − 0.999) = {short(g * g)}",
                "bias correction undoes the zero start",
            ),
            (
                f"θ₁ = {fmt(theta)} − {fmt(lr)} × {par(g)}/(√{short(g * g)} + ε) = {short(new)}",
                "m̂/√v̂ = g/|g|: the first step has size η whatever the gradient's scale",
            ),
        ),
        inputs={"theta": theta, "g": g, "lr": lr},
    )


def adam_bias_correction(rng) -> Exercise:
    """Adam's moments and their bias-corrected versions after t steps of a constant gradient."""
    g = draw(rng, -2, 2, 1)
    t = integer(rng, 2, 5)
    m, v = _moments([g] * t)
    m_hat = m / (1 - 0.9**t)
    v_hat = v / (1 - 0.999**t)
    return Exercise(
        prompt=(
            f"Adam with β₁ = 0.9, β₂ = 0.999, m₀ = v₀ = 0 sees the same gradient g = {fmt(g)} for t = {t} steps. "
            "Give mₜ, vₜ and the bias-corrected m̂ₜ = mₜ/(1 − β₁ᵗ), v̂ₜ = vₜ/(1 − β₂ᵗ)."
        ),
        answer=(m, v, m_hat, v_hat),
        labels=("mₜ", "vₜ", "m̂ₜ", "v̂ₜ"),
        hint="with a constant g, mₜ = (1 − β₁ᵗ)·g and vₜ = (1 − β₂ᵗ)·g²",
        steps=steps(
            (
                f"mₜ = (1 − 0.9{sup(t)})·g = {short(1 - 0.9**t)} × {par(g)} = {short(m)}",
                "a geometric sum of (1 − β₁)β₁ᵏ·g",
            ),
            (
                f"vₜ = (1 − 0.999{sup(t)})·g² = {short(1 - 0.999**t)} × {short(g * g)} = {short(v)}",
                "the same for g², far more biased toward 0",
            ),
            (f"m̂ₜ = {short(m_hat)} = g;  v̂ₜ = {short(v_hat)} = g²", "dividing by 1 − βᵗ removes the bias exactly"),
        ),
        inputs={"g": g, "t": t},
    )


def adamw_step(rng) -> Exercise:
    """One AdamW step at t = 1 (decay θ·(1 − ηλ), then the Adam step)."""
    theta = draw(rng, 1, 3, 1) * choice(rng, (1, -1))
    g = draw(rng, -2, 2, 1)
    lr = 0.1
    decay = choice(rng, (0.1, 0.2, 0.5))  # larger than PyTorch's 0.01 so the decay shows in the answer
    (new,) = _run(opt.AdamW(lr=lr, weight_decay=decay), theta, [g])
    decayed = theta * (1 - lr * decay)
    return Exercise(
        prompt=(
            f"AdamW with η = {fmt(lr)}, weight decay λ = {fmt(decay)}, β₁ = 0.9, β₂ = 0.999, ε ≈ 0 (PyTorch's form). "
            f"From θ = {fmt(theta)} with the first gradient g = {fmt(g)}, what is θ after one step?"
        ),
        answer=(new,),
        tolerance=STEP_TOLERANCE,
        hint="first θ ← θ·(1 − ηλ), then Adam's step on g alone; at t = 1 that step is η·sign(g)",
        steps=steps(
            (
                f"θ·(1 − ηλ) = {fmt(theta)} × {short(1 - lr * decay)} = {short(decayed)}",
                "the decoupled decay, scaled by η",
            ),
            (
                f"θ = {short(decayed)} − {fmt(lr)} × sign({fmt(g)}) = {short(new)}",
                "Adam's bias-corrected first step m̂/√v̂ = g/|g|",
            ),
        ),
        inputs={"theta": theta, "g": g, "lr": lr, "lambda": decay},
    )


def adam_uncorrected_ratio(rng) -> Exercise:
    """How much bigger Adam's step is at step t without bias correction."""
    t = choice(rng, (1, 2, 3, 5, 10, 20, 50, 100))
    ratio = float(opt.adam_uncorrected_step_ratio(t))
    return Exercise(
        prompt=(
            f"Someone implements Adam (β₁ = 0.9, β₂ = 0.999) without the bias correction. With a constant "
            f"gradient and ε ≈ 0, how many times larger than the correct step is their step at t = {t}?"
        ),
        answer=(ratio,),
        hint="with constant g, mₜ = (1 − β₁ᵗ)g and vₜ = (1 − β₂ᵗ)g²",
        steps=steps(
            ("uncorrected step ∝ mₜ/√vₜ = (1 − β₁ᵗ)/√(1 − β₂ᵗ) · sign(g)", "the moments of a constant gradient"),
            ("correct step ∝ m̂ₜ/√v̂ₜ = sign(g)", "bias correction divides each factor out"),
            (
                (
                    f"ratio = (1 − 0.9{sup(t)})/√(1 − 0.999{sup(t)}) = "
                    f"{short(1 - 0.9**t)}/{short(math.sqrt(1 - 0.999**t))} = {short(ratio)}"
                ),
                "vₜ is biased far more than mₜ early on, so the uncorrected step is too large",
            ),
        ),
        inputs={"t": t},
    )

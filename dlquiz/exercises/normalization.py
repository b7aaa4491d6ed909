"""Exercises on batch norm (forward, backward, running statistics) and layer norm."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import DEFAULT_TOLERANCE, Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draw, draws, integer, par, short, vec
from dlquiz.reference import normalization as norm

__all__ = ["batchnorm_output", "batchnorm_param_grads", "running_stats_update", "layernorm_output"]

EPS = 1e-5
SUB = "₀₁₂₃₄₅₆₇₈₉"
MIN_OUTPUT = 0.1


def _stats_steps(values: list[float], over: str) -> tuple:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / len(values)
    return (
        mean,
        var,
        (
            (f"μ = ({' + '.join(par(v) for v in values)})/{len(values)} = {short(mean)}", f"mean over {over}"),
            (
                f"σ² = ({' + '.join(f'{par(round(v - mean, 6))}²' for v in values)})/{len(values)} = {short(var)}",
                "the biased variance (divide by N), as PyTorch normalises with",
            ),
        ),
    )


def _draw_inputs(rng) -> tuple[list[float], float, float, int]:
    """Four distinct-enough values, γ, β and which of the four to ask about.

    The asked output γ·x̂ + β stays at least MIN_OUTPUT from 0: when β nearly cancels γ·x̂, 1 % of the
    remainder is finer than a learner's rounded √σ² can resolve.
    """
    while True:
        x = draws(rng, 4, -2, 4, 1, avoid=())
        if len(set(x)) == 1:
            x[0] = round(x[0] + 1, 1)
        gamma, beta, k = choice(rng, (0.5, 1, 1.5, 2)), draw(rng, -1, 1, 1, avoid=()), integer(rng, 0, 3)
        mean = sum(x) / 4
        std = math.sqrt(sum((v - mean) ** 2 for v in x) / 4 + EPS)
        if abs(gamma * (x[k] - mean) / std + beta) >= MIN_OUTPUT:
            return x, gamma, beta, k


def _normalized_one(x, gamma, beta, k, output, over, prompt, hint, last_why, inputs) -> Exercise:
    """μ, σ² and the k-th output y = γ·(x − μ)/√(σ² + ε) + β of a normalisation over four values."""
    mean, var, stat_steps = _stats_steps(x, over)
    x_hat = (x[k] - mean) / math.sqrt(var + EPS)
    name = SUB[k + 1]
    return Exercise(
        prompt=prompt,
        answer=(mean, var, output),
        labels=("μ", "σ²", f"y{name}"),
        hint=hint,
        steps=steps(
            *stat_steps,
            (f"x̂{name} = ({fmt(x[k])} − {par(round(mean, 6))})/√({short(var)} + ε) = {short(x_hat)}", "normalise"),
            (f"y{name} = {fmt(gamma)} × {par(round(x_hat, 6))} + {par(beta)} = {short(output)}", last_why),
        ),
        inputs=inputs,
    )


def batchnorm_output(rng) -> Exercise:
    """Batch mean, variance and one normalized output of a batch-norm layer (training mode)."""
    x, gamma, beta, k = _draw_inputs(rng)
    out, _ = norm.batchnorm_forward(np.array(x).reshape(4, 1), np.array([gamma]), np.array([beta]))
    prompt = (
        f"Batch norm in training mode (ε = 1e−5) on one feature over a batch of 4: x = {vec(x)}, with "
        f"γ = {fmt(gamma)}, β = {fmt(beta)}. Give the batch mean μ, the variance σ² it normalises with, and the "
        f"output y{SUB[k + 1]} "
        f"for x{SUB[k + 1]} = {fmt(x[k])} (example {k + 1})."
    )
    return _normalized_one(
        x,
        gamma,
        beta,
        k,
        float(out[k, 0]),
        "the batch",
        prompt,
        "y = γ·(x − μ)/√(σ² + ε) + β, σ² the biased batch variance",
        "scale and shift with the learned γ, β",
        {"x": x, "gamma": gamma, "beta": beta, "k": k + 1},
    )


def batchnorm_param_grads(rng) -> Exercise:
    """∂L/∂γ, ∂L/∂β and one ∂L/∂xₖ of batch norm from x and the upstream gradient."""
    while True:
        x = [float(v) for v in rng.choice([-2, -1, 0, 1, 2, 3], size=4, replace=False)]
        dy = draws(rng, 4, -1, 1, 1)
        k = integer(rng, 0, 3)
        gamma = np.array([1.0])
        _, cache = norm.batchnorm_forward(np.array(x).reshape(4, 1), gamma, np.array([0.0]))
        dx, dgamma, dbeta = norm.batchnorm_backward(np.array(dy).reshape(4, 1), cache)
        mean, var, stat_steps = _stats_steps(x, "the batch")
        s = math.sqrt(var + EPS)
        x_hat = [(v - mean) / s for v in x]
        mean_dy = sum(dy) / 4
        mean_dy_xhat = sum(d * h for d, h in zip(dy, x_hat, strict=True)) / 4
        grad = float(dx[k, 0])
        # neither Σ dyᵢ·x̂ᵢ nor the three terms of ∂L/∂xₖ may nearly cancel (1 % of the remainder would be
        # finer than a learner's rounded x̂), and treating μ and σ² as constants (dyₖ/s) must fail
        products = [d * h for d, h in zip(dy, x_hat, strict=True)]
        terms = abs(dy[k]) + abs(mean_dy) + abs(x_hat[k] * mean_dy_xhat)
        if (
            abs(sum(products)) >= 0.1 * sum(abs(p) for p in products)
            and abs(grad) >= 0.1 * terms / s
            and abs(dy[k] / s - grad) > 3 * DEFAULT_TOLERANCE * abs(grad)
        ):
            break
    name = SUB[k + 1]
    return Exercise(
        prompt=(
            f"Batch norm (training mode, ε = 1e−5, γ = 1, β = 0) on one feature with the batch x = {vec(x)}. "
            f"The upstream gradient is ∂L/∂y = {vec(dy)}. Compute ∂L/∂γ, ∂L/∂β and ∂L/∂x{name} "
            f"(the gradient reaching the input of example {k + 1})."
        ),
        answer=(float(dgamma[0]), float(dbeta[0]), grad),
        labels=("∂L/∂γ", "∂L/∂β", f"∂L/∂x{name}"),
        hint="∂L/∂xᵢ = (γ/√(σ² + ε))·(dyᵢ − mean(dy) − x̂ᵢ·mean(dy⊙x̂)): μ and σ² depend on every xᵢ",
        steps=steps(
            *stat_steps,
            (f"x̂ = (x − μ)/√(σ² + ε) = {vec(round(v, 5) for v in x_hat)}", "the normalised inputs"),
            (f"∂L/∂γ = Σ ∂L/∂yᵢ·x̂ᵢ = {short(dgamma[0])}", "γ multiplies x̂ for every example of the batch"),
            (f"∂L/∂β = Σ ∂L/∂yᵢ = {short(dbeta[0])}", "β is added to every example"),
            (
                (
                    f"∂L/∂x{name} = ({fmt(dy[k])} − {par(round(mean_dy, 6))} − {par(round(x_hat[k], 5))} × "
                    f"{par(round(mean_dy_xhat, 5))})/{short(s)} = {short(grad)}"
                ),
                "dyₖ/√(σ² + ε) is the direct path; the two subtracted terms are the paths through μ and σ², "
                "which every example feeds (so the ∂L/∂xᵢ sum to 0)",
            ),
        ),
        inputs={"x": x, "dy": dy, "k": k + 1},
    )


def running_stats_update(rng) -> Exercise:
    """One update of batch norm's running mean and (unbiased) running variance."""
    while True:
        mean0 = draw(rng, -1, 1, 1, avoid=())
        var0 = draw(rng, 0.5, 2, 1)
        x = draws(rng, 4, -2, 3, 1, avoid=())
        new_mean, new_var = norm.update_running_stats(
            np.array([mean0]), np.array([var0]), np.array(x).reshape(4, 1), momentum=0.1
        )
        batch_mean = sum(x) / 4
        unbiased = sum((v - batch_mean) ** 2 for v in x) / 3
        # the biased batch variance (÷N) changes running_var by 0.1·unbiased/4: that slip must be graded
        # wrong, which needs a batch variance not much smaller than the running one
        if 0.1 * unbiased / 4 > 2 * DEFAULT_TOLERANCE * float(new_var[0]):
            break
    return Exercise(
        prompt=(
            f"Batch norm's running statistics (PyTorch: momentum 0.1, unbiased batch variance) are "
            f"running_mean = {fmt(mean0)}, running_var = {fmt(var0)}. A training batch of one feature is x = {vec(x)}. "
            "Give both after the update."
        ),
        answer=(float(new_mean[0]), float(new_var[0])),
        labels=("running_mean", "running_var"),
        hint="new = (1 − 0.1)·old + 0.1·batch statistic",
        steps=steps(
            (
                f"batch mean = {short(batch_mean)};  unbiased variance = Σ(x − x̄)²/(N − 1) = {short(unbiased)}",
                "the running variance uses N − 1",
            ),
            (
                f"running_mean = 0.9 × {par(mean0)} + 0.1 × {par(round(batch_mean, 6))} = {short(new_mean[0])}",
                "exponential moving average",
            ),
            (
                f"running_var = 0.9 × {fmt(var0)} + 0.1 × {short(unbiased)} = {short(new_var[0])}",
                "used instead of batch statistics at inference",
            ),
        ),
        inputs={"running_mean": mean0, "running_var": var0, "x": x},
    )


def layernorm_output(rng) -> Exercise:
    """Layer norm of one example's 4 features: mean, variance and one output."""
    x, gamma, beta, j = _draw_inputs(rng)
    out, _ = norm.layernorm_forward(np.array([x]), np.full(4, gamma), np.full(4, beta))
    prompt = (
        f"Layer norm (ε = 1e−5) on one example with 4 features x = {vec(x)}; every γ = {fmt(gamma)} and β = "
        f"{fmt(beta)}. "
        f"Give the mean μ, the variance σ² it normalises with, and the output for feature {j + 1} (x{SUB[j + 1]} "
        f"= {fmt(x[j])})."
    )
    return _normalized_one(
        x,
        gamma,
        beta,
        j,
        float(out[0, j]),
        "the example's features",
        prompt,
        "like batch norm, but the statistics run over the features of one example",
        "scale and shift; the same at training and test time",
        {"x": x, "gamma": gamma, "beta": beta, "j": j + 1},
    )

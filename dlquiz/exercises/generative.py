"""Exercises on generative models: the VAE's KL term and the GAN's optimal discriminator."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draws, short, vec
from dlquiz.reference import generative as gen

__all__ = ["gaussian_kl", "gan_optimal_discriminator"]


def gaussian_kl(rng) -> Exercise:
    """KL(N(μ, σ²) ‖ N(0, 1)) of a 2-D diagonal Gaussian."""
    mu = draws(rng, 2, -2, 2, 1, avoid=())
    sigma = [choice(rng, (0.5, 0.8, 1, 1.5, 2)) for _ in range(2)]
    log_var = [2 * math.log(s) for s in sigma]
    kl = float(gen.gaussian_kl(np.array(mu), np.array(log_var)))
    terms = [s * s + m * m - 1 - lv for s, m, lv in zip(sigma, mu, log_var, strict=True)]
    return Exercise(
        prompt=(
            f"A VAE encoder outputs μ = {vec(mu)} and σ = {vec(sigma)} (diagonal). Compute the KL term "
            "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σⱼ (σⱼ² + μⱼ² − 1 − ln σⱼ²)."
        ),
        answer=(kl,),
        hint="it is 0 only for μ = 0, σ = 1",
        steps=steps(
            *(
                (
                    f"dimension {n}: {short(s * s)} + {short(m * m)} − 1 − ln {short(s * s)} = {short(t)}",
                    "σ² + μ² − 1 − ln σ²",
                )
                for n, (s, m, t) in enumerate(zip(sigma, mu, terms, strict=True), 1)
            ),
            (f"KL = ½ × ({short(terms[0])} + {short(terms[1])}) = {short(kl)}", "sum over dimensions, halved"),
        ),
        inputs={"mu": mu, "sigma": sigma},
    )


def gan_optimal_discriminator(rng) -> Exercise:
    """D*(x) = p_data/(p_data + p_g) at two points."""
    p_data = draws(rng, 2, 0.05, 0.9, 2)
    p_g = draws(rng, 2, 0.05, 0.9, 2)
    d = gen.gan_discriminator_optimum(np.array(p_data), np.array(p_g))
    return Exercise(
        prompt=(
            f"For a fixed generator, at two points x₁, x₂ the data density is p_data = {vec(p_data)} and the "
            f"generator's density is p_g = {vec(p_g)}. Give the optimal discriminator's outputs D*(x₁), D*(x₂)."
        ),
        answer=tuple(float(v) for v in d),
        labels=("D*(x₁)", "D*(x₂)"),
        hint="maximise p_data·log D + p_g·log(1 − D) point by point",
        steps=steps(
            ("D*(x) = p_data(x)/(p_data(x) + p_g(x))", "setting the derivative p_data/D − p_g/(1 − D) to 0"),
            (
                ";  ".join(
                    f"D*(x{'₁₂'[n]}) = {fmt(a)}/({fmt(a)} + {fmt(b)}) = {short(v)}"
                    for n, (a, b, v) in enumerate(zip(p_data, p_g, d, strict=True))
                ),
                "½ wherever the generator matches the data",
            ),
        ),
        inputs={"p_data": p_data, "p_g": p_g},
    )

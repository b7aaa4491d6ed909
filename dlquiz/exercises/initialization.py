"""Exercises on weight initialization: Xavier/Glorot and He/Kaiming scales."""

from __future__ import annotations

import math

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, short
from dlquiz.notation import sup
from dlquiz.reference import initializers as init

__all__ = ["xavier_std_bound", "he_std_bound", "signal_scale"]

FANS = (16, 32, 50, 64, 100, 128, 200, 256, 300, 512, 784, 1024)


def _two_fans(rng) -> tuple[int, int]:
    """fan_in ≠ fan_out: with equal fans Xavier's 2/(fan_in + fan_out) is 1/fan_in, and He's fan_in is
    fan_out, so using the wrong fan would be graded right."""
    fan_in = choice(rng, FANS)
    fan_out = choice(rng, tuple(f for f in FANS if f != fan_in))
    return fan_in, fan_out


def xavier_std_bound(rng) -> Exercise:
    """Xavier/Glorot standard deviation and uniform bound for given fans."""
    fan_in, fan_out = _two_fans(rng)
    std = float(init.xavier_std(fan_in, fan_out))
    bound = float(init.xavier_bound(fan_in, fan_out))
    return Exercise(
        prompt=(
            f"A tanh layer maps {fan_in} inputs to {fan_out} outputs (fan_in = {fan_in}, fan_out = {fan_out}). "
            "Give the Xavier (Glorot) standard deviation and the bound a of its uniform version U(−a, a)."
        ),
        answer=(std, bound),
        labels=("std", "a"),
        hint="Var = 2/(fan_in + fan_out); U(−a, a) has variance a²/3",
        steps=steps(
            (
                f"std = √(2/({fan_in} + {fan_out})) = √{short(2 / (fan_in + fan_out))} = {short(std)}",
                "keeps the variance of activations and of gradients about equal across layers",
            ),
            (
                f"a = √(6/({fan_in} + {fan_out})) = {short(bound)} = √3·std",
                "a uniform on (−a, a) has variance a²/3, so a = √3·std",
            ),
        ),
        inputs={"fan_in": fan_in, "fan_out": fan_out},
    )


def he_std_bound(rng) -> Exercise:
    """He/Kaiming standard deviation and uniform bound for a ReLU layer."""
    fan_in, fan_out = _two_fans(rng)
    std = float(init.he_std(fan_in))
    bound = float(init.he_bound(fan_in))
    return Exercise(
        prompt=(
            f"A ReLU layer maps {fan_in} inputs to {fan_out} outputs. Give the He (Kaiming, fan_in mode) "
            "standard deviation of its weights and the bound a of the uniform version U(−a, a)."
        ),
        answer=(std, bound),
        labels=("std", "a"),
        hint="Var = 2/fan_in: the 2 makes up for ReLU zeroing half of its inputs",
        steps=steps(
            (
                f"std = √(2/{fan_in}) = {short(std)}",
                f"only fan_in counts in this mode; fan_out = {fan_out} does not enter",
            ),
            (f"a = √(6/{fan_in}) = {short(bound)} = √3·std", "a uniform on (−a, a) has variance a²/3"),
        ),
        inputs={"fan_in": fan_in, "fan_out": fan_out},
    )


def signal_scale(rng) -> Exercise:
    """How the activations' standard deviation changes through L linear layers of a given weight std."""
    fan_in = choice(rng, (64, 100, 256, 400))
    std = choice(rng, (0.01, 0.05, 0.1, 0.2))
    depth = choice(rng, (3, 5, 10))
    per_layer = math.sqrt(fan_in) * std
    total = per_layer**depth
    ideal = float(init.xavier_std(fan_in, fan_in))
    return Exercise(
        prompt=(
            f"A stack of {depth} linear layers, each with fan_in = fan_out = {fan_in}, has weights drawn with standard "
            f"deviation {fmt(std)} and zero biases. Inputs have unit variance. By what factor has the activations' "
            "standard deviation changed after the last layer, and which weight std would keep it at 1?"
        ),
        answer=(total, ideal),
        labels=("factor", "std for 1"),
        hint="Var(Σ wᵢxᵢ) = fan_in·Var(w)·Var(x) for independent zero-mean terms",
        steps=steps(
            (
                f"per layer: √(fan_in)·std = √{fan_in} × {fmt(std)} = {short(per_layer)}",
                "the variance of a sum of fan_in independent products adds up",
            ),
            (
                f"after {depth} layers: {short(per_layer)}{sup(depth)} = {short(total)}",
                "below 1 the signal shrinks geometrically, above 1 it blows up",
            ),
            (
                f"std = 1/√fan_in = {short(ideal)}",
                (
                    "equal to Xavier's √(2/(fan_in + fan_out)) here; He's √(2/fan_in) for ReLU, which zeroes half "
                    "the signal"
                ),
            ),
        ),
        inputs={"fan_in": fan_in, "std": std, "L": depth},
    )

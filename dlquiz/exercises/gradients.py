"""Exercises on gradient flow: clipping by norm and by value, residual connections."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draw, draws, par, short, vec
from dlquiz.notation import sup
from dlquiz.reference import activations as act
from dlquiz.reference import optimizers as opt

__all__ = ["gradient_product", "clip_by_norm", "value_clip_angle", "residual_gradient"]

MIN_FACTOR = 1e-10  # gradient_product: smallest factor it asks for; see dlquiz.exercises.TINY
MIN_ANGLE = 5.0  # value_clip_angle: smallest angle (degrees) it asks for


def gradient_product(rng) -> Exercise:
    """How a gradient's size changes through L layers that each scale it by the same factor."""
    while True:
        factor = choice(rng, (0.25, 0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2))
        depth = choice(rng, (5, 10, 20, 30, 50))
        total = float(np.prod(np.full(depth, factor)))
        if total >= MIN_FACTOR:  # smaller answers are graded as a zero (|typed| ≤ 1e−4 would pass)
            break
    kind = "vanishes" if factor < 1 else "explodes"
    return Exercise(
        prompt=(
            f"Backpropagating through each of {depth} layers multiplies the gradient's norm by about {fmt(factor)} "
            "(the norm of that layer's Jacobian W·g′). By what factor has the gradient's norm changed at the "
            "first layer?"
        ),
        answer=(total,),
        hint="the factors multiply: c^L",
        steps=steps(
            (
                f"‖∂L/∂a₁‖ ≈ ‖∂L/∂a_L‖ · Π‖Jₗ‖ = {fmt(factor)}{sup(depth)}",
                "the chain rule multiplies one Jacobian per layer",
            ),
            (
                f"{fmt(factor)}{sup(depth)} = {short(total)}",
                (
                    f"the gradient {kind}: exponential in depth, which is why c must stay close to 1 (init, "
                    f"normalisation, residuals)"
                ),
            ),
        ),
        inputs={"c": factor, "L": depth},
    )


def clip_by_norm(rng) -> Exercise:
    """A gradient rescaled to a maximum global norm."""
    g = draws(rng, 3, -4, 4, 1)
    c = choice(rng, (1, 2, 2.5))  # ‖g‖ is usually larger, sometimes not (then nothing changes)
    grads = {"g": np.array(g)}
    norm = float(opt.clip_grad_norm(grads, max_norm=c))
    clipped = tuple(float(v) for v in grads["g"])
    scale = min(1.0, c / (norm + 1e-6))
    return Exercise(
        prompt=(
            f"Clip the gradient g = {vec(g)} to a maximum L2 norm of c = {fmt(c)} (like torch's clip_grad_norm_). "
            "Give the clipped gradient."
        ),
        answer=clipped,
        labels=("g₁", "g₂", "g₃"),
        hint="if ‖g‖ > c, multiply g by c/‖g‖; the direction stays the same",
        steps=steps(
            (f"‖g‖ = √({' + '.join(f'{par(v)}²' for v in g)}) = {short(norm)}", "the global L2 norm"),
            (
                f"scale = min(1, c/‖g‖) = {short(scale)}",
                "only gradients longer than c are shrunk (torch adds 1e−6 to ‖g‖, which changes nothing visible)",
            ),
            (f"g ← {short(scale)}·g = {vec(round(v, 5) for v in clipped)}", "same direction, norm at most c"),
        ),
        inputs={"g": g, "c": c},
    )


def value_clip_angle(rng) -> Exercise:
    """The angle by which clipping each component to [−c, c] turns a 2-D gradient."""
    while True:
        g = draws(rng, 2, -5, 5, 1)
        c = choice(rng, (0.5, 1, 2))
        grads = {"g": np.array(g)}
        opt.clip_grad_value(grads, clip_value=c)
        clipped = grads["g"]
        cos = float(np.dot(g, clipped) / (np.linalg.norm(g) * np.linalg.norm(clipped)))
        angle = math.degrees(math.acos(min(1.0, cos)))
        # below a few degrees arccos needs cos θ to more digits than anyone carries (and at 0°, when both
        # components are clipped alike, rounding leaves 1e−6° where the learner rightly types 0)
        if angle >= MIN_ANGLE:
            break
    return Exercise(
        prompt=(
            f"Clip every component of the gradient g = {vec(g)} to [−c, c] with c = {fmt(c)} (clip by value). "
            "By what angle, in degrees, does the direction of the gradient change?"
        ),
        answer=(angle,),
        unit="°",
        hint="cos θ = g·g′/(‖g‖·‖g′‖)",
        steps=steps(
            (f"g′ = {vec(clipped)}", "each component is clipped on its own"),
            (
                (
                    f"cos θ = g·g′/(‖g‖‖g′‖) = {short(float(np.dot(g, clipped)))}/({short(float(np.linalg.norm(g)))} × "
                    f"{short(float(np.linalg.norm(clipped)))}) = {short(cos)}"
                ),
                "the angle between the two vectors",
            ),
            (
                f"θ = arccos({short(cos)}) = {short(angle)}°",
                "clipping by value changes the direction; clipping by norm never does",
            ),
        ),
        inputs={"g": g, "c": c},
    )


def residual_gradient(rng) -> Exercise:
    """∂L/∂x through a residual block y = x + tanh(w·x)."""
    while True:
        x = draw(rng, -2, 2, 1)
        w = draw(rng, -3, 3, 1)
        upstream = draw(rng, -2, 2, 1)
        local = float(act.tanh_grad(w * x))
        # with w < 0 the 1 and w·tanh′ can nearly cancel; 1 % of what is left would be below rounding
        if abs(1 + w * local) >= 0.1:
            break
    grad = upstream * (1 + w * local)
    return Exercise(
        prompt=(
            f"A residual block computes y = x + tanh(w·x) with w = {fmt(w)}, at x = {fmt(x)}. Given ∂L/∂y = "
            f"{fmt(upstream)}, compute ∂L/∂x."
        ),
        answer=(grad,),
        hint="∂y/∂x = 1 + w·(1 − tanh²(w·x))",
        steps=steps(
            (f"tanh′(w·x) = 1 − tanh²({short(w * x)}) = {short(local)}", "derivative of the branch's non-linearity"),
            (f"∂y/∂x = 1 + {par(w)} × {short(local)} = {short(1 + w * local)}", "the identity path contributes the 1"),
            (
                f"∂L/∂x = {par(upstream)} × {par(round(1 + w * local, 5))} = {short(grad)}",
                "even when the branch saturates (tanh′ ≈ 0) the gradient still passes through the skip connection",
            ),
        ),
        inputs={"x": x, "w": w, "dL_dy": upstream},
    )

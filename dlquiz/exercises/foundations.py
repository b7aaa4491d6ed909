"""Exercises on the basics: what one neuron computes and how many parameters an MLP has."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, dot_terms, draw, draws, integer, par, short, vec
from dlquiz.reference import activations as act
from dlquiz.reference import layers

__all__ = ["neuron_output", "mlp_param_count"]


def neuron_output(rng) -> Exercise:
    """a = σ(w·x + b) for a neuron with three inputs."""
    w = draws(rng, 3, -1.5, 1.5, 1)
    x = draws(rng, 3, -2, 2, 1)
    b = draw(rng, -1, 1, 1, avoid=())
    z = float(layers.dense_forward(np.array([x]), np.array(w).reshape(3, 1), np.array([b]))[0, 0])
    a = float(act.sigmoid(z))
    return Exercise(
        prompt=(
            f"A sigmoid neuron has weights w = {vec(w)} and bias b = {fmt(b)}. For the input x = {vec(x)}, "
            "compute its pre-activation z = w·x + b and its output a = σ(z)."
        ),
        answer=(z, a),
        labels=("z", "a"),
        hint="σ(z) = 1/(1 + e⁻ᶻ)",
        steps=steps(
            (f"z = {dot_terms(w, x)} + {par(b)} = {short(z)}", "weighted sum of the inputs plus the bias"),
            (
                f"a = 1/(1 + e^{par(round(-z, 6))}) = 1/(1 + {short(math.exp(-z))}) = {short(a)}",
                "the sigmoid squashes z into (0, 1)",
            ),
        ),
        inputs={"w": w, "x": x, "b": b},
    )


def mlp_param_count(rng) -> Exercise:
    """Weights and biases of a fully connected network with given layer widths."""
    sizes = [choice(rng, (2, 3, 4, 8, 10, 13, 20, 64, 784))]
    for _ in range(integer(rng, 2, 3)):
        sizes.append(choice(rng, (4, 8, 16, 32, 50, 64, 100, 128, 256)))
    sizes.append(choice(rng, (1, 2, 10)))
    per_layer = [n_in * n_out + n_out for n_in, n_out in pairwise(sizes)]
    total = sum(per_layer)
    arrow = " → ".join(str(n) for n in sizes)
    return Exercise(
        prompt=(
            f"A fully connected network has layer widths {arrow} (input first). How many trainable "
            "parameters (weights and biases) does it have?"
        ),
        answer=(total,),
        tolerance=0,
        unit="parameters",
        hint="a layer from n_in to n_out units has n_in·n_out weights and n_out biases",
        steps=steps(
            *(
                (
                    f"{n_in} → {n_out}: {n_in}×{n_out} + {n_out} = {count}",
                    "weights W (n_in × n_out) plus one bias per output unit",
                )
                for (n_in, n_out), count in zip(pairwise(sizes), per_layer, strict=True)
            ),
            (
                f"total = {' + '.join(str(c) for c in per_layer)} = {total}",
                "the input layer has no parameters of its own",
            ),
        ),
        inputs={"sizes": sizes},
    )

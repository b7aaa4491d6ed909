"""Exercises on CNN design: depthwise-separable parameter counts, receptive fields, transposed-convolution sizes."""

from __future__ import annotations

from dlquiz.exercises._base import Exercise, steps
from dlquiz.exercises._draw import choice, integer
from dlquiz.reference import conv_design as cd
from dlquiz.reference import conv_transpose as ct

__all__ = ["separable_conv_params", "receptive_field_stack", "transposed_conv_output"]


def separable_conv_params(rng) -> Exercise:
    """Weights of a standard k×k convolution and of its depthwise-separable replacement."""
    c_in = choice(rng, (16, 32, 64, 128, 256, 512))
    c_out = choice(rng, (32, 64, 128, 256, 512))
    k = choice(rng, (3, 5, 7))
    standard, _ = cd.conv_cost(c_in, c_out, k, 1, 1)
    separable, _ = cd.depthwise_separable_cost(c_in, c_out, k, 1, 1)
    return Exercise(
        prompt=(
            f"A {k}×{k} convolution maps {c_in} channels to {c_out} (no biases). How many weights does it have, "
            f"and how many does a depthwise-separable replacement ({k}×{k} depthwise, then 1×1 pointwise) have?"
        ),
        answer=(standard, separable),
        labels=("standard", "separable"),
        tolerance=0,
        hint="depthwise: one k×k filter per input channel; pointwise: a 1×1 conv C_in → C_out",
        steps=steps(
            (f"standard: {c_out} × {c_in} × {k}² = {standard}", "every output channel sees every input channel"),
            (
                f"depthwise {c_in} × {k}² = {c_in * k * k}; pointwise {c_in} × {c_out} = {c_in * c_out}; "
                f"sum {separable}",
                f"{standard / separable:.3g}× fewer: the ratio is 1/C_out + 1/k²",
            ),
        ),
        inputs={"C_in": c_in, "C_out": c_out, "k": k},
    )


def receptive_field_stack(rng) -> Exercise:
    """Receptive field of a stack of convolution and pooling layers."""
    while True:
        count = integer(rng, 3, 4)
        layers = [(choice(rng, (3, 3, 5, 2)), choice(rng, (1, 1, 2))) for _ in range(count)]
        sizes = cd.receptive_field(layers)
        naive = 1 + sum(k - 1 for k, _ in layers)
        if any(s == 2 for _, s in layers[:-1]) and sizes[-1] != naive:
            break
    described = ", ".join(f"k={k}, s={s}" for k, s in layers)
    jumps, jump = [], 1
    for _, s in layers:
        jumps.append(jump)
        jump *= s
    terms = " + ".join(f"({k}−1)×{j}" for (k, _), j in zip(layers, jumps, strict=True))
    return Exercise(
        prompt=(
            f"Layers with kernel k and stride s, input side first: {described} (no dilation). What is the "
            "receptive field of one output of the last layer, in input pixels along one axis?"
        ),
        answer=(sizes[-1],),
        tolerance=0,
        unit="pixels",
        hint="r = 1 + Σ (k_l − 1)·(product of the strides before layer l)",
        steps=steps(
            (
                f"jumps before each layer: {', '.join(str(j) for j in jumps)}",
                "a stride multiplies the spacing of every later layer's taps",
            ),
            (f"r = 1 + {terms} = {sizes[-1]}", f"after each layer: {', '.join(str(s) for s in sizes)}"),
        ),
        inputs={"k": [k for k, _ in layers], "s": [s for _, s in layers]},
    )


def transposed_conv_output(rng) -> Exercise:
    """Output size of a transposed convolution (PyTorch's formula)."""
    size = choice(rng, (4, 7, 8, 14, 16, 28, 32))
    k = choice(rng, (2, 3, 4, 5))
    s = choice(rng, (1, 2, 2, 3))
    p = choice(rng, (0, 1, 1, 2))
    op = choice(rng, (0, 0, 1)) if s > 1 else 0
    out = ct.conv_transpose_output_size(size, k, s, p, op)
    return Exercise(
        prompt=(
            f"PyTorch's ConvTranspose2d with kernel {k}, stride {s}, padding {p} and output_padding {op} is "
            f"applied to a {size}×{size} feature map. What is the output's width?"
        ),
        answer=(out,),
        tolerance=0,
        hint="(W − 1)·S − 2P + K + output_padding",
        steps=steps(
            (
                f"({size} − 1)×{s} − 2×{p} + {k} + {op} = {(size - 1) * s} − {2 * p} + {k} + {op} = {out}",
                "the convolution size formula run backwards: stamps every S pixels, the kernel's extent added",
            ),
        ),
        inputs={"W": size, "K": k, "S": s, "P": p, "output_padding": op},
    )

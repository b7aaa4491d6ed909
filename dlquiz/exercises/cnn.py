"""Exercises on convolutional layers: output sizes, one output value, max pooling, parameter counts."""

from __future__ import annotations

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, integer, matrix, par
from dlquiz.reference import convolution as conv

__all__ = ["conv_output_size", "conv_patch_value", "max_pool_output", "conv_param_count"]


def conv_output_size(rng) -> Exercise:
    """Spatial output size ⌊(W + 2P − K)/S⌋ + 1."""
    while True:
        width = choice(rng, (7, 28, 32, 37, 56, 64, 100, 224, 227))
        kernel = choice(rng, (1, 3, 5, 7, 11))
        stride = choice(rng, (1, 2, 2, 3, 4))
        padding = choice(rng, (0, 0, 1, 2, 3))
        if width + 2 * padding >= kernel:
            break
    size = conv.conv_output_size(width, kernel, stride=stride, padding=padding)
    inner = width + 2 * padding - kernel
    return Exercise(
        prompt=(
            f"A convolution with kernel size K = {kernel}, stride S = {stride} and padding P = {padding} is applied "
            f"to a {width}×{width} input. What is the output's width?"
        ),
        answer=(size,),
        tolerance=0,
        hint="⌊(W + 2P − K)/S⌋ + 1",
        steps=steps(
            (
                f"W + 2P − K = {width} + {2 * padding} − {kernel} = {inner}",
                "the positions the kernel's first column can take, minus one",
            ),
            (
                f"⌊{inner}/{stride}⌋ + 1 = {inner // stride} + 1 = {size}",
                "floor: a last window that would run past the padded edge is dropped (PyTorch's default)",
            ),
        ),
        inputs={"W": width, "K": kernel, "S": stride, "P": padding},
    )


def conv_patch_value(rng) -> Exercise:
    """One output of a 3×3 convolution (cross-correlation) on a 3×3 patch."""
    patch = rng.integers(0, 5, size=(3, 3)).astype(float)
    kernel = rng.integers(-1, 3, size=(3, 3)).astype(float)
    bias = float(integer(rng, -2, 2))
    out = conv.conv2d(patch.reshape(1, 1, 3, 3), kernel.reshape(1, 1, 3, 3), np.array([bias]))
    value = float(out[0, 0, 0, 0])
    products = (patch * kernel).ravel()
    return Exercise(
        prompt=(
            f"A 3×3 convolution (cross-correlation, as in deep-learning libraries) with bias b = {fmt(bias)}. "
            f"Input patch\n{matrix(patch)}\nkernel\n{matrix(kernel)}\nWhat is the output value at this position?"
        ),
        answer=(value,),
        tolerance=0,
        hint="multiply element by element (no kernel flip), add everything up, add the bias",
        steps=steps(
            (f"patch ⊙ kernel = {', '.join(fmt(v) for v in products)}", "element-wise products, row by row"),
            (
                f"sum = {fmt(products.sum())};  + b = {fmt(products.sum())} + {par(bias)} = {fmt(value)}",
                "one output is one dot product plus the bias",
            ),
        ),
        inputs={"patch": patch.tolist(), "kernel": kernel.tolist(), "b": bias},
    )


def max_pool_output(rng) -> Exercise:
    """2×2 max pooling with stride 2 on a 4×4 input."""
    x = rng.integers(0, 10, size=(4, 4)).astype(float)
    out = conv.max_pool2d(x.reshape(1, 1, 4, 4), 2)[0, 0]
    return Exercise(
        prompt=f"Apply 2×2 max pooling with stride 2 to\n{matrix(x)}\nGive the 2×2 output row by row (4 numbers).",
        answer=tuple(float(v) for v in out.ravel()),
        labels=("top-left", "top-right", "bottom-left", "bottom-right"),
        tolerance=0,
        hint="split the input into four non-overlapping 2×2 blocks",
        steps=steps(
            *(
                (
                    (
                        f"{name}: max({', '.join(fmt(v) for v in x[r : r + 2, c : c + 2].ravel())}) = "
                        f"{fmt(out[r // 2, c // 2])}"
                    ),
                    "the largest value of the block",
                )
                for name, r, c in (
                    ("top-left", 0, 0),
                    ("top-right", 0, 2),
                    ("bottom-left", 2, 0),
                    ("bottom-right", 2, 2),
                )
            ),
        ),
        inputs={"x": x.tolist()},
    )


def conv_param_count(rng) -> Exercise:
    """Weights and biases of a convolution layer."""
    c_in = choice(rng, (1, 3, 16, 32, 64, 128, 256))
    c_out = choice(rng, (8, 16, 32, 64, 128, 256, 512))
    k = choice(rng, (1, 3, 5, 7))
    count = conv.conv_param_count(c_in, c_out, k)
    return Exercise(
        prompt=(
            f"A 2-D convolution layer takes {c_in} input channels to {c_out} output channels with {k}×{k} kernels "
            "and a bias per output channel. How many parameters does it have?"
        ),
        answer=(count,),
        tolerance=0,
        unit="parameters",
        hint="each output channel has one C_in×K×K kernel and one bias",
        steps=steps(
            (f"per output channel: {c_in}×{k}×{k} + 1 = {c_in * k * k + 1}", "a kernel spans all input channels"),
            (
                f"total = {c_out} × {c_in * k * k + 1} = {count}",
                "independent of the image size: the weights are shared across positions",
            ),
        ),
        inputs={"C_in": c_in, "C_out": c_out, "K": k},
    )

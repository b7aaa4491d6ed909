"""Demos of CNN design: depthwise-separable savings, receptive-field growth, transposed-convolution overlap."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import DemoResult, Heatmap, Table
from dlquiz.demos._util import in_range, num, rng
from dlquiz.reference import conv_design as cd
from dlquiz.reference import conv_transpose as ct
from dlquiz.reference import convolution as conv

__all__ = ["separable_conv_cost", "receptive_field_growth", "transposed_conv_overlap"]


def separable_conv_cost(*, channels: int = 256, size: int = 56, kernel: int = 3, seed: int = 0) -> DemoResult:
    """A standard k×k convolution vs depthwise + pointwise on a C-channel map: weights, multiply-adds, shapes."""
    in_range("channels", channels, 1, 4096)
    in_range("size", size, 1, 1024)
    in_range("kernel", kernel, 1, 11)
    out = size - kernel + 1 + 2 * (kernel // 2)  # "same" padding
    standard = cd.conv_cost(channels, channels, kernel, out, out)
    depthwise = cd.conv_cost(channels, channels, kernel, out, out, groups=channels)
    pointwise = cd.conv_cost(channels, channels, 1, out, out)
    separable = cd.depthwise_separable_cost(channels, channels, kernel, out, out)
    rows = [
        [f"standard {kernel}×{kernel}", standard[0], standard[1]],
        [f"depthwise {kernel}×{kernel}", depthwise[0], depthwise[1]],
        ["pointwise 1×1", pointwise[0], pointwise[1]],
        ["separable (sum)", separable[0], separable[1]],
    ]
    r = rng(seed)
    c_small = 4
    x = r.standard_normal((1, c_small, 8, 8))
    y_std = cd.grouped_conv2d(x, r.standard_normal((6, c_small, 3, 3)), padding=1)
    y_sep = cd.depthwise_separable_conv2d(
        x, r.standard_normal((c_small, 1, 3, 3)), r.standard_normal((6, c_small, 1, 1)), padding=1
    )
    one = cd.grouped_conv2d(x, r.standard_normal((6, c_small, 1, 1)))
    return DemoResult(
        title="1×1 and depthwise-separable convolutions",
        summary="Depthwise: one k×k filter per channel; pointwise 1×1: mixes channels per pixel. Together: a k×k conv.",
        code=[
            "conv_design.conv_cost",
            "conv_design.depthwise_separable_cost",
            "conv_design.grouped_conv2d",
            "conv_design.depthwise_separable_conv2d",
        ],
        inputs={"layer": f"{channels} → {channels} channels on {size}×{size}, same padding, no bias"},
        tables=[
            Table("Cost of one layer", ["layer", "weights", "multiply-adds"], rows),
            Table(
                "Shapes on a (1, 4, 8, 8) input, 6 output channels",
                ["layer", "output shape"],
                [["standard 3×3", str(y_std.shape)], ["separable 3×3", str(y_sep.shape)], ["1×1", str(one.shape)]],
            ),
        ],
        notes=[
            f"Separable needs {standard[0] / separable[0]:.3g}× fewer weights and multiply-adds: "
            f"1/C + 1/k² = {1 / channels + 1 / kernel**2:.4g} of the standard layer.",
        ],
    )


def _impulse_span(layers, length: int = 400) -> int:
    """Receptive field measured: input positions whose gradient reaches the last layer's first output."""
    x = np.zeros((1, 1, 1, length))
    sizes = []
    for kernel, stride, dilation in layers:
        w = np.ones((1, 1, 1, kernel))
        x = cd.grouped_conv2d(x, w, stride=stride, dilation=dilation)
        sizes.append(x.shape[-1])
    grad = np.zeros_like(x)
    grad[..., 0] = 1.0
    for (kernel, stride, dilation), size_in in zip(reversed(layers), [length, *sizes][-2::-1], strict=True):
        w = np.ones((1, 1, 1, kernel))
        back = ct.conv_transpose2d(grad, w, stride=stride, dilation=dilation)
        grad = np.zeros((1, 1, 1, size_in))
        grad[..., : min(back.shape[-1], size_in)] = back[..., :size_in]
    reached = np.flatnonzero(grad[0, 0, 0])
    return int(reached.max() - reached.min() + 1)


def receptive_field_growth(*, layers: int = 4) -> DemoResult:
    """r_l = r_(l−1) + (k − 1)·d·(product of earlier strides) for three stacks, checked by back-propagation."""
    in_range("layers", layers, 1, 7)
    stacks = {
        "3×3, stride 1": [(3, 1, 1)] * layers,
        "3×3, stride 2": [(3, 2, 1)] * layers,
        "3×3, dilation 2^l": [(3, 1, 2**i) for i in range(layers)],
    }
    sizes = {name: cd.receptive_field(stack) for name, stack in stacks.items()}
    rows = [[layer + 1, *(sizes[name][layer] for name in stacks)] for layer in range(layers)]
    measured = [_impulse_span(stack) for stack in stacks.values()]
    return DemoResult(
        title="Receptive field of a stack of convolutions",
        summary="Each layer adds (k − 1)·d × (product of earlier strides): linear growth, exponential with strides.",
        code=["conv_design.receptive_field", "conv_design.grouped_conv2d", "conv_transpose.conv_transpose2d"],
        inputs={"kernel": 3},
        tables=[
            Table("Receptive field after each layer", ["layer", *stacks], rows),
            Table(
                "Measured: input pixels reached by one output's gradient",
                ["stack", "formula", "measured"],
                [[name, sizes[name][-1], m] for name, m in zip(stacks, measured, strict=True)],
            ),
        ],
        notes=[
            f"After {layers} layers: {rows[-1][1]} pixels with stride 1, {rows[-1][2]} with stride 2, "
            f"{rows[-1][3]} with dilations 1, 2, 4, …, all with {layers * 9} weights per channel pair.",
        ],
    )


def transposed_conv_overlap(*, kernel: int = 3, stride: int = 2) -> DemoResult:
    """Upsample a constant 5×5 map with a kernel of ones: uneven overlap of the stamps draws a checkerboard."""
    in_range("kernel", kernel, 1, 4)
    in_range("stride", stride, 1, 2)
    x = np.ones((1, 1, 5, 5))
    out = ct.conv_transpose2d(x, np.ones((1, 1, kernel, kernel)), stride=stride)[0, 0]
    inner = out[kernel - 1 : out.shape[0] - kernel + 1, kernel - 1 : out.shape[1] - kernel + 1]
    r = rng(0)
    xs, w = r.standard_normal((1, 2, 9, 9)), r.standard_normal((3, 2, kernel, kernel))
    y = r.standard_normal(conv.conv2d(xs, w, None, stride=stride).shape)
    op = (9 - kernel) % stride
    lhs = num(np.sum(conv.conv2d(xs, w, None, stride=stride) * y))
    rhs = num(np.sum(xs * ct.conv_transpose2d(y, w, stride=stride, output_padding=op)))
    size = ct.conv_transpose_output_size(5, kernel, stride)
    labels = [str(i) for i in range(out.shape[0])]
    return DemoResult(
        title="Transposed convolution: stamps and checkerboards",
        summary="Each input pixel adds a copy of the kernel at stride S; if S does not divide k, coverage is uneven.",
        code=["conv_transpose.conv_transpose2d", "conv_transpose.conv_transpose_output_size", "convolution.conv2d"],
        inputs={"x": "5×5 of ones", "weights": "all ones"},
        heatmaps=[Heatmap(f"Output ({size}×{size}): how many stamps cover each pixel", out.tolist(), labels, labels)],
        tables=[
            Table(
                "Checks",
                ["quantity", "value"],
                [
                    ["output size (5 − 1)·S + k", size],
                    ["interior values (min, max)", f"{inner.min():g}, {inner.max():g}"],
                    ["⟨conv2d(x), y⟩", lhs],
                    ["⟨x, conv_transpose2d(y)⟩", rhs],
                ],
            )
        ],
        notes=[
            (
                f"Interior coverage ranges from {inner.min():g} to {inner.max():g}: "
                + ("uneven, the checkerboard." if inner.min() != inner.max() else "even, no checkerboard.")
            ),
            f"The adjoint identity holds to {abs(lhs - rhs):.2g}: the transpose is conv2d's backward pass.",
        ],
    )

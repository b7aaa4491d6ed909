"""Demos about convolutional networks: the convolution itself, output sizes, pooling, parameters, backward."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import DemoResult, Heatmap, Table
from dlquiz.demos._util import floats, gradient_errors, in_range, num, rng
from dlquiz.reference import activations as act
from dlquiz.reference import convolution as conv

__all__ = [
    "conv_worked_example",
    "conv_output_sizes",
    "pooling_example",
    "cnn_shapes",
    "cnn_vs_mlp_params",
    "conv_backward_check",
]

VERTICAL_EDGE = [[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]


def _labels(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def _heatmap(title: str, m) -> Heatmap:
    m = np.asarray(m, dtype=float)
    return Heatmap(title, floats(m), _labels("r", m.shape[0]), _labels("c", m.shape[1]))


def conv_worked_example(*, edge_column: int = 2, stride: int = 1, padding: int = 0) -> DemoResult:
    """A 3 × 3 vertical-edge kernel slid over a 5 × 5 image with a bright left part: one output computed by hand."""
    in_range("edge_column", edge_column, 0, 5)
    in_range("stride", stride, 1, 3)
    in_range("padding", padding, 0, 2)
    image = np.zeros((5, 5))
    image[:, :edge_column] = 9.0
    image[[1, 3], :] += 1.0  # a little texture on two rows
    kernel = np.array(VERTICAL_EDGE)
    out = conv.conv2d(image[None, None], kernel[None, None], np.zeros(1), stride=stride, padding=padding)[0, 0]
    padded = np.pad(image, padding)
    window = padded[0:3, 0:3]
    products = window * kernel
    terms = " + ".join(
        f"{a:g}·{b:g}" if b > 0 else f"{a:g}·(−{-b:g})"
        for a, b in zip(window.ravel(), kernel.ravel(), strict=True)
        if b != 0
    )
    return DemoResult(
        title="2-D convolution on a 5 × 5 image",
        summary=(
            "Slide the kernel over the image; at each position multiply element-wise and sum (cross-correlation, no "
            "flip): a vertical-edge kernel lights up where brightness changes left to right."
        ),
        code=["convolution.conv2d", "convolution.conv_output_size"],
        inputs={
            "image": "5 × 5: columns left of the edge = 9 (+1 texture on rows 1 and 3)",
            "kernel": str(VERTICAL_EDGE),
            "bias": 0.0,
        },
        heatmaps=[
            _heatmap("Input image", image),
            _heatmap("Kernel (vertical edge)", kernel),
            _heatmap(f"Output ({out.shape[0]} × {out.shape[1]})", out),
        ],
        tables=[
            Table(
                "Output position (0, 0) by hand",
                ["step", "value"],
                [
                    [
                        f"window (rows 0–2, cols 0–2{' of the zero-padded image' if padding else ''})",
                        str(window.tolist()),
                    ],
                    ["Σ window ⊙ kernel", terms],
                    ["= ", num(products.sum())],
                    ["conv2d output[0, 0]", num(out[0, 0])],
                ],
            ),
            Table(
                "Output size",
                ["formula ⌊(W + 2P − K)/S⌋ + 1", "value"],
                [
                    [
                        f"⌊(5 + 2·{padding} − 3)/{stride}⌋ + 1",
                        conv.conv_output_size(5, 3, stride=stride, padding=padding),
                    ]
                ],
            ),
        ],
        notes=[
            "Where the window is uniform, +1 and −1 columns cancel: output 0. Across the edge the sum is large.",
            (
                "The same 9 weights are used at every position: local connections, shared weights, "
                "translation-equivariant."
            ),
        ],
    )


def conv_output_sizes(*, cases: int = 6, seed: int = 0) -> DemoResult:
    """⌊(W + 2P − K)/S⌋ + 1 against the shape conv2d actually returns, for textbook and random settings."""
    in_range("cases", cases, 0, 30)
    r = rng(seed)
    settings = [(32, 5, 0, 1), (224, 7, 3, 2), (28, 3, 1, 1), (7, 3, 0, 2)]
    for _ in range(cases):
        k = int(r.integers(1, 6))
        settings.append((int(r.integers(k, 20)), k, int(r.integers(0, 3)), int(r.integers(1, 4))))
    rows = []
    for W, K, P, S in settings:
        formula = conv.conv_output_size(W, K, stride=S, padding=P)
        shape = conv.conv2d(np.zeros((1, 1, W, W)), np.zeros((1, 1, K, K)), np.zeros(1), stride=S, padding=P).shape
        rows.append([W, K, P, S, f"⌊({W} + {2 * P} − {K})/{S}⌋ + 1", formula, shape[-1]])
    return DemoResult(
        title="Convolution output size",
        summary="Output = ⌊(W + 2P − K)/S⌋ + 1 (floored): 'same' padding is P = (K − 1)/2 at stride 1.",
        code=["convolution.conv_output_size", "convolution.conv2d"],
        inputs={"settings": "4 textbook cases, then random W, K, P, S"},
        tables=[Table("Formula vs conv2d", ["W", "K", "P", "S", "formula", "value", "conv2d width"], rows)],
        notes=[
            "32 with K = 5 → 28; 224 with K = 7, P = 3, S = 2 → 112 (ResNet's first layer).",
            "Pooling uses the same formula, with the stride defaulting to the kernel size.",
        ],
    )


def pooling_example(*, kernel: int = 2, seed: int = 0) -> DemoResult:
    """Max and average pooling on a 4 × 4 input, and where max-pooling sends the gradient back."""
    in_range("kernel", kernel, 1, 4)
    r = rng(seed)
    x = r.integers(0, 10, (4, 4)).astype(float)
    x4 = x[None, None]
    mx = conv.max_pool2d(x4, kernel)[0, 0]
    av = conv.avg_pool2d(x4, kernel)[0, 0]
    grad = conv.max_pool2d_backward(np.ones_like(conv.max_pool2d(x4, kernel)), x4, kernel)[0, 0]
    return DemoResult(
        title="Max and average pooling",
        summary=(
            "Pooling down-samples each channel by a window statistic and has no parameters; max-pool's gradient "
            "flows only to each window's maximum."
        ),
        code=["convolution.max_pool2d", "convolution.max_pool2d_backward", "convolution.avg_pool2d"],
        inputs={"x": "4 × 4 random integers 0–9"},
        heatmaps=[
            _heatmap("Input", x),
            _heatmap(f"Max pool {kernel}×{kernel}", mx),
            _heatmap(f"Average pool {kernel}×{kernel}", av),
            _heatmap("Gradient of Σ maxpool(x) w.r.t. x (the argmax mask)", grad),
        ],
        tables=[
            Table(
                "Counts",
                ["quantity", "value"],
                [
                    ["output size", f"{mx.shape[0]} × {mx.shape[1]}"],
                    ["entries receiving gradient", int(np.sum(grad != 0))],
                    ["parameters", 0],
                ],
            )
        ],
        notes=[
            "Average pooling's backward spreads each gradient evenly: 1/K² to every entry of the window.",
            "Global average pooling (one window per channel) replaces flatten + big dense layers in modern CNNs.",
        ],
    )


def cnn_shapes(*, channels: int = 16, image: int = 32, seed: int = 0) -> DemoResult:
    """A 1 × 3 × 32 × 32 image through (conv 3×3 → ReLU → max-pool 2) × 2 → dense: every shape and parameter count."""
    in_range("channels", channels, 1, 64)
    in_range("image", image, 8, 64)
    r = rng(seed)
    x = r.standard_normal((1, 3, image, image))
    rows: list[tuple[str, str, int]] = [("input", str(x.shape), 0)]
    c_in = 3
    for block in (1, 2):
        c_out = channels * block
        w = r.standard_normal((c_out, c_in, 3, 3)) * np.sqrt(2 / (c_in * 9))
        x = conv.conv2d(x, w, np.zeros(c_out), stride=1, padding=1)
        rows.append(
            (f"conv{block} 3×3, {c_in}→{c_out}, padding 1", str(x.shape), conv.conv_param_count(c_in, c_out, 3))
        )
        x = act.relu(x)
        rows.append(("ReLU", str(x.shape), 0))
        x = conv.max_pool2d(x, 2)
        rows.append(("max-pool 2×2", str(x.shape), 0))
        c_in = c_out
    flat = x.reshape(1, -1)
    rows.append(("flatten", str(flat.shape), 0))
    rows.append((f"dense {flat.shape[1]}→10", "(1, 10)", flat.shape[1] * 10 + 10))
    total = sum(r_[2] for r_ in rows)
    return DemoResult(
        title="Shapes through a small CNN",
        summary=(
            "Convolutions (with 'same' padding) keep H × W and change channels; pooling halves H × W; the head "
            "flattens and classifies."
        ),
        code=["convolution.conv2d", "convolution.max_pool2d", "convolution.conv_param_count"],
        inputs={"input": f"1 × 3 × {image} × {image} (N, C, H, W)"},
        tables=[
            Table("Layer by layer", ["layer", "output shape (N, C, H, W)", "parameters"], rows),
            Table("Total", ["", "parameters"], [["whole network", total]]),
        ],
        notes=[
            (
                "Deeper blocks see larger regions of the image (receptive field) and use more channels: edges → "
                "textures → parts."
            )
        ],
    )


def cnn_vs_mlp_params(*, c_in: int = 3, c_out: int = 64, kernel: int = 3, image: int = 224) -> DemoResult:
    """Parameters of a conv layer vs a dense layer producing the same number of channels from a whole image."""
    in_range("c_in", c_in, 1, 4096)
    in_range("c_out", c_out, 1, 4096)
    in_range("kernel", kernel, 1, 11)
    in_range("image", image, kernel, 4096)
    conv_params = conv.conv_param_count(c_in, c_out, kernel)
    dense_params = image * image * c_in * c_out + c_out
    two_3x3 = 2 * conv.conv_param_count(c_out, c_out, 3, bias=False)
    one_5x5 = conv.conv_param_count(c_out, c_out, 5, bias=False)
    return DemoResult(
        title="Parameter counts: convolution vs dense",
        summary=(
            "A conv layer has C_out·(C_in·K² + 1) parameters whatever the image size; a dense layer on the "
            "flattened image grows with H·W."
        ),
        code=["convolution.conv_param_count"],
        inputs={"input volume": f"{image} × {image} × {c_in}"},
        tables=[
            Table(
                "Parameters",
                ["layer", "formula", "parameters"],
                [
                    [f"conv {kernel}×{kernel}, {c_in}→{c_out}", f"{c_out}·({c_in}·{kernel}² + 1)", conv_params],
                    [f"dense {image}²·{c_in} → {c_out}", f"{image}²·{c_in}·{c_out} + {c_out}", dense_params],
                    [f"two 3×3 convs {c_out}→{c_out} (no bias)", f"2·9·{c_out}²", two_3x3],
                    [f"one 5×5 conv {c_out}→{c_out} (no bias)", f"25·{c_out}²", one_5x5],
                ],
            )
        ],
        notes=[
            (
                "Two stacked 3×3 convolutions see a 5×5 region with 18C² weights instead of 25C², and add a "
                "non-linearity in between."
            )
        ],
    )


def conv_backward_check(*, stride: int = 1, padding: int = 0, seed: int = 0) -> DemoResult:
    """conv2d_backward on a 5 × 5 input with a 3 × 3 kernel against central finite differences."""
    in_range("stride", stride, 1, 2)
    in_range("padding", padding, 0, 2)
    r = rng(seed)
    x, w, b = r.standard_normal((1, 2, 5, 5)), r.standard_normal((2, 2, 3, 3)), r.standard_normal(2)
    out = conv.conv2d(x, w, b, stride=stride, padding=padding)
    G = r.standard_normal(out.shape)  # ∂L/∂out for L = Σ out ⊙ G
    dx, dw, db = conv.conv2d_backward(G, x, w, stride=stride, padding=padding)

    def loss(x, w, b):
        return np.sum(conv.conv2d(x, w, b, stride=stride, padding=padding) * G)

    errors = gradient_errors(loss, {"x": x, "w": w, "b": b}, {"x": dx, "w": dw, "b": db})
    names = {"x": "∂L/∂x (full convolution of dy with the rotated kernel)", "w": "∂L/∂w (x ⋆ dy)", "b": "∂L/∂b (Σ dy)"}
    shapes = {"x": dx.shape, "w": dw.shape, "b": db.shape}
    return DemoResult(
        title="Convolution backward vs finite differences",
        summary=(
            "The weight gradient correlates the input with dy, the input gradient is a full convolution of dy with "
            "the flipped kernel; both match numerical derivatives."
        ),
        code=["convolution.conv2d_backward", "gradcheck.numerical_gradient"],
        inputs={"x": "(1, 2, 5, 5)", "w": "(2, 2, 3, 3)", "output": str(out.shape)},
        tables=[
            Table(
                "Relative errors",
                ["gradient", "shape", "relative error"],
                [[names[k], str(shapes[k]), errors[k]] for k in names],
            )
        ],
        notes=["With stride > 1, dy is spread back onto the positions the kernel visited (as if dilated with zeros)."],
    )

"""Demos about activation functions: their shapes, derivatives, saturation and the softmax."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import DemoResult, Plot, Table
from dlquiz.demos._util import floats, in_range, matrix_text, need, num, rng, series
from dlquiz.reference import activations as act
from dlquiz.reference import gradcheck
from dlquiz.reference.initializers import he_normal
from dlquiz.reference.layers import dense_forward

__all__ = [
    "sigmoid_saturation",
    "derivatives_gallery",
    "tanh_vs_sigmoid",
    "dead_relu",
    "linear_collapse",
    "softmax_vs_sigmoid",
    "softmax_overflow",
    "softmax_jacobian_check",
]

SAMPLE_POINTS = [-10.0, -5.0, -2.0, 0.0, 2.0, 5.0, 10.0]
# Drawn in this order, each over the last: the sigmoid last, or ReLU's 0 and tanh's 1 would cover both its
# tails and leave a few dots. Leaky ReLU (slope 0.01) would sit on top of ReLU at terminal resolution; it, ELU
# and GELU are in the table.
PLOTTED = ("ReLU", "tanh", "sigmoid")


def sigmoid_saturation(*, x_max: float = 10.0) -> DemoResult:
    """σ and σ′ over [−x_max, x_max]: σ′ peaks at 0.25 and is almost 0 once |x| is large."""
    in_range("x_max", x_max, 1.0, 50.0)
    x = np.linspace(-x_max, x_max, 201)
    pts = np.array(SAMPLE_POINTS)
    big = np.array([-1000.0, 1000.0])
    return DemoResult(
        title="Sigmoid and its derivative",
        summary="σ′(x) = σ(x)(1 − σ(x)) is at most 0.25 (at x = 0) and vanishes as |x| grows: saturation.",
        code=["activations.sigmoid", "activations.sigmoid_grad"],
        inputs={"x": f"201 points on [−{x_max:g}, {x_max:g}]"},
        plots=[
            Plot(
                "σ(x) and σ′(x)",
                {"σ(x)": series(x, act.sigmoid(x)), "σ′(x)": series(x, act.sigmoid_grad(x))},
                xlabel="x",
            )
        ],
        tables=[
            Table(
                "Values",
                ["x", "σ(x)", "σ′(x)", "σ′(x) / 0.25"],
                [
                    [p, s, g, g / 0.25]
                    for p, s, g in zip(
                        pts.tolist(), floats(act.sigmoid(pts)), floats(act.sigmoid_grad(pts)), strict=True
                    )
                ],
            ),
            Table(
                "Far out: the stable form stays finite",
                ["x", "σ(x)", "σ′(x)"],
                [
                    [p, s, g]
                    for p, s, g in zip(
                        big.tolist(), floats(act.sigmoid(big)), floats(act.sigmoid_grad(big)), strict=True
                    )
                ],
            ),
        ],
        notes=[
            "At |x| = 10, σ′ ≈ 4.5e−5, about 1.8e−4 of its peak 0.25: a saturated unit barely learns.",
            "σ(−1000) = 0 without overflow because the code uses eˣ/(1+eˣ) for negative x.",
        ],
    )


def derivatives_gallery(*, x_max: float = 5.0, negative_slope: float = 0.01) -> DemoResult:
    """Common activations and their derivatives side by side: which saturate, which keep a slope of 1."""
    in_range("x_max", x_max, 0.5, 50.0)
    need(0.0 < negative_slope <= 1.0, f"'negative_slope' must be in (0, 1] (got {negative_slope:g})")
    x = np.linspace(-x_max, x_max, 201)
    funcs = {
        "sigmoid": (act.sigmoid(x), act.sigmoid_grad(x)),
        "tanh": (act.tanh(x), act.tanh_grad(x)),
        "ReLU": (act.relu(x), act.relu_grad(x)),
        "leaky ReLU": (
            act.leaky_relu(x, negative_slope=negative_slope),
            act.leaky_relu_grad(x, negative_slope=negative_slope),
        ),
        "ELU": (act.elu(x), act.elu_grad(x)),
        "GELU (tanh)": (act.gelu(x), act.gelu_grad(x)),
    }
    pts = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    grads_at = {
        "sigmoid": act.sigmoid_grad(pts),
        "tanh": act.tanh_grad(pts),
        "ReLU": act.relu_grad(pts),
        "leaky ReLU": act.leaky_relu_grad(pts, negative_slope=negative_slope),
        "ELU": act.elu_grad(pts),
        "GELU (tanh)": act.gelu_grad(pts),
    }
    return DemoResult(
        title="Activations and their derivatives",
        summary=(
            "Each layer multiplies the backward signal by g′(z): sigmoid and tanh saturate on both sides, ReLU "
            "passes 1 where active."
        ),
        code=[
            "activations.sigmoid_grad",
            "activations.tanh_grad",
            "activations.relu_grad",
            "activations.leaky_relu_grad",
            "activations.elu_grad",
            "activations.gelu_grad",
        ],
        inputs={"x": f"201 points on [−{x_max:g}, {x_max:g}]"},
        plots=[
            Plot("g(x)", {name: series(x, funcs[name][0]) for name in PLOTTED}, xlabel="x"),
            Plot("g′(x)", {name: series(x, funcs[name][1]) for name in PLOTTED}, xlabel="x"),
        ],
        tables=[
            Table(
                "g′(x)",
                ["activation", *[f"x={p:g}" for p in pts]],
                [[name, *floats(g)] for name, g in grads_at.items()],
            )
        ],
        notes=[
            "max σ′ = 0.25 and max tanh′ = 1, both only at 0; at |x| = 4 they are 0.018 and 0.0013.",
            "ReLU′ is exactly 1 for x > 0 and 0 for x ≤ 0; leaky ReLU keeps the small slope on the left.",
        ],
    )


def tanh_vs_sigmoid(*, x_max: float = 5.0) -> DemoResult:
    """tanh(z) equals 2σ(2z) − 1, and its derivative peaks at 1 where σ′ peaks at 0.25."""
    in_range("x_max", x_max, 0.5, 50.0)
    z = np.linspace(-x_max, x_max, 201)
    rescaled = 2 * act.sigmoid(2 * z) - 1
    pts = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    return DemoResult(
        title="tanh is a rescaled sigmoid",
        summary=(
            "tanh z = 2σ(2z) − 1 (zero-centred, range (−1, 1)); tanh′ = 1 − tanh² peaks at 1, four times σ′'s peak."
        ),
        code=["activations.tanh", "activations.tanh_grad", "activations.sigmoid"],
        inputs={"z": f"201 points on [−{x_max:g}, {x_max:g}]"},
        plots=[
            Plot(
                "Derivatives",
                {"tanh′(z)": series(z, act.tanh_grad(z)), "σ′(z)": series(z, act.sigmoid_grad(z))},
                xlabel="z",
            )
        ],
        tables=[
            Table(
                "Values",
                ["z", "tanh z", "2σ(2z) − 1", "tanh′ z", "σ′ z"],
                [
                    [p, a, b, c, d]
                    for p, a, b, c, d in zip(
                        pts.tolist(),
                        floats(act.tanh(pts)),
                        floats(2 * act.sigmoid(2 * pts) - 1),
                        floats(act.tanh_grad(pts)),
                        floats(act.sigmoid_grad(pts)),
                        strict=True,
                    )
                ],
            )
        ],
        notes=[
            (
                f"max |tanh z − (2σ(2z) − 1)| over the grid = {num(np.max(np.abs(act.tanh(z) - rescaled))):.2e} "
                f"(rounding only)."
            )
        ],
    )


def dead_relu(*, bias: float = -3.0, units: int = 100, negative_slope: float = 0.01, seed: int = 0) -> DemoResult:
    """A layer whose biases start very negative: with ReLU most units output 0 and get no gradient."""
    in_range("units", units, 1, 5000)
    in_range("bias", bias, -20.0, 20.0)
    need(0.0 < negative_slope <= 1.0, f"'negative_slope' must be in (0, 1] (got {negative_slope:g}); 0 is plain ReLU")
    r = rng(seed)
    x = r.standard_normal((256, 20))
    W = he_normal(20, units, r) / np.sqrt(2.0)  # unit-variance pre-activations before the bias
    z = dense_forward(x, W, np.full(units, bias))
    relu_dead = np.all(act.relu_grad(z) == 0, axis=0)
    leaky_dead = np.all(act.leaky_relu_grad(z, negative_slope=negative_slope) == 0, axis=0)
    mean_relu = np.mean(act.relu_grad(z))
    mean_leaky = np.mean(act.leaky_relu_grad(z, negative_slope=negative_slope))
    fire = 0.5 * math.erfc(-bias / math.sqrt(2.0))  # P(N(0, 1) > −b)
    return DemoResult(
        title="Dead ReLUs",
        summary=(
            "A unit whose pre-activation is negative for every input has ReLU′ = 0 everywhere and never learns; "
            "leaky ReLU keeps a slope."
        ),
        code=["activations.relu_grad", "activations.leaky_relu_grad"],
        inputs={"batch": "256 × 20, N(0, 1)", "weights": "N(0, 1/20): z − b ~ N(0, 1)"},
        tables=[
            Table(
                "Units that get no gradient on the whole batch",
                ["activation", "dead units", "fraction dead", "mean g′(z)"],
                [
                    ["ReLU", int(relu_dead.sum()), num(relu_dead.mean()), num(mean_relu)],
                    [
                        f"leaky ReLU ({negative_slope:g})",
                        int(leaky_dead.sum()),
                        num(leaky_dead.mean()),
                        num(mean_leaky),
                    ],
                ],
            )
        ],
        notes=[
            f"With b = {bias:g} a unit fires only when z − b > {-bias:g}: probability {fire:.3g} per example for "
            f"z − b ~ N(0, 1), "
            f"so it is silent on all 256 examples with probability ≈ (1 − {fire:.3g})²⁵⁶ = {(1 - fire) ** 256:.2g}.",
            "Leaky ReLU's gradient is never 0, so a unit pushed negative can still recover.",
        ],
    )


def linear_collapse(*, layers: int = 3, width: int = 4, seed: int = 0) -> DemoResult:
    """Stacked linear layers equal one linear layer; put a ReLU in between and they no longer do."""
    in_range("layers", layers, 2, 20)
    in_range("width", width, 1, 64)
    r = rng(seed)
    x = r.standard_normal((5, width))
    Ws = [r.standard_normal((width, width)) / np.sqrt(width) for _ in range(layers)]
    bs = [r.standard_normal(width) for _ in range(layers)]
    deep, deep_relu = x, x
    W_all, b_all = np.eye(width), np.zeros(width)
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        deep = dense_forward(deep, W, b)
        deep_relu = dense_forward(deep_relu, W, b)
        if i < layers - 1:
            deep_relu = act.relu(deep_relu)
        W_all, b_all = W_all @ W, b_all @ W + b
    single = dense_forward(x, W_all, b_all)
    return DemoResult(
        title="Linear layers collapse into one",
        summary="(xW₁ + b₁)W₂ + b₂ = x(W₁W₂) + (b₁W₂ + b₂): without activations depth adds no expressive power.",
        code=["layers.dense_forward", "activations.relu"],
        inputs={"x": f"5 × {width}, N(0, 1)", "network": f"{layers} dense layers {width} → {width}"},
        tables=[
            Table(
                "Deep network vs the single layer W' = W₁⋯W_L, b' folded in",
                ["network", "max |deep − single|"],
                [
                    ["no activation", num(np.max(np.abs(deep - single)))],
                    ["ReLU between layers", num(np.max(np.abs(deep_relu - single)))],
                ],
            )
        ],
        notes=["The first difference is rounding (~1e−15); the second is O(1): the ReLU net is not an affine map."],
    )


def softmax_vs_sigmoid(*, z1: float = 2.0, z2: float = 1.0, z3: float = -1.0) -> DemoResult:
    """The same logits read as one class among three (softmax) or three independent yes/no labels (sigmoid)."""
    z = np.array([z1, z2, z3])
    p_soft, p_sig = act.softmax(z), act.sigmoid(z)
    rows = [
        [f"class {i}", zi, ps, pg]
        for i, (zi, ps, pg) in enumerate(zip(z.tolist(), floats(p_soft), floats(p_sig), strict=True))
    ]
    rows.append(["sum", None, num(p_soft.sum()), num(p_sig.sum())])
    return DemoResult(
        title="Softmax vs sigmoid outputs",
        summary=(
            "Softmax gives one distribution over exclusive classes (sums to 1); sigmoids give independent "
            "probabilities (multi-label)."
        ),
        code=["activations.softmax", "activations.sigmoid"],
        tables=[Table("Same logits, two readings", ["", "logit z", "softmax(z)", "σ(z)"], rows)],
        notes=[
            (
                "Use softmax + cross-entropy for one label per example, sigmoid + BCE for several, identity for "
                "regression."
            ),
            "Threshold each sigmoid at 0.5 (z ≥ 0) for a multi-label decision.",
        ],
    )


def _naive_softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_overflow(*, scale: float = 1.0) -> DemoResult:
    """softmax([1000, 1001, 1002]·scale): the naive formula overflows to nan, max-subtraction does not."""
    in_range("scale", scale, 1e-3, 1e3)
    z = np.array([1000.0, 1001.0, 1002.0]) * scale
    small = z - z.max()
    with np.errstate(over="ignore", invalid="ignore"):
        naive = _naive_softmax(z)
    return DemoResult(
        title="Softmax overflow",
        summary=(
            "e^1000 overflows float64 (limit ≈ e^709.8), giving inf/inf = nan; softmax(z − max z) is the same "
            "distribution without overflow."
        ),
        code=["activations.softmax", "activations.log_softmax"],
        inputs={"z": matrix_text(z)},
        tables=[
            Table(
                "Softmax three ways, and log-softmax",
                ["", "z₁", "z₂", "z₃"],
                [
                    ["naive exp(z)/Σexp(z)", *floats(naive)],
                    ["softmax(z) (reference)", *floats(act.softmax(z))],
                    ["naive on z − max z", *floats(_naive_softmax(small))],
                    ["log_softmax(z)", *floats(act.log_softmax(z))],
                ],
            )
        ],
        notes=[
            "Softmax is shift-invariant: softmax(z − c) = softmax(z), and c = max z makes every exponent ≤ 0.",
            "For a loss, use log_softmax (z − m − log Σ e^(z−m)) rather than log(softmax).",
        ],
    )


def softmax_jacobian_check(*, z1: float = 1.0, z2: float = 2.0, z3: float = 0.5) -> DemoResult:
    """The analytic softmax Jacobian diag(p) − ppᵀ against central finite differences."""
    z = np.array([z1, z2, z3])
    p = act.softmax(z)
    J = act.softmax_jacobian(z)
    J_num = np.stack(
        [gradcheck.numerical_gradient(lambda v, i=i: float(act.softmax(v)[i]), z.copy()) for i in range(3)]
    )
    return DemoResult(
        title="Softmax Jacobian",
        summary=(
            "∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ): J = diag(p) − ppᵀ, symmetric, and J·1 = 0 (shifting all logits changes nothing)."
        ),
        code=["activations.softmax_jacobian", "gradcheck.numerical_gradient"],
        inputs={"z": matrix_text(z), "p = softmax(z)": matrix_text(p, 4)},
        tables=[
            Table(
                "Analytic J",
                ["row", "∂/∂z₁", "∂/∂z₂", "∂/∂z₃", "row sum (J·1)"],
                [[f"p{i + 1}", *floats(J[i]), num(J[i].sum())] for i in range(3)],
            ),
            Table(
                "Check",
                ["quantity", "value"],
                [
                    ["max |J − J_numerical|", num(np.max(np.abs(J - J_num)))],
                    ["relative error", gradcheck.relative_error(J, J_num)],
                    ["max |J − Jᵀ|", num(np.max(np.abs(J - J.T)))],
                ],
            ),
        ],
        notes=["Diagonal pᵢ(1 − pᵢ) > 0, off-diagonal −pᵢpⱼ < 0: raising one logit takes probability from the others."],
    )

"""Demos about loss functions: what each one's best constant is, cross-entropy, and their gradients."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import DemoResult, Plot, Table
from dlquiz.demos._util import (
    floats,
    in_range,
    matrix_text,
    need,
    num,
    rng,
    series,
    steps_axis,
)
from dlquiz.reference import activations as act
from dlquiz.reference import gradcheck, losses

__all__ = [
    "best_constant",
    "logistic_regression",
    "bce_stability",
    "untrained_cross_entropy",
    "ce_vs_mse_gradient",
    "softmax_grad_bug",
]


def best_constant(*, outlier: float = 100.0, n: int = 99, delta: float = 1.0, seed: int = 0) -> DemoResult:
    """N(0, 1) targets plus one outlier: the constant prediction that minimises MSE, MAE and Huber."""
    in_range("n", n, 2, 10000)
    need(delta > 0, "'delta' must be > 0")
    y = np.append(rng(seed).standard_normal(n), outlier)
    # a grid wide enough to hold the mean and the median, whatever the outlier
    low = min(-2.0, float(np.mean(y)) - 2, float(np.median(y)) - 2)
    high = max(4.0, min(outlier, 10.0), float(np.mean(y)) + 2, float(np.median(y)) + 2)
    grid = np.linspace(low, high, 1201)
    rows: list[tuple[str, float]] = []
    curves = {}
    for name, fn in (
        ("MSE", lambda c: losses.mse(np.full_like(y, c), y)),
        ("MAE", lambda c: losses.mae(np.full_like(y, c), y)),
        (f"Huber δ={delta:g}", lambda c: losses.huber(np.full_like(y, c), y, delta=delta)),
    ):
        values = np.array([fn(c) for c in grid])
        best = num(grid[np.argmin(values)])
        rows.append((name, best))
        curves[name] = series(grid, values / values.min())
    mean, median, huber_c = num(y.mean()), num(np.median(y)), rows[2][1]
    rows.append(("mean of y", mean))
    rows.append(("median of y", median))
    return DemoResult(
        title="The best constant for each loss",
        summary=_best_constant_summary(delta, huber_c, mean, median, outlier),
        code=["losses.mse", "losses.mae", "losses.huber"],
        inputs={
            "targets": f"{n} draws of N(0, 1) and one outlier at {outlier:g}",
            "search": f"c on a grid over [{grid[0]:.3g}, {grid[-1]:.3g}], step {grid[1] - grid[0]:.3g}",
        },
        tables=[Table("Minimiser of each loss", ["loss", "best c"], rows)],
        plots=[Plot("Loss(c) ÷ its minimum", curves, xlabel="constant prediction c", log_y=True)],
        notes=[
            (
                "MSE's gradient 2(c − y)/n grows with the error, so one far point drags the fit; MAE's gradient is "
                "sign(c − y)/n, a vote."
            ),
            "Huber is quadratic within δ and linear beyond: its gradient is capped at δ. Its minimiser need not "
            "lie between the median and the mean.",
        ],
    )


def _best_constant_summary(delta: float, huber_c: float, mean: float, median: float, outlier: float) -> str:
    """What the table shows, in words: where Huber's minimiser lands relative to the median and the mean."""
    nearer_median = abs(huber_c - median) <= abs(huber_c - mean)
    between = min(mean, median) <= huber_c <= max(mean, median)
    where = f"Huber (δ = {delta:g}) lands at {huber_c:.3g}, " + ("between the two but " if between else "")
    if nearer_median:
        why = (
            "next to the median: beyond δ it counts residuals linearly, "
            "so the outlier weighs no more than any far point"
        )
    else:
        why = (
            "nearer the mean: the outlier's residual is clipped at δ, "
            "and a δ this large leaves it most of the pull it has in MSE"
            if abs(outlier - huber_c) > delta
            else "nearer the mean, on it to the grid's step: every residual, the outlier's too, is within δ, "
            "where Huber is half the squared error"
        )
    return (
        "Predicting one constant c: MSE is minimised by the mean (pulled by the outlier), MAE by the median (robust); "
        + where
        + why
        + "."
    )


def logistic_regression(*, lr: float = 0.5, epochs: int = 100, seed: int = 0) -> DemoResult:
    """Logistic regression (a sigmoid neuron + BCE) fitted by gradient descent: the negative log-likelihood by epoch."""
    in_range("epochs", epochs, 1, 5000)
    need(lr > 0, "'lr' must be > 0")
    r = rng(seed)
    X = r.standard_normal((200, 2))
    w_true = np.array([2.0, -1.0])
    y = (r.random(200) < act.sigmoid(X @ w_true + 0.5)).astype(float)
    w, b = np.zeros(2), 0.0
    nll = []
    for _ in range(epochs):
        z = X @ w + b
        nll.append(num(losses.binary_cross_entropy_with_logits(z, y)))
        dz = losses.binary_cross_entropy_with_logits_grad(z, y)
        w, b = w - lr * X.T @ dz, b - lr * float(dz.sum())
    acc = num(np.mean((X @ w + b > 0) == (y == 1)))
    return DemoResult(
        title="Logistic regression by gradient descent",
        summary=(
            "BCE is the negative log-likelihood of Bernoulli labels: minimising it fits P(y = 1 | x) = σ(w·x + b), "
            "a convex problem."
        ),
        code=["losses.binary_cross_entropy_with_logits", "losses.binary_cross_entropy_with_logits_grad"],
        inputs={"data": "200 points in 2-D, labels drawn from σ(2x₁ − x₂ + 0.5)"},
        plots=[Plot("NLL (mean BCE) per epoch", {"NLL": series(steps_axis(epochs, 1), nll)}, xlabel="epoch")],
        tables=[
            Table(
                "Result",
                ["quantity", "value"],
                [
                    ["NLL at the start (w = 0)", nll[0]],
                    ["log 2", math.log(2)],
                    [f"NLL after {epochs} epochs", nll[-1]],
                    ["fitted w", matrix_text(w, 3)],
                    ["fitted b", b],
                    ["training accuracy at 0.5", acc],
                ],
            )
        ],
        notes=[
            "At w = 0 every p is ½, so the NLL is log 2 ≈ 0.693 whatever the labels.",
            "The gradient of the mean BCE with respect to the logits is (σ(z) − y)/N.",
        ],
    )


def bce_stability(*, logit: float = 50.0) -> DemoResult:
    """Logits ±50 and ±800, confidently wrong: BCE computed from probabilities hits log(0); the logits form stays
    finite.
    """
    need(abs(logit) <= 1000, "'logit' must be within ±1000")
    z = np.array([-16 * logit, -logit, 0.0, logit, 16 * logit])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0])  # confidently wrong at both ends
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = 1 / (1 + np.exp(-z))
        naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    stable = np.array(
        [
            num(losses.binary_cross_entropy_with_logits(np.array([zi]), np.array([yi])))
            for zi, yi in zip(z, y, strict=True)
        ]
    )
    grad = np.array(
        [
            num(losses.binary_cross_entropy_with_logits_grad(np.array([zi]), np.array([yi]))[0])
            for zi, yi in zip(z, y, strict=True)
        ]
    )
    rows = [
        [zi, yi, pi, ni, si, gi, pi - yi]
        for zi, yi, pi, ni, si, gi in zip(
            z.tolist(), y.tolist(), floats(p), floats(naive), floats(stable), floats(grad), strict=True
        )
    ]
    return DemoResult(
        title="Binary cross-entropy from logits",
        summary=(
            "In float64, p = 1/(1 + e^−z) is exactly 1 for z ≳ 37 and exactly 0 for z ≲ −710, so the loss from p "
            "can take log 0; "
            "max(z, 0) − zy + log(1 + e^−|z|) never does, and ∂L/∂z = σ(z) − y."
        ),
        code=["losses.binary_cross_entropy_with_logits", "losses.binary_cross_entropy_with_logits_grad"],
        inputs={"logits z": matrix_text(z), "labels y": matrix_text(y)},
        tables=[
            Table(
                "Per example (naive = −[y log p + (1 − y) log(1 − p)] from p)",
                ["z", "y", "p = σ(z)", "naive", "stable BCE", "∂L/∂z (stable)", "p − y"],
                rows,
            )
        ],
        notes=[
            (
                "The chain rule collapses: (−y/p + (1 − y)/(1 − p))·p(1 − p) = p − y, so a confidently wrong logit "
                "still gets a gradient of size ~1."
            ),
            "In PyTorch use BCEWithLogitsLoss (or CrossEntropyLoss on raw logits) rather than sigmoid then BCELoss.",
        ],
    )


def untrained_cross_entropy(*, classes: int = 10, scale: float = 0.01, seed: int = 0) -> DemoResult:
    """An untrained K-class classifier with tiny logits: the cross-entropy is ≈ log K (2.303 for K = 10)."""
    in_range("classes", classes, 2, 1000)
    in_range("scale", scale, 0.0, 100.0)
    r = rng(seed)
    logits = r.standard_normal((64, classes)) * scale
    targets = r.integers(0, classes, 64)
    loss = losses.cross_entropy(logits, targets)
    grad = losses.cross_entropy_grad(logits, targets)
    p = act.softmax(logits)
    return DemoResult(
        title="Cross-entropy of an untrained classifier",
        summary=(
            "With near-equal logits the softmax is uniform, p = 1/K, so the loss −log p_y starts at log K: a quick "
            "check that a new model is wired right."
        ),
        code=["losses.cross_entropy", "losses.cross_entropy_grad"],
        inputs={"batch": 64, "logits": f"N(0, {scale:g}²)"},
        tables=[
            Table(
                "Start of training",
                ["quantity", "value"],
                [
                    ["cross-entropy", num(loss)],
                    ["log K", math.log(classes)],
                    ["mean p of the true class", num(np.mean(p[np.arange(64), targets]))],
                    ["1/K", 1 / classes],
                    [
                        "max |∂L/∂z − (softmax − onehot)/N|",
                        num(np.max(np.abs(grad - (p - losses.one_hot(targets, classes)) / 64))),
                    ],
                ],
            )
        ],
        notes=["A first loss far above log K means the logits start too large (bad init or a missing normalisation)."],
    )


def ce_vs_mse_gradient(*, z_max: float = 10.0) -> DemoResult:
    """For a sigmoid output and y = 1: ∂L/∂z under CE is σ(z) − 1, under MSE 2(σ − 1)σ(1 − σ), which vanishes when
    confidently wrong.
    """
    in_range("z_max", z_max, 1.0, 50.0)
    z = np.linspace(-z_max, z_max, 201)
    y = np.ones_like(z)
    p = act.sigmoid(z)
    ce = losses.binary_cross_entropy_with_logits_grad(z, y) * z.size  # per example (undo the 1/N of the mean)
    mse = losses.mse_grad(p, y) * z.size * act.sigmoid_grad(z)
    pts = np.array([-10.0, -5.0, -2.0, 0.0, 2.0])
    pp = act.sigmoid(pts)
    return DemoResult(
        title="Why cross-entropy beats MSE for classification",
        summary=(
            "With a sigmoid output, MSE's gradient carries a factor σ′(z) that is tiny when the model is "
            "confidently wrong; cross-entropy's gradient p − y stays large."
        ),
        code=["losses.binary_cross_entropy_with_logits_grad", "losses.mse_grad", "activations.sigmoid_grad"],
        inputs={"target": "y = 1", "z": f"201 logits on [−{z_max:g}, {z_max:g}]"},
        plots=[
            Plot(
                "∂L/∂z for y = 1",
                {"cross-entropy: σ(z) − 1": series(z, ce), "MSE: 2(σ(z) − 1)·σ′(z)": series(z, mse)},
                xlabel="logit z",
            )
        ],
        tables=[
            Table(
                "At a few logits (y = 1)",
                ["z", "p = σ(z)", "CE gradient", "MSE gradient"],
                [
                    [zi, pi, pi - 1, 2 * (pi - 1) * pi * (1 - pi)]
                    for zi, pi in zip(pts.tolist(), floats(pp), strict=True)
                ],
            )
        ],
        notes=[
            (
                "At z = −10 (p ≈ 4.5e−5, badly wrong) CE still pushes with −1.0; MSE pushes with −9e−5 and learning "
                "stalls."
            ),
            "Cross-entropy is also the maximum-likelihood loss for Bernoulli/categorical labels.",
        ],
    )


def softmax_grad_bug(*, seed: int = 0) -> DemoResult:
    """Backprop through softmax with only the Jacobian's diagonal (p ⊙ (1 − p) ⊙ dp) vs the full VJP vs finite
    differences.
    """
    r = rng(seed)
    z = r.standard_normal(5)
    dp = r.standard_normal(5)  # upstream gradient ∂L/∂p for L = Σ p ⊙ dp
    p = act.softmax(z)
    buggy = p * (1 - p) * dp
    right = act.softmax_vjp(z, dp)
    numeric = gradcheck.numerical_gradient(lambda v: float(np.sum(act.softmax(v) * dp)), z.copy())
    return DemoResult(
        title="Softmax backward: the diagonal-only bug",
        summary=(
            "Each pᵢ depends on every zⱼ: ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ). Keeping only the diagonal pᵢ(1 − pᵢ) (the sigmoid "
            "rule) drops the −pᵢ pⱼ terms."
        ),
        code=["activations.softmax_vjp", "gradcheck.numerical_gradient"],
        inputs={"z": matrix_text(z, 3), "dp = ∂L/∂p": matrix_text(dp, 3)},
        tables=[
            Table(
                "∂L/∂z",
                ["", *[f"z{i + 1}" for i in range(5)]],
                [
                    ["finite differences", *floats(numeric)],
                    ["correct p ⊙ (dp − Σ dp·p)", *floats(right)],
                    ["bug: p ⊙ (1 − p) ⊙ dp", *floats(buggy)],
                ],
            ),
            Table(
                "Relative error vs finite differences",
                ["backward", "relative error"],
                [
                    ["correct", gradcheck.relative_error(right, numeric)],
                    ["diagonal only", gradcheck.relative_error(buggy, numeric)],
                ],
            ),
        ],
        notes=["The correct gradient sums to 0 over z (softmax ignores a common shift); the buggy one does not."],
    )

"""Demos about regularisation: overfitting, L1/L2 penalties, dropout, early stopping."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import in_range, matrix_text, need, num, rng, series, steps_axis
from dlquiz.reference import optimizers as optim
from dlquiz.reference import regularization as reg
from dlquiz.reference.metrics import mean_squared_error

__all__ = [
    "polynomial_overfit",
    "l2_as_weight_decay",
    "l1_vs_l2_sparsity",
    "dropout_mask_stats",
    "dropout_scaling",
    "dropout_and_early_stopping",
]


def _poly_features(x, degree):
    return np.vander(x, degree + 1, increasing=True)


def polynomial_overfit(*, n_points: int = 20, noise: float = 0.2, seed: int = 0) -> DemoResult:
    """Polynomials of degree 1, 3 and 15 fitted to 20 noisy points of a sine: underfit, good fit, overfit."""
    in_range("n_points", n_points, 5, 200)
    in_range("noise", noise, 0.0, 5.0)
    r = rng(seed)
    x = np.sort(r.uniform(-1, 1, n_points))
    y = np.sin(np.pi * x) + noise * r.standard_normal(n_points)
    x_val = r.uniform(-1, 1, 200)
    y_val = np.sin(np.pi * x_val) + noise * r.standard_normal(200)
    grid = np.linspace(-1, 1, 161)
    rows, curves = [], {}
    for degree in (1, 3, 15):
        w = np.linalg.lstsq(_poly_features(x, degree), y, rcond=None)[0]
        rows.append(
            [
                degree,
                mean_squared_error(y, _poly_features(x, degree) @ w),
                mean_squared_error(y_val, _poly_features(x_val, degree) @ w),
                num(np.linalg.norm(w)),
            ]
        )
        curves[f"degree {degree}"] = series(grid, np.clip(_poly_features(grid, degree) @ w, -3, 3))
    curves["data"] = series(x, y)  # last, so the points are drawn on top
    return DemoResult(
        title="Underfitting and overfitting",
        summary=(
            "A model too simple has high bias (both errors high); one too flexible has high variance: tiny training "
            "error, large validation error, huge weights."
        ),
        code=["metrics.mean_squared_error"],
        inputs={
            "data": f"{n_points} points, y = sin(πx) + N(0, {noise:g}²)",
            "validation": "200 fresh points",
            "fit": "least squares on 1, x, …, x^d",
        },
        tables=[Table("Errors and weight size", ["degree", "train MSE", "validation MSE", "‖w‖"], rows)],
        plots=[Plot("Fits (clipped to ±3)", curves, xlabel="x", scatter=("data",))],
        notes=[
            f"The noise floor is {noise:g}² = {noise * noise:.3g}: a validation MSE near it is as good as it gets.",
            "Remedies for variance: more data, weight decay, dropout, early stopping, a smaller model.",
        ],
    )


def l2_as_weight_decay(*, weight_decay: float = 0.1, lr: float = 0.1, steps: int = 50, seed: int = 0) -> DemoResult:
    """SGD(weight_decay=λ) and SGD on loss + (λ/2)‖w‖² follow the same path."""
    in_range("steps", steps, 1, 5000)
    in_range("lr", lr, 1e-6, 0.5)  # the loss's largest curvature is about 3: larger steps diverge
    in_range("weight_decay", weight_decay, 0.0, 1.0)
    r = rng(seed)
    X, y = r.standard_normal((50, 4)), r.standard_normal(50)

    def grad(w):
        return 2 * X.T @ (X @ w - y) / len(y)

    a, b = {"w": np.ones(4)}, {"w": np.ones(4)}
    opt_a, opt_b = optim.SGD(lr=lr, weight_decay=weight_decay), optim.SGD(lr=lr)
    diff, norms_a = [], []
    for _ in range(steps):
        opt_a.step(a, {"w": grad(a["w"])})
        opt_b.step(b, {"w": grad(b["w"]) + reg.l2_grad(b["w"], weight_decay)})
        diff.append(num(np.max(np.abs(a["w"] - b["w"]))))
        norms_a.append(num(np.linalg.norm(a["w"])))
    return DemoResult(
        title="L2 penalty = weight decay (for SGD)",
        summary=(
            "The gradient of (λ/2)‖w‖² is λw, so one SGD step is w ← (1 − ηλ)w − η∇J: exactly what weight_decay=λ does."
        ),
        code=["regularization.l2_grad", "optimizers.SGD"],
        inputs={"problem": "least squares, X (50, 4)", "start": "w = 1"},
        tables=[
            Table(
                "Two runs",
                ["run", "final w"],
                [["SGD(weight_decay=λ)", matrix_text(a["w"], 6)], ["SGD on J + (λ/2)‖w‖²", matrix_text(b["w"], 6)]],
            ),
            Table("Agreement", ["quantity", "value"], [["largest |difference| over all steps", max(diff)]]),
        ],
        plots=[Plot("‖w‖ per step (both runs)", {"‖w‖": series(steps_axis(steps, 1), norms_a)}, xlabel="step")],
        notes=[
            "Under Adam the two differ (the penalty's gradient gets rescaled by 1/√v̂): that is why AdamW exists.",
            "Biases and normalisation parameters are usually left out of the decay.",
        ],
    )


def l1_vs_l2_sparsity(*, lam: float = 0.1, useful: int = 5, seed: int = 0) -> DemoResult:
    """20 features, 5 useful: the L1 fit sets the useless weights exactly to 0, the L2 fit only shrinks them."""
    in_range("useful", useful, 1, 20)
    need(0 < lam <= 2, "'lam' must be in (0, 2]")  # beyond that the fixed step makes the L2 descent unstable
    r = rng(seed)
    n, d = 200, 20
    X = r.standard_normal((n, d))
    w_true = np.zeros(d)
    w_true[:useful] = r.uniform(1, 3, useful) * r.choice([-1, 1], useful)
    y = X @ w_true + 0.5 * r.standard_normal(n)
    step = 1.0 / (2 * np.linalg.eigvalsh(X.T @ X / n).max())
    w1 = np.zeros(d)
    for _ in range(500):  # proximal gradient (ISTA): gradient step on the MSE, then soft-thresholding
        w1 = reg.soft_threshold(w1 - step * 2 * X.T @ (X @ w1 - y) / n, step * lam)
    w2 = np.zeros(d)
    for _ in range(500):  # gradient descent on MSE + (λ/2)‖w‖²
        w2 = w2 - step * (2 * X.T @ (X @ w2 - y) / n + reg.l2_grad(w2, lam))
    rows = [[i + 1, num(w_true[i]), num(w1[i]), num(w2[i])] for i in range(d)]
    return DemoResult(
        title="L1 vs L2: exact zeros",
        summary=(
            "L1's pull λ·sign(w) has the same size for every weight, so small ones are driven exactly to 0; L2's "
            "pull λw fades as w shrinks."
        ),
        code=["regularization.soft_threshold", "regularization.l2_grad"],
        inputs={
            "data": f"{n} × {d} features, the first {useful} useful",
            "L1 solver": "proximal gradient (soft-threshold each step)",
        },
        tables=[
            Table(
                "Exact zeros among the weights",
                ["penalty", "weights exactly 0", f"zeros among the {d - useful} useless"],
                [
                    ["L1", int(np.sum(w1 == 0)), int(np.sum(w1[useful:] == 0))],
                    ["L2", int(np.sum(w2 == 0)), int(np.sum(w2[useful:] == 0))],
                ],
            ),
            Table("Weights", ["feature", "true w", "L1 fit", "L2 fit"], rows),
        ],
        notes=[
            (
                "Soft-thresholding, sign(a)·max(|a| − λ, 0), is the exact minimiser of ½(w − a)² + λ|w|: anything "
                "within λ of 0 becomes 0."
            ),
            "L1 does feature selection; L2 keeps every feature with smaller, spread-out weights.",
        ],
    )


def dropout_mask_stats(*, p: float = 0.3, size: int = 200, seed: int = 0) -> DemoResult:
    """Inverted dropout on ones(200, 200): about a fraction p is zeroed, survivors become 1/(1 − p), the mean stays ≈
    1.
    """
    in_range("p", p, 0.0, 0.95)
    in_range("size", size, 1, 1000)
    x = np.ones((size, size))
    out, _ = reg.dropout(x, p, rng(seed))
    out2, _ = reg.dropout(x, p, rng(seed + 1))
    kept = out[out != 0]
    eval_out, _ = reg.dropout(x, p, rng(seed), training=False)
    return DemoResult(
        title="Dropout's mask",
        summary=(
            "Each unit is zeroed with probability p by a fresh random mask; survivors are scaled by 1/(1 − p) so "
            "the expected value is unchanged."
        ),
        code=["regularization.dropout"],
        inputs={"x": f"ones({size}, {size})"},
        tables=[
            Table(
                "One training pass",
                ["quantity", "value", "expected"],
                [
                    ["fraction dropped", num(np.mean(out == 0)), p],
                    ["value of kept units", num(kept[0]) if kept.size else None, 1 / (1 - p)],
                    ["mean of output", num(out.mean()), 1.0],
                    ["masks of two passes agree on", num(np.mean((out == 0) == (out2 == 0))), p * p + (1 - p) ** 2],
                    ["eval mode: mean of output", num(eval_out.mean()), 1.0],
                ],
            )
        ],
        notes=[
            "A new mask every forward pass: each step trains a different thinned sub-network sharing the same weights.",
            "Eval mode (model.eval()) turns dropout off; with inverted dropout nothing else changes.",
        ],
    )


def dropout_scaling(*, p: float = 0.2, seed: int = 0) -> DemoResult:
    """Inverted dropout keeps the next layer's input mean the same in training and evaluation; forgetting to rescale
    does not.
    """
    in_range("p", p, 0.0, 0.95)
    r = rng(seed)
    h = np.abs(r.standard_normal((1000, 64))) + 0.5  # positive activations, as after a ReLU
    W = r.standard_normal((64, 1)) / 8 + 0.1
    out, mask = reg.dropout(h, p, r)
    buggy = h * (mask != 0)  # the bug: drop but do not divide by 1 − p
    rows: list[list[Cell]] = [
        ["inverted (reference)", num(np.mean(out)), num(np.mean(h)), num(np.mean(out @ W)), num(np.mean(h @ W))],
        ["no rescale (bug)", num(np.mean(buggy)), num(np.mean(h)), num(np.mean(buggy @ W)), num(np.mean(h @ W))],
        [
            "classic: ×(1 − p) at test",
            num(np.mean(buggy)),
            num(np.mean(h) * (1 - p)),
            num(np.mean(buggy @ W)),
            num(np.mean(h @ W) * (1 - p)),
        ],
    ]
    return DemoResult(
        title="Dropout in training vs evaluation",
        summary=(
            "What the next layer sees must have the same expectation in both modes: inverted dropout divides by (1 "
            "− p) in training; forgetting it makes eval inputs 1/(1 − p)× too large."
        ),
        code=["regularization.dropout"],
        inputs={"activations h": "1000 × 64, positive"},
        tables=[
            Table(
                "Mean activation and next-layer input",
                ["scheme", "mean h, train", "mean h, eval", "mean hW, train", "mean hW, eval"],
                rows,
            )
        ],
        notes=[
            (
                f"With the bug, training sees (1 − p)·h on average = {1 - p:g}×: at test time the weights meet "
                f"inputs {1 / (1 - p):.3g}× larger than they learned on."
            ),
            "Fix: divide by (1 − p) in training (PyTorch) or multiply by (1 − p) at test (the original paper).",
        ],
    )


def _mlp_with_dropout(X, y, X_val, y_val, p, epochs, seed, hidden=64):
    """Train a D → hidden → 1 tanh net with full-batch Adam, dropout p on the hidden layer.

    Returns the (train, validation) MSE per epoch, both measured in eval mode (no dropout) before the update.
    """
    r = rng(seed)
    d = X.shape[1]
    params = {
        "W1": r.standard_normal((d, hidden)) / np.sqrt(d),
        "b1": np.zeros(hidden),
        "W2": r.standard_normal((hidden, 1)) / np.sqrt(hidden),
        "b2": np.zeros(1),
    }
    opt = optim.Adam(lr=0.01)
    drop_rng = rng(seed + 1)
    train, val = [], []
    for _ in range(epochs):
        h = np.tanh(X @ params["W1"] + params["b1"])
        train.append(num(np.mean((h @ params["W2"] + params["b2"] - y) ** 2)))
        h_val = np.tanh(X_val @ params["W1"] + params["b1"])
        val.append(num(np.mean((h_val @ params["W2"] + params["b2"] - y_val) ** 2)))
        h_drop, mask = reg.dropout(h, p, drop_rng) if p > 0 else (h, np.ones_like(h))
        d_out = 2 * (h_drop @ params["W2"] + params["b2"] - y) / len(y)
        dh = reg.dropout_backward(d_out @ params["W2"].T, mask) * (1 - h * h)
        opt.step(params, {"W2": h_drop.T @ d_out, "b2": d_out.sum(0), "W1": X.T @ dh, "b1": dh.sum(0)})
    return train, val


def dropout_and_early_stopping(*, p: float = 0.5, epochs: int = 400, patience: int = 50, seed: int = 0) -> DemoResult:
    """An over-parameterised net on 30 noisy points: train and validation loss with and without dropout, and where
    early stopping halts.
    """
    in_range("p", p, 0.0, 0.9)
    in_range("epochs", epochs, 10, 3000)
    in_range("patience", patience, 1, 1000)
    r = rng(seed)
    w_true = np.zeros((10, 1))
    w_true[:2] = 1.0
    X, X_val = r.standard_normal((30, 10)), r.standard_normal((100, 10))
    y = np.sin(X @ w_true) + 0.3 * r.standard_normal((30, 1))
    y_val = np.sin(X_val @ w_true) + 0.3 * r.standard_normal((100, 1))
    runs = {
        "no dropout": _mlp_with_dropout(X, y, X_val, y_val, 0.0, epochs, seed),
        f"dropout p = {p:g}": _mlp_with_dropout(X, y, X_val, y_val, p, epochs, seed),
    }
    axis = steps_axis(epochs, 1)
    train_curves, val_curves, rows = {}, {}, []
    for name, (train, val) in runs.items():
        train_curves[name] = (axis, train)
        val_curves[name] = (axis, val)
        best, stop = reg.early_stopping(val, patience)
        rows.append([name, train[-1], val[-1], min(val), best + 1, stop + 1])
    return DemoResult(
        title="Dropout and early stopping against overfitting",
        summary=(
            "Without regularisation the training loss keeps falling while the validation loss turns up; dropout "
            "narrows the gap, early stopping keeps the best epoch."
        ),
        code=["regularization.dropout", "regularization.early_stopping"],
        inputs={
            "data": "30 training points, 10 features, y = sin(x₁ + x₂) + N(0, 0.3²); 100 validation points",
            "network": "10 → 64 (tanh) → 1, full-batch Adam η = 0.01",
        },
        # Validation on its own axis: next to a training MSE that falls to ~1e-19, both validation curves would
        # share the top row of a log plot and the upturn would not show.
        plots=[
            Plot("Validation loss per epoch", val_curves, xlabel="epoch", ylabel="MSE"),
            Plot("Training loss per epoch", train_curves, xlabel="epoch", ylabel="MSE", log_y=True),
        ],
        tables=[
            Table(
                "Summary",
                ["run", "final train MSE", "final val MSE", "best val MSE", "best epoch", "early stop at epoch"],
                rows,
            )
        ],
        notes=[
            "The noise variance 0.09 is the floor: a training MSE far below it means the net is memorising noise.",
            "Early stopping restores the weights of the best validation epoch, not the last.",
        ],
    )

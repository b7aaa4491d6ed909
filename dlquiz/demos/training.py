"""Demos about training a network: the loop, minibatches, learning-rate trouble and feature scaling (the
backpropagation demos are in :mod:`dlquiz.demos.backprop`)."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import (
    gradient_errors,
    in_range,
    need,
    net_problem,
    num,
    rng,
    series,
    steps_axis,
)
from dlquiz.reference import layers, training
from dlquiz.reference import optimizers as optim

__all__ = [
    "fit_house_prices",
    "training_loop",
    "lr_debugging",
    "feature_scaling",
    "batch_sizes",
]


def fit_house_prices(*, hidden: int = 16, lr: float = 0.05, epochs: int = 500, seed: int = 0) -> DemoResult:
    """Gradient-check the two-layer net, then fit synthetic, standardised house prices with full-batch GD."""
    in_range("epochs", epochs, 1, 5000)
    in_range("hidden", hidden, 1, 128)
    in_range("lr", lr, 1e-6, 1.0)
    r = rng(seed)
    n = 200
    size = r.uniform(50, 250, n)
    rooms = np.round(size / 40 + r.normal(0, 0.7, n)).clip(1, 8)
    age = r.uniform(0, 60, n)
    price = 1.5 * size + 20 * rooms - 0.8 * age + 0.004 * (size - 150) ** 2 + r.normal(0, 15, n)  # thousands
    X = np.column_stack([size, rooms, age])
    X = (X - X.mean(0)) / X.std(0)
    y = (price - price.mean()) / price.std()
    params0 = layers.two_layer_net_init(3, hidden, rng(seed + 1), activation="relu")
    _, cache = layers.two_layer_net_forward(X[:8], y[:8], params0, activation="relu")
    grads, _ = layers.two_layer_net_backward(cache)
    err = max(
        gradient_errors(
            lambda **p: layers.two_layer_net_forward(X[:8], y[:8], p, activation="relu")[0], params0, grads
        ).values()
    )
    _, losses = training.train_two_layer_net(X, y, hidden, lr, epochs, rng(seed + 1), activation="relu")
    marks = [e for e in range(0, epochs, 100)] + [epochs - 1]
    return DemoResult(
        title="Two-layer net from scratch: check, then fit",
        summary=(
            "Verify the backward pass numerically first, then train: the loss on standardised prices falls from ~1 "
            "(predicting the mean) toward the noise level."
        ),
        code=["layers.two_layer_net_backward", "gradcheck.numerical_gradient"],
        inputs={
            "data": f"{n} houses: size, rooms, age → price, all standardised",
            "network": f"3 → {hidden} (ReLU) → 1, linear output, MSE",
            "noise level": f"price noise N(0, 15²) = {(15 / price.std()) ** 2:.3g} in standardised units",
        },
        tables=[
            Table("Gradient check (8 houses)", ["quantity", "value"], [["largest relative error", err]]),
            Table(
                "Training loss (MSE, standardised units)",
                ["epoch", "loss"],
                [[e + 1, num(losses[e])] for e in sorted(set(marks))],
            ),
        ],
        plots=[Plot("Loss per epoch", {"MSE": series(steps_axis(epochs, 1), losses)}, xlabel="epoch", log_y=True)],
        notes=[
            "Standardising inputs and target keeps the initial loss ≈ 1 and lets one learning rate suit every weight.",
            "R² on the training set is 1 − loss here, since the target has variance 1.",
        ],
    )


def training_loop(*, batch_size: int = 16, lr: float = 0.05, epochs: int = 5, seed: int = 0) -> DemoResult:
    """The loop's vocabulary in numbers: an epoch of ⌈N/B⌉ iterations, loss per iteration vs per epoch."""
    in_range("batch_size", batch_size, 1, 200)
    in_range("epochs", epochs, 1, 100)
    in_range("lr", lr, 1e-6, 0.5)
    r = rng(seed)
    X, y, _, _ = training.make_regression(200, 5, r, noise=0.3)
    res = training.gradient_descent(X, y, lr, epochs, batch_size=batch_size, rng=r)
    per_epoch = len(res.loss_per_update) // epochs
    return DemoResult(
        title="The training loop: iterations and epochs",
        summary=(
            "Each iteration: forward on one mini-batch, loss, backward, update. An epoch is one pass over all N "
            "examples = ⌈N/B⌉ iterations."
        ),
        code=["training.gradient_descent", "training.minibatches"],
        inputs={"data": "N = 200, 5 features, linear target + noise", "model": "y ≈ Xw + b, MSE"},
        plots=[
            Plot(
                "Loss",
                {
                    "per iteration (mini-batch)": series(steps_axis(len(res.loss_per_update), 1), res.loss_per_update),
                    "per epoch (full data)": series([per_epoch * (e + 1) for e in range(epochs)], res.loss_per_epoch),
                },
                xlabel="iteration",
                log_y=True,
            )
        ],
        tables=[
            Table(
                "Counts",
                ["quantity", "value"],
                [
                    ["iterations per epoch ⌈N/B⌉", math.ceil(200 / batch_size)],
                    ["total iterations", len(res.loss_per_update)],
                    ["final full-data loss", num(res.loss_per_epoch[-1])],
                ],
            )
        ],
        notes=["The per-iteration loss is noisy: each is measured on a different mini-batch."],
    )


def lr_debugging(*, factor: float = 100.0, lr: float = 0.05, epochs: int = 60, seed: int = 0) -> DemoResult:
    """The same net trained with a sane learning rate and one ×100: the gradient norm and loss tell the story."""
    in_range("epochs", epochs, 1, 1000)
    in_range("lr", lr, 1e-6, 1.0)
    in_range("factor", factor, 1.0, 1e4)
    _, X, y, params0 = net_problem(seed)
    rows: list[list[Cell]] = []
    curves, norms = {}, {}
    for name, eta in (("sane η", lr), (f"η × {factor:g}", lr * factor)):
        params = {k: v.copy() for k, v in params0.items()}
        opt = optim.SGD(lr=eta)
        losses, gnorms = [], []
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(epochs):
                loss, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
                grads, _ = layers.two_layer_net_backward(cache)
                losses.append(num(loss))
                gnorms.append(math.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
                opt.step(params, grads)
        curves[name] = series(steps_axis(epochs), losses)
        norms[name] = series(steps_axis(epochs), gnorms)
        rows.append([name, eta, losses[0], losses[-1], max(gnorms)])
    return DemoResult(
        title=f"Debugging with gradient norms: a learning rate {factor:g}× too large",
        summary=(
            "Log the loss and the gradient norm each step: a too-large η makes both jump around or blow up instead "
            "of falling smoothly."
        ),
        code=["layers.two_layer_net_backward", "optimizers.SGD"],
        inputs={"network": "8 → 16 (tanh) → 1, MSE on 64 examples", "update": "full-batch GD"},
        plots=[
            Plot("Loss", curves, xlabel="step", log_y=True),
            Plot("Gradient norm ‖∇L‖", norms, xlabel="step", log_y=True),
        ],
        tables=[Table(f"After {epochs} steps", ["run", "η", "first loss", "last loss", "largest ‖∇L‖"], rows)],
        notes=[
            (
                "Other suspects to rule out the same way: bad init, saturated or dead units, unscaled inputs, a "
                "backward bug (gradient-check it)."
            )
        ],
    )


def feature_scaling(*, scale: float = 100.0, tol: float = 1e-3, max_epochs: int = 2000, seed: int = 0) -> DemoResult:
    """Full-batch GD on raw features (one ×scale) vs standardised ones: epochs to reach the optimum."""
    in_range("scale", scale, 1.0, 1e4)
    in_range("max_epochs", max_epochs, 10, 20000)
    need(0 < tol < 1, "'tol' must be between 0 and 1")
    r = rng(seed)
    X, y, _, _ = training.make_regression(200, 2, r, noise=0.1)
    X_raw = X * np.array([1.0, scale]) + np.array([0.0, scale])
    X_std = (X_raw - X_raw.mean(0)) / X_raw.std(0)
    rows: list[list[Cell]] = []
    curves = {}
    for name, data in (("raw", X_raw), ("standardised", X_std)):
        A = np.column_stack([data, np.ones(len(data))])
        best = float(np.mean((A @ np.linalg.lstsq(A, y, rcond=None)[0] - y) ** 2))
        L = 2 * np.linalg.eigvalsh(A.T @ A / len(A)).max()
        lr = 1.0 / L  # the largest comfortable step for this data
        res = training.gradient_descent(data, y, lr, max_epochs)
        gap = res.loss_per_epoch - best
        hit = np.nonzero(gap < tol * max(best, 1e-12))[0]
        curves[name] = series(steps_axis(max_epochs, 1), np.maximum(gap, 1e-16))
        cond = np.linalg.cond(A.T @ A)
        rows.append(
            [name, cond, lr, int(hit[0]) + 1 if hit.size else f"> {max_epochs}", max(num(gap[-1]), 0.0)]
        )  # the optimum is the minimum: a negative gap is rounding
    return DemoResult(
        title="Feature scaling and gradient descent",
        summary=(
            "Features on very different scales make the loss surface a narrow valley (huge condition number): GD "
            "needs a tiny η and many epochs; standardising fixes it."
        ),
        code=["training.gradient_descent"],
        inputs={
            "features": f"x₁ ~ N(0, 1), x₂ ~ N({scale:g}, {scale:g}²)",
            "η": "1/L for each data set (L = largest curvature)",
            "target": f"loss within {tol:g}× of the least-squares optimum",
        },
        plots=[Plot("Loss − optimum per epoch", curves, xlabel="epoch", log_y=True)],
        tables=[
            Table(
                "Epochs to converge",
                [
                    "inputs",
                    "condition number of [X, 1]ᵀ[X, 1] (with the bias)",
                    "η",
                    "epochs",
                    f"loss − optimum after {max_epochs}",
                ],
                rows,
            )
        ],
        notes=[
            "Standardise with the training set's mean and std, then apply the same numbers to validation and test data."
        ],
    )


def batch_sizes(*, small: int = 1, medium: int = 32, epochs: int = 20, lr: float = 0.02, seed: int = 0) -> DemoResult:
    """Batch, mini-batch and stochastic GD on the same regression: updates per epoch, gradient noise, loss."""
    in_range("epochs", epochs, 1, 200)
    in_range("small", small, 1, 400)
    in_range("medium", medium, 1, 400)
    in_range("lr", lr, 1e-6, 0.1)  # single-example steps diverge beyond about 2/‖x‖² ≈ 0.4
    r = rng(seed)
    N = 400
    X, y, _, _ = training.make_regression(N, 5, r, noise=0.5)
    w0 = np.zeros(5)
    full_grad = X.T @ (X @ w0 - y) * 2 / N
    curves = {}
    rows: list[list[Cell]] = []
    for B in (small, medium, N):
        name = "batch (B = N)" if B == N else f"B = {B}"
        res = training.gradient_descent(X, y, lr, epochs, batch_size=B, rng=rng(seed + 1))
        idx = np.argsort(rng(seed + 2).random((300, N)), axis=1)[:, :B]  # 300 batches drawn without replacement
        g = np.einsum("kbd,kb->kd", X[idx], X[idx] @ w0 - y[idx]) * 2 / B
        noise = num(np.sqrt(np.mean(np.sum((g - full_grad) ** 2, axis=1))))
        curves[name] = series(steps_axis(epochs, 1), res.loss_per_epoch)
        rows.append([name, math.ceil(N / B), noise, num(res.loss_per_epoch[0]), num(res.loss_per_epoch[-1])])
    return DemoResult(
        title="Batch size: GD vs mini-batch vs SGD",
        summary=(
            "Smaller batches give more, noisier updates per epoch (gradient noise ∝ 1/√B); B = N gives one exact "
            "gradient step per epoch."
        ),
        code=["training.gradient_descent", "training.minibatches"],
        inputs={"data": f"N = {N}, 5 features, linear target + noise"},
        plots=[Plot("Full-data loss per epoch", curves, xlabel="epoch", log_y=True)],
        tables=[
            Table(
                "Per batch size",
                [
                    "batch",
                    "updates per epoch",
                    "gradient noise ‖g_B − g‖ (RMS, at w = 0)",
                    "loss after epoch 1",
                    f"after epoch {epochs}",
                ],
                rows,
            )
        ],
        notes=[
            "Noise × step size is why SGD's loss jitters; a decaying learning rate lets it settle.",
            (
                "Larger batches make each epoch faster on parallel hardware but take fewer steps; scale η with B "
                "(with warmup)."
            ),
        ],
    )

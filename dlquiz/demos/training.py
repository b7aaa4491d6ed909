"""Demos about training and backpropagation: the worked two-layer example, gradient checks, the loop."""

from __future__ import annotations

import math
import time

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import (
    floats,
    gradient_errors,
    in_range,
    matrix_text,
    need,
    num,
    rng,
    series,
    steps_axis,
)
from dlquiz.reference import gradcheck, layers, training
from dlquiz.reference import optimizers as optim
from dlquiz.reference.losses import mse

__all__ = [
    "house_price_worked_example",
    "computational_graph",
    "backprop_vs_numerical",
    "dense_backward_check",
    "gradcheck_missing_transpose",
    "fit_house_prices",
    "training_loop",
    "lr_debugging",
    "feature_scaling",
    "batch_sizes",
]

# The house-price worked example: two houses, three standardised features (size, bedrooms, age).
HOUSE_X = [[1.0, 0.5, -1.0], [-0.5, 1.0, 0.5]]
HOUSE_Y = [[2.0], [-1.0]]
HOUSE_PARAMS = {
    "W1": [[0.2, -0.1, 0.4, 0.0], [0.3, 0.2, -0.2, 0.1], [-0.1, 0.3, 0.1, -0.4]],
    "b1": [0.1, 0.0, -0.1, 0.2],
    "W2": [[0.5], [-0.3], [0.8], [0.2]],
    "b2": [0.1],
}


def house_params() -> dict:
    return {k: np.array(v, dtype=float) for k, v in HOUSE_PARAMS.items()}


def house_price_worked_example(*, activation: str = "relu") -> DemoResult:
    """One forward and backward pass of the 3 → 4 → 1 house-price regressor, every intermediate printed."""
    need(activation in ("relu", "sigmoid", "tanh"), "'activation' must be relu, sigmoid or tanh")
    X, y, params = np.array(HOUSE_X), np.array(HOUSE_Y), house_params()
    loss, cache = layers.two_layer_net_forward(X, y, params, activation=activation)
    grads, deltas = layers.two_layer_net_backward(cache)
    forward = [
        ["X", "(2, 3)", "input: 2 houses × 3 features", matrix_text(X)],
        ["z₁ = XW₁ + b₁", "(2, 4)", "hidden pre-activations", matrix_text(cache["z1"], 4)],
        [f"h = {activation}(z₁)", "(2, 4)", "hidden activations", matrix_text(cache["h"], 4)],
        ["ŷ = hW₂ + b₂", "(2, 1)", "linear output: predicted prices", matrix_text(cache["y_hat"], 4)],
        ["L = mean((ŷ − y)²)", "()", "MSE loss", f"{num(loss):.6g}"],
    ]
    backward = [
        ["∂L/∂ŷ = 2(ŷ − y)/N", "(2, 1)", matrix_text(deltas["d_y_hat"], 4)],
        ["∂L/∂W₂ = hᵀ·∂L/∂ŷ", "(4, 1)", matrix_text(grads["W2"], 4)],
        ["∂L/∂b₂ = Σ ∂L/∂ŷ", "(1,)", matrix_text(grads["b2"], 4)],
        ["∂L/∂h = ∂L/∂ŷ·W₂ᵀ", "(2, 4)", matrix_text(deltas["dh"], 4)],
        [f"δ₁ = ∂L/∂h ⊙ {activation}′(z₁)", "(2, 4)", matrix_text(deltas["dz1"], 4)],
        ["∂L/∂W₁ = Xᵀ·δ₁", "(3, 4)", matrix_text(grads["W1"], 4)],
        ["∂L/∂b₁ = Σ δ₁", "(4,)", matrix_text(grads["b1"], 4)],
    ]
    count = sum(np.asarray(v).size for v in params.values())
    return DemoResult(
        title="House-price network: forward and backward by hand",
        summary=(
            f"A 3 → 4 → 1 regressor ({activation} hidden layer, linear output, MSE): each value a learner would "
            f"compute by hand, with its shape."
        ),
        code=["layers.two_layer_net_forward", "layers.two_layer_net_backward"],
        inputs={
            "y (true prices, standardised)": matrix_text(y),
            "W₁ (3, 4)": matrix_text(params["W1"]),
            "b₁ (4,)": matrix_text(params["b1"]),
            "W₂ (4, 1)": matrix_text(params["W2"]),
            "b₂ (1,)": matrix_text(params["b2"]),
            "parameters": f"3·4 + 4 + 4·1 + 1 = {count}",
        },
        tables=[
            Table("Forward pass", ["quantity", "shape", "meaning", "value"], forward),
            Table("Backward pass", ["gradient", "shape", "value"], backward),
        ],
        notes=[
            (
                "Every gradient has the shape of what it is taken with respect to; the 1/N of the mean loss enters "
                "once, in ∂L/∂ŷ."
            ),
            "Where z₁ ≤ 0 the unit passes no gradient back (ReLU′ = 0 there): those entries of δ₁ are 0."
            if activation == "relu"
            else f"{activation}′(z₁) is never exactly 0, so every unit passes some gradient back.",
        ],
    )


def computational_graph(*, w: float = 2.0, x: float = 3.0, b: float = 1.0, y: float = 5.0) -> DemoResult:
    """L = (wx + b − y)² as a graph of nodes: forward values, backward gradients, and a finite-difference check."""
    u = w * x
    z = u + b
    r = z - y
    L = r * r
    dL_dr = 2 * r
    grads = {"w": dL_dr * x, "x": dL_dr * w, "b": dL_dr, "y": -dL_dr}

    def loss(v):
        return float((v[0] * v[1] + v[2] - v[3]) ** 2)

    numeric = gradcheck.numerical_gradient(loss, np.array([w, x, b, y]))
    return DemoResult(
        title="A computational graph, forward and backward",
        summary=(
            "Forward stores each node's value; backward multiplies local derivatives from the loss down (chain "
            "rule), one pass for all inputs."
        ),
        code=["gradcheck.numerical_gradient"],
        inputs={"graph": "u = w·x, z = u + b, r = z − y, L = r²"},
        tables=[
            Table(
                "Forward: node values",
                ["node", "formula", "value"],
                [["u", "w·x", u], ["z", "u + b", z], ["r", "z − y", r], ["L", "r²", L]],
            ),
            Table(
                "Backward: gradients",
                ["node", "local rule", "∂L/∂node", "finite difference"],
                [
                    ["r", "∂L/∂r = 2r", dL_dr, None],
                    ["z", "∂L/∂z = ∂L/∂r·1", dL_dr, None],
                    ["u", "∂L/∂u = ∂L/∂z·1", dL_dr, None],
                    ["w", "∂L/∂w = ∂L/∂u·x", grads["w"], num(numeric[0])],
                    ["x", "∂L/∂x = ∂L/∂u·w", grads["x"], num(numeric[1])],
                    ["b", "∂L/∂b = ∂L/∂z", grads["b"], num(numeric[2])],
                    ["y", "∂L/∂y = −∂L/∂r", grads["y"], num(numeric[3])],
                ],
            ),
        ],
        notes=["Reverse mode reuses ∂L/∂z for both w and b: that sharing is what makes backprop cheap."],
    )


def _net_problem(seed: int, n: int = 64, d: int = 8, hidden: int = 16):
    r = rng(seed)
    X, y, _, _ = training.make_regression(n, d, r)
    return r, X, y, layers.two_layer_net_init(d, hidden, r, activation="tanh")


def backprop_vs_numerical(*, hidden: int = 16, seed: int = 0) -> DemoResult:
    """The same gradient two ways: 2P forward passes with finite differences vs one backward pass."""
    in_range("hidden", hidden, 1, 64)
    _, X, y, params = _net_problem(seed, hidden=hidden)
    t0 = time.perf_counter()
    _, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
    grads, _ = layers.two_layer_net_backward(cache)
    t_back = time.perf_counter() - t0
    t0 = time.perf_counter()
    errors = gradient_errors(lambda **p: layers.two_layer_net_forward(X, y, p, activation="tanh")[0], params, grads)
    t_num = time.perf_counter() - t0
    P = sum(v.size for v in params.values())
    err = max(errors.values())
    return DemoResult(
        title="Backprop vs numerical differentiation",
        summary=(
            "Central differences need two forward passes per parameter (2P in all); backprop gets every gradient "
            "from one forward and one backward pass."
        ),
        code=["layers.two_layer_net_backward", "gradcheck.numerical_gradient"],
        inputs={"network": f"8 → {hidden} (tanh) → 1, MSE on 64 examples", "parameters P": P},
        tables=[
            Table(
                "Cost and agreement",
                ["method", "forward passes", "time (ms)"],
                [["backprop", 1, t_back * 1e3], ["central differences", 2 * P, t_num * 1e3]],
            ),
            Table("Agreement", ["quantity", "value"], [["largest relative error over W₁, b₁, W₂, b₂", err]]),
        ],
        notes=[
            (
                "Numerical gradients cost O(P) forwards: hopeless for millions of weights, but a perfect check on a "
                "small net."
            )
        ],
    )


def dense_backward_check(*, batch: int = 4, n_in: int = 3, n_out: int = 2, seed: int = 0) -> DemoResult:
    """dense_backward's dX, dW, db against central finite differences of L = Σ(Y ⊙ G)."""
    in_range("batch", batch, 1, 50)
    in_range("n_in", n_in, 1, 50)
    in_range("n_out", n_out, 1, 50)
    r = rng(seed)
    x, W, b = r.standard_normal((batch, n_in)), r.standard_normal((n_in, n_out)), r.standard_normal(n_out)
    G = r.standard_normal((batch, n_out))  # ∂L/∂Y for the loss L = Σ Y ⊙ G
    dx, dW, db = layers.dense_backward(G, x, W)

    def loss(x, W, b):
        return np.sum(layers.dense_forward(x, W, b) * G)

    errors = gradient_errors(loss, {"x": x, "W": W, "b": b}, {"x": dx, "W": dW, "b": db})
    rows = [
        [name, str(a.shape), errors[k]]
        for k, name, a in (("x", "dX = dY·Wᵀ", dx), ("W", "dW = Xᵀ·dY", dW), ("b", "db = Σ dY", db))
    ]
    return DemoResult(
        title="Dense layer backward vs finite differences",
        summary=(
            "Y = XW + b has dX = dY·Wᵀ, dW = Xᵀ·dY, db = Σₙ dY: each the shape of its variable, each matching "
            "numerical derivatives."
        ),
        code=["layers.dense_backward", "gradcheck.numerical_gradient"],
        inputs={
            "X": f"({batch}, {n_in})",
            "W": f"({n_in}, {n_out})",
            "b": f"({n_out},)",
            "dY = ∂L/∂Y": f"({batch}, {n_out}), random",
        },
        tables=[
            Table("Analytic vs numerical", ["gradient", "shape", "relative error"], rows),
            Table(
                "dW = Xᵀ·dY, entry by entry",
                ["", *[f"out {j}" for j in range(n_out)]],
                [[f"in {i}", *floats(dW[i])] for i in range(min(n_in, 6))],
            ),
        ],
        notes=["A relative error near 1e−10 means the formulas are right; ~1 means a bug (often a missing transpose)."],
    )


def _verdict(error: float) -> tuple[float, str]:
    """A relative error and how to read it (the usual thresholds)."""
    return error, "ok (< 1e−7)" if error < 1e-7 else "bug (> 1e−3)" if error > 1e-3 else "unclear: look closer"


def gradcheck_missing_transpose(*, size: int = 4, seed: int = 0) -> DemoResult:
    """Gradient checking catches a planted bug: dW = dYᵀ·X (wrong) instead of Xᵀ·dY."""
    in_range("size", size, 2, 20)
    r = rng(seed)
    x, W, b = r.standard_normal((5, size)), r.standard_normal((size, size)), np.zeros(size)
    y = r.standard_normal((5, size))

    def loss(W_):
        return float(mse(layers.dense_forward(x, W_, b), y))

    dout = 2 * (layers.dense_forward(x, W, b) - y) / y.size
    _, good, _ = layers.dense_backward(dout, x, W)
    buggy = dout.T @ x  # the bug: the transpose of the right answer (shapes agree because W is square)
    numeric = gradcheck.numerical_gradient(loss, W.copy())
    return DemoResult(
        title="Gradient check: planting a missing transpose",
        summary=(
            "Compare analytic gradients with central differences: a right backward pass agrees to ~1e−9 relative "
            "error, a transposed one is off by O(1)."
        ),
        code=["gradcheck.numerical_gradient", "gradcheck.relative_error"],
        inputs={"layer": f"X (5, {size}) @ W ({size}, {size}), MSE to random targets", "h": 1e-5},
        tables=[
            Table(
                "Relative error ‖a − n‖ / (‖a‖ + ‖n‖)",
                ["backward pass", "relative error", "verdict"],
                [
                    ["dW = Xᵀ·dY (correct)", *_verdict(gradcheck.relative_error(good, numeric))],
                    ["dW = dYᵀ·X (bug)", *_verdict(gradcheck.relative_error(buggy, numeric))],
                ],
            )
        ],
        notes=[
            "A square W hides the bug from shape checks; only the numbers reveal it.",
            "Check in float64 with h ≈ 1e−5, dropout off, and inputs away from kinks such as ReLU at 0.",
        ],
    )


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
    _, X, y, params0 = _net_problem(seed)
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

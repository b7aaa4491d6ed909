"""Demos about backpropagation: the worked two-layer example, the computational graph, and gradient checks
against finite differences (including the classic missing transpose)."""

from __future__ import annotations

import time

import numpy as np

from dlquiz.demos._result import DemoResult, Table
from dlquiz.demos._util import (
    floats,
    gradient_errors,
    in_range,
    matrix_text,
    need,
    net_problem,
    num,
    rng,
)
from dlquiz.reference import gradcheck, layers
from dlquiz.reference.losses import mse

__all__ = [
    "house_price_worked_example",
    "computational_graph",
    "backprop_vs_numerical",
    "dense_backward_check",
    "gradcheck_missing_transpose",
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


def backprop_vs_numerical(*, hidden: int = 16, seed: int = 0) -> DemoResult:
    """The same gradient two ways: 2P forward passes with finite differences vs one backward pass."""
    in_range("hidden", hidden, 1, 64)
    _, X, y, params = net_problem(seed, hidden=hidden)
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

"""Demos for the foundations: one neuron's decision boundary, XOR, and distances in high dimensions."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import DemoResult, Plot, Table
from dlquiz.demos._util import in_range, num, rng, series
from dlquiz.reference import activations as act
from dlquiz.reference import layers

__all__ = ["neuron_boundary", "perceptron_xor", "distance_concentration"]


def neuron_boundary(*, w1: float = 1.0, w2: float = 1.0) -> DemoResult:
    """A 2-D sigmoid neuron σ(w·x + b): its boundary w·x + b = 0 for b = −2, 0, 2 shifts without turning."""
    if w1 == 0 and w2 == 0:
        from dlquiz.errors import UserError

        raise UserError("'w1' and 'w2' cannot both be 0: there would be no boundary")
    xs = np.linspace(-3, 3, 61)
    curves, rows = {}, []
    W = np.array([[w1], [w2]])
    probe = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 2.0]])
    for b in (-2.0, 0.0, 2.0):
        if w2 != 0:
            curves[f"b = {b:g}"] = series(xs, -(w1 * xs + b) / w2)
        else:
            curves[f"b = {b:g}"] = series([-b / w1] * 2, [-3.0, 3.0])
        z = layers.dense_forward(probe, W, np.array([b]))[:, 0]
        rows.append([b, *[num(v) for v in act.sigmoid(z)]])
    return DemoResult(
        title="One neuron: weights turn the boundary, the bias moves it",
        summary=(
            "z = w·x + b, a = σ(z); the boundary σ = 0.5 is the line w·x + b = 0. Changing b shifts it off the "
            "origin; w sets its direction."
        ),
        code=["layers.dense_forward", "activations.sigmoid"],
        inputs={"w": f"({w1:g}, {w2:g})", "biases": "−2, 0, 2"},
        plots=[Plot("Boundary w₁x₁ + w₂x₂ + b = 0", curves, xlabel="x₁", ylabel="x₂")],
        tables=[Table("Output σ(w·x + b) at three points", ["b", "x = (0, 0)", "x = (1, 1)", "x = (−1, 2)"], rows)],
        notes=[
            "Without a bias every boundary passes through the origin.",
            "A sigmoid neuron with BCE is exactly logistic regression.",
        ],
    )


XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]


def perceptron_xor(*, epochs: int = 20, hidden: int = 2, seed: int = 0) -> DemoResult:
    """The perceptron rule cycles forever on XOR; a 2-2-1 tanh network trained by backprop gets all 4 right."""
    in_range("epochs", epochs, 1, 1000)
    in_range("hidden", hidden, 2, 16)
    X, y = np.array(XOR_X), np.array(XOR_Y)
    w, b = np.zeros(2), 0.0
    history = []
    for _ in range(epochs):
        for xi, yi in zip(X, y, strict=True):
            pred = float(xi @ w + b > 0)
            w, b = w + (yi - pred) * xi, b + (yi - pred)
        history.append(int(np.sum((X @ w + b > 0) == (y == 1))))
    best: tuple[int, float, list[float], int] | None = None  # correct, loss, outputs, restart
    for attempt in range(20):  # a few restarts: tiny nets can land in a poor local minimum
        r = rng(seed + attempt)
        params = layers.two_layer_net_init(2, hidden, r, activation="tanh")
        params["W1"] = params["W1"] * 2
        for _ in range(3000):
            _, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
            grads, _ = layers.two_layer_net_backward(cache)
            params = {k: params[k] - 0.5 * grads[k] for k in params}
        loss, cache = layers.two_layer_net_forward(X, y, params, activation="tanh")
        correct = int(np.sum((cache["y_hat"][:, 0] > 0.5) == (y == 1)))
        if best is None or correct > best[0]:
            best = (correct, float(loss), cache["y_hat"][:, 0].tolist(), attempt)
        if correct == 4:
            break
    assert best is not None  # the first restart always sets it
    return DemoResult(
        title="XOR: perceptron vs a two-layer network",
        summary=(
            "XOR is not linearly separable, so the perceptron rule w ← w + η(y − ŷ)x (here η = 1) never settles; "
            "one hidden layer with a non-linearity solves it."
        ),
        code=["layers.two_layer_net_forward", "layers.two_layer_net_backward"],
        inputs={
            "data": "XOR: (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0",
            "network": f"2 → {hidden} (tanh) → 1, MSE, GD η = 0.5, 3000 steps",
        },
        plots=[
            Plot(
                "Perceptron: points classified correctly after each epoch",
                {"perceptron": series(list(range(1, epochs + 1)), history)},
                xlabel="epoch",
            )
        ],
        tables=[
            Table(
                "Results",
                ["model", "correct of 4"],
                [
                    ["perceptron (best epoch)", max(history)],
                    ["perceptron (last epoch)", history[-1]],
                    [f"2-{hidden}-1 tanh net (restart {best[3]})", best[0]],
                ],
            ),
            Table("Network outputs", ["x", "target", "ŷ"], [[str(XOR_X[i]), XOR_Y[i], best[2][i]] for i in range(4)]),
        ],
        notes=[
            "No line separates {(0,1), (1,0)} from {(0,0), (1,1)}: the four inequalities contradict each other.",
            (
                "The universal approximation theorem says a wide enough net can represent a function, not that "
                "training will find it."
            ),
        ],
    )


def distance_concentration(*, points: int = 500, seed: int = 0) -> DemoResult:
    """Random points in d = 2 … 1000 dimensions: the nearest and farthest neighbours of a query become almost equally
    far.
    """
    in_range("points", points, 10, 5000)
    r = rng(seed)
    dims = [2, 5, 10, 50, 100, 500, 1000]
    rows, contrast = [], []
    for d in dims:
        data = r.random((points, d))
        q = r.random(d)
        dist = np.sqrt(np.sum((data - q) ** 2, axis=1))
        c = num((dist.max() - dist.min()) / dist.min())
        contrast.append(c)
        rows.append([d, num(dist.min()), num(dist.max()), c])
    return DemoResult(
        title="The curse of dimensionality: distances concentrate",
        summary=(
            "For uniform random points, (max − min)/min distance to a query falls toward 0 as d grows: 'nearest' "
            "stops meaning much."
        ),
        code=[],
        inputs={"data": f"{points} points uniform in [0, 1]^d", "query": "one more uniform point"},
        plots=[
            Plot("(max − min)/min distance", {"contrast": series(dims, contrast)}, xlabel="dimension d", log_y=True)
        ],
        tables=[Table("Distances to the query", ["d", "nearest", "farthest", "(max − min)/min"], rows)],
        notes=[
            (
                f"Typical distance grows like √(d/6): about {math.sqrt(1000 / 6):.1f} at d = 1000, with a spread "
                f"that stays O(1)."
            ),
            "Data that matters usually lies near a low-dimensional manifold, which is why deep nets still work.",
        ],
    )

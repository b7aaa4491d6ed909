"""Exercises on training and backpropagation: epochs, graphs, dense-layer gradients, deltas, gradcheck."""

from __future__ import annotations

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, dot_terms, draw, draws, integer, matrix, par, short, vec
from dlquiz.reference import activations as act
from dlquiz.reference import gradcheck, layers, training

__all__ = [
    "standardize_feature",
    "iterations_per_epoch",
    "scalar_graph_grad",
    "dense_weight_gradient",
    "hidden_delta",
    "central_difference",
]

SUB = "₀₁₂₃₄₅₆₇₈₉"
DIFFERENCE_TOLERANCE = 0.001  # central_difference: the estimate and f′ differ by a·h², often under 1 %


def standardize_feature(rng) -> Exercise:
    """Standardize a new value with the training set's mean and standard deviation."""
    train = [float(v) for v in rng.choice(np.arange(0, 21), size=4, replace=False)]
    new = float(integer(rng, 0, 25))
    mean = float(np.mean(train))
    std = float(np.std(train))
    z = (new - mean) / std
    return Exercise(
        prompt=(
            f"A feature takes the values {vec(train)} on the training set. Standardise it with the training "
            f"statistics (population standard deviation, as scikit-learn's StandardScaler): give μ, σ and the scaled "
            f"value of a test example with x = {fmt(new)}."
        ),
        answer=(mean, std, z),
        labels=("μ", "σ", "z"),
        hint="z = (x − μ)/σ with μ, σ from the training set only",
        steps=steps(
            (f"μ = ({' + '.join(fmt(v) for v in train)})/4 = {short(mean)}", "mean of the training values"),
            (f"σ = √(Σ(x − μ)²/4) = {short(std)}", "divide by N (population std)"),
            (
                f"z = ({fmt(new)} − {short(mean)})/{short(std)} = {short(z)}",
                "test data reuse the training μ and σ; refitting on them would leak",
            ),
        ),
        inputs={"train": train, "x": new},
    )


def iterations_per_epoch(rng) -> Exercise:
    """Number of mini-batches in an epoch and the size of the last one."""
    batch = choice(rng, (16, 32, 64, 100, 128, 256))
    n = batch * integer(rng, 3, 40) + integer(
        rng, 1, batch - 1
    )  # never a multiple of B: the prompt promises a smaller last batch
    sizes = [len(idx) for idx in training.minibatches(n, batch, shuffle=False)]
    return Exercise(
        prompt=(
            f"A training set has N = {n} examples and the batch size is B = {batch} (the last, smaller "
            "batch is kept). How many parameter updates make one epoch, and how many examples are in the last batch?"
        ),
        answer=(len(sizes), sizes[-1]),
        labels=("updates", "last batch"),
        tolerance=0,
        hint="⌈N/B⌉ batches; the last holds what is left over",
        steps=steps(
            (
                f"N/B = {n}/{batch} = {short(n / batch)} ⇒ ⌈N/B⌉ = {len(sizes)}",
                "one update per mini-batch; a partial batch still counts",
            ),
            (
                f"last batch = N − (⌈N/B⌉ − 1)·B = {n} − {len(sizes) - 1}×{batch} = {sizes[-1]}",
                "every example is used exactly once per epoch",
            ),
        ),
        inputs={"N": n, "B": batch},
    )


def scalar_graph_grad(rng) -> Exercise:
    """∂L/∂w and ∂L/∂b through z = w·x + b, a = σ(z), L = (a − y)²."""
    w, x, b = draw(rng, -2, 2, 1), draw(rng, -2, 2, 1), draw(rng, -1, 1, 1, avoid=())
    y = choice(rng, (0, 1))
    z = w * x + b
    a = float(act.sigmoid(z))
    da = 2 * (a - y)
    dz = da * float(act.sigmoid_grad(z))
    dw, db = dz * x, dz
    return Exercise(
        prompt=(
            f"Computational graph: z = w·x + b, a = σ(z), L = (a − y)², with w = {fmt(w)}, x = {fmt(x)}, "
            f"b = {fmt(b)}, y = {y}. Compute ∂L/∂w and ∂L/∂b by backpropagation."
        ),
        answer=(dw, db),
        labels=("∂L/∂w", "∂L/∂b"),
        hint="forward pass first, then multiply the local derivatives from L back to w",
        steps=steps(
            (
                f"forward: z = {par(w)}×{par(x)} + {par(b)} = {short(z)}, a = σ(z) = {short(a)}",
                "evaluate the graph and keep the intermediates",
            ),
            (f"∂L/∂a = 2(a − y) = {short(da)}", "local derivative of the square"),
            (
                f"∂L/∂z = ∂L/∂a · σ(z)(1 − σ(z)) = {short(da)} × {short(a * (1 - a))} = {short(dz)}",
                "through the sigmoid",
            ),
            (
                f"∂L/∂w = ∂L/∂z · x = {short(dw)};  ∂L/∂b = ∂L/∂z · 1 = {short(db)}",
                "z = w·x + b gives ∂z/∂w = x, ∂z/∂b = 1",
            ),
        ),
        inputs={"w": w, "x": x, "b": b, "y": y},
    )


def dense_weight_gradient(rng) -> Exercise:
    """One entry of dW = Xᵀ·dY and of db = Σ dY for a dense layer Y = XW + b."""
    X = [draws(rng, 3, -2, 2, 1, avoid=()) for _ in range(2)]
    dY = [draws(rng, 2, -1, 1, 1, avoid=()) for _ in range(2)]
    i, j = integer(rng, 0, 2), integer(rng, 0, 1)
    _, dW, db = layers.dense_backward(np.array(dY), np.array(X), np.zeros((3, 2)))
    column = [row[i] for row in X]
    upstream = [row[j] for row in dY]
    return Exercise(
        prompt=(
            f"A dense layer Y = XW + b maps a batch of 2 examples from 3 to 2 features. Input\n{matrix(X)}  = X "
            f"(2×3),\n"
            f"upstream gradient\n{matrix(dY)}  = ∂L/∂Y (2×2).\n"
            f"Give ∂L/∂W{SUB[i + 1]}{SUB[j + 1]} (row i = {i + 1}, column j = {j + 1}) and ∂L/∂b{SUB[j + 1]}."
        ),
        answer=(float(dW[i, j]), float(db[j])),
        labels=(f"∂L/∂W{SUB[i + 1]}{SUB[j + 1]}", f"∂L/∂b{SUB[j + 1]}"),
        hint="∂L/∂W = Xᵀ·∂L/∂Y (3×2, like W); ∂L/∂b sums ∂L/∂Y over the batch",
        steps=steps(
            (
                (
                    f"∂L/∂W{SUB[i + 1]}{SUB[j + 1]} = Σₙ X[n,{i + 1}]·∂L/∂Y[n,{j + 1}] = "
                    f"{dot_terms(column, upstream)} = {short(dW[i, j])}"
                ),
                "row i of Xᵀ (column i of X) times column j of ∂L/∂Y: each example's contribution adds up",
            ),
            (
                f"∂L/∂b{SUB[j + 1]} = Σₙ ∂L/∂Y[n,{j + 1}] = {' + '.join(par(u) for u in upstream)} = {short(db[j])}",
                "b is broadcast over the batch, so its gradient sums over it",
            ),
        ),
        inputs={"X": X, "dY": dY, "i": i + 1, "j": j + 1},
    )


def hidden_delta(rng) -> Exercise:
    """δ of a hidden sigmoid unit from its outgoing weights and the next layer's deltas."""
    z = draw(rng, -2, 2, 1, avoid=())
    w = draws(rng, 2, -1.5, 1.5, 1)
    delta = draws(rng, 2, -1, 1, 1)
    back = float(np.dot(w, delta))
    local = float(act.sigmoid_grad(z))
    result = local * back
    return Exercise(
        prompt=(
            f"A hidden sigmoid unit has pre-activation z = {fmt(z)}. It feeds two output units through weights "
            f"w = {vec(w)}, whose deltas are δ_out = {vec(delta)}. Compute its delta δ = ∂L/∂z."
        ),
        answer=(result,),
        hint="δ = σ′(z) · Σₖ wₖ·δₖ",
        steps=steps(
            (f"Σₖ wₖδₖ = {dot_terms(w, delta)} = {short(back)}", "the error flowing back along each outgoing weight"),
            (f"σ′(z) = σ({fmt(z)})(1 − σ({fmt(z)})) = {short(local)}", "the local derivative of the unit"),
            (
                f"δ = {short(local)} × {par(round(back, 6))} = {short(result)}",
                "chain rule: multiply by the local derivative",
            ),
        ),
        inputs={"z": z, "w": w, "delta_out": delta},
    )


def central_difference(rng) -> Exercise:
    """Central-difference estimate of f′(x₀) for a cubic, next to the exact derivative."""
    while True:
        a = choice(rng, (1, 2, 3, -1, -2))
        b = choice(rng, (-2, -1, 1, 2, 3))
        x0 = draw(rng, -2, 2, 1)
        h = choice(rng, (0.1, 0.2, 0.5))
        exact = 3 * a * x0**2 + 2 * b * x0
        # the estimate is off by a·h²: keep draws where that gap is well outside the tolerance, so typing
        # the exact derivative as the estimate (or the other way round) is marked wrong
        if abs(a * h * h) > 3 * DIFFERENCE_TOLERANCE * max(abs(exact), abs(exact + a * h * h)):
            break

    def f(x):
        return float(a * x[0] ** 3 + b * x[0] ** 2)

    numeric = float(gradcheck.numerical_gradient(f, np.array([x0]), h=h)[0])
    return Exercise(
        prompt=(
            f"f(x) = a·x³ + b·x² with a = {fmt(a)}, b = {fmt(b)}. Estimate f′({fmt(x0)}) with the central difference "
            f"(f(x₀ + h) − f(x₀ − h))/2h, h = {fmt(h)}, and compute the exact f′({fmt(x0)})."
        ),
        answer=(numeric, exact),
        labels=("estimate", "exact"),
        tolerance=DIFFERENCE_TOLERANCE,
        hint="for a cubic the central difference is off by exactly a·h²",
        steps=steps(
            (
                f"f({short(x0 + h)}) = {short(f([x0 + h]))},  f({short(x0 - h)}) = {short(f([x0 - h]))}",
                "evaluate on both sides of x₀",
            ),
            (
                f"estimate = ({short(f([x0 + h]))} − {par(round(f([x0 - h]), 6))})/{fmt(2 * h)} = {short(numeric)}",
                "the even Taylor terms cancel, leaving an error of h²·f‴/6",
            ),
            (
                f"f′(x) = 3a·x² + 2b·x ⇒ f′({fmt(x0)}) = {short(exact)};  difference = {short(numeric - exact)} = a·h²",
                f"f‴ = 6a, so the error is h²·6a/6 = {fmt(a)} × {fmt(h)}²",
            ),
        ),
        inputs={"a": a, "b": b, "x0": x0, "h": h},
    )

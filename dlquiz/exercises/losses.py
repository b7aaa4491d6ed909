"""Exercises on loss functions: MSE, Huber, binary and categorical cross-entropy and their gradients."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draw, draws, integer, par, short, vec
from dlquiz.reference import activations as act
from dlquiz.reference import losses

__all__ = ["mse_and_gradient", "huber_loss", "bce_loss", "sigmoid_bce_gradient", "cross_entropy_loss"]


def mse_and_gradient(rng) -> Exercise:
    """MSE of three predictions and its gradient with respect to the first one."""
    y_hat = draws(rng, 3, -2, 3, 1, avoid=())
    y = draws(rng, 3, -2, 3, 1, avoid=())
    if y_hat[0] == y[0]:
        y[0] = round(y[0] + 0.5, 1)
    p, t = np.array(y_hat), np.array(y)
    loss = float(losses.mse(p, t))
    grad = float(losses.mse_grad(p, t)[0])
    residuals = p - t
    return Exercise(
        prompt=(
            f"Predictions ŷ = {vec(y_hat)}, targets y = {vec(y)}. Compute the mean squared error "
            "L = (1/N)·Σ(ŷᵢ − yᵢ)² and its gradient ∂L/∂ŷ₁."
        ),
        answer=(loss, grad),
        labels=("L", "∂L/∂ŷ₁"),
        hint="∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/N",
        steps=steps(
            (f"ŷ − y = {vec(round(r, 6) for r in residuals)}", "the residuals"),
            (
                f"L = ({' + '.join(f'{par(round(r, 6))}²' for r in residuals)})/3 = {short(loss)}",
                "mean of the squared residuals (PyTorch's default mean reduction)",
            ),
            (
                f"∂L/∂ŷ₁ = 2(ŷ₁ − y₁)/3 = 2 × {par(round(residuals[0], 6))}/3 = {short(grad)}",
                "only the first term depends on ŷ₁; the 1/N of the mean stays in the gradient",
            ),
        ),
        inputs={"y_hat": y_hat, "y": y},
    )


_HUBER_WHY = {
    True: "inside δ the loss is quadratic, like MSE",
    False: "beyond δ it grows only linearly, so an outlier pulls less than under MSE",
}


def huber_loss(rng) -> Exercise:
    """Huber loss of two residuals, one inside and one usually outside δ."""
    delta = choice(rng, (0.5, 1.0, 1.5))
    y_hat = draws(rng, 2, -3, 3, 1, avoid=())
    y = draws(rng, 2, -3, 3, 1, avoid=())
    loss = float(losses.huber(np.array(y_hat), np.array(y), delta=delta))
    parts = []
    for p, t in zip(y_hat, y, strict=True):
        d = abs(p - t)
        if d < delta:
            parts.append((f"|{short(d)}| < δ: ½·{short(d)}² = {short(0.5 * d * d)}", 0.5 * d * d))
        else:
            parts.append(
                (
                    (
                        f"|{short(d)}| ≥ δ: δ(|d| − ½δ) = {fmt(delta)}×({short(d)} − {fmt(delta / 2)}) = "
                        f"{short(delta * (d - delta / 2))}"
                    ),
                    delta * (d - delta / 2),
                )
            )
    return Exercise(
        prompt=(
            f"Huber loss with δ = {fmt(delta)}, mean over the elements: per residual d = ŷ − y it is ½d² "
            f"if |d| < δ, else δ(|d| − ½δ). Predictions ŷ = {vec(y_hat)}, targets y = {vec(y)}. Compute the loss."
        ),
        answer=(loss,),
        hint="quadratic near zero, linear (slope δ) beyond δ",
        steps=steps(
            *(
                (f"element {n}: {text}", _HUBER_WHY[text.split(":")[0].endswith("< δ")])
                for n, (text, _) in enumerate(parts, 1)
            ),
            (f"L = ({short(parts[0][1])} + {short(parts[1][1])})/2 = {short(loss)}", "mean reduction"),
        ),
        inputs={"delta": delta, "y_hat": y_hat, "y": y},
    )


def bce_loss(rng) -> Exercise:
    """Binary cross-entropy of two predicted probabilities."""
    p = draws(rng, 2, 0.05, 0.95, 2)
    y = [integer(rng, 0, 1) for _ in range(2)]
    loss = float(losses.binary_cross_entropy(np.array(p), np.array(y, dtype=float)))
    terms = []
    for pi, yi in zip(p, y, strict=True):
        terms.append((f"−ln({fmt(pi)})" if yi == 1 else f"−ln(1 − {fmt(pi)})", -math.log(pi if yi == 1 else 1 - pi)))
    return Exercise(
        prompt=(
            f"A classifier outputs probabilities p = {vec(p)} for two examples with labels y = {vec(y)}. "
            "Compute the binary cross-entropy L = −(1/N)·Σ[y·ln p + (1 − y)·ln(1 − p)] (natural log)."
        ),
        answer=(loss,),
        hint="for y = 1 the term is −ln p, for y = 0 it is −ln(1 − p)",
        steps=steps(
            (
                f"terms: {terms[0][0]} = {short(terms[0][1])}, {terms[1][0]} = {short(terms[1][1])}",
                "each example keeps only the log-probability of its true label",
            ),
            (f"L = ({short(terms[0][1])} + {short(terms[1][1])})/2 = {short(loss)}", "mean over the examples"),
        ),
        inputs={"p": p, "y": y},
    )


def sigmoid_bce_gradient(rng) -> Exercise:
    """∂L/∂z of sigmoid + binary cross-entropy for one example."""
    z = draw(rng, -3, 3, 1)
    y = integer(rng, 0, 1)
    grad = float(losses.binary_cross_entropy_with_logits_grad(np.array([z]), np.array([float(y)]))[0])
    s = float(act.sigmoid(z))
    return Exercise(
        prompt=(
            f"One example with logit z = {fmt(z)} and label y = {y}; p = σ(z) and the loss is binary "
            "cross-entropy. Compute ∂L/∂z."
        ),
        answer=(grad,),
        hint="the sigmoid's derivative cancels the 1/(p(1 − p)) of the loss",
        steps=steps(
            (f"p = σ({fmt(z)}) = {short(s)}", "the predicted probability"),
            (f"∂L/∂z = p − y = {short(s)} − {y} = {short(grad)}", "∂L/∂p = (p − y)/(p(1 − p)) times σ′ = p(1 − p)"),
        ),
        inputs={"z": z, "y": y},
    )


def cross_entropy_loss(rng) -> Exercise:
    """Softmax cross-entropy of three logits and one entry of its gradient."""
    while True:
        logits = draws(rng, 3, -2, 3, 1, avoid=())
        label = integer(rng, 0, 2)
        j = integer(rng, 0, 2)
        z = np.array([logits])
        target = np.array([label])
        loss = float(losses.cross_entropy(z, target))
        # L = log Σ eᶻ − z_true: below 0.1 the subtraction leaves too few of a rounded log-sum-exp's digits
        if loss >= 0.1:
            break
    grad = float(losses.cross_entropy_grad(z, target)[0, j])
    p = act.softmax(np.array(logits))
    lse = math.log(sum(math.exp(v) for v in logits))
    sub = "₁₂₃"
    delta = 1 if j == label else 0
    return Exercise(
        prompt=(
            f"Logits z = {vec(logits)} for classes 1, 2, 3; the true class is {label + 1}. Compute the "
            f"cross-entropy loss L = −ln softmax(z)[{label + 1}] (natural log) and the gradient ∂L/∂z{sub[j]}."
        ),
        answer=(loss, grad),
        labels=("L", f"∂L/∂z{sub[j]}"),
        hint="L = log Σ eᶻ − z_true; ∂L/∂z = softmax(z) − one_hot(true class)",
        steps=steps(
            (
                f"log Σ eᶻ = ln({' + '.join(f'e^{par(v)}' for v in logits)}) = {short(lse)}",
                "the log-sum-exp of the logits",
            ),
            (f"L = {short(lse)} − {par(logits[label])} = {short(loss)}", "−ln pₖ = log Σ eᶻ − zₖ for the true class k"),
            (f"p = softmax(z) = {vec(round(float(v), 5) for v in p)}", "the predicted probabilities"),
            (
                f"∂L/∂z{sub[j]} = p{sub[j]} − {delta} = {short(grad)}",
                "the gradient of softmax + cross-entropy is p − y (one-hot y)",
            ),
        ),
        inputs={"z": logits, "label": label + 1},
    )

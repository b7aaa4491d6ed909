"""Exercises on recurrent networks: one RNN, LSTM and GRU step, and an LSTM's parameter count."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.exercises._base import DEFAULT_TOLERANCE, Exercise, fmt, steps
from dlquiz.exercises._draw import choice, dot_terms, draw, draws, par, short, vec
from dlquiz.notation import sup
from dlquiz.reference import recurrent

__all__ = ["rnn_step", "bptt_two_steps", "lstm_step", "gru_step", "lstm_param_count", "cell_gradient_decay"]

MIN_STATE = 0.05  # lstm_step, gru_step: smallest new state they ask for (its terms must not cancel)


def _sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a))


def rnn_step(rng) -> Exercise:
    """h′ = tanh(wₓ·x + wₕ·h + b) for a one-unit RNN with a 2-D input."""
    x = draws(rng, 2, -2, 2, 1)
    wx = draws(rng, 2, -1.5, 1.5, 1)
    h = draw(rng, -1, 1, 1, avoid=())
    wh = draw(rng, -1.5, 1.5, 1)
    b = draw(rng, -0.5, 0.5, 1, avoid=())
    new = float(
        recurrent.rnn_cell_forward(
            np.array([x]), np.array([[h]]), np.array(wx).reshape(2, 1), np.array([[wh]]), np.array([b])
        )[0, 0]
    )
    a = float(np.dot(wx, x) + wh * h + b)
    return Exercise(
        prompt=(
            f"A vanilla RNN with one hidden unit: h′ = tanh(wₓ·x + wₕ·h + b), with wₓ = {vec(wx)}, wₕ = {fmt(wh)}, "
            f"b = {fmt(b)}. The previous state is h = {fmt(h)} and the input x = {vec(x)}. Compute h′."
        ),
        answer=(new,),
        hint="the same weights are used at every time step",
        steps=steps(
            (
                f"a = {dot_terms(wx, x)} + {par(wh)}×{par(h)} + {par(b)} = {short(a)}",
                "input and previous state, each through its own weights",
            ),
            (f"h′ = tanh({short(a)}) = {short(new)}", "squashed into (−1, 1)"),
        ),
        inputs={"x": x, "wx": wx, "h": h, "wh": wh, "b": b},
    )


def bptt_two_steps(rng) -> Exercise:
    """∂L/∂wₕ of a one-unit tanh RNN unrolled over two steps, with L = h₂."""
    while True:
        x1, x2 = draws(rng, 2, -1.5, 1.5, 1)
        wx = draw(rng, -1.5, 1.5, 1)
        wh = draw(rng, -1.5, 1.5, 1)
        h0 = draw(rng, -1, 1, 1)
        xs = np.array([[[x1]], [[x2]]])
        dhs = np.array([[[0.0]], [[1.0]]])  # L = h₂: only the last state gets an outside gradient
        args = (xs, np.array([[h0]]), np.array([[wx]]), np.array([[wh]]), np.zeros(1))
        hs = recurrent.rnn_forward(*args)
        _, _, _, dWh, _ = recurrent.rnn_backward(dhs, *args)
        h1, h2 = float(hs[0, 0, 0]), float(hs[1, 0, 0])
        da2 = 1 - h2 * h2
        da1 = da2 * wh * (1 - h1 * h1)
        # the two per-step terms must not nearly cancel, or 1 % of the sum is below their rounding; and
        # the earlier step's term must matter, or keeping only the last step would be graded right
        total = abs(dWh[0, 0])
        if total >= 0.1 * (abs(h1 * da2) + abs(h0 * da1)) and abs(h0 * da1) > 3 * DEFAULT_TOLERANCE * total:
            break
    return Exercise(
        prompt=(
            f"A one-unit RNN hₜ = tanh(wₓ·xₜ + wₕ·h_(t−1)) (no bias) with wₓ = {fmt(wx)}, wₕ = {fmt(wh)} runs from "
            f"h₀ = {fmt(h0)} over the inputs x₁ = {fmt(x1)}, x₂ = {fmt(x2)}. The loss is L = h₂. Compute ∂L/∂wₕ by "
            "backpropagation through time."
        ),
        answer=(float(dWh[0, 0]),),
        hint="wₕ is used at both steps: add up h_(t−1)·∂L/∂aₜ over t, where aₜ is the pre-activation",
        steps=steps(
            (
                (
                    f"forward: h₁ = tanh({par(wx)}×{par(x1)} + {par(wh)}×{par(h0)}) = {short(h1)};  h₂ = "
                    f"tanh({par(wx)}×{par(x2)} + {par(wh)}×{par(round(h1, 5))}) = {short(h2)}"
                ),
                "keep every state for the backward pass",
            ),
            (f"∂L/∂a₂ = 1 − h₂² = {short(da2)}", "through the last tanh"),
            (
                f"∂L/∂a₁ = ∂L/∂a₂ · wₕ · (1 − h₁²) = {short(da1)}",
                "back along the recurrence, then through the first tanh",
            ),
            (
                f"∂L/∂wₕ = h₁·∂L/∂a₂ + h₀·∂L/∂a₁ = {short(h1 * da2)} + {par(round(h0 * da1, 6))} = {short(dWh[0, 0])}",
                "a shared weight collects one term per time step",
            ),
        ),
        inputs={"wx": wx, "wh": wh, "h0": h0, "x1": x1, "x2": x2},
    )


def lstm_step(rng) -> Exercise:
    """c′ and h′ of a one-unit LSTM from its four gate pre-activations."""
    while True:
        a_i, a_f, a_g, a_o = draws(rng, 4, -2, 2, 1, avoid=())
        c = draw(rng, -1.5, 1.5, 1, avoid=())
        h_new, c_new = recurrent.lstm_cell_forward(
            np.array([[1.0]]),
            np.zeros((1, 1)),
            np.array([[c]]),
            np.array([[a_i, a_f, a_g, a_o]]),
            np.zeros((1, 4)),
            np.zeros(4),
        )
        c_next, h_next = float(c_new[0, 0]), float(h_new[0, 0])
        # f·c and i·g nearly cancelling would need more digits than 1 % allows; and h′ = o·c′ (the
        # forgotten tanh) must be graded wrong, which it is not while tanh(c′) ≈ c′
        if abs(c_next) >= MIN_STATE and abs(_sigmoid(a_o) * c_next - h_next) > 3 * DEFAULT_TOLERANCE * abs(h_next):
            break
    i, f, g, o = _sigmoid(a_i), _sigmoid(a_f), math.tanh(a_g), _sigmoid(a_o)
    return Exercise(
        prompt=(
            f"One LSTM step for a single unit. The gate pre-activations are aᵢ = {fmt(a_i)}, a_f = {fmt(a_f)}, "
            f"a_g = {fmt(a_g)}, aₒ = {fmt(a_o)} and the previous cell state is c = {fmt(c)}. Compute the new "
            "cell state c′ and hidden state h′."
        ),
        answer=(float(c_new[0, 0]), float(h_new[0, 0])),
        labels=("c′", "h′"),
        hint="i, f, o = σ(a); g = tanh(a_g); c′ = f·c + i·g; h′ = o·tanh(c′)",
        steps=steps(
            (
                f"i = σ({fmt(a_i)}) = {short(i)}, f = σ({fmt(a_f)}) = {short(f)}, o = σ({fmt(a_o)}) = {short(o)}",
                "the input, forget and output gates, each in (0, 1)",
            ),
            (f"g = tanh({fmt(a_g)}) = {short(g)}", "the candidate value, in (−1, 1)"),
            (
                f"c′ = {short(f)} × {par(c)} + {short(i)} × {par(round(g, 6))} = {short(c_new[0, 0])}",
                "keep part of the old cell, write part of the candidate: an additive update",
            ),
            (
                f"h′ = {short(o)} × tanh({short(c_new[0, 0])}) = {short(h_new[0, 0])}",
                "the output gate decides how much of the cell to show",
            ),
        ),
        inputs={"a_i": a_i, "a_f": a_f, "a_g": a_g, "a_o": a_o, "c": c},
    )


def gru_step(rng) -> Exercise:
    """h′ of a one-unit GRU (PyTorch's form) from its gate pre-activations."""
    while True:
        a_r, a_z = draws(rng, 2, -2, 2, 1, avoid=())
        x_n, h_n = draws(rng, 2, -1.5, 1.5, 1, avoid=())
        h = draw(rng, -1, 1, 1, avoid=())
        new = float(
            recurrent.gru_cell_forward(
                np.array([[1.0]]),
                np.array([[h]]),
                np.array([[a_r, a_z, x_n]]),
                np.zeros((1, 3)),
                np.zeros(3),
                np.array([0.0, 0.0, h_n]),
            )[0, 0]
        )
        # (1 − z)·n and z·h nearly cancelling: see lstm_step; and swapping z and 1 − z (the other
        # papers' convention) must be graded wrong
        z = _sigmoid(a_z)
        swapped = z * math.tanh(x_n + _sigmoid(a_r) * h_n) + (1 - z) * h
        if abs(new) >= MIN_STATE and abs(swapped - new) > 3 * DEFAULT_TOLERANCE * abs(new):
            break
    r, z = _sigmoid(a_r), _sigmoid(a_z)
    n = math.tanh(x_n + r * h_n)
    return Exercise(
        prompt=(
            f"One GRU step for a single unit (PyTorch's form). Reset and update gate pre-activations: aᵣ = {fmt(a_r)}, "
            f"a_z = {fmt(a_z)}. The candidate's input part is {fmt(x_n)} and its hidden part (h·W_hn + b_hn) is "
            f"{fmt(h_n)}; the previous state is h = {fmt(h)}. Compute h′."
        ),
        answer=(new,),
        hint="r, z = σ(a); n = tanh(input part + r·hidden part); h′ = (1 − z)·n + z·h",
        steps=steps(
            (f"r = σ({fmt(a_r)}) = {short(r)}, z = σ({fmt(a_z)}) = {short(z)}", "the reset and update gates"),
            (
                f"n = tanh({fmt(x_n)} + {short(r)} × {par(h_n)}) = {short(n)}",
                "the reset gate scales the hidden contribution to the candidate",
            ),
            (
                f"h′ = (1 − {short(z)}) × {par(round(n, 6))} + {short(z)} × {par(h)} = {short(new)}",
                "z interpolates between the candidate and the old state",
            ),
        ),
        inputs={"a_r": a_r, "a_z": a_z, "x_n": x_n, "h_n": h_n, "h": h},
    )


def lstm_param_count(rng) -> Exercise:
    """Parameters of one LSTM layer with PyTorch's two bias vectors."""
    d = choice(rng, (1, 10, 32, 50, 100, 128, 300, 512))
    h = choice(rng, (16, 32, 64, 100, 128, 256, 512))
    count = recurrent.lstm_param_count(d, h)
    return Exercise(
        prompt=(
            f"An LSTM layer (PyTorch's nn.LSTM, with both bias vectors b_ih and b_hh) has input size D = {d} and "
            f"hidden size H = {h}. How many parameters does it have?"
        ),
        answer=(count,),
        tolerance=0,
        unit="parameters",
        hint="4 gates, each with D×H input weights, H×H recurrent weights and 2·H biases",
        steps=steps(
            (
                f"per gate: D·H + H·H + 2H = {d * h} + {h * h} + {2 * h} = {d * h + h * h + 2 * h}",
                "input weights, recurrent weights, two biases",
            ),
            (
                f"4 gates: 4 × {d * h + h * h + 2 * h} = {count}",
                "i, f, g, o; with one bias vector it would be 4H(D + H + 1)",
            ),
        ),
        inputs={"D": d, "H": h},
    )


def cell_gradient_decay(rng) -> Exercise:
    """Gradient kept over T steps along an LSTM's cell (Π f) versus a vanilla RNN's state (s^T)."""
    while True:
        forget = choice(rng, (0.9, 0.95, 0.99, 0.999))
        rnn = choice(rng, (0.5, 0.8, 0.9))
        span = choice(rng, (10, 20, 50, 100))
        if rnn**span >= 1e-10:  # below TINY an answer is graded as a zero, and 1e−5 would pass for 8e−31
            break
    lstm_factor = float(np.prod(np.full(span, forget)))
    rnn_factor = float(np.prod(np.full(span, rnn)))
    return Exercise(
        prompt=(
            f"Over T = {span} steps, an LSTM's forget gate stays at f = {fmt(forget)}, so ∂c_T/∂c₀ = Π fₜ. A "
            f"vanilla RNN's "
            f"Jacobian ∂hₜ/∂h_(t−1) has norm about {fmt(rnn)} at every step. Give the factor for each."
        ),
        answer=(lstm_factor, rnn_factor),
        labels=("LSTM Π f", "RNN"),
        hint="both are products of T equal factors",
        steps=steps(
            (
                f"LSTM: {fmt(forget)}{sup(span)} = {short(lstm_factor)}",
                "cₜ = f⊙c_(t−1) + i⊙g: the direct path multiplies by f only, no Wₕ, no tanh′",
            ),
            (
                f"RNN: {fmt(rnn)}{sup(span)} = {short(rnn_factor)}",
                "each step multiplies by diag(1 − h²)·Wₕᵀ: the gradient from early inputs vanishes",
            ),
        ),
        inputs={"f": forget, "s": rnn, "T": span},
    )

"""Demos about recurrent networks: order sensitivity, BPTT, long-range gradients, LSTM and GRU cells."""

from __future__ import annotations

import math

import numpy as np

from dlquiz.demos._result import Cell, DemoResult, Plot, Table
from dlquiz.demos._util import (
    gradient_errors,
    in_range,
    matrix_text,
    num,
    rng,
    series,
    steps_axis,
)
from dlquiz.reference import activations as act
from dlquiz.reference import recurrent as rec

__all__ = [
    "rnn_order",
    "bptt_check",
    "rnn_gradient_decay",
    "lstm_step",
    "lstm_memory",
    "gru_vs_lstm_params",
    "bidirectional_rnn",
]


def _rnn_weights(r, D: int, H: int, scale: float = 1.0):
    return r.standard_normal((D, H)) / math.sqrt(D), r.standard_normal((H, H)) * scale / math.sqrt(H), np.zeros(H)


def rnn_order(*, steps: int = 5, hidden: int = 4, seed: int = 0) -> DemoResult:
    """The same inputs in forward and reversed order end in different hidden states: an RNN reads order."""
    in_range("steps", steps, 2, 50)
    in_range("hidden", hidden, 1, 32)
    r = rng(seed)
    xs = r.standard_normal((steps, 1, 3))
    Wx, Wh, b = _rnn_weights(r, 3, hidden)
    h0 = np.zeros((1, hidden))
    fwd = rec.rnn_forward(xs, h0, Wx, Wh, b)
    rev = rec.rnn_forward(xs[::-1], h0, Wx, Wh, b)
    mean_only = xs.mean(axis=0)
    return DemoResult(
        title="An RNN depends on order",
        summary=(
            "hₜ = tanh(xₜWₓ + hₜ₋₁Wₕ + b) with the same weights at every step: the final state summarises the "
            "sequence in order, unlike an average."
        ),
        code=["recurrent.rnn_forward", "recurrent.rnn_cell_forward"],
        inputs={"sequence": f"{steps} steps × 3 features, random", "weights": "shared across all steps"},
        tables=[
            Table(
                "Final hidden state",
                ["reading order", "h_T"],
                [
                    ["forward", matrix_text(fwd[-1, 0], 4)],
                    ["reversed", matrix_text(rev[-1, 0], 4)],
                    ["‖difference‖", f"{num(np.linalg.norm(fwd[-1] - rev[-1])):.4g}"],
                ],
            ),
            Table(
                "For contrast: an order-blind summary",
                ["reading order", "mean of xₜ"],
                [["forward", matrix_text(mean_only[0], 4)], ["reversed", matrix_text(xs[::-1].mean(axis=0)[0], 4)]],
            ),
        ],
        notes=["The unrolled RNN is a deep network whose layers share one set of weights; it handles any length."],
    )


def bptt_check(*, steps: int = 6, hidden: int = 4, scale: float = 1.0, seed: int = 0) -> DemoResult:
    """rnn_backward (BPTT) against finite differences at T = 6, and ‖∂L/∂hₜ‖ as the gradient flows back."""
    in_range("steps", steps, 1, 50)
    in_range("hidden", hidden, 1, 16)
    in_range("scale", scale, 0.0, 5.0)
    r = rng(seed)
    D = 3
    xs, h0 = r.standard_normal((steps, 2, D)), r.standard_normal((2, hidden)) * 0.1
    Wx, Wh, b = _rnn_weights(r, D, hidden, scale)
    dhs = np.zeros((steps, 2, hidden))
    dhs[-1] = r.standard_normal((2, hidden))  # the loss reads only the last state: L = Σ h_T ⊙ G

    def loss(Wx, Wh, b):
        return np.sum(rec.rnn_forward(xs, h0, Wx, Wh, b)[-1] * dhs[-1])

    _, _, dWx, dWh, db = rec.rnn_backward(dhs, xs, h0, Wx, Wh, b)
    errors = gradient_errors(loss, {"Wx": Wx, "Wh": Wh, "b": b}, {"Wx": dWx, "Wh": dWh, "b": db})
    names = {"Wx": "∂L/∂Wₓ", "Wh": "∂L/∂Wₕ", "b": "∂L/∂b"}
    hs = rec.rnn_forward(xs, h0, Wx, Wh, b)
    norms = []
    for t in range(steps):  # ∂L/∂hₜ = dh0 of the sub-sequence that starts from hₜ
        if t == steps - 1:
            norms.append(num(np.linalg.norm(dhs[-1])))
        else:
            norms.append(num(np.linalg.norm(rec.rnn_backward(dhs[t + 1 :], xs[t + 1 :], hs[t], Wx, Wh, b)[1])))
    return DemoResult(
        title="Backpropagation through time",
        summary=(
            "Unroll, backpropagate step by step, and sum the shared weights' gradients over time; the result "
            "matches finite differences."
        ),
        code=["recurrent.rnn_backward", "gradcheck.numerical_gradient"],
        inputs={"sequence": f"T = {steps}, batch 2, 3 features", "loss": "L = Σ h_T ⊙ G (only the last state)"},
        tables=[
            Table("Gradient check", ["gradient", "relative error"], [[names[k], errors[k]] for k in names]),
            Table("Gradient reaching each hidden state", ["t", "‖∂L/∂hₜ‖"], [[t + 1, v] for t, v in enumerate(norms)]),
        ],
        plots=[
            Plot(
                "‖∂L/∂hₜ‖ going back in time",
                {"‖∂L/∂hₜ‖": series(steps_axis(steps, 1), norms)},
                xlabel="t",
                log_y=True,
            )
        ]
        if steps > 2
        else [],
        notes=[
            (
                "Each step back multiplies by diag(1 − hₜ²)·Wₕᵀ; truncated BPTT stops after k steps to save time "
                "and memory."
            )
        ],
    )


def rnn_gradient_decay(*, steps: int = 50, hidden: int = 16, seed: int = 0) -> DemoResult:
    """‖∂h_T/∂h₀‖ for Wₕ = s·(orthogonal), s = 0.9, 1.0, 1.1: it behaves like s^T."""
    in_range("steps", steps, 1, 200)
    in_range("hidden", hidden, 2, 64)
    r = rng(seed)
    Q, _ = np.linalg.qr(r.standard_normal((hidden, hidden)))
    xs = r.standard_normal((steps, 1, hidden)) * 1e-3  # tiny inputs keep tanh in its linear range
    Wx, b = np.eye(hidden), np.zeros(hidden)
    curves = {}
    rows: list[list[Cell]] = []
    for s in (0.9, 1.0, 1.1):
        Wh = s * Q
        hs = rec.rnn_forward(xs, np.zeros((1, hidden)), Wx, Wh, b)
        J = np.eye(hidden)
        norms = []
        for t in range(steps):  # ∂hₜ/∂hₜ₋₁ = diag(1 − hₜ²)·Wₕᵀ (row convention h' = tanh(hWₕ + …))
            J = (1 - hs[t, 0] ** 2)[:, None] * Wh.T @ J
            norms.append(num(np.linalg.norm(J, 2)))
        curves[f"s = {s:g}"] = series(steps_axis(steps, 1), norms)
        rows.append([s, norms[-1], s**steps])
    return DemoResult(
        title="Long-range gradients in a vanilla RNN",
        summary="∂h_T/∂h₀ is a product of T Jacobians diag(1 − h²)·Wₕᵀ: with ‖Wₕ‖ = s it shrinks or grows like s^T.",
        code=["recurrent.rnn_forward"],
        inputs={"Wₕ": f"s × a random {hidden} × {hidden} orthogonal matrix", "inputs": "tiny (tanh′ ≈ 1)"},
        plots=[Plot("‖∂hₜ/∂h₀‖ (spectral norm)", curves, xlabel="t", log_y=True)],
        tables=[Table(f"At T = {steps}", ["s", "‖∂h_T/∂h₀‖", "s^T"], rows)],
        notes=[
            "With s = 1.1 the state grows, tanh′ drops below 1 and ‖∂h_T/∂h₀‖ stays under s^T: saturation damps "
            "the explosion. Real activations make tanh′ < 1, so vanishing is even stronger; old inputs stop "
            "influencing the state.",
            "Explosion (s > 1) is handled by clipping; vanishing needs a different cell (LSTM, GRU) or attention.",
        ],
    )


def _gates(x, h, Wx, Wh, b):
    a = x @ Wx + h @ Wh + b
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=-1)
    return a, act.sigmoid(a_i), act.sigmoid(a_f), act.tanh(a_g), act.sigmoid(a_o)


LSTM_X = [[1.0, -1.0]]
LSTM_H = [[0.5, -0.5]]
LSTM_C = [[1.0, 2.0]]


def lstm_step(*, forget_bias: float = 1.0) -> DemoResult:
    """One LSTM step with D = H = 2: the pre-activations, the gates i, f, g, o, then c′ and h′."""
    x, h, c = np.array(LSTM_X), np.array(LSTM_H), np.array(LSTM_C)
    Wx = np.array([[0.5, -0.2, 0.1, 0.3, 0.4, -0.1, 0.2, 0.0], [0.1, 0.4, -0.3, 0.2, 0.0, 0.5, -0.4, 0.1]])
    Wh = np.array([[0.2, 0.1, 0.0, -0.2, 0.3, 0.1, 0.1, 0.2], [-0.1, 0.3, 0.2, 0.1, -0.2, 0.0, 0.3, -0.3]])
    b = np.zeros(8)
    b[2:4] = forget_bias
    h_new, c_new = rec.lstm_cell_forward(x, h, c, Wx, Wh, b)
    a, i, f, g, o = _gates(x, h, Wx, Wh, b)
    rows = [
        ["a = xWₓ + hWₕ + b", "(1, 8)", matrix_text(a[0], 4)],
        ["i = σ(a[0:2])  input gate", "(1, 2)", matrix_text(i[0], 4)],
        ["f = σ(a[2:4])  forget gate", "(1, 2)", matrix_text(f[0], 4)],
        ["g = tanh(a[4:6])  candidate", "(1, 2)", matrix_text(g[0], 4)],
        ["o = σ(a[6:8])  output gate", "(1, 2)", matrix_text(o[0], 4)],
        ["c′ = f ⊙ c + i ⊙ g", "(1, 2)", matrix_text(c_new[0], 4)],
        ["h′ = o ⊙ tanh(c′)", "(1, 2)", matrix_text(h_new[0], 4)],
    ]
    return DemoResult(
        title="One LSTM step, gate by gate",
        summary=(
            "Four gates from the same input and previous state (order i, f, g, o); the cell is updated additively, "
            "c′ = f⊙c + i⊙g, and h′ = o⊙tanh(c′)."
        ),
        code=["recurrent.lstm_cell_forward"],
        inputs={
            "x": str(LSTM_X),
            "h": str(LSTM_H),
            "c": str(LSTM_C),
            "Wₓ (2, 8)": matrix_text(Wx),
            "Wₕ (2, 8)": matrix_text(Wh),
            "b": f"0, forget block = {forget_bias:g}",
        },
        tables=[
            Table("Step by step", ["quantity", "shape", "value"], rows),
            Table(
                "Check",
                ["", "value"],
                [
                    ["max |c′ − (f⊙c + i⊙g)|", num(np.max(np.abs(c_new - (f * c + i * g))))],
                    ["max |h′ − o⊙tanh(c′)|", num(np.max(np.abs(h_new - o * np.tanh(c_new))))],
                ],
            ),
        ],
        notes=[
            (
                f"Parameters: 4H(D + H) + 4H = {4 * 2 * (2 + 2) + 4 * 2} here; PyTorch keeps two bias vectors, 4H(D "
                f"+ H) + 8H = {rec.lstm_param_count(2, 2)}."
            ),
            (
                f"A forget bias of {forget_bias:g} gives f = σ({forget_bias:g}) ≈ "
                f"{num(act.sigmoid(forget_bias)):.2f} before the weights contribute"
            )
            + (
                ", so a fresh cell leans toward remembering."
                if forget_bias > 0
                else "; a bias near 1 is the usual start, leaning toward remembering."
            ),
        ],
    )


def lstm_memory(
    *, steps: int = 100, forget: float = 0.99, rnn_scale: float = 0.9, hidden: int = 8, seed: int = 0
) -> DemoResult:
    """Over 100 steps: with f = 1, i = 0 the cell is copied unchanged; f = 0.99 keeps 0.99^100 ≈ 0.37; an RNN with ‖Wₕ‖
    = 0.9 keeps ~3e−5.
    """
    in_range("steps", steps, 1, 1000)
    in_range("forget", forget, 0.001, 1.0)  # σ⁻¹(f) sets the bias: f = 0 has none
    in_range("rnn_scale", rnn_scale, 0.01, 1.5)
    in_range("hidden", hidden, 1, 32)
    r = rng(seed)
    H, D = hidden, 3
    xs = r.standard_normal((steps, 1, D))
    big = 30.0  # a saturating bias: σ(±30) is 1 or 0 to 1e−13

    def lstm_bias(f_value):
        b = np.zeros(4 * H)
        b[:H] = -big  # input gate closed: i = 0
        b[H : 2 * H] = math.log(f_value / (1 - f_value)) if f_value < 1 else big  # σ⁻¹(f)
        b[3 * H :] = big  # output gate open
        return b

    Wx, Wh = np.zeros((D, 4 * H)), np.zeros((H, 4 * H))
    c0 = r.standard_normal((1, H))
    curves = {}
    rows: list[list[Cell]] = []
    for name, f_value in (("LSTM f = 1, i = 0", 1.0), (f"LSTM f = {forget:g}", forget)):
        hs, cs = rec.lstm_forward(xs, np.zeros((1, H)), c0, Wx, Wh, lstm_bias(f_value))
        ratio = np.linalg.norm(cs[:, 0], axis=1) / np.linalg.norm(c0)
        curves[name] = series(steps_axis(steps, 1), ratio)
        rows.append([name, num(ratio[-1]), f"f^T = {f_value**steps:.3g}"])
    Q, _ = np.linalg.qr(r.standard_normal((H, H)))
    hs = rec.rnn_forward(xs * 1e-4, np.zeros((1, H)), np.zeros((D, H)), rnn_scale * Q, np.zeros(H))
    J = np.eye(H)
    rnn_norms = []
    for t in range(steps):
        J = (1 - hs[t, 0] ** 2)[:, None] * (rnn_scale * Q).T @ J
        rnn_norms.append(num(np.linalg.norm(J, 2)))
    curves[f"RNN ‖Wₕ‖ = {rnn_scale:g} (‖∂hₜ/∂h₀‖)"] = series(steps_axis(steps, 1), rnn_norms)
    rows.append([f"RNN ‖Wₕ‖ = {rnn_scale:g}", rnn_norms[-1], f"s^T = {rnn_scale**steps:.3g}"])
    return DemoResult(
        title="Why the LSTM cell remembers",
        summary=(
            "The cell path cₜ = f⊙cₜ₋₁ + i⊙g has Jacobian diag(f) with no weight matrix: f ≈ 1 carries information "
            "(and gradient) across many steps."
        ),
        code=["recurrent.lstm_forward", "recurrent.rnn_forward"],
        inputs={"gates": "fixed by saturated biases (i = 0, o = 1) and f set by its bias"},
        plots=[Plot("What survives: ‖cₜ‖/‖c₀‖ for the LSTM, ‖∂hₜ/∂h₀‖ for the RNN", curves, xlabel="t", log_y=True)],
        tables=[Table(f"After T = {steps} steps", ["cell", "fraction kept", "closed form"], rows)],
        notes=[
            "With f = 1 and i = 0 the cell is an exact copy: ∂c_T/∂c₀ = I.",
            "LSTMs still forget over very long spans (f < 1), and their gradients can still explode: clip them.",
        ],
    )


def gru_vs_lstm_params(*, input_size: int = 128, hidden: int = 128) -> DemoResult:
    """Parameter counts with PyTorch's two bias vectors: LSTM 4H(D + H) + 8H vs GRU 3H(D + H) + 6H."""
    in_range("input_size", input_size, 1, 10000)
    in_range("hidden", hidden, 1, 10000)
    D, H = input_size, hidden
    lstm, gru, rnn = rec.lstm_param_count(D, H), rec.gru_param_count(D, H), H * (D + H) + 2 * H
    r = rng(0)
    x, h = r.standard_normal((1, 3)), r.standard_normal((1, 2))
    Wx, Wh = r.standard_normal((3, 6)), r.standard_normal((2, 6))
    bx, bh = np.zeros(6), np.zeros(6)
    bx[2:4] = 30.0  # z = σ(30) ≈ 1: the GRU keeps its state
    h_keep = rec.gru_cell_forward(x, h, Wx, Wh, bx, bh)
    bx[2:4] = -30.0  # z ≈ 0: the state is replaced by the candidate n
    h_new = rec.gru_cell_forward(x, h, Wx, Wh, bx, bh)
    return DemoResult(
        title="GRU vs LSTM",
        summary=(
            "A GRU has 3 gate blocks (r, z, n) and no separate cell: h′ = (1 − z)⊙n + z⊙h. An LSTM has 4 blocks and "
            "a cell state."
        ),
        code=["recurrent.gru_cell_forward", "recurrent.gru_param_count", "recurrent.lstm_param_count"],
        inputs={"D (input size)": D, "H (hidden size)": H},
        tables=[
            Table(
                "Parameters (PyTorch: weight_ih, weight_hh, bias_ih, bias_hh)",
                ["cell", "formula", "parameters"],
                [
                    ["LSTM", f"4·{H}·({D} + {H}) + 8·{H}", lstm],
                    ["GRU", f"3·{H}·({D} + {H}) + 6·{H}", gru],
                    ["vanilla RNN", f"{H}·({D} + {H}) + 2·{H}", rnn],
                    ["GRU / LSTM", "", f"{gru / lstm:.2f}"],
                ],
            ),
            Table(
                "The update gate z at its extremes",
                ["z", "h", "h′"],
                [
                    ["≈ 1 (keep)", matrix_text(h[0], 4), matrix_text(h_keep[0], 4)],
                    ["≈ 0 (replace)", matrix_text(h[0], 4), matrix_text(h_new[0], 4)],
                ],
            ),
        ],
        notes=[
            (
                "PyTorch's convention: z multiplies the old state, so z ≈ 1 means 'keep'; some texts swap the roles "
                "of z and 1 − z."
            )
        ],
    )


def bidirectional_rnn(*, steps: int = 5, hidden: int = 3, seed: int = 0) -> DemoResult:
    """A bidirectional RNN from two ordinary ones: run on x and on x reversed, flip back, concatenate → (T, N, 2H)."""
    in_range("steps", steps, 1, 50)
    in_range("hidden", hidden, 1, 16)
    r = rng(seed)
    N, D = 2, 4
    xs = r.standard_normal((steps, N, D))
    fw, bw = _rnn_weights(r, D, hidden), _rnn_weights(r, D, hidden)
    h0 = np.zeros((N, hidden))
    forward = rec.rnn_forward(xs, h0, *fw)
    backward = rec.rnn_forward(xs[::-1], h0, *bw)[::-1]
    both = np.concatenate([forward, backward], axis=-1)
    return DemoResult(
        title="Bidirectional RNN by reversing the input",
        summary=(
            "The backward direction is an RNN on the reversed sequence, flipped back in time; at step t it "
            "summarises xₜ … x_T, so it needs the whole input first."
        ),
        code=["recurrent.rnn_forward"],
        inputs={"xs": f"(T, N, D) = ({steps}, {N}, {D})"},
        tables=[
            Table(
                "Shapes",
                ["tensor", "shape"],
                [
                    ["forward states", str(forward.shape)],
                    ["backward states (after flipping back)", str(backward.shape)],
                    ["concatenated output", str(both.shape)],
                ],
            ),
            Table(
                "Step 1, example 1",
                ["half", "value"],
                [
                    ["forward h₁ (has seen x₁ only)", matrix_text(both[0, 0, :hidden], 4)],
                    ["backward h₁ (has seen x_T … x₁)", matrix_text(both[0, 0, hidden:], 4)],
                ],
            ),
        ],
        notes=[
            (
                "Fine for tagging or encoding a finished sentence; impossible for streaming or generation, where "
                "the future is unknown."
            ),
            (
                "A seq2seq encoder squeezes the input into a context the decoder unrolls: that bottleneck is what "
                "attention removed."
            ),
        ],
    )

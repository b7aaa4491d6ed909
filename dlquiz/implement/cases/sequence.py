"""Checks for the recurrent exercises: RNN forward over a sequence, BPTT, one LSTM step, one GRU step."""

from __future__ import annotations

import numpy as np

from dlquiz.implement.cases import Spec, rounded
from dlquiz.implement.checks import compare_case, fd_case
from dlquiz.implement.mistakes import Mistake
from dlquiz.reference.activations import sigmoid
from dlquiz.reference.recurrent import gru_cell_forward, lstm_cell_forward, rnn_backward, rnn_forward

RNN_GRAD_NAMES = ("dxs", "dh0", "dWx", "dWh", "db")

# --------------------------------------------------------------------------- RNN


def _rnn_inputs(rng, steps, n, d, h, decimals=1):
    return {
        "xs": rounded(rng.normal(0, 1, (steps, n, d)), decimals),
        "h0": rounded(rng.normal(0, 0.5, (n, h)), decimals),
        "Wx": rounded(rng.normal(0, 0.5, (d, h)), decimals),
        "Wh": rounded(rng.normal(0, 0.5, (h, h)), decimals),
        "b": rounded(rng.normal(0, 0.2, h), decimals),
    }


def _rnn_forward_cases(rng):
    cases = [
        ("3 steps, 1 sequence, D = 2, H = 3", _rnn_inputs(rng, 3, 1, 2, 3), ""),
        (
            "a batch of 2, 4 steps",
            _rnn_inputs(rng, 4, 2, 3, 2),
            "Return every hidden state h_1 … h_T, not only the last.",
        ),
        ("one step", _rnn_inputs(rng, 1, 2, 3, 4), ""),
        ("20 steps, N = 8, D = 5, H = 6", _rnn_inputs(rng, 20, 8, 5, 6, 6), ""),
    ]
    return [compare_case(name, "rnn_forward", args, rnn_forward(**args), hint=hint) for name, args, hint in cases]


def _rnn_forward_h0_each_step(xs, h0, Wx, Wh, b):
    return np.stack([np.tanh(x @ Wx + h0 @ Wh + b) for x in xs])


def _rnn_forward_last(xs, h0, Wx, Wh, b):
    return rnn_forward(xs, h0, Wx, Wh, b)[-1]


def _rnn_forward_no_tanh(xs, h0, Wx, Wh, b):
    hs, h = [], h0
    for x in xs:
        h = x @ Wx + h @ Wh + b
        hs.append(h)
    return np.stack(hs)


def _rnn_backward_cases(rng):
    small = _rnn_inputs(rng, 3, 1, 2, 3)
    small_d = rounded(rng.normal(0, 1, (3, 1, 3)))
    last_only = _rnn_inputs(rng, 4, 2, 3, 2)
    last_d = np.zeros((4, 2, 2))
    last_d[-1] = rounded(rng.normal(0, 1, (2, 2)))
    fd = _rnn_inputs(rng, 4, 2, 3, 3, 6)
    fd_d = rng.normal(0, 1, (4, 2, 3))
    order = ["xs", "h0", "Wx", "Wh", "b"]
    return [
        compare_case(
            "3 steps, a loss at every step",
            "rnn_backward",
            {"dhs": small_d, **small},
            rnn_backward(small_d, **small),
            names=RNN_GRAD_NAMES,
        ),
        compare_case(
            "a loss at the last step only",
            "rnn_backward",
            {"dhs": last_d, **last_only},
            rnn_backward(last_d, **last_only),
            names=RNN_GRAD_NAMES,
            hint="The gradient reaches the early steps only through the recurrence: carry da_t·Whᵀ back to h_{t−1} "
            "and add it to dhs[t − 1].",
        ),
        fd_case(
            "finite differences",
            "rnn_backward",
            {"dhs": fd_d, **fd},
            rnn_forward,
            fd,
            order,
            fd_d,
            names=RNN_GRAD_NAMES,
        ),
    ]


def _rnn_backward_wrong(*, carry=True, wh_uses_current=False):
    def wrong(dhs, xs, h0, Wx, Wh, b):
        hs = [h0, *rnn_forward(xs, h0, Wx, Wh, b)]
        dxs = np.zeros_like(xs)
        dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
        carried = np.zeros_like(h0)
        for t in reversed(range(xs.shape[0])):
            da = (dhs[t] + (carried if carry else 0.0)) * (1.0 - hs[t + 1] ** 2)
            dxs[t] = da @ Wx.T
            dWx += xs[t].T @ da
            dWh += (hs[t + 1] if wh_uses_current else hs[t]).T @ da
            db += da.sum(axis=0)
            carried = da @ Wh.T
        return dxs, carried, dWx, dWh, db

    return wrong


# --------------------------------------------------------------------------- LSTM and GRU


def _cell_inputs(rng, n, d, h, blocks, decimals=1):
    return {
        "x": rounded(rng.normal(0, 1, (n, d)), decimals),
        "h": rounded(rng.normal(0, 0.5, (n, h)), decimals),
        "Wx": rounded(rng.normal(0, 0.5, (d, blocks * h)), decimals),
        "Wh": rounded(rng.normal(0, 0.5, (h, blocks * h)), decimals),
    }


def _lstm_inputs(rng, n, d, h, decimals=1):
    args = _cell_inputs(rng, n, d, h, 4, decimals)
    args["c"] = rounded(rng.normal(0, 1, (n, h)), decimals)
    args["b"] = rounded(rng.normal(0, 0.3, 4 * h), decimals)
    return {k: args[k] for k in ("x", "h", "c", "Wx", "Wh", "b")}


def _lstm_cases(rng):
    cases = [
        ("one sequence, D = 2, H = 2", _lstm_inputs(rng, 1, 2, 2)),
        ("a batch of 3, D = 4, H = 3", _lstm_inputs(rng, 3, 4, 3)),
        ("a batch of 16, D = 8, H = 5", _lstm_inputs(rng, 16, 8, 5, 6)),
    ]
    return [
        compare_case(
            name,
            "lstm_cell",
            args,
            lstm_cell_forward(**args),
            names=("h_new", "c_new"),
            hint="The gate order is i, f, g, o (PyTorch's).",
        )
        for name, args in cases
    ]


def _lstm_wrong(*, order="ifgo", g_sigmoid=False, no_tanh_c=False):
    def wrong(x, h, c, Wx, Wh, b):
        blocks = dict(zip(order, np.split(x @ Wx + h @ Wh + b, 4, axis=-1), strict=True))
        i, f, o = sigmoid(blocks["i"]), sigmoid(blocks["f"]), sigmoid(blocks["o"])
        g = sigmoid(blocks["g"]) if g_sigmoid else np.tanh(blocks["g"])
        c_new = f * c + i * g
        return o * (c_new if no_tanh_c else np.tanh(c_new)), c_new

    return wrong


def _gru_inputs(rng, n, d, h, decimals=1):
    args = _cell_inputs(rng, n, d, h, 3, decimals)
    args["bx"] = rounded(rng.normal(0, 0.3, 3 * h), decimals)
    args["bh"] = rounded(rng.normal(0, 0.3, 3 * h), decimals)
    return args


def _gru_cases(rng):
    cases = [
        ("one sequence, D = 2, H = 2", _gru_inputs(rng, 1, 2, 2)),
        ("a batch of 3, D = 4, H = 3", _gru_inputs(rng, 3, 4, 3)),
        ("a batch of 16, D = 8, H = 5", _gru_inputs(rng, 16, 8, 5, 6)),
    ]
    return [
        compare_case(
            name, "gru_cell", args, gru_cell_forward(**args), hint="PyTorch's GRU: gates r, z, n; h' = (1 − z)⊙n + z⊙h."
        )
        for name, args in cases
    ]


def _gru_wrong(*, swap_z=False, reset_before=False):
    def wrong(x, h, Wx, Wh, bx, bh):
        hidden = h.shape[1]
        x_r, x_z, x_n = np.split(x @ Wx + bx, 3, axis=-1)
        h_r, h_z, h_n = np.split(h @ Wh + bh, 3, axis=-1)
        r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
        reset = (r * h) @ Wh[:, 2 * hidden :] + bh[2 * hidden :] if reset_before else r * h_n
        n = np.tanh(x_n + reset)
        return z * n + (1 - z) * h if swap_z else (1 - z) * n + z * h

    return wrong


SPECS = {
    "rnn-forward": Spec(
        _rnn_forward_cases,
        (
            Mistake(
                "rnn_forward",
                "Every step uses h0: the state must carry over, h_t = tanh(x_t·Wx + h_{t−1}·Wh + b).",
                _rnn_forward_h0_each_step,
            ),
            Mistake("rnn_forward", "The tanh is missing.", _rnn_forward_no_tanh),
            Mistake(
                "rnn_forward",
                "This returns the last hidden state only; return all of them, h_1 … h_T, stacked (T, N, H).",
                _rnn_forward_last,
            ),
        ),
    ),
    "rnn-backward": Spec(
        _rnn_backward_cases,
        (
            Mistake(
                "rnn_backward",
                "Nothing is carried back through the recurrence: h_t also feeds h_{t+1}, so add "
                "da_{t+1}·Whᵀ to dhs[t].",
                _rnn_backward_wrong(carry=False),
            ),
            Mistake(
                "rnn_backward",
                "∂L/∂Wh pairs da_t with the previous state h_{t−1} (the one multiplied by Wh), not with h_t.",
                _rnn_backward_wrong(wh_uses_current=True),
            ),
        ),
    ),
    "lstm-cell": Spec(
        _lstm_cases,
        (
            Mistake(
                "lstm_cell",
                "The blocks are taken in the order i, f, o, g; PyTorch's order is i, f, g, o.",
                _lstm_wrong(order="ifog"),
            ),
            Mistake(
                "lstm_cell",
                "The blocks are taken in the order f, i, g, o; PyTorch's order is i, f, g, o.",
                _lstm_wrong(order="figo"),
            ),
            Mistake(
                "lstm_cell",
                "The candidate g uses tanh, not the sigmoid: it is a value in (−1, 1), not a gate.",
                _lstm_wrong(g_sigmoid=True),
            ),
            Mistake(
                "lstm_cell", "h' = o ⊙ tanh(c'): the tanh of the cell state is missing.", _lstm_wrong(no_tanh_c=True)
            ),
        ),
    ),
    "gru-cell": Spec(
        _gru_cases,
        (
            Mistake(
                "gru_cell",
                "z and 1 − z are swapped: in PyTorch's GRU h' = (1 − z)⊙n + z⊙h, so z = 1 keeps the old state.",
                _gru_wrong(swap_z=True),
            ),
            Mistake(
                "gru_cell",
                "The reset gate multiplies h before its projection (the original paper's and Keras' reset_after=False "
                "form); PyTorch applies it to the projected h_n, bias included: n = tanh(x_n + r⊙(h·Wh_n + bh_n)).",
                _gru_wrong(reset_before=True),
            ),
        ),
    ),
}

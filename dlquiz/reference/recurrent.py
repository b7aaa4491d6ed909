"""Recurrent cells (vanilla RNN, LSTM, GRU), sequence loops, backpropagation through time.

Layout: a batch of inputs x is (N, D), hidden and cell states h, c are (N, H); weights are in the
``x @ W`` layout, Wx (D, k·H) and Wh (H, k·H), with the k gate blocks concatenated along the last
axis in PyTorch's order (LSTM i, f, g, o; GRU r, z, n). PyTorch's ``weight_ih`` / ``weight_hh`` are
the transposes. Sequences are time-major: xs (T, N, D).
"""

import numpy as np

__all__ = [
    "rnn_cell_forward",
    "rnn_forward",
    "rnn_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "gru_cell_forward",
    "lstm_param_count",
    "gru_param_count",
]


def _sigmoid(a):
    """σ(a) = 1/(1 + e⁻ᵃ), written as ½(1 + tanh(a/2)) so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def rnn_cell_forward(x, h, Wx, Wh, b):
    """One step of a vanilla (Elman) RNN.

        h' = tanh(x·Wx + h·Wh + b)

    Equals ``nn.RNNCell`` with ``weight_ih = Wxᵀ``, ``weight_hh = Whᵀ``, ``bias_ih = b``,
    ``bias_hh = 0`` (PyTorch's two biases are simply added together).

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs at this step.
    h : ndarray, shape (N, H)
        Previous hidden state.
    Wx : ndarray, shape (D, H)
        Input-to-hidden weights.
    Wh : ndarray, shape (H, H)
        Hidden-to-hidden weights.
    b : ndarray, shape (H,)
        Bias.

    Returns
    -------
    ndarray, shape (N, H)
        The new hidden state h'.
    """
    return np.tanh(x @ Wx + h @ Wh + b)


def rnn_forward(xs, h0, Wx, Wh, b):
    """Run the vanilla RNN over a sequence and return every hidden state.

        hₜ = tanh(xₜ·Wx + hₜ₋₁·Wh + b),   t = 1 … T

    The same weights are used at every step. Equals the output of ``nn.RNN`` (time-major).

    Parameters
    ----------
    xs : ndarray, shape (T, N, D)
        Input sequence, time first.
    h0 : ndarray, shape (N, H)
        Initial hidden state.
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)

    Returns
    -------
    ndarray, shape (T, N, H)
        Hidden states h₁ … h_T (h0 not included).
    """
    hs = np.empty((xs.shape[0], h0.shape[0], Wh.shape[1]))
    h = h0
    for t, x in enumerate(xs):
        h = rnn_cell_forward(x, h, Wx, Wh, b)
        hs[t] = h
    return hs


def rnn_backward(dhs, xs, h0, Wx, Wh, b):
    """Backpropagation through time for :func:`rnn_forward`.

    ``dhs[t]`` is the gradient the loss sends directly into hₜ (from the output layer at step t;
    zeros where a step has no loss). The forward pass is recomputed, then, from t = T down to 1:

        dhₜ  = dhs[t] + (gradient carried back from step t + 1)
        daₜ  = dhₜ ⊙ (1 − hₜ²)                    (through tanh)
        ∂L/∂xₜ = daₜ·Wxᵀ,   carried to step t − 1: daₜ·Whᵀ
        ∂L/∂Wx = Σₜ xₜᵀ·daₜ,   ∂L/∂Wh = Σₜ hₜ₋₁ᵀ·daₜ,   ∂L/∂b = Σₜ Σₙ daₜ

    The weight gradients are sums over time because the weights are shared across steps.

    Parameters
    ----------
    dhs : ndarray, shape (T, N, H)
        ∂L/∂hₜ from outside the recurrence, for every step.
    xs : ndarray, shape (T, N, D)
    h0 : ndarray, shape (N, H)
    Wx : ndarray, shape (D, H)
    Wh : ndarray, shape (H, H)
    b : ndarray, shape (H,)
        The forward pass's inputs.

    Returns
    -------
    dxs : ndarray, shape (T, N, D)
        ∂L/∂xₜ for every step.
    dh0 : ndarray, shape (N, H)
        ∂L/∂h0.
    dWx : ndarray, shape (D, H)
    dWh : ndarray, shape (H, H)
    db : ndarray, shape (H,)
        Gradients w.r.t. the shared weights and bias.
    """
    hs = rnn_forward(xs, h0, Wx, Wh, b)
    h_prev = np.concatenate([h0[None], hs[:-1]])
    dxs = np.empty_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(xs.shape[0])):
        da = (dhs[t] + dh_next) * (1.0 - hs[t] ** 2)
        dxs[t] = da @ Wx.T
        dWx += xs[t].T @ da
        dWh += h_prev[t].T @ da
        db += da.sum(axis=0)
        dh_next = da @ Wh.T
    return dxs, dh_next, dWx, dWh, db


def lstm_cell_forward(x, h, c, Wx, Wh, b):
    """One step of an LSTM, gates in PyTorch's order i, f, g, o.

        a = x·Wx + h·Wh + b,  split into four H-wide blocks  aᵢ, a_f, a_g, aₒ
        i = σ(aᵢ),  f = σ(a_f),  g = tanh(a_g),  o = σ(aₒ)
        c' = f⊙c + i⊙g
        h' = o⊙tanh(c')

    The cell state is updated additively: ∂c'/∂c = diag(f), so with f ≈ 1 and i ≈ 0 the cell is
    copied unchanged. Equals ``nn.LSTMCell`` with ``weight_ih = Wxᵀ``, ``weight_hh = Whᵀ``,
    ``bias_ih = b``, ``bias_hh = 0``.

    Parameters
    ----------
    x : ndarray, shape (N, D)
    h, c : ndarray, shape (N, H)
        Previous hidden and cell states.
    Wx : ndarray, shape (D, 4H)
    Wh : ndarray, shape (H, 4H)
    b : ndarray, shape (4H,)

    Returns
    -------
    h_new, c_new : ndarray, shape (N, H)
        h' and c'.
    """
    a_i, a_f, a_g, a_o = np.split(x @ Wx + h @ Wh + b, 4, axis=-1)
    c_new = _sigmoid(a_f) * c + _sigmoid(a_i) * np.tanh(a_g)
    h_new = _sigmoid(a_o) * np.tanh(c_new)
    return h_new, c_new


def lstm_forward(xs, h0, c0, Wx, Wh, b):
    """Run :func:`lstm_cell_forward` over a sequence.

        (hₜ, cₜ) = LSTMCell(xₜ, hₜ₋₁, cₜ₋₁),   t = 1 … T

    Parameters
    ----------
    xs : ndarray, shape (T, N, D)
    h0, c0 : ndarray, shape (N, H)
        Initial hidden and cell states.
    Wx : ndarray, shape (D, 4H)
    Wh : ndarray, shape (H, 4H)
    b : ndarray, shape (4H,)

    Returns
    -------
    hs, cs : ndarray, shape (T, N, H)
        Hidden states h₁ … h_T (``nn.LSTM``'s output) and cell states c₁ … c_T.
    """
    hs = np.empty((xs.shape[0],) + h0.shape)
    cs = np.empty_like(hs)
    h, c = h0, c0
    for t, x in enumerate(xs):
        h, c = lstm_cell_forward(x, h, c, Wx, Wh, b)
        hs[t], cs[t] = h, c
    return hs, cs


def gru_cell_forward(x, h, Wx, Wh, bx, bh):
    """One step of a GRU, PyTorch's formulation (gates r, z, n).

        [xᵣ, x_z, xₙ] = x·Wx + bx,   [hᵣ, h_z, hₙ] = h·Wh + bh     (H-wide blocks)
        r = σ(xᵣ + hᵣ),   z = σ(x_z + h_z)
        n = tanh(xₙ + r⊙hₙ)              (r multiplies the projected h, bias bhₙ included)
        h' = (1 − z)⊙n + z⊙h

    z = 1 keeps the old state, z = 0 replaces it by the candidate n. No separate cell state, no
    output gate. Equals ``nn.GRUCell`` with ``weight_ih = Wxᵀ``, ``weight_hh = Whᵀ``,
    ``bias_ih = bx``, ``bias_hh = bh``.

    Parameters
    ----------
    x : ndarray, shape (N, D)
    h : ndarray, shape (N, H)
    Wx : ndarray, shape (D, 3H)
    Wh : ndarray, shape (H, 3H)
    bx, bh : ndarray, shape (3H,)
        Input-side and hidden-side biases (they are not interchangeable for the n block).

    Returns
    -------
    ndarray, shape (N, H)
        The new hidden state h'.
    """
    x_r, x_z, x_n = np.split(x @ Wx + bx, 3, axis=-1)
    h_r, h_z, h_n = np.split(h @ Wh + bh, 3, axis=-1)
    r = _sigmoid(x_r + h_r)
    z = _sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    return (1.0 - z) * n + z * h


def lstm_param_count(D, H):
    """Number of parameters of one PyTorch LSTM layer (``nn.LSTM(D, H)``).

        4H·(D + H) + 8H      (four gate blocks; PyTorch keeps two bias vectors, bias_ih and bias_hh)

    D = H = 128 gives 132,096. With a single bias vector it would be 4H(D + H) + 4H.

    Parameters
    ----------
    D : int
        Input size.
    H : int
        Hidden size.

    Returns
    -------
    int
    """
    return 4 * H * (D + H) + 8 * H


def gru_param_count(D, H):
    """Number of parameters of one PyTorch GRU layer (``nn.GRU(D, H)``).

        3H·(D + H) + 6H      (three gate blocks r, z, n; two bias vectors)

    D = H = 128 gives 99,072, three quarters of the LSTM's.

    Parameters
    ----------
    D : int
        Input size.
    H : int
        Hidden size.

    Returns
    -------
    int
    """
    return 3 * H * (D + H) + 6 * H

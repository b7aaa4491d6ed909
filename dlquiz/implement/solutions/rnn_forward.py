"""A vanilla RNN over a sequence.

An Elman RNN reads a sequence one step at a time, carrying a hidden state; the
same weights are used at every step. Weights use the ``x @ W`` layout
(PyTorch's weight_ih and weight_hh are the transposes), sequences are
time-major, (T, N, D), as nn.RNN's default.
"""

import numpy as np


def rnn_forward(xs, h0, Wx, Wh, b):
    """Every hidden state of the RNN over the sequence.

        h_t = tanh(x_t·Wx + h_{t−1}·Wh + b),   t = 1 … T,  starting from h0

    Parameters
    ----------
    xs : ndarray of float64, shape (T, N, D)
    h0 : ndarray of float64, shape (N, H)
    Wx : ndarray of float64, shape (D, H)
    Wh : ndarray of float64, shape (H, H)
    b : ndarray of float64, shape (H,)

    Returns
    -------
    ndarray of float64, shape (T, N, H)
        h_1 … h_T (h0 not included), as nn.RNN's output.
    """
    hs = np.zeros((xs.shape[0], h0.shape[0], Wh.shape[1]))
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs

"""One LSTM step.

An LSTM cell keeps a cell state c next to the hidden state h and updates it
through gates. Weights use the ``x @ W`` layout with the four gate blocks side
by side in PyTorch's order i, f, g, o (nn.LSTMCell's weight_ih is Wxᵀ; its two
biases add up to b).
"""

import numpy as np


def lstm_cell(x, h, c, Wx, Wh, b):
    """(h', c') after one step.

        a = x·Wx + h·Wh + b,  split along the last axis into four H-wide
                              blocks a_i, a_f, a_g, a_o
        i = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
        c' = f ⊙ c + i ⊙ g
        h' = o ⊙ tanh(c')

    Parameters
    ----------
    x : ndarray of float64, shape (N, D)
    h, c : ndarray of float64, shape (N, H)
    Wx : ndarray of float64, shape (D, 4H)
    Wh : ndarray of float64, shape (H, 4H)
    b : ndarray of float64, shape (4H,)

    Returns
    -------
    h_new : ndarray of float64, shape (N, H)
    c_new : ndarray of float64, shape (N, H)
    """
    a = x @ Wx + h @ Wh + b
    hidden = h.shape[1]
    i = 1.0 / (1.0 + np.exp(-a[:, :hidden]))
    f = 1.0 / (1.0 + np.exp(-a[:, hidden : 2 * hidden]))
    g = np.tanh(a[:, 2 * hidden : 3 * hidden])
    o = 1.0 / (1.0 + np.exp(-a[:, 3 * hidden :]))
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new

"""Backpropagation through time.

The RNN of the forward exercise, h_t = tanh(x_t·Wx + h_{t−1}·Wh + b) for t = 1
… T. The loss reaches every hidden state: dhs[t] = ∂L/∂h_t from outside the
recurrence (an output layer at step t). Each h_t also feeds h_{t+1}, so its
full gradient adds what comes back from the later steps.
"""

import numpy as np


def rnn_backward(dhs, xs, h0, Wx, Wh, b):
    """∂L for the inputs, the initial state and the shared weights.

    Recompute the forward pass, then go from t = T down to 1:
        g_t  = dhs[t] + (the gradient carried back from step t + 1; 0 at t = T)
        da_t = g_t ⊙ (1 − h_t²)                              (through tanh)
        ∂L/∂x_t = da_t·Wxᵀ,   carried back to h_{t−1}: da_t·Whᵀ
        ∂L/∂Wx = Σ_t x_tᵀ·da_t,   ∂L/∂Wh = Σ_t h_{t−1}ᵀ·da_t
        ∂L/∂b = Σ_t Σ_n da_t

    Parameters
    ----------
    dhs : ndarray of float64, shape (T, N, H)
    xs : ndarray of float64, shape (T, N, D)
    h0 : ndarray of float64, shape (N, H)
    Wx : ndarray of float64, shape (D, H)
    Wh : ndarray of float64, shape (H, H)
    b : ndarray of float64, shape (H,)

    Returns
    -------
    dxs : ndarray of float64, shape (T, N, D)
    dh0 : ndarray of float64, shape (N, H)
    dWx : ndarray of float64, shape (D, H)
    dWh : ndarray of float64, shape (H, H)
    db : ndarray of float64, shape (H,)
    """
    steps = xs.shape[0]
    hs = [h0]
    for t in range(steps):
        hs.append(np.tanh(xs[t] @ Wx + hs[-1] @ Wh + b))
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    carried = np.zeros_like(h0)
    for t in reversed(range(steps)):
        da = (dhs[t] + carried) * (1.0 - hs[t + 1] ** 2)
        dxs[t] = da @ Wx.T
        dWx += xs[t].T @ da
        dWh += hs[t].T @ da
        db += np.sum(da, axis=0)
        carried = da @ Wh.T
    return dxs, carried, dWx, dWh, db

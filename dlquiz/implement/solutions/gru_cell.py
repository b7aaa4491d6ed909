"""One GRU step.

A GRU has no separate cell state: an update gate z mixes the old hidden state
with a candidate n, and a reset gate r decides how much of the old state the
candidate sees. This is PyTorch's formulation (nn.GRUCell), gate blocks in the
order r, z, n, weights in the ``x @ W`` layout.
"""

import numpy as np


def gru_cell(x, h, Wx, Wh, bx, bh):
    """h' after one step.

        [x_r, x_z, x_n] = x·Wx + bx      (H-wide blocks, in this order)
        [h_r, h_z, h_n] = h·Wh + bh
        r = σ(x_r + h_r),   z = σ(x_z + h_z)
        n = tanh(x_n + r ⊙ h_n)          (r multiplies the projected h_n,
                                          its bias bh_n included)
        h' = (1 − z) ⊙ n + z ⊙ h

    Parameters
    ----------
    x : ndarray of float64, shape (N, D)
    h : ndarray of float64, shape (N, H)
    Wx : ndarray of float64, shape (D, 3H)
    Wh : ndarray of float64, shape (H, 3H)
    bx, bh : ndarray of float64, shape (3H,)

    Returns
    -------
    ndarray of float64, shape (N, H)
    """
    x_r, x_z, x_n = np.split(x @ Wx + bx, 3, axis=1)
    h_r, h_z, h_n = np.split(h @ Wh + bh, 3, axis=1)
    r = 1.0 / (1.0 + np.exp(-(x_r + h_r)))
    z = 1.0 / (1.0 + np.exp(-(x_z + h_z)))
    n = np.tanh(x_n + r * h_n)
    return (1.0 - z) * n + z * h

"""Inverted dropout, forward and backward.

During training every activation is dropped (set to 0) with probability p, and
the ones kept are scaled by 1/(1 − p), so the expected output equals the input
and nothing changes at test time (PyTorch's nn.Dropout). p is the probability
of dropping, not of keeping.
"""

import numpy as np


def dropout_forward(x, p, rng, training=True):
    """Inverted dropout.

    In training, each entry is dropped independently with probability p (draw
    the randomness from ``rng`` only, so the same seed gives the same mask),
    and the kept entries are divided by 1 − p. With p = 1 everything is dropped
    (zeros, not NaN). Outside training (``training=False``) the output is x
    itself, unchanged.

    Parameters
    ----------
    x : ndarray of float64, any shape
    p : float in [0, 1]
        Drop probability.
    rng : numpy.random.Generator
    training : bool, default True

    Returns
    -------
    out : ndarray of float64, the shape of x
    mask : ndarray, the shape of x
        Whatever your dropout_backward needs to know which entries were kept
        (and how they were scaled). The checks pass it to your dropout_backward
        unchanged.
    """
    if not training or p == 0.0:
        return x, np.ones_like(x)
    if p == 1.0:
        return np.zeros_like(x), np.zeros_like(x)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask


def dropout_backward(dout, mask):
    """∂L/∂x from ∂L/∂out, with the mask your dropout_forward returned.

    The gradient flows only through the kept entries, scaled by the same 1/(1 −
    p).

    Parameters
    ----------
    dout : ndarray of float64, the shape of x
    mask : what dropout_forward returned as its second value

    Returns
    -------
    ndarray of float64, the shape of x
    """
    return dout * mask

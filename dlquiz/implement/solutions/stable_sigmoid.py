"""Numerically stable sigmoid.

The textbook form 1 / (1 + e^(−x)) computes e^1000 = inf for x = −1000: the
value still comes out as 0, but only after an overflow (NumPy warns), and the
equal form e^x / (1 + e^x) gives inf / inf = NaN at x = +1000. Write a sigmoid
that never overflows.
"""

import numpy as np


def sigmoid(x):
    """The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), element-wise, stably.

    Every float64 input must work without a NumPy warning: σ(1000) = 1,
    σ(−1000) = 0. (e^z overflows float64 for z > 709.78.)

    Parameters
    ----------
    x : ndarray of float64, any shape

    Returns
    -------
    ndarray of float64, the shape of x
        σ(x), as torch.sigmoid(x) computes it.
    """
    e = np.exp(-np.abs(x))  # at most 1: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

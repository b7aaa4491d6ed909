"""A numerical gradient check.

To test a hand-written backward pass, compare it with a numerical estimate of
the gradient. The central difference (f(x + h) − f(x − h)) / 2h is accurate to
O(h²); the one-sided (f(x + h) − f(x)) / h only to O(h), which in float64 is
the difference between an error of 1e-10 and one of 1e-5.
"""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """∂f/∂x estimated by central differences, one entry at a time:

        ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h

    f maps an array of x's shape to a number (a float or a 0-d array). Perturb
    x **in place** and put every entry back afterwards: f may ignore its
    argument and read the array x itself, as a network's loss reads its own
    weight matrix. x may have any number of axes.

    Parameters
    ----------
    f : callable
    x : ndarray of float64, any shape
    h : float, default 1e-5

    Returns
    -------
    ndarray of float64, the shape of x
    """
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        plus = float(f(x))
        x[i] = saved - h
        minus = float(f(x))
        x[i] = saved
        grad[i] = (plus - minus) / (2 * h)
    return grad

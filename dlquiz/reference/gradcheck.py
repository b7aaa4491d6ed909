"""Numerical gradients for checking hand-written backward passes.

What this module teaches: gradient checking. The central difference
(f(x + h) − f(x − h)) / 2h has error h²·f‴/6 (the even Taylor terms cancel), far smaller than the
one-sided (f(x + h) − f(x))/h with error O(h). In float64 with h ≈ 1e-5 an analytic gradient that is
right agrees to a relative error around 1e-8 or better; an error near 1 means a bug (a missing
transpose, a forgotten 1/N). Check in float64, with dropout off, away from kinks such as ReLU at 0.
"""

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by central differences, one element at a time.

    ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h

    x is perturbed in place (so f may close over it, e.g. a weight matrix inside a network) and each
    element is restored afterwards, also if f raises. This costs 2 evaluations of f per element, which
    is why backpropagation, not this, is how networks are trained.

    Parameters
    ----------
    f : callable
        Maps an array of x's shape to a float (a 0-d array also works).
    x : ndarray of float, any shape
        The point; must be a writable float array. Left unchanged on return.
    h : float, default 1e-5
        Step size.

    Returns
    -------
    ndarray, same shape as x
        The estimate of ∂f/∂x.
    """
    if not (isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)):
        raise TypeError("numerical_gradient needs x as a float ndarray (it perturbs x in place)")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):  # one perturbation per element is the method itself
        original = x[i]
        try:
            x[i] = original + h
            f_plus = float(f(x))
            x[i] = original - h
            f_minus = float(f(x))
        finally:
            x[i] = original
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b):
    """Relative error between two arrays, ‖a − b‖ / max(‖a‖ + ‖b‖, tiny) with ‖·‖ the L2 norm.

    Using norms of the whole arrays (not element by element) keeps entries that are 0 analytically and
    ~1e-11 numerically from dominating. Two all-zero arrays give 0.

    Parameters
    ----------
    a, b : array_like, same shape
        Typically an analytic gradient and :func:`numerical_gradient`.

    Returns
    -------
    float
        In [0, 1]; below ~1e-7 is agreement, above ~1e-3 signals a bug.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(float).tiny)
    return float(np.linalg.norm(a - b) / denom)

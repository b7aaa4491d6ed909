"""Max pooling, forward and backward.

Max pooling over k × k windows of each channel, NCHW, no padding, the output
size floored (rows or columns the windows do not reach are ignored), as
F.max_pool2d(x, kernel, stride).
"""

import numpy as np


def max_pool_forward(x, kernel, stride=None):
    """y[n, c, i, j] = max over 0 ≤ u, v < k of x[n, c, i·S + u, j·S + v].

    The stride S defaults to the kernel size k (windows side by side). Ho = ⌊(H
    − k)/S⌋ + 1, likewise Wo.

    Parameters
    ----------
    x : ndarray of float64, shape (N, C, H, W)
    kernel : int
        k, the window size (square).
    stride : int or None, default None (= kernel)

    Returns
    -------
    ndarray of float64, shape (N, C, Ho, Wo)
    """
    s = kernel if stride is None else stride
    ho = (x.shape[2] - kernel) // s + 1
    wo = (x.shape[3] - kernel) // s + 1
    out = np.full(x.shape[:2] + (ho, wo), -np.inf)
    for u in range(kernel):
        rows = slice(u, u + s * (ho - 1) + 1, s)
        for v in range(kernel):
            cols = slice(v, v + s * (wo - 1) + 1, s)
            out = np.maximum(out, x[:, :, rows, cols])
    return out


def max_pool_backward(dout, x, kernel, stride=None):
    """∂L/∂x given dout = ∂L/∂y for the max pooling above.

    Each window sends its dout to the position of its maximum; every other
    input of the window gets nothing from it. When several entries tie for the
    maximum, only the first in row-major order gets the gradient (as PyTorch's
    CPU kernel does). Windows that overlap (S < k) add up.

    Parameters
    ----------
    dout : ndarray of float64, shape (N, C, Ho, Wo)
    x : ndarray of float64, shape (N, C, H, W)
        The forward input.
    kernel : int
    stride : int or None, default None (= kernel)

    Returns
    -------
    ndarray of float64, shape (N, C, H, W)
    """
    s = kernel if stride is None else stride
    ho, wo = dout.shape[2:]
    offsets = [(u, v) for u in range(kernel) for v in range(kernel)]
    windows = [_strided(x, u, v, s, ho, wo) for u, v in offsets]
    first_max = np.argmax(np.stack(windows, axis=-1), axis=-1)  # first of ties
    dx = np.zeros_like(x)
    for k, (u, v) in enumerate(offsets):
        _strided(dx, u, v, s, ho, wo)[...] += dout * (first_max == k)
    return dx


def _strided(a, u, v, s, ho, wo):
    """The view a[:, :, u + i·s, v + j·s] for 0 ≤ i < ho, 0 ≤ j < wo."""
    rows = slice(u, u + s * (ho - 1) + 1, s)
    cols = slice(v, v + s * (wo - 1) + 1, s)
    return a[:, :, rows, cols]

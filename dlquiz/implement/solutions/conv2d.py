"""2-D convolution with stride and padding.

What deep-learning libraries call convolution is cross-correlation: the kernel
slides over the image without being flipped. Layout NCHW, weights in PyTorch's
(F, C, kh, kw) layout, zero padding.
"""

import numpy as np


def conv2d(x, w, b, stride=1, padding=0):
    """2-D convolution (cross-correlation) of x with the filters w, plus b.

      y[n, f, i, j] = b[f] + Σ_{c,u,v} x̃[n, c, i·S + u, j·S + v]·w[f, c, u, v]

    x̃ is x with ``padding`` zeros added on every side of both spatial axes
    (not of the batch or channel axes). The output size is Ho = ⌊(H + 2P −
    kh)/S⌋ + 1, Wo = ⌊(W + 2P − kw)/S⌋ + 1: a window that would run past the
    padded edge is not computed. As F.conv2d(x, w, b, stride, padding).

    Parameters
    ----------
    x : ndarray of float64, shape (N, C, H, W)
    w : ndarray of float64, shape (F, C, kh, kw)
    b : ndarray of float64, shape (F,)
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    ndarray of float64, shape (N, F, Ho, Wo)
    """
    n, _, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for u in range(kh):  # one product per kernel offset, every window at once
        rows = slice(u, u + stride * (ho - 1) + 1, stride)
        for v in range(kw):
            cols = slice(v, v + stride * (wo - 1) + 1, stride)
            patch = xp[:, :, rows, cols]  # (N, C, Ho, Wo)
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, u, v])
    return out + b[:, None, None]

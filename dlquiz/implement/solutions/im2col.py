"""im2col: convolution as one matrix product.

im2col copies every window of the (padded) input into a row of a matrix; a
convolution is then one matrix product with the flattened kernels: cols @
w.reshape(F, −1).T has shape (N·Ho·Wo, F).
"""

import numpy as np


def im2col(x, kh, kw, stride=1, padding=0):
    """The windows of x, one per row.

    Row r = (n·Ho + i)·Wo + j holds the window of image n at output position
    (i, j), i.e. x̃[n, :, i·S : i·S + kh, j·S : j·S + kw] flattened in (c, u,
    v) order, so that its column (c·kh + u)·kw + v is x̃[n, c, i·S + u, j·S +
    v]. x̃ is x zero-padded by ``padding`` on every side of both spatial axes,
    Ho = ⌊(H + 2P − kh)/S⌋ + 1 and Wo = ⌊(W + 2P − kw)/S⌋ + 1.

    Parameters
    ----------
    x : ndarray of float64, shape (N, C, H, W)
    kh, kw : int
        Kernel height and width.
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    ndarray of float64, shape (N·Ho·Wo, C·kh·kw)
    """
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (w + 2 * padding - kw) // stride + 1
    windows = np.empty((n, c, kh, kw, ho, wo))
    for u in range(kh):
        rows = slice(u, u + stride * (ho - 1) + 1, stride)
        for v in range(kw):
            cols = slice(v, v + stride * (wo - 1) + 1, stride)
            windows[:, :, u, v] = xp[:, :, rows, cols]
    n_rows, n_cols = n * ho * wo, c * kh * kw
    return windows.transpose(0, 4, 5, 1, 2, 3).reshape(n_rows, n_cols)

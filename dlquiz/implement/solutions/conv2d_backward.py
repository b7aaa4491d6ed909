"""2-D convolution backward.

The forward pass is y[n, f, i, j] = b[f] + Σ_{c,u,v} x̃[n, c, i·S + u, j·S + v]
· w[f, c, u, v] (x̃: x zero-padded by P, no kernel flip, NCHW). Every weight is
used at every output position, and every input pixel feeds every output whose
window covers it.
"""

import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    """∂L/∂x, ∂L/∂w and ∂L/∂b of the convolution, given dout = ∂L/∂y.

      ∂L/∂w[f, c, u, v] = Σ_{n,i,j} dout[n, f, i, j]·x̃[n, c, i·S + u, j·S + v]
      ∂L/∂b[f]          = Σ_{n,i,j} dout[n, f, i, j]
      ∂L/∂x̃[n, c, p, q] = Σ dout[n, f, i, j]·w[f, c, u, v]
                 over every (f, i, j, u, v) with i·S + u = p and j·S + v = q

    then ∂L/∂x is ∂L/∂x̃ without its padding. Pixels no window reached get 0.

    Parameters
    ----------
    dout : ndarray of float64, shape (N, F, Ho, Wo)
    x : ndarray of float64, shape (N, C, H, W)
    w : ndarray of float64, shape (F, C, kh, kw)
    stride : int, default 1
    padding : int, default 0

    Returns
    -------
    dx : ndarray of float64, shape (N, C, H, W)
    dw : ndarray of float64, shape (F, C, kh, kw)
    db : ndarray of float64, shape (F,)
    """
    _, _, h, wd = x.shape
    _, _, kh, kw = w.shape
    ho, wo = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for u in range(kh):
        rows = slice(u, u + stride * (ho - 1) + 1, stride)
        for v in range(kw):
            cols = slice(v, v + stride * (wo - 1) + 1, stride)
            patch, kernel = xp[:, :, rows, cols], w[:, :, u, v]
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, patch)
            dxp[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, kernel)
    dx = dxp[:, :, padding : padding + h, padding : padding + wd]
    return dx, dw, np.sum(dout, axis=(0, 2, 3))

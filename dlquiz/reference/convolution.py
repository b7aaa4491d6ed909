"""2-D convolution and pooling in NCHW layout, forward and backward, plus size and parameter counts.

Convolution here is what deep-learning libraries compute: cross-correlation (the kernel is not
flipped), with zero padding and a stride; output sizes are floored. Weights use PyTorch's layout
(F, C, kh, kw). Everything is vectorized with ``sliding_window_view``: a view of every kh×kw patch,
contracted against the kernels with one einsum (no loop over pixels).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "conv_output_size",
    "conv_param_count",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "avg_pool2d",
]


def _windows(x, kh, kw, stride):
    """All kh×kw patches of x (N, C, H, W) at the given stride: a view (N, C, Ho, Wo, kh, kw)."""
    return sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]


def _pad(x, padding):
    """Zero-pad the two spatial axes of x (N, C, H, W) by ``padding`` on every side."""
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def conv_output_size(size, kernel, stride=1, padding=0):
    """Output length of a convolution or pooling along one spatial axis.

        out = ⌊(size + 2·padding − kernel) / stride⌋ + 1

    The windows start at 0, S, 2S, … as long as they fit in the padded input. Examples: 32 with
    K = 5 gives 28; 224 with K = 7, P = 3, S = 2 gives 112; "same" padding is P = (K − 1)/2 at
    S = 1.

    Parameters
    ----------
    size : int
        Input height or width.
    kernel : int
        Kernel extent along that axis.
    stride : int, default 1
    padding : int, default 0
        Zeros added on each side.

    Returns
    -------
    int
        The output length (≥ 1).
    """
    out = (size + 2 * padding - kernel) // stride + 1
    if out < 1:
        raise ValueError(f"kernel {kernel} does not fit in input {size} with padding {padding}")
    return out


def conv_param_count(c_in, c_out, k, bias=True):
    """Number of learnable parameters of a k×k convolution layer.

        C_out·(C_in·k² + 1)      (one C_in×k×k kernel plus one bias per output channel)

    It does not depend on the image size: 3 → 64 channels with 3×3 kernels is 1,792.

    Parameters
    ----------
    c_in, c_out : int
        Input and output channels.
    k : int
        Kernel size (square).
    bias : bool, default True
        Whether each output channel has a bias.

    Returns
    -------
    int
    """
    return c_out * (c_in * k * k + int(bias))


def conv2d(x, w, b, stride=1, padding=0):
    """2-D convolution (cross-correlation) of a batch of images with a bank of filters.

        y[n, f, i, j] = b[f] + Σ_c Σᵤ Σᵥ x̃[n, c, i·S + u, j·S + v] · w[f, c, u, v]

    where x̃ is x zero-padded by P on each side. No kernel flip, as in ``F.conv2d``. Output size
    Ho = ⌊(H + 2P − kh)/S⌋ + 1, likewise Wo.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        Input batch.
    w : ndarray, shape (F, C, kh, kw)
        Filters (PyTorch layout).
    b : ndarray, shape (F,), or None
        Bias per output channel.
    stride : int, default 1
        S.
    padding : int, default 0
        P, zeros on each side.

    Returns
    -------
    ndarray, shape (N, F, Ho, Wo)
    """
    patches = _windows(_pad(x, padding), w.shape[2], w.shape[3], stride)
    out = np.einsum("nchwuv,fcuv->nfhw", patches, w, optimize=True)
    return out if b is None else out + b[:, None, None]


def conv2d_backward(dout, x, w, stride=1, padding=0):
    """Gradients of :func:`conv2d` with respect to its input, filters and bias.

    From y[n, f, i, j] = b[f] + Σ_(c,u,v) x̃[n, c, i·S + u, j·S + v]·w[f, c, u, v]:

        ∂L/∂w[f, c, u, v] = Σ_(n,i,j) dy[n, f, i, j] · x̃[n, c, i·S + u, j·S + v]   (x̃ ⋆ dy)
        ∂L/∂b[f] = Σ_(n,i,j) dy[n, f, i, j]
        ∂L/∂x̃ = "full" correlation of dy with the kernel rotated 180°:
                 dilate dy by the stride (S − 1 zeros between entries), pad it by k − 1,
                 correlate with w[:, :, ::−1, ::−1] (channels swapped), then crop the padding P.

    Input rows or columns that no window reached (when the floor in the output size drops some)
    get zero gradient.

    Parameters
    ----------
    dout : ndarray, shape (N, F, Ho, Wo)
        Upstream gradient ∂L/∂y.
    x : ndarray, shape (N, C, H, W)
        The forward input.
    w : ndarray, shape (F, C, kh, kw)
        The forward filters.
    stride, padding : int
        As in the forward call.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        ∂L/∂x.
    dw : ndarray, shape (F, C, kh, kw)
        ∂L/∂w.
    db : ndarray, shape (F,)
        ∂L/∂b.
    """
    n, f, ho, wo = dout.shape
    kh, kw = w.shape[2:]
    x_pad = _pad(x, padding)
    db = dout.sum(axis=(0, 2, 3))
    dw = np.einsum("nfhw,nchwuv->fcuv", dout, _windows(x_pad, kh, kw, stride), optimize=True)

    dilated = np.zeros((n, f, stride * (ho - 1) + 1, stride * (wo - 1) + 1))
    dilated[:, :, ::stride, ::stride] = dout
    full = np.pad(dilated, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    rotated = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (C, F, kh, kw)
    dx_reached = conv2d(full, rotated, None)  # covers rows 0 … S(Ho−1)+kh−1 of x̃
    dx_pad = np.zeros_like(x_pad)
    dx_pad[:, :, : dx_reached.shape[2], : dx_reached.shape[3]] = dx_reached
    dx = dx_pad[:, :, padding : padding + x.shape[2], padding : padding + x.shape[3]]
    return dx, dw, db


def _pool_windows(x, kernel, stride):
    """Pooling windows of x (N, C, H, W): a view (N, C, Ho, Wo, k, k); stride defaults to k."""
    return _windows(x, kernel, kernel, kernel if stride is None else stride)


def max_pool2d(x, kernel, stride=None):
    """Max pooling over k×k windows of every channel (no padding, output size floored).

        y[n, c, i, j] = max_(0≤u,v<k) x[n, c, i·S + u, j·S + v]

    No learnable parameters. ``stride`` defaults to ``kernel`` (non-overlapping windows), as in
    ``F.max_pool2d``; a 2×2 window with stride 2 halves H and W.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel : int
        Window size k (square).
    stride : int, optional
        S; defaults to ``kernel``.

    Returns
    -------
    ndarray, shape (N, C, Ho, Wo)
        Ho = ⌊(H − k)/S⌋ + 1, likewise Wo.
    """
    return _pool_windows(x, kernel, stride).max(axis=(-2, -1))


def max_pool2d_backward(dout, x, kernel, stride=None):
    """Gradient of :func:`max_pool2d` with respect to its input.

        ∂L/∂x[p] = Σ over windows whose maximum is at p of dy[window]

    Each window passes its upstream gradient to its arg-max (the first one in row-major order if
    several entries tie); every other input gets 0 from that window. Overlapping windows add up.

    Parameters
    ----------
    dout : ndarray, shape (N, C, Ho, Wo)
        Upstream gradient ∂L/∂y.
    x : ndarray, shape (N, C, H, W)
        The forward input.
    kernel : int
    stride : int, optional
        As in the forward call.

    Returns
    -------
    ndarray, shape (N, C, H, W)
        ∂L/∂x.
    """
    stride = kernel if stride is None else stride
    patches = _pool_windows(x, kernel, stride)
    n, c, ho, wo = patches.shape[:4]
    flat_arg = patches.reshape(n, c, ho, wo, -1).argmax(axis=-1)
    rows = np.arange(ho)[:, None] * stride + flat_arg // kernel
    cols = np.arange(wo)[None, :] * stride + flat_arg % kernel
    dx = np.zeros_like(x)
    nn_idx = np.arange(n)[:, None, None, None]
    cc_idx = np.arange(c)[None, :, None, None]
    np.add.at(dx, (nn_idx, cc_idx, rows, cols), dout)
    return dx


def avg_pool2d(x, kernel, stride=None):
    """Average pooling over k×k windows of every channel (no padding, output size floored).

        y[n, c, i, j] = (1/k²) Σ_(0≤u,v<k) x[n, c, i·S + u, j·S + v]

    ``stride`` defaults to ``kernel``, as in ``F.avg_pool2d``. In the backward pass every input of
    a window receives dy/k².

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel : int
        Window size k (square).
    stride : int, optional
        S; defaults to ``kernel``.

    Returns
    -------
    ndarray, shape (N, C, Ho, Wo)
    """
    return _pool_windows(x, kernel, stride).mean(axis=(-2, -1))

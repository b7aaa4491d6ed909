"""Upsampling in encoder–decoder CNNs: transposed convolution and nearest-neighbour upsampling.

A transposed convolution is the adjoint (the transpose of the matrix) of a strided convolution: it
maps the small grid back to the large one, and its forward pass is exactly the backward pass of a
convolution with respect to its input. Each input value stamps a copy of the kernel, scaled by the
value, onto the output at stride S; where stamps overlap unevenly (k not divisible by S) the output
shows a checkerboard pattern, one reason decoders often use interpolation followed by a convolution.
"""

import numpy as np

__all__ = ["conv_transpose_output_size", "conv_transpose2d", "upsample_nearest"]


def conv_transpose_output_size(size, kernel, stride=1, padding=0, output_padding=0, dilation=1):
    """Output length of a transposed convolution along one axis (PyTorch's formula).

        out = (size − 1)·S − 2P + D·(k − 1) + output_padding + 1

    The inverse of the convolution size formula: a stride-2 convolution with k = 3, P = 1 maps both
    7 and 8 to 4; ``output_padding`` (0 or 1 here) chooses which size the transpose restores.

    Parameters
    ----------
    size, kernel : int
    stride, padding, output_padding, dilation : int

    Returns
    -------
    int
    """
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed 2-D convolution, ``F.conv_transpose2d(x, w, b, stride, padding, output_padding, groups=1, dilation)``.

        full[n, o, i·S + u·D, j·S + v·D] += x[n, c, i, j] · w[c, o, u, v]      (summed over c, i, j, u, v)
        y = full cropped by P on the top/left, to the size of :func:`conv_transpose_output_size`, + b[o]

    Note the weight layout (C_in, C_out, kh, kw), the reverse of conv2d's: the same tensor w of
    shape (F, C, kh, kw) serves a conv2d from C to F channels and its transpose from F back to C,
    and ⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩ for all x, y (the adjoint).

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    w : ndarray, shape (C_in, C_out, kh, kw)
    b : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation : int
        output_padding < max(stride, dilation), as PyTorch requires.

    Returns
    -------
    ndarray, shape (N, C_out, Ho, Wo)
    """
    n, _, h, wd = x.shape
    _, c_out, kh, kw = w.shape
    if output_padding >= max(stride, dilation):
        raise ValueError("output_padding must be smaller than the stride or the dilation")
    ho = conv_transpose_output_size(h, kh, stride, padding, output_padding, dilation)
    wo = conv_transpose_output_size(wd, kw, stride, padding, output_padding, dilation)
    full = np.zeros((n, c_out, padding + ho + padding, padding + wo + padding))
    stamps = np.einsum("nchw,couv->nouvhw", x, w, optimize=True)
    for u in range(kh):  # one strided add per kernel tap
        for v in range(kw):
            rows = slice(u * dilation, u * dilation + (h - 1) * stride + 1, stride)
            cols = slice(v * dilation, v * dilation + (wd - 1) * stride + 1, stride)
            full[:, :, rows, cols] += stamps[:, :, u, v]
    out = full[:, :, padding : padding + ho, padding : padding + wo]
    return out if b is None else out + b[:, None, None]


def upsample_nearest(x, scale):
    """Nearest-neighbour upsampling by an integer factor: each pixel becomes a scale×scale block.

        y[n, c, i, j] = x[n, c, ⌊i/scale⌋, ⌊j/scale⌋]

    As ``F.interpolate(x, scale_factor=scale, mode="nearest")``. No parameters and no checkerboard;
    a following convolution learns the smoothing.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    scale : int

    Returns
    -------
    ndarray, shape (N, C, H·scale, W·scale)
    """
    return np.repeat(np.repeat(x, scale, axis=2), scale, axis=3)

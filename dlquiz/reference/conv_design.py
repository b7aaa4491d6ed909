"""CNN design beyond the plain convolution: groups (depthwise), 1×1 and depthwise-separable
convolutions, dilation, their parameter and multiply-add counts, and the receptive field of a stack.

Layout and semantics are PyTorch's ``F.conv2d``: NCHW, weights (F, C/groups, kh, kw),
cross-correlation, zero padding, floored output sizes. A 1×1 convolution mixes channels at each
pixel (a dense layer applied per position); a depthwise convolution (groups = C) filters each channel
on its own; a depthwise-separable convolution is the two in sequence (MobileNet, Xception).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "grouped_conv2d",
    "depthwise_separable_conv2d",
    "conv_cost",
    "depthwise_separable_cost",
    "receptive_field",
]


def grouped_conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution with groups and dilation: ``F.conv2d(x, w, b, stride, padding, dilation, groups)``.

        y[n, f, i, j] = b[f] + Σ_(c in f's group) Σ_u Σ_v x̃[n, c, i·S + u·D, j·S + v·D] · w[f, c′, u, v]

    x̃ is x zero-padded by P; the C input channels and F output channels are split into G groups,
    and output channel f sees only the C/G input channels of its group (c′ indexes within it).
    Dilation D spaces the kernel taps D apart: a k×k kernel covers D·(k − 1) + 1 pixels with k²
    weights. Output size Ho = ⌊(H + 2P − D·(kh − 1) − 1)/S⌋ + 1, likewise Wo.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w : ndarray, shape (F, C/G, kh, kw)
    b : ndarray, shape (F,), optional
    stride, padding, dilation : int, default 1, 0, 1
    groups : int, default 1
        G; divides C and F. G = C with F = C is a depthwise convolution.

    Returns
    -------
    ndarray, shape (N, F, Ho, Wo)
    """
    n, c, _, _ = x.shape
    f, c_per_group, kh, kw = w.shape
    if c % groups or f % groups or c // groups != c_per_group:
        raise ValueError(f"weights {w.shape} do not fit {c} input channels in {groups} groups")
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    patches = sliding_window_view(xp, (span_h, span_w), axis=(2, 3))[:, :, ::stride, ::stride, ::dilation, ::dilation]
    ho, wo = patches.shape[2:4]
    patches = patches.reshape(n, groups, c_per_group, ho, wo, kh, kw)
    kernels = w.reshape(groups, f // groups, c_per_group, kh, kw)
    out = np.einsum("ngchwuv,gfcuv->ngfhw", patches, kernels, optimize=True).reshape(n, f, ho, wo)
    return out if b is None else out + b[:, None, None]


def depthwise_separable_conv2d(x, w_depthwise, w_pointwise, stride=1, padding=0):
    """A depthwise k×k convolution followed by a pointwise 1×1 convolution (no biases, no activation between).

        z = depthwise(x): every channel c filtered by its own kernel w_depthwise[c, 0]  (groups = C)
        y = pointwise(z): y[:, f] = Σ_c w_pointwise[f, c, 0, 0] · z[:, c]                (a 1×1 conv)

    It factorises a standard convolution into "where" (spatial filtering per channel) and "what"
    (mixing channels), with C·k² + C·F weights instead of F·C·k² (see
    :func:`depthwise_separable_cost`). MobileNet puts batch norm and ReLU after each of the two.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w_depthwise : ndarray, shape (C, 1, k, k)
    w_pointwise : ndarray, shape (F, C, 1, 1)
    stride, padding : int
        Of the depthwise convolution.

    Returns
    -------
    ndarray, shape (N, F, Ho, Wo)
    """
    z = grouped_conv2d(x, w_depthwise, stride=stride, padding=padding, groups=x.shape[1])
    return grouped_conv2d(z, w_pointwise)


def conv_cost(c_in, c_out, kernel, out_h, out_w, groups=1, bias=False):
    """Weights and multiply-adds of one convolution layer.

        params = c_out · (c_in/G) · k² (+ c_out)
        multiply-adds = c_out · (c_in/G) · k² · Ho · Wo

    Each output value is a dot product over (c_in/G)·k² inputs; there are c_out·Ho·Wo of them. A 1×1
    convolution is the case k = 1: a dense layer c_in → c_out applied at every pixel.

    Parameters
    ----------
    c_in, c_out, kernel : int
    out_h, out_w : int
        Output size Ho, Wo.
    groups : int, default 1
    bias : bool, default False

    Returns
    -------
    (int, int)
        (parameters, multiply-adds).
    """
    weights = c_out * (c_in // groups) * kernel * kernel
    return weights + (c_out if bias else 0), weights * out_h * out_w


def depthwise_separable_cost(c_in, c_out, kernel, out_h, out_w):
    """Weights and multiply-adds of a depthwise-separable convolution (no biases).

        params = c_in·k² (depthwise) + c_in·c_out (pointwise)
        multiply-adds = (c_in·k² + c_in·c_out) · Ho · Wo
        ratio to a standard k×k convolution = 1/c_out + 1/k²

    3×3, 256 → 256 channels on a 56×56 map: 67,840 weights and 212.7 M multiply-adds instead of
    589,824 and 1.85 G, 8.7× fewer (1/256 + 1/9 ≈ 0.115).

    Parameters
    ----------
    c_in, c_out, kernel, out_h, out_w : int

    Returns
    -------
    (int, int)
        (parameters, multiply-adds).
    """
    weights = c_in * kernel * kernel + c_in * c_out
    return weights, weights * out_h * out_w


def receptive_field(layers):
    """Receptive field after each layer of a stack of convolutions or poolings (one spatial axis).

        jump:  j₀ = 1,   j_l = j_(l−1) · s_l            (input pixels between neighbouring outputs)
        size:  r₀ = 1,   r_l = r_(l−1) + (k_l − 1) · d_l · j_(l−1)

    so r_l = 1 + Σ_l (k_l − 1)·d_l·Π_(i<l) s_i. Two 3×3 convolutions see 5×5 and three see 7×7 (with
    fewer weights than one 7×7); a stride multiplies the growth of every later layer; dilations
    1, 2, 4, … grow it exponentially with depth (WaveNet: kernel 2, dilations 1 … 512, r = 1024).
    This is the theoretical field; the effective one, where gradients are large, is smaller.

    Parameters
    ----------
    layers : list of tuples
        (kernel, stride) or (kernel, stride, dilation) per layer, input side first.

    Returns
    -------
    list of int
        r_l after each layer.
    """
    size, jump, out = 1, 1, []
    for layer in layers:
        kernel, stride, dilation = (*layer, 1)[:3]
        size += (kernel - 1) * dilation * jump
        jump *= stride
        out.append(size)
    return out

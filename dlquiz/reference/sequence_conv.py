"""Convolutions over sequences and image patches: 1-D (causal, dilated) convolution and ViT patch embeddings.

For text or audio the channels are the feature (embedding) dimension and the kernel slides along
time: ``F.conv1d``'s (N, C, L) layout. A causal convolution pads only on the left, so output t sees
inputs up to t and never the future, which makes it usable for generation (WaveNet, TCNs). A Vision
Transformer cuts an image into P×P patches and projects each to a token: a convolution whose
stride equals its kernel.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["conv1d", "causal_conv1d", "patchify", "patch_embed", "vit_num_tokens"]


def conv1d(x, w, b=None, stride=1, padding=0, dilation=1):
    """1-D convolution (cross-correlation), ``F.conv1d(x, w, b, stride, padding, dilation)``.

        y[n, f, t] = b[f] + Σ_c Σ_u x̃[n, c, t·S + u·D] · w[f, c, u]

    with x̃ zero-padded by P on both ends; L_out = ⌊(L + 2P − D·(k − 1) − 1)/S⌋ + 1. Parameters
    F·C·k (+ F), independent of the sequence length, as for an RNN; unlike an RNN every output is
    computed in parallel, but the context is bounded by the receptive field.

    Parameters
    ----------
    x : ndarray, shape (N, C, L)
    w : ndarray, shape (F, C, k)
    b : ndarray, shape (F,), optional
    stride, padding, dilation : int

    Returns
    -------
    ndarray, shape (N, F, L_out)
    """
    k = w.shape[-1]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    windows = sliding_window_view(xp, dilation * (k - 1) + 1, axis=2)[:, :, ::stride, ::dilation]
    out = np.einsum("nctu,fcu->nft", windows, w, optimize=True)
    return out if b is None else out + b[:, None]


def causal_conv1d(x, w, b=None, dilation=1):
    """Causal 1-D convolution: pad D·(k − 1) zeros on the left only.

        y[n, f, t] = b[f] + Σ_c Σ_u x[n, c, t − (k − 1 − u)·D] · w[f, c, u]     (x = 0 before the start)

    The output has the input's length and y[t] depends on x[t], x[t − D], …, x[t − (k−1)·D] only.
    Equals ``F.conv1d(F.pad(x, (D·(k − 1), 0)), w, b, dilation=D)``; symmetric padding would leak
    the future into y[t].

    Parameters
    ----------
    x : ndarray, shape (N, C, L)
    w : ndarray, shape (F, C, k)
    b : ndarray, shape (F,), optional
    dilation : int, default 1

    Returns
    -------
    ndarray, shape (N, F, L)
    """
    left = dilation * (w.shape[-1] - 1)
    return conv1d(np.pad(x, ((0, 0), (0, 0), (left, 0))), w, b, dilation=dilation)


def patchify(images, patch):
    """Cut images into non-overlapping P×P patches, each flattened in (channel, row, column) order.

        tokens[n, r·(W/P) + s] = images[n, :, r·P:(r+1)·P, s·P:(s+1)·P].ravel()

    Patches are numbered row by row, as ViT does.

    Parameters
    ----------
    images : ndarray, shape (N, C, H, W)
        H and W divisible by P.
    patch : int
        P.

    Returns
    -------
    ndarray, shape (N, (H/P)·(W/P), C·P·P)
    """
    n, c, h, w = images.shape
    if h % patch or w % patch:
        raise ValueError(f"a {h}×{w} image does not split into {patch}×{patch} patches")
    grid = images.reshape(n, c, h // patch, patch, w // patch, patch)
    return grid.transpose(0, 2, 4, 1, 3, 5).reshape(n, (h // patch) * (w // patch), c * patch * patch)


def patch_embed(images, w, b):
    """ViT's patch embedding: a linear projection of every flattened patch to a D-dimensional token.

        tokens = patchify(images) · W_flatᵀ + b,   W_flat = w reshaped to (D, C·P·P)

    which is the same as ``nn.Conv2d(C, D, kernel_size=P, stride=P)`` followed by
    ``.flatten(2).transpose(1, 2)``: the timm/ViT implementation. A class token and position
    embeddings are added afterwards; without them the tokens carry no position at all.

    Parameters
    ----------
    images : ndarray, shape (N, C, H, W)
    w : ndarray, shape (D, C, P, P)
        The projection in conv-weight layout.
    b : ndarray, shape (D,)

    Returns
    -------
    ndarray, shape (N, (H/P)·(W/P), D)
    """
    d, _, patch, _ = w.shape
    return patchify(images, patch) @ w.reshape(d, -1).T + b


def vit_num_tokens(height, width, patch, cls_token=True):
    """Sequence length of a ViT: (H/P)·(W/P) patches, plus one class token.

    224×224 with P = 16: 14·14 = 196 patches, 197 tokens; P = 8 gives 785, and since attention is
    quadratic in the length, halving P costs about 16× in attention.

    Parameters
    ----------
    height, width, patch : int
    cls_token : bool, default True

    Returns
    -------
    int
    """
    return (height // patch) * (width // patch) + int(cls_token)

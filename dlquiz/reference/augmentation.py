"""Label-mixing data augmentation: mixup and CutMix.

Most augmentations (flips, crops, colour jitter) change an image but keep its label, teaching the
invariances the task should have. Mixup and CutMix also change the label: they blend two examples
and their one-hot targets in the same proportion, which regularises the network toward linear
behaviour between training points and softer, better-calibrated predictions.
"""

import numpy as np

__all__ = ["mixup", "cutmix"]


def mixup(x, y, alpha, rng):
    """Mixup (Zhang et al., 2018): convex combinations of example pairs and of their targets.

        λ ~ Beta(α, α),   π = a random permutation of the batch
        x̃ = λ·x + (1 − λ)·x[π],   ỹ = λ·y + (1 − λ)·y[π]

    One λ per batch, as in the paper's reference code. Because cross-entropy is linear in its
    target, CE(z, ỹ) = λ·CE(z, y) + (1 − λ)·CE(z, y[π]). Small α (0.2) keeps λ near 0 or 1, mostly
    mild mixes; α = 1 draws λ uniformly.

    Parameters
    ----------
    x : ndarray, shape (N, ...)
        Inputs.
    y : ndarray, shape (N, C)
        One-hot (or soft) targets.
    alpha : float
        α > 0 of the Beta distribution.
    rng : numpy.random.Generator

    Returns
    -------
    x_mixed : ndarray, shape of x
    y_mixed : ndarray, shape (N, C)
    lam : float
        λ.
    perm : ndarray of int, shape (N,)
        π.
    """
    lam = float(rng.beta(alpha, alpha))
    perm = rng.permutation(len(x))
    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm], lam, perm


def cutmix(x, y, alpha, rng):
    """CutMix (Yun et al., 2019): paste a rectangle from another image and mix the labels by area.

        λ ~ Beta(α, α);  a box of height ⌊H·√(1 − λ)⌋ and width ⌊W·√(1 − λ)⌋ centred at a uniform
        pixel and clipped to the image;  x̃ = x with the box taken from x[π]
        λ′ = 1 − (box area)/(H·W),   ỹ = λ′·y + (1 − λ′)·y[π]

    The label weight λ′ is recomputed from the clipped box, so ỹ matches the pixels actually pasted
    (as the paper's reference code does). Unlike mixup, every pixel stays a real pixel of one image.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    y : ndarray, shape (N, K)
        One-hot (or soft) targets.
    alpha : float
    rng : numpy.random.Generator

    Returns
    -------
    x_mixed : ndarray, shape (N, C, H, W)
    y_mixed : ndarray, shape (N, K)
    lam : float
        λ′, the fraction of pixels from the original image.
    perm : ndarray of int, shape (N,)
    box : (int, int, int, int)
        (top, bottom, left, right), rows top … bottom − 1 and columns left … right − 1.
    """
    height, width = x.shape[-2:]
    lam = float(rng.beta(alpha, alpha))
    perm = rng.permutation(len(x))
    cut = np.sqrt(1.0 - lam)
    ch, cw = int(height * cut), int(width * cut)
    cy, cx = int(rng.integers(height)), int(rng.integers(width))
    top, bottom = max(cy - ch // 2, 0), min(cy + ch // 2, height)
    left, right = max(cx - cw // 2, 0), min(cx + cw // 2, width)
    mixed = x.copy()
    mixed[..., top:bottom, left:right] = x[perm][..., top:bottom, left:right]
    lam = 1.0 - (bottom - top) * (right - left) / (height * width)
    return mixed, lam * y + (1 - lam) * y[perm], lam, perm, (top, bottom, left, right)

"""Regularisation: dropout and its variants, L1 and L2 penalties, early stopping.

What this module teaches: the ways of keeping a network from fitting noise. Dropout zeroes random
units during training (PyTorch's inverted form rescales the survivors by 1/(1 − p) so nothing changes
at test time). L2 adds (λ/2)‖w‖², whose gradient λw shrinks large weights most (weight decay); L1 adds
λ‖w‖₁, whose constant pull λ·sign(w) drives small weights exactly to 0 (sparsity). Early stopping
ends training when the validation loss stops improving.

Conventions: p is the **drop** probability (PyTorch's); the L2 penalty carries the ½ so that its
gradient λw equals PyTorch's ``weight_decay=λ``. Randomness only through the ``rng`` argument.
"""

import numpy as np

__all__ = [
    "dropout",
    "dropout_backward",
    "dropout2d",
    "stochastic_depth",
    "survival_probabilities",
    "l1_penalty",
    "l1_grad",
    "l2_penalty",
    "l2_grad",
    "soft_threshold",
    "l2_shrink",
    "early_stopping",
]


def dropout(x, p, rng, training=True):
    """Inverted dropout: out = x ⊙ m with mᵢ = rᵢ / (1 − p), rᵢ ~ Bernoulli(1 − p).

    Each element is dropped (set to 0) with probability p and the survivors are scaled by 1/(1 − p), so
    E[out] = x and no rescaling is needed at test time. A fresh mask is drawn on every call.

    Parameters
    ----------
    x : ndarray, any shape
        Activations.
    p : float in [0, 1]
        Drop probability (PyTorch's ``p``; not the keep probability). p = 1 drops everything.
    rng : numpy.random.Generator
        The source of the mask (unused when ``training`` is False).
    training : bool, default True
        False is evaluation mode (``model.eval()``): dropout does nothing.

    Returns
    -------
    out : ndarray, same shape as x
        In training x ⊙ m; in evaluation x itself, unchanged.
    mask : ndarray, same shape as x
        The multiplier m, so that out = x ⊙ m in both modes: 0 for a dropped element and 1/(1 − p)
        for a kept one in training; all ones in evaluation. The backward pass is dout ⊙ m
        (:func:`dropout_backward`). The fraction dropped is ``np.mean(mask == 0)``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    x = np.asarray(x, dtype=float)
    if not training:
        return x, np.ones_like(x)
    mask = np.zeros_like(x) if p == 1.0 else (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask


def dropout_backward(dout, mask):
    """Backward pass of dropout: ∂L/∂x = ∂L/∂out ⊙ m, with the mask m returned by :func:`dropout`.

    Parameters
    ----------
    dout : ndarray
        ∂L/∂out.
    mask : ndarray, same shape
        The multiplier m from the forward pass (the same mask, not a new one).

    Returns
    -------
    ndarray, same shape
        ∂L/∂x.
    """
    return np.asarray(dout, dtype=float) * mask


def dropout2d(x, p, rng, training=True):
    """Spatial (channel) dropout: a whole feature map is kept or zeroed, out[n, c] = x[n, c]·r_nc / (1 − p).

    r_nc ~ Bernoulli(1 − p), one draw per example and channel, shared by every position of the map.
    Neighbouring pixels are strongly correlated, so a pixel zeroed alone is nearly recoverable from its
    neighbours; a zeroed channel is not (Tompson et al., 2015).

    Parameters
    ----------
    x : ndarray, shape (N, C, ...)
        Feature maps: batch, channels, then any spatial axes.
    p : float in [0, 1]
        Drop probability of a channel (1 zeroes everything, as torch does).
    rng : numpy.random.Generator
    training : bool, default True
        False: the identity (``model.eval()``).

    Returns
    -------
    out : ndarray, same shape as x
    mask : ndarray, shape (N, C, 1, ...)
        0 or 1/(1 − p) per example and channel (all ones in evaluation); out = x ⊙ mask by broadcasting.
        Like ``nn.Dropout2d`` (2-D maps) and ``nn.Dropout1d``/``nn.Dropout3d``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    x = np.asarray(x, dtype=float)
    shape = x.shape[:2] + (1,) * (x.ndim - 2)
    if not training:
        return x, np.ones(shape)
    mask = np.zeros(shape) if p == 1.0 else (rng.random(shape) >= p) / (1.0 - p)
    return x * mask, mask


def stochastic_depth(x, p, rng, mode="row", training=True):
    """Stochastic depth (DropPath) on a residual branch's output: out = f(x) · b / (1 − p), b ~ Bernoulli(1 − p).

    Used as y = x + stochastic_depth(f(x), …): a dropped example skips the branch and the skip connection
    still carries x. ``mode="row"`` draws b per example (timm's DropPath); ``"batch"`` one b for the whole
    batch (Huang et al.'s stochastic depth, the form that lets a dropped block be skipped, saving
    compute). The 1/(1 − p) scaling at training time makes evaluation the plain x + f(x). (Huang et al.,
    2016, scaled the branch by 1 − p at test time instead: the same expectation.)

    Parameters
    ----------
    x : ndarray, shape (N, ...)
        The branch output f(x) for a batch.
    p : float in [0, 1]
        Probability of dropping the branch.
    rng : numpy.random.Generator
    mode : "row" or "batch"
    training : bool, default True

    Returns
    -------
    ndarray, same shape as x
        Like ``torchvision.ops.stochastic_depth(x, p, mode, training)`` (and timm's ``drop_path``).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"drop probability must be in [0, 1], got {p}")
    x = np.asarray(x, dtype=float)
    if not training or p == 0.0:
        return x
    shape = (x.shape[0],) + (1,) * (x.ndim - 1) if mode == "row" else (1,) * x.ndim
    keep = rng.random(shape) >= p
    return x * keep / (1.0 - p) if p < 1.0 else x * keep


def survival_probabilities(num_blocks, last=0.5):
    """Huang et al.'s linear rule for stochastic depth: block l of L survives with sₗ = 1 − (l/L)(1 − s_L).

    Huang et al. drop a block for the whole mini-batch, so a step runs Σ sₗ = L − (1 − s_L)(L + 1)/2 blocks
    on average.

    Parameters
    ----------
    num_blocks : int
        L, the residual blocks in the network.
    last : float, default 0.5
        s_L, the survival probability of the last block (the paper's choice).

    Returns
    -------
    ndarray, shape (L,)
        s₁ … s_L. (timm's ``drop_path_rate`` instead grows the drop probability linearly from 0 at the
        first block to the rate at the last.)
    """
    layers = np.arange(1, num_blocks + 1)
    return 1.0 - layers / num_blocks * (1.0 - last)


def l1_penalty(w, lam):
    """L1 penalty, λ‖w‖₁ = λ Σᵢ |wᵢ|.

    Parameters
    ----------
    w : array_like, any shape
        Weights (biases are normally not penalised).
    lam : float
        λ ≥ 0.

    Returns
    -------
    float
    """
    return float(lam * np.sum(np.abs(w)))


def l1_grad(w, lam):
    """(Sub)gradient of the L1 penalty with respect to w: λ·sign(w), using 0 at w = 0.

    The pull has the same size λ for every nonzero weight, however small, which is why the minimum
    of an L1-penalised loss has exact zeros. A plain (sub)gradient step does not land on them: it
    jumps over 0 by about η·λ and back; a proximal step (soft-thresholding) does.

    Parameters
    ----------
    w : array_like, any shape
    lam : float

    Returns
    -------
    ndarray, same shape as w
    """
    return lam * np.sign(np.asarray(w, dtype=float))


def l2_penalty(w, lam):
    """L2 penalty, (λ/2)‖w‖² = (λ/2) Σᵢ wᵢ².

    The ½ makes the gradient λw, so plain SGD on loss + penalty equals PyTorch's SGD with
    ``weight_decay=λ``: w ← (1 − ηλ)w − η∇J.

    Parameters
    ----------
    w : array_like, any shape
    lam : float
        λ ≥ 0.

    Returns
    -------
    float
    """
    w = np.asarray(w, dtype=float)
    return float(0.5 * lam * np.sum(w * w))


def l2_grad(w, lam):
    """Gradient of the L2 penalty with respect to w: λw (proportional: large weights shrink most).

    Parameters
    ----------
    w : array_like, any shape
    lam : float

    Returns
    -------
    ndarray, same shape as w
    """
    return lam * np.asarray(w, dtype=float)


def soft_threshold(a, lam):
    """Minimiser of ½(w − a)² + λ|w|: the soft threshold sign(a)·max(|a| − λ, 0).

    Every |a| ≤ λ maps to exactly 0: this is why L1 produces sparse weights.

    Parameters
    ----------
    a : array_like, any shape
        The unpenalised optimum.
    lam : float
        λ ≥ 0.

    Returns
    -------
    ndarray, same shape as a
    """
    a = np.asarray(a, dtype=float)
    return np.sign(a) * np.maximum(np.abs(a) - lam, 0.0)


def l2_shrink(a, lam):
    """Minimiser of ½(w − a)² + (λ/2)w²: w = a / (1 + λ).

    A proportional shrink that is 0 only when a is: L2 rarely yields exact zeros.

    Parameters
    ----------
    a : array_like, any shape
    lam : float
        λ ≥ 0.

    Returns
    -------
    ndarray, same shape as a
    """
    return np.asarray(a, dtype=float) / (1.0 + lam)


def early_stopping(val_losses, patience, min_delta=0.0):
    """Patience-based early stopping on a sequence of per-epoch validation losses.

    Epochs are numbered from 0. An epoch *improves* if its loss is below the best so far by more than
    ``min_delta``; the first epoch always improves. Training stops at the first epoch that is the
    ``patience``-th epoch in a row without an improvement, i.e. at best_epoch + patience, and the
    weights of best_epoch are restored. If that never happens, training runs to the last epoch.

    Parameters
    ----------
    val_losses : sequence of float, length T ≥ 1
        Validation loss after each epoch.
    patience : int ≥ 1
        How many epochs without improvement to tolerate.
    min_delta : float, default 0.0
        Smallest decrease that counts as an improvement.

    Returns
    -------
    best_epoch : int
        Index of the last improving epoch before stopping (the checkpoint to restore).
    stop_epoch : int
        Index of the epoch after which training stops; T − 1 if patience never ran out.
    """
    losses = np.asarray(val_losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError("val_losses must be a non-empty 1-D sequence")
    if patience < 1:
        raise ValueError(f"patience must be at least 1, got {patience}")
    best_epoch, best = 0, losses[0]
    for epoch in range(1, losses.size):  # a loop over epochs, as in a training loop
        if losses[epoch] < best - min_delta:
            best_epoch, best = epoch, losses[epoch]
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, int(losses.size - 1)

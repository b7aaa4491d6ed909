"""Loss functions and their gradients.

What this module teaches: the losses used for regression (MSE, MAE, Huber) and classification
(binary and multi-class cross-entropy), their derivatives with respect to the prediction, and the
numerically stable forms that work on logits.

Conventions (PyTorch's): the prediction comes first and the target second; every loss uses **mean**
reduction over all elements, so every gradient carries a 1/size factor. Each ``*_grad`` is the
derivative of the (scalar, mean) loss with respect to its first argument and has that argument's
shape.
"""

import numpy as np

from dlquiz.reference.activations import log_softmax, sigmoid, softmax

__all__ = [
    "mse",
    "mse_grad",
    "mae",
    "mae_grad",
    "huber",
    "huber_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "one_hot",
    "cross_entropy",
    "cross_entropy_grad",
]


def _pair(a, b):
    """Both arguments as float arrays of a's shape.

    A scalar b is broadcast; any other shape mismatch is an error, because broadcasting (N,) against
    (N, 1) would silently build an (N, N) loss.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if b.ndim == 0:
        b = np.broadcast_to(b, a.shape)
    if a.shape != b.shape:
        raise ValueError(f"prediction and target shapes differ: {a.shape} vs {b.shape}")
    return a, b


def mse(y_pred, y_true):
    """Mean squared error, L = (1/n) Σᵢ (ŷᵢ − yᵢ)².

    Parameters
    ----------
    y_pred, y_true : array_like, same shape
        Predictions ŷ and targets y; n is the total number of elements. In every loss of this
        module the target may also be a scalar; other shape mismatches raise ValueError.

    Returns
    -------
    float
        Like ``F.mse_loss`` (reduction="mean").
    """
    p, t = _pair(y_pred, y_true)
    return float(np.mean((p - t) ** 2))


def mse_grad(y_pred, y_true):
    """Gradient of the MSE with respect to the prediction, ∂L/∂ŷ = 2(ŷ − y)/n.

    Parameters
    ----------
    y_pred, y_true : array_like, same shape

    Returns
    -------
    ndarray, shape of y_pred
    """
    p, t = _pair(y_pred, y_true)
    return 2.0 * (p - t) / p.size


def mae(y_pred, y_true):
    """Mean absolute error, L = (1/n) Σᵢ |ŷᵢ − yᵢ|.

    Parameters
    ----------
    y_pred, y_true : array_like, same shape

    Returns
    -------
    float
        Like ``F.l1_loss``. The constant that minimises it is the median of y.
    """
    p, t = _pair(y_pred, y_true)
    return float(np.mean(np.abs(p - t)))


def mae_grad(y_pred, y_true):
    """(Sub)gradient of the MAE with respect to the prediction, ∂L/∂ŷ = sign(ŷ − y)/n.

    Where ŷ = y the subgradient 0 is used, as PyTorch's autograd does.

    Parameters
    ----------
    y_pred, y_true : array_like, same shape

    Returns
    -------
    ndarray, shape of y_pred
    """
    p, t = _pair(y_pred, y_true)
    return np.sign(p - t) / p.size


def huber(y_pred, y_true, delta=1.0):
    """Huber loss, mean over elements of ℓ(d) with d = ŷ − y:

    ℓ(d) = ½d²           if |d| < δ
    ℓ(d) = δ(|d| − ½δ)   otherwise

    Quadratic near zero, linear (so outlier-robust) beyond δ; value and slope are continuous at |d| = δ.

    Parameters
    ----------
    y_pred, y_true : array_like, same shape
    delta : float, default 1.0
        The threshold δ > 0.

    Returns
    -------
    float
        Like ``F.huber_loss(y_pred, y_true, delta=delta)``. (``F.smooth_l1_loss`` is this divided by δ.)
    """
    p, t = _pair(y_pred, y_true)
    d = np.abs(p - t)
    return float(np.mean(np.where(d < delta, 0.5 * d**2, delta * (d - 0.5 * delta))))


def huber_grad(y_pred, y_true, delta=1.0):
    """Gradient of the Huber loss with respect to the prediction: ∂L/∂ŷ = clip(d, −δ, δ)/n, d = ŷ − y.

    That is d/n inside |d| < δ and δ·sign(d)/n outside: the gradient is capped at δ.

    Parameters
    ----------
    y_pred, y_true : array_like, same shape
    delta : float, default 1.0

    Returns
    -------
    ndarray, shape of y_pred
    """
    p, t = _pair(y_pred, y_true)
    return np.clip(p - t, -delta, delta) / p.size


def _clamped_log(p):
    """log p, clamped below at −100 as PyTorch's binary_cross_entropy does (so log 0 → −100)."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), -100.0)


def binary_cross_entropy(p, y):
    """Binary cross-entropy on probabilities, L = −(1/n) Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)].

    The negative log-likelihood of Bernoulli targets. Like PyTorch, each log is clamped at ≥ −100 so
    p ∈ {0, 1} gives a large finite loss instead of inf. Prefer
    :func:`binary_cross_entropy_with_logits` when you have logits.

    Parameters
    ----------
    p : array_like
        Predicted probabilities in [0, 1].
    y : array_like, same shape as p
        Targets in [0, 1] (usually 0 or 1).

    Returns
    -------
    float
        Like ``F.binary_cross_entropy(p, y)``.
    """
    p, y = _pair(p, y)
    return float(-np.mean(y * _clamped_log(p) + (1.0 - y) * _clamped_log(1.0 - p)))


def binary_cross_entropy_grad(p, y):
    """Gradient of the BCE with respect to the probability: ∂L/∂p = (p − y) / (p(1 − p)) / n.

    Multiplied by σ′(z) = p(1 − p) this becomes (p − y)/n, the gradient with respect to the logit.

    Parameters
    ----------
    p : array_like
        Probabilities strictly inside (0, 1).
    y : array_like, same shape as p

    Returns
    -------
    ndarray, shape of p
    """
    p, y = _pair(p, y)
    return (p - y) / (p * (1.0 - p)) / p.size


def binary_cross_entropy_with_logits(z, y):
    """Binary cross-entropy on logits, L = (1/n) Σᵢ [max(zᵢ, 0) − zᵢyᵢ + log(1 + e^(−|zᵢ|))].

    Algebraically equal to BCE(σ(z), y), but it never forms σ(z) and never exponentiates a positive
    number, so it stays accurate for |z| of 100 and more. Through probabilities that fails: in float64
    σ(z) rounds to exactly 1 once z ≳ 37, so log(1 − σ(z)) is log 0 (clamped to −100 by PyTorch,
    where the true value at z = 200 is −200).

    Parameters
    ----------
    z : array_like
        Logits (pre-sigmoid scores).
    y : array_like, same shape as z
        Targets in [0, 1].

    Returns
    -------
    float
        Like ``F.binary_cross_entropy_with_logits(z, y)``.
    """
    z, y = _pair(z, y)
    return float(np.mean(np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def binary_cross_entropy_with_logits_grad(z, y):
    """Gradient of the logit BCE with respect to the logits: ∂L/∂z = (σ(z) − y)/n.

    The σ′ from the sigmoid cancels the 1/(p(1 − p)) from the log-likelihood, leaving p − y.

    Parameters
    ----------
    z : array_like
        Logits.
    y : array_like, same shape as z

    Returns
    -------
    ndarray, shape of z
    """
    z, y = _pair(z, y)
    return (sigmoid(z) - y) / z.size


def one_hot(targets, num_classes):
    """One-hot encoding: row n has a 1 in column targets[n] and 0 elsewhere.

    Parameters
    ----------
    targets : array_like of int, shape (N,)
        Class indices in [0, num_classes).
    num_classes : int
        C.

    Returns
    -------
    ndarray, shape (N, C), float
    """
    targets = np.asarray(targets)
    return np.eye(num_classes)[targets]


def _logits_and_targets(logits, targets):
    logits = np.asarray(logits, dtype=float)
    targets = np.asarray(targets)
    if logits.ndim != 2 or targets.shape != (logits.shape[0],):
        raise ValueError(f"expected logits (N, C) and targets (N,), got {logits.shape} and {targets.shape}")
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError("targets must be integer class indices")
    return logits, targets


def cross_entropy(logits, targets):
    """Multi-class cross-entropy on logits, L = −(1/N) Σₙ log softmax(zₙ)[yₙ].

    Per row this is logsumexp(zₙ) − zₙ,yₙ, computed through :func:`log_softmax`, so logits around
    10³ are fine. Uniform logits give L = ln C.

    Parameters
    ----------
    logits : array_like, shape (N, C)
        Unnormalised scores z.
    targets : array_like of int, shape (N,)
        Class indices y in [0, C).

    Returns
    -------
    float
        Like ``F.cross_entropy(logits, targets)`` (PyTorch takes logits and class ids, not
        probabilities and one-hot vectors).
    """
    logits, targets = _logits_and_targets(logits, targets)
    logp = log_softmax(logits, axis=1)
    return float(-np.mean(logp[np.arange(len(targets)), targets]))


def cross_entropy_grad(logits, targets):
    """Gradient of the cross-entropy with respect to the logits: ∂L/∂z = (softmax(z) − onehot(y))/N.

    Parameters
    ----------
    logits : array_like, shape (N, C)
    targets : array_like of int, shape (N,)

    Returns
    -------
    ndarray, shape (N, C)
    """
    logits, targets = _logits_and_targets(logits, targets)
    return (softmax(logits, axis=1) - one_hot(targets, logits.shape[1])) / logits.shape[0]

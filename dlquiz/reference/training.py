"""Training loops: batch, stochastic and mini-batch gradient descent; learning-rate schedules.

What this module teaches: the training loop itself. An *epoch* is one pass over the data, a
*batch* the examples used for one update, an *iteration* one update, so an epoch has ⌈N/B⌉
iterations. Batch gradient descent (B = N) takes the exact gradient; stochastic gradient descent
(B = 1) an unbiased but noisy estimate; mini-batch (1 < B < N) averages B per-example gradients,
which divides the variance of the estimate by B for independent draws (by a little more here, where
a batch is drawn without replacement: the factor is B·(N − 1)/(N − B)). The examples use a small
linear-regression problem, whose least-squares solution is known in closed form, and the two-layer
network of :mod:`dlquiz.reference.layers`.

Mini-batches follow PyTorch's ``DataLoader(shuffle=True, drop_last=False)``: a fresh permutation each
epoch, cut into consecutive batches, the last one possibly smaller.
"""

from dataclasses import dataclass

import numpy as np

from dlquiz.reference.layers import two_layer_net_backward, two_layer_net_forward, two_layer_net_init
from dlquiz.reference.losses import mse, mse_grad

__all__ = ["make_regression", "minibatches", "GDResult", "gradient_descent", "lr_schedule", "train_two_layer_net"]


def make_regression(n, d, rng, noise=0.1):
    """A synthetic linear-regression data set, y = Xw* + b* + ε.

    X ~ N(0, 1) element-wise, w* ~ N(0, 1), b* ~ N(0, 1), ε ~ N(0, noise²).

    Parameters
    ----------
    n : int
        Number of examples N.
    d : int
        Number of features D.
    rng : numpy.random.Generator
    noise : float, default 0.1
        Standard deviation of ε; with 0 the data are exactly linear.

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w_true : ndarray, shape (d,)
    b_true : float
    """
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    b_true = float(rng.normal())
    y = X @ w_true + b_true + noise * rng.normal(size=n)
    return X, y, w_true, b_true


def minibatches(n, batch_size, rng=None, shuffle=True):
    """Index arrays of the mini-batches of one epoch.

    With shuffle, the indices 0 … n−1 are permuted once and cut into consecutive chunks of
    ``batch_size``; every example is used exactly once per epoch. There are ⌈n/B⌉ batches and the last
    one holds the remainder (PyTorch's ``drop_last=False``).

    Parameters
    ----------
    n : int
        Number of examples N.
    batch_size : int
        B ≥ 1.
    rng : numpy.random.Generator, optional
        Required when ``shuffle`` is True.
    shuffle : bool, default True
        False yields 0 … n−1 in order.

    Yields
    ------
    ndarray of int, shape (B,) (the last may be shorter)
        Indices of one batch, e.g. ``X[idx], y[idx]``.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if shuffle and rng is None:
        raise ValueError("shuffling needs an rng (numpy.random.Generator)")
    order = rng.permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


@dataclass(frozen=True)
class GDResult:
    """Outcome of :func:`gradient_descent`.

    Attributes
    ----------
    w : ndarray, shape (D,)
        Final weights.
    b : float
        Final bias.
    loss_per_update : ndarray, shape (epochs · ⌈N/B⌉,)
        The MSE of the batch used by each update, computed before that update (what a training log
        shows: noisy for small B).
    loss_per_epoch : ndarray, shape (epochs,)
        The MSE on the full data set after each epoch.
    """

    w: np.ndarray
    b: float
    loss_per_update: np.ndarray
    loss_per_epoch: np.ndarray


def gradient_descent(X, y, lr, epochs, batch_size=None, rng=None):
    """Fit y ≈ Xw + b by gradient descent on the MSE, starting from w = 0, b = 0.

    For each batch B: r = X_B w + b − y_B, L = mean(r²), ∂L/∂w = (2/|B|) X_Bᵀ r, ∂L/∂b = (2/|B|) Σ r,
    then w ← w − η ∂L/∂w, b ← b − η ∂L/∂b.

    ``batch_size`` picks the variant: None or N is batch gradient descent (one update per epoch, no
    shuffling), 1 is stochastic gradient descent, anything between is mini-batch.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,)
    lr : float or callable
        Learning rate η, or a function of the update index t = 0, 1, 2, … returning ηₜ (for example
        ``lambda t: lr_schedule("inverse_time", t, 0.1)``).
    epochs : int
    batch_size : int, optional
        B; None means N.
    rng : numpy.random.Generator, optional
        Shuffles the examples each epoch; required when B < N.

    Returns
    -------
    GDResult
        Final w (D,), b, the loss per update and the loss per epoch.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    if batch_size is None or batch_size >= n:
        batch_size, shuffle = n, False
    else:
        shuffle = True
    lr_at = lr if callable(lr) else (lambda _: lr)
    w, b = np.zeros(d), 0.0
    per_update, per_epoch = [], []
    for _ in range(epochs):
        for idx in minibatches(n, batch_size, rng, shuffle=shuffle):
            y_hat = X[idx] @ w + b
            per_update.append(mse(y_hat, y[idx]))
            dy_hat = mse_grad(y_hat, y[idx])
            eta = lr_at(len(per_update) - 1)
            w = w - eta * (X[idx].T @ dy_hat)
            b = b - eta * float(dy_hat.sum())
        per_epoch.append(mse(X @ w + b, y))
    return GDResult(w=w, b=b, loss_per_update=np.array(per_update), loss_per_epoch=np.array(per_epoch))


_SCHEDULES = ("constant", "step", "exponential", "inverse_time", "cosine", "warmup")


def lr_schedule(
    kind, step, base_lr, *, step_size=10, gamma=0.1, decay_rate=0.01, total_steps=None, min_lr=0.0, warmup_steps=1
):
    """Learning rate ηₜ at step t (0-based) for a few common schedules.

    - "constant":     η₀
    - "step":         η₀ · γ^⌊t / step_size⌋ (PyTorch ``StepLR``)
    - "exponential":  η₀ · e^(−k·t), k = decay_rate (``ExponentialLR`` with γ = e^(−k))
    - "inverse_time": η₀ / (1 + k·t), k = decay_rate (hyperbolic "time-based" decay)
    - "cosine":       η_min + ½(η₀ − η_min)(1 + cos(π·min(t, T)/T)), T = total_steps
                      (``CosineAnnealingLR`` up to T; here η stays at η_min after T)
    - "warmup":       η₀ · min(1, (t + 1) / warmup_steps): a linear ramp to η₀, then constant

    Parameters
    ----------
    kind : str
        One of the names above.
    step : int or array_like of int
        t; an array gives the whole curve at once.
    base_lr : float
        η₀.
    step_size : int, default 10
        For "step": steps between decays.
    gamma : float, default 0.1
        For "step": the factor γ per decay.
    decay_rate : float, default 0.01
        For "exponential" and "inverse_time": k.
    total_steps : int
        For "cosine": T, the step at which η reaches η_min (required for "cosine").
    min_lr : float, default 0.0
        For "cosine": η_min.
    warmup_steps : int, default 1
        For "warmup": the number of steps to reach η₀.

    Returns
    -------
    float, or ndarray of the shape of ``step``
    """
    t = np.asarray(step, dtype=float)
    if kind == "constant":
        lr = np.full_like(t, base_lr)
    elif kind == "step":
        lr = base_lr * gamma ** np.floor(t / step_size)
    elif kind == "exponential":
        lr = base_lr * np.exp(-decay_rate * t)
    elif kind == "inverse_time":
        lr = base_lr / (1.0 + decay_rate * t)
    elif kind == "cosine":
        if not total_steps:
            raise ValueError("the cosine schedule needs total_steps")
        progress = np.minimum(t, total_steps) / total_steps
        lr = min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress))
    elif kind == "warmup":
        lr = base_lr * np.minimum(1.0, (t + 1.0) / warmup_steps)
    else:
        raise ValueError(f"unknown schedule {kind!r}; choose one of {', '.join(_SCHEDULES)}")
    return float(lr) if lr.ndim == 0 else lr


def train_two_layer_net(X, y, hidden, lr, epochs, rng, activation="relu", batch_size=None):
    """Train the two-layer regressor of :mod:`dlquiz.reference.layers` with plain gradient descent.

    Each update: forward (:func:`~dlquiz.reference.layers.two_layer_net_forward`), backward
    (:func:`~dlquiz.reference.layers.two_layer_net_backward`), then θ ← θ − η ∂L/∂θ for W₁, b₁, W₂, b₂.
    Weights start from :func:`~dlquiz.reference.layers.two_layer_net_init`.

    Parameters
    ----------
    X : ndarray, shape (N, D)
        Inputs (standardise them first).
    y : ndarray, shape (N,) or (N, K)
        Targets.
    hidden : int
        H, hidden units.
    lr : float
        η.
    epochs : int
    rng : numpy.random.Generator
        Draws the initial weights and shuffles mini-batches.
    activation : {"relu", "sigmoid", "tanh"}, default "relu"
    batch_size : int, optional
        None (default) is full-batch: one update per epoch.

    Returns
    -------
    params : dict
        The trained {"W1", "b1", "W2", "b2"}.
    losses : ndarray, shape (epochs,)
        The MSE on the full data set after each epoch.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = X.shape[0]
    out_dim = 1 if y.ndim == 1 else y.shape[1]
    params = two_layer_net_init(X.shape[1], hidden, rng, out_dim=out_dim, activation=activation)
    batch_size = n if batch_size is None else batch_size
    losses = []
    for _ in range(epochs):
        for idx in minibatches(n, batch_size, rng, shuffle=batch_size < n):
            _, cache = two_layer_net_forward(X[idx], y[idx], params, activation=activation)
            grads, _ = two_layer_net_backward(cache)
            params = {k: params[k] - lr * grads[k] for k in params}
        losses.append(two_layer_net_forward(X, y, params, activation=activation)[0])
    return params, np.array(losses)

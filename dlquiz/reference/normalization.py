"""Batch, layer and group normalisation: forward, backward, and batch norm's inference mode.

Both normalise x to zero mean and unit variance, x̂ = (x − μ)/√(σ² + ε), then scale and shift,
y = γ⊙x̂ + β. Batch norm takes μ, σ² per feature over the batch (axis 0); layer norm takes them per
example over its features (the last axis). Conventions are PyTorch's: ε = 1e-5, the **biased**
variance (divide by the count, not count − 1) inside the normalisation, and the unbiased variance in
batch norm's running estimate.
"""

import numpy as np

__all__ = [
    "batchnorm_forward",
    "batchnorm_backward",
    "layernorm_forward",
    "layernorm_backward",
    "batchnorm_inference",
    "update_running_stats",
    "group_norm_forward",
]


def _normalize(x, gamma, beta, axis, eps):
    """y = γ⊙x̂ + β with x̂ = (x − mean)/√(biased var + ε) along ``axis``; returns (y, cache)."""
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, inv_std, gamma, axis)


def _normalize_backward(dout, cache):
    """Gradients of y = γ⊙x̂ + β through the statistics; returns (dx, dγ, dβ)."""
    x_hat, inv_std, gamma, axis = cache
    d_x_hat = dout * gamma
    mean_d = d_x_hat.mean(axis=axis, keepdims=True)
    mean_d_xhat = (d_x_hat * x_hat).mean(axis=axis, keepdims=True)
    dx = inv_std * (d_x_hat - mean_d - x_hat * mean_d_xhat)
    gamma_axes = tuple(range(dout.ndim - gamma.ndim))
    dgamma = (dout * x_hat).sum(axis=gamma_axes)
    dbeta = dout.sum(axis=gamma_axes)
    return dx, dgamma, dbeta


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalisation in training mode: normalise each feature over the batch.

        μ_B = (1/m) Σᵢ xᵢ,   σ²_B = (1/m) Σᵢ (xᵢ − μ_B)²     (biased variance, m = N)
        x̂ᵢ = (xᵢ − μ_B) / √(σ²_B + ε)
        yᵢ = γ⊙x̂ᵢ + β

    Each column of the output has mean β and biased variance γ²·σ²_B/(σ²_B + ε) ≈ γ². Matches
    ``F.batch_norm(x, None, None, gamma, beta, training=True, eps=1e-5)``.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        A batch of N examples with D features.
    gamma : ndarray, shape (D,)
        Learned scale γ (initialised to 1).
    beta : ndarray, shape (D,)
        Learned shift β (initialised to 0).
    eps : float, default 1e-5
        ε added to the variance for numerical stability.

    Returns
    -------
    out : ndarray, shape (N, D)
        y = γ⊙x̂ + β.
    cache : tuple
        Opaque values for :func:`batchnorm_backward`.
    """
    return _normalize(x, gamma, beta, axis=0, eps=eps)


def batchnorm_backward(dout, cache):
    """Backward pass of :func:`batchnorm_forward`, through the batch mean and variance.

    With s = √(σ²_B + ε), m = N and d x̂ = γ⊙dy (every example feeds μ_B and σ²_B, so each dxᵢ
    depends on the whole batch):

        ∂L/∂β = Σᵢ dyᵢ
        ∂L/∂γ = Σᵢ dyᵢ⊙x̂ᵢ
        ∂L/∂xᵢ = (1/(m·s))·(m·dx̂ᵢ − Σⱼ dx̂ⱼ − x̂ᵢ·Σⱼ dx̂ⱼ⊙x̂ⱼ)

    A consequence: Σᵢ ∂L/∂xᵢ = 0 for every feature.

    Parameters
    ----------
    dout : ndarray, shape (N, D)
        Upstream gradient ∂L/∂y.
    cache : tuple
        From :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray, shape (N, D)
        ∂L/∂x.
    dgamma : ndarray, shape (D,)
        ∂L/∂γ.
    dbeta : ndarray, shape (D,)
        ∂L/∂β.
    """
    return _normalize_backward(dout, cache)


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalisation: normalise each example over its own features (the last axis).

        μ = (1/D) Σⱼ xⱼ,   σ² = (1/D) Σⱼ (xⱼ − μ)²     (per example; biased variance)
        x̂ = (x − μ) / √(σ² + ε),   y = γ⊙x̂ + β

    No batch statistics are involved, so training and inference behave the same and there are no
    running averages. Matches ``F.layer_norm(x, (D,), gamma, beta, eps=1e-5)``.

    Parameters
    ----------
    x : ndarray, shape (N, D) or (..., D)
        Examples (any leading axes) with D features.
    gamma : ndarray, shape (D,)
        Learned scale γ.
    beta : ndarray, shape (D,)
        Learned shift β.
    eps : float, default 1e-5
        ε added to the variance.

    Returns
    -------
    out : ndarray, same shape as x
        y = γ⊙x̂ + β.
    cache : tuple
        Opaque values for :func:`layernorm_backward`.
    """
    return _normalize(x, gamma, beta, axis=-1, eps=eps)


def layernorm_backward(dout, cache):
    """Backward pass of :func:`layernorm_forward`.

    The batch-norm formula with the roles of the axes swapped: with D features, s = √(σ² + ε) of
    the example and dx̂ = γ⊙dy,

        ∂L/∂x = (1/(D·s))·(D·dx̂ − Σⱼ dx̂ⱼ − x̂·Σⱼ dx̂ⱼ x̂ⱼ)    (sums over the example's features)
        ∂L/∂γ = Σ dy⊙x̂,   ∂L/∂β = Σ dy                     (sums over all leading axes)

    Parameters
    ----------
    dout : ndarray, same shape as x
        Upstream gradient ∂L/∂y.
    cache : tuple
        From :func:`layernorm_forward`.

    Returns
    -------
    dx : ndarray, same shape as x
        ∂L/∂x.
    dgamma : ndarray, shape (D,)
        ∂L/∂γ.
    dbeta : ndarray, shape (D,)
        ∂L/∂β.
    """
    return _normalize_backward(dout, cache)


def batchnorm_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):
    """Batch normalisation in evaluation mode: use the running statistics, not the batch's.

        y = γ⊙(x − μ_run)/√(σ²_run + ε) + β

    Each example is transformed independently (an affine map per feature), so the output does not
    depend on the rest of the batch, and the layer can be folded into the preceding linear layer.
    Matches ``F.batch_norm(x, running_mean, running_var, gamma, beta, training=False, eps=1e-5)``.

    Parameters
    ----------
    x : ndarray, shape (N, D)
        Inputs.
    gamma, beta : ndarray, shape (D,)
        Learned scale γ and shift β.
    running_mean, running_var : ndarray, shape (D,)
        Running estimates, see :func:`update_running_stats`.
    eps : float, default 1e-5
        ε added to the variance.

    Returns
    -------
    ndarray, shape (N, D)
        The normalised, scaled and shifted inputs.
    """
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


def update_running_stats(running_mean, running_var, x, momentum=0.1):
    """One update of batch norm's running mean and variance from a training batch (PyTorch's rule).

        μ_run ← (1 − momentum)·μ_run + momentum·μ_B
        σ²_run ← (1 − momentum)·σ²_run + momentum·s²_B,   s²_B = (1/(N − 1)) Σᵢ (xᵢ − μ_B)²

    Note the **unbiased** batch variance s²_B here, while the training-mode normalisation itself
    uses the biased one. PyTorch starts from μ_run = 0, σ²_run = 1. Its "momentum" is the weight
    of the new batch (0.1), i.e. an exponential average with decay 0.9.

    Parameters
    ----------
    running_mean, running_var : ndarray, shape (D,)
        Current running estimates (not modified).
    x : ndarray, shape (N, D)
        The training batch, N ≥ 2.
    momentum : float, default 0.1
        Weight of the current batch.

    Returns
    -------
    new_mean, new_var : ndarray, shape (D,)
        The updated running estimates (new arrays).
    """
    if x.shape[0] < 2:
        raise ValueError("the unbiased batch variance needs at least 2 examples")
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    return new_mean, new_var


def group_norm_forward(x, num_groups, gamma, beta, eps=1e-5):
    """Group normalisation (Wu and He, 2018): each example's channels split into G groups, each group
    normalised over its channels and all positions, then a per-channel scale and shift.

        x of shape (N, C, *S) viewed as (N, G, C/G, *S);  μ, σ² per (n, g) over (C/G, *S)   (biased)
        x̂ = (x − μ) / √(σ² + ε),   y[:, c] = γ_c·x̂[:, c] + β_c

    G = 1 normalises each example over all its channels and positions (LayerNorm over (C, *S), with a
    per-channel affine); G = C normalises each channel of each example over its positions (InstanceNorm).
    No statistic crosses examples, so the batch size does not matter and training and inference agree.
    Matches ``F.group_norm(x, num_groups, gamma, beta, eps=1e-5)`` (which refuses a group of a single value;
    here such a group gives β).

    Parameters
    ----------
    x : ndarray, shape (N, C, ...)
    num_groups : int
        G; must divide C.
    gamma, beta : ndarray, shape (C,)
    eps : float, default 1e-5

    Returns
    -------
    ndarray, same shape as x
    """
    x = np.asarray(x, dtype=float)
    n, c = x.shape[:2]
    if num_groups < 1 or c % num_groups:
        raise ValueError(f"num_groups ({num_groups}) must divide the number of channels ({c})")
    grouped = x.reshape(n, num_groups, -1)
    mean = grouped.mean(axis=-1, keepdims=True)
    var = grouped.var(axis=-1, keepdims=True)
    x_hat = ((grouped - mean) / np.sqrt(var + eps)).reshape(x.shape)
    affine = (1, c) + (1,) * (x.ndim - 2)
    return gamma.reshape(affine) * x_hat + beta.reshape(affine)

"""Batch norm forward: training, inference, running statistics.

Batch normalisation of a batch x (N, D), feature by feature, as PyTorch's
nn.BatchNorm1d does it. In training it normalises with the batch's own mean and
variance and updates the running statistics; in inference it normalises with
the running statistics and leaves them alone.
"""

import numpy as np


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5
):
    """One forward pass of batch norm, and the running statistics after it.

    Training (``training=True``), with μ_B and σ²_B the mean and the **biased**
    variance (÷ N) of each feature over the batch:
        out = γ ⊙ (x − μ_B) / √(σ²_B + ε) + β
        running_mean ← (1 − momentum)·running_mean + momentum·μ_B
        running_var  ← (1 − momentum)·running_var + momentum·s²_B
    with s²_B the **unbiased** variance (÷ (N − 1)).
    Inference (``training=False``):
        out = γ ⊙ (x − running_mean) / √(running_var + ε) + β
    and the running statistics come back unchanged.

    (PyTorch's momentum is the weight of the new batch.) Return new arrays; do
    not update the running statistics in place.

    Parameters
    ----------
    x : ndarray of float64, shape (N, D)
        In training N ≥ 2.
    gamma, beta : ndarray of float64, shape (D,)
    running_mean, running_var : ndarray of float64, shape (D,)
    training : bool
    momentum : float, default 0.1
    eps : float, default 1e-5

    Returns
    -------
    out : ndarray of float64, shape (N, D)
    running_mean : ndarray of float64, shape (D,)
    running_var : ndarray of float64, shape (D,)
    """
    if not training:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        return out, running_mean.copy(), running_var.copy()
    n = x.shape[0]
    mean = np.mean(x, axis=0)
    var = np.mean((x - mean) ** 2, axis=0)
    out = gamma * (x - mean) / np.sqrt(var + eps) + beta
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    return out, new_mean, new_var

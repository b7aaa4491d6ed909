"""Two-layer MLP: forward pass and MSE loss.

A regressor with one hidden layer: inputs → dense → ReLU → dense (linear
output) → mean squared error. Weights use the ``x @ W`` layout, W of shape (in,
out).
"""

import numpy as np


def mlp_forward(X, y, W1, b1, W2, b2):
    """The prediction and the MSE loss of a two-layer ReLU network.

        z₁ = X·W₁ + b₁,   h = ReLU(z₁) = max(z₁, 0),   ŷ = h·W₂ + b₂
        L = (1/(N·K)) Σ_n Σ_k (ŷ[n, k] − y[n, k])²    (the mean over every
                                                      entry, as F.mse_loss)

    The output layer has no activation (a regression target can be any real
    number).

    Parameters
    ----------
    X : ndarray of float64, shape (N, D)
    y : ndarray of float64, shape (N, K)
    W1 : ndarray of float64, shape (D, H)
    b1 : ndarray of float64, shape (H,)
    W2 : ndarray of float64, shape (H, K)
    b2 : ndarray of float64, shape (K,)

    Returns
    -------
    y_hat : ndarray of float64, shape (N, K)
    loss : float
    """
    h = np.maximum(X @ W1 + b1, 0.0)
    y_hat = h @ W2 + b2
    return y_hat, float(np.mean((y_hat - y) ** 2))

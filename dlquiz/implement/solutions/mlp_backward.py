"""Two-layer MLP: backward pass.

The network of the forward exercise: z₁ = X·W₁ + b₁, h = ReLU(z₁), ŷ = h·W₂ +
b₂, and the loss L = mean((ŷ − y)²) over all N·K entries. Backpropagate L to
every parameter.
"""

import numpy as np


def mlp_backward(X, y, W1, b1, W2, b2):
    """∂L/∂W₁, ∂L/∂b₁, ∂L/∂W₂, ∂L/∂b₂ of the two-layer ReLU regressor's MSE.

        δ₂ = ∂L/∂ŷ = 2(ŷ − y)/(N·K)
        ∂L/∂W₂ = hᵀ·δ₂,   ∂L/∂b₂ = Σ_n δ₂[n]
        δ₁ = ∂L/∂z₁ = (δ₂·W₂ᵀ) ⊙ ReLU′(z₁)
        ∂L/∂W₁ = Xᵀ·δ₁,   ∂L/∂b₁ = Σ_n δ₁[n]

    Use ReLU′(0) = 0, PyTorch's convention at the kink.

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
    dW1 : ndarray of float64, shape (D, H)
    db1 : ndarray of float64, shape (H,)
    dW2 : ndarray of float64, shape (H, K)
    db2 : ndarray of float64, shape (K,)
    """
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0.0)
    y_hat = h @ W2 + b2
    d_y_hat = 2.0 * (y_hat - y) / y.size
    dW2 = h.T @ d_y_hat
    db2 = np.sum(d_y_hat, axis=0)
    dz1 = (d_y_hat @ W2.T) * (z1 > 0)
    dW1 = X.T @ dz1
    db1 = np.sum(dz1, axis=0)
    return dW1, db1, dW2, db2

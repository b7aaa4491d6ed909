"""Dense (fully connected) layers and a complete two-layer network, forward and backward.

What this module teaches: a dense layer is Y = XW + b on a batch (rows are examples), its backward
pass is three matrix products (dX = dY·Wᵀ, dW = Xᵀ·dY, db = Σₙ dY), and backpropagation through a
small network is those rules applied layer by layer with one activation derivative in between.

The worked example is the house-price regressor: features X (N, D) → hidden layer h = g(XW₁ + b₁)
→ linear output ŷ = hW₂ + b₂ → MSE against the prices y. Every intermediate a worked example shows
(z₁, h, ŷ, the loss, and each δ on the way back) is returned, so nothing has to be recomputed.

Layout: ``x @ W`` with W of shape (in, out); PyTorch's ``nn.Linear.weight`` is Wᵀ.
"""

import numpy as np

from dlquiz.reference import activations, initializers
from dlquiz.reference.losses import mse, mse_grad

__all__ = ["dense_forward", "dense_backward", "two_layer_net_init", "two_layer_net_forward", "two_layer_net_backward"]

# name -> (g, g′ taken at the pre-activation, initialiser suited to it)
_ACTIVATIONS = {
    "relu": (activations.relu, activations.relu_grad, initializers.he_normal),
    "sigmoid": (activations.sigmoid, activations.sigmoid_grad, initializers.xavier_normal),
    "tanh": (activations.tanh, activations.tanh_grad, initializers.xavier_normal),
}


def _activation(name):
    try:
        return _ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(_ACTIVATIONS)}") from None


def dense_forward(x, W, b):
    """Dense layer forward pass, Y = XW + b (b broadcast over the rows).

    Parameters
    ----------
    x : ndarray, shape (N, in)
        A batch of inputs, one example per row.
    W : ndarray, shape (in, out)
    b : ndarray, shape (out,)

    Returns
    -------
    ndarray, shape (N, out)
        Pre-activations; like ``x @ W + b`` in PyTorch (``nn.Linear`` with weight Wᵀ).
    """
    return np.asarray(x, dtype=float) @ W + b


def dense_backward(dout, x, W):
    """Dense layer backward pass: gradients of the loss given dY = ∂L/∂Y.

    dX = dY·Wᵀ,  dW = Xᵀ·dY,  db = Σₙ dYₙ (sum over the batch).

    Each gradient has the shape of the thing it is taken with respect to. Any 1/N of a mean loss is
    already inside dY.

    Parameters
    ----------
    dout : ndarray, shape (N, out)
        ∂L/∂Y, the upstream gradient.
    x : ndarray, shape (N, in)
        The layer's input from the forward pass.
    W : ndarray, shape (in, out)

    Returns
    -------
    dx : ndarray, shape (N, in)
        ∂L/∂X.
    dW : ndarray, shape (in, out)
        ∂L/∂W.
    db : ndarray, shape (out,)
        ∂L/∂b.
    """
    dout = np.asarray(dout, dtype=float)
    x = np.asarray(x, dtype=float)
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def two_layer_net_init(in_dim, hidden, rng, out_dim=1, activation="relu"):
    """Initial parameters for :func:`two_layer_net_forward`.

    Weights use He-normal for ReLU and Xavier-normal for sigmoid/tanh; biases start at 0 (zero biases
    are fine, zero weights are not: every hidden unit would stay identical).

    Parameters
    ----------
    in_dim : int
        D, number of input features.
    hidden : int
        H, number of hidden units.
    rng : numpy.random.Generator
    out_dim : int, default 1
        K, number of outputs (1 for a house price).
    activation : {"relu", "sigmoid", "tanh"}, default "relu"

    Returns
    -------
    dict
        {"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,)}.
    """
    init = _activation(activation)[2]
    return {
        "W1": init(in_dim, hidden, rng),
        "b1": np.zeros(hidden),
        "W2": init(hidden, out_dim, rng),
        "b2": np.zeros(out_dim),
    }


def two_layer_net_forward(X, y, params, activation="relu"):
    """Forward pass of the two-layer regressor and its MSE loss.

    z₁ = XW₁ + b₁,  h = g(z₁),  ŷ = hW₂ + b₂,  L = (1/(N·K)) Σ (ŷ − y)²

    with g = ReLU by default. The output layer is linear: a regression target needs an unbounded
    output and MSE (a sigmoid + BCE head is for classification).

    Parameters
    ----------
    X : ndarray, shape (N, D)
        Inputs (for house prices: standardised features).
    y : ndarray, shape (N, K), or (N,) when K = 1
        Targets; reshaped to ŷ's shape (so (N,) never broadcasts against (N, 1) into an N×N loss).
    params : dict
        {"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,)}, e.g. from :func:`two_layer_net_init`.
    activation : {"relu", "sigmoid", "tanh"}, default "relu"
        The hidden activation g.

    Returns
    -------
    loss : float
        The mean squared error L.
    cache : dict
        Everything the backward pass and a worked example need: "X" (N, D), "y" (N, K),
        "z1" (N, H), "h" (N, H), "y_hat" (N, K), "loss", "params", "activation".
    """
    g = _activation(activation)[0]
    X = np.asarray(X, dtype=float)
    z1 = dense_forward(X, params["W1"], params["b1"])
    h = g(z1)
    y_hat = dense_forward(h, params["W2"], params["b2"])
    y = np.asarray(y, dtype=float).reshape(y_hat.shape)
    loss = mse(y_hat, y)
    cache = {"X": X, "y": y, "z1": z1, "h": h, "y_hat": y_hat, "loss": loss, "params": params, "activation": activation}
    return loss, cache


def two_layer_net_backward(cache):
    """Backward pass of the two-layer regressor: ∂L/∂θ for every parameter θ.

    δ₂ = ∂L/∂ŷ = 2(ŷ − y)/(N·K)
    ∂L/∂W₂ = hᵀ·δ₂,  ∂L/∂b₂ = Σₙ δ₂,  ∂L/∂h = δ₂·W₂ᵀ
    δ₁ = ∂L/∂z₁ = ∂L/∂h ⊙ g′(z₁)           (for ReLU g′(z₁) is the mask [z₁ > 0])
    ∂L/∂W₁ = Xᵀ·δ₁,  ∂L/∂b₁ = Σₙ δ₁

    Parameters
    ----------
    cache : dict
        The cache returned by :func:`two_layer_net_forward`.

    Returns
    -------
    grads : dict
        ∂L/∂θ with the same keys and shapes as the parameters: "W1" (D, H), "b1" (H,),
        "W2" (H, K), "b2" (K,). Ready for an optimizer's ``step(params, grads)``.
    deltas : dict
        The intermediate gradients: "d_y_hat" = ∂L/∂ŷ (N, K), "dh" = ∂L/∂h (N, H),
        "dz1" = ∂L/∂z₁ (N, H).
    """
    g_prime = _activation(cache["activation"])[1]
    params = cache["params"]
    y_hat, y = cache["y_hat"], cache["y"]
    d_y_hat = mse_grad(y_hat, y)
    dh, dW2, db2 = dense_backward(d_y_hat, cache["h"], params["W2"])
    dz1 = dh * g_prime(cache["z1"])
    _, dW1, db1 = dense_backward(dz1, cache["X"], params["W1"])
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    deltas = {"d_y_hat": d_y_hat, "dh": dh, "dz1": dz1}
    return grads, deltas

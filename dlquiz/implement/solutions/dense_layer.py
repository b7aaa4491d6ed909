"""Dense layer forward and backward.

A fully connected layer maps a batch of inputs x (N, in) to y = x·W + b (N,
out), with W in the ``x @ W`` layout, shape (in, out) (PyTorch's nn.Linear
stores the transpose, (out, in)).
"""

import numpy as np


def dense_forward(x, W, b):
    """y = x·W + b.

    Parameters
    ----------
    x : ndarray of float64, shape (N, D_in)
    W : ndarray of float64, shape (D_in, D_out)
    b : ndarray of float64, shape (D_out,)

    Returns
    -------
    ndarray of float64, shape (N, D_out)
    """
    return x @ W + b


def dense_backward(dout, x, W):
    """Gradients of y = x·W + b given the upstream gradient dout = ∂L/∂y.

        ∂L/∂x = dout·Wᵀ,   ∂L/∂W = xᵀ·dout,   ∂L/∂b = Σ_n dout[n]

    (b is added to every row, so its gradient sums over the batch.)

    Parameters
    ----------
    dout : ndarray of float64, shape (N, D_out)
    x : ndarray of float64, shape (N, D_in)
        The forward input.
    W : ndarray of float64, shape (D_in, D_out)

    Returns
    -------
    dx : ndarray of float64, shape (N, D_in)
    dW : ndarray of float64, shape (D_in, D_out)
    db : ndarray of float64, shape (D_out,)
    """
    return dout @ W.T, x.T @ dout, np.sum(dout, axis=0)

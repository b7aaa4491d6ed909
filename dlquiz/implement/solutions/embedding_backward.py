"""Embedding backward: scatter-add.

An embedding layer looks up rows of a table W (V, D): out[..., :] =
W[ids[...]]. Its backward pass sends each upstream gradient row back to the row
it came from; a token that appears several times in the batch collects the sum
of all of its gradients, and unused rows get 0.
"""

import numpy as np


def embedding_backward(dout, ids, vocab_size):
    """∂L/∂W for out = W[ids].

        dW[v] = Σ over every position with ids[position] = v of dout[position]

    Parameters
    ----------
    dout : ndarray of float64, shape ids.shape + (D,)
        ∂L/∂out.
    ids : ndarray of int, any shape (N,) or (B, L)
        Token ids, in 0 … vocab_size − 1 (repeats are the point).
    vocab_size : int
        V, the number of rows of W.

    Returns
    -------
    ndarray of float64, shape (vocab_size, D)
    """
    dim = dout.shape[-1]
    dW = np.zeros((vocab_size, dim))
    # unlike dW[ids] += dout, np.add.at adds every repeat of an id
    np.add.at(dW, ids.reshape(-1), dout.reshape(-1, dim))
    return dW

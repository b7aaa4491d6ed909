"""Embedding layers: a table lookup, its scatter-add backward, and cosine similarity between vectors.

An embedding layer maps token ids to rows of a learned matrix W of shape (V, d). Looking up row i is
the same as multiplying the one-hot vector eᵢ by W, without building the V-wide one-hot vector; in
the backward pass only the rows that were looked up receive gradient.
"""

import numpy as np

__all__ = ["embedding_forward", "embedding_backward", "cosine_similarity", "nearest_neighbours"]


def embedding_forward(ids, W):
    """Look up the embedding of every id: out[…] = W[ids[…]].

        out = onehot(ids) · W        (the same numbers, without the V-wide one-hot matrix)

    Matches ``F.embedding(ids, W)`` (whose weight has the same (V, d) layout).

    Parameters
    ----------
    ids : ndarray of int, any shape S
        Token ids in 0 … V − 1.
    W : ndarray, shape (V, d)
        The embedding table.

    Returns
    -------
    ndarray, shape S + (d,)
    """
    return W[np.asarray(ids)]


def embedding_backward(dout, ids, num_embeddings, padding_idx=None):
    """Gradient of :func:`embedding_forward` with respect to the table: a scatter-add.

        ∂L/∂W[v] = Σ over positions p with ids[p] = v of dout[p]       (= onehot(ids)ᵀ · dout)

    A row used twice gets the sum of both gradients; rows never looked up get exactly 0 (which is
    why sparse optimizers can skip them). Written with ``np.add.at``: ``dW[ids] += dout`` would keep
    only one of the repeated rows' gradients. Like ``F.embedding(..., padding_idx=i)``, the padding
    row gets no gradient.

    Parameters
    ----------
    dout : ndarray, shape S + (d,)
        ∂L/∂out.
    ids : ndarray of int, shape S
    num_embeddings : int
        V.
    padding_idx : int, optional
        A row that never receives gradient.

    Returns
    -------
    ndarray, shape (V, d)
    """
    dW = np.zeros((num_embeddings, dout.shape[-1]))
    np.add.at(dW, np.asarray(ids).reshape(-1), dout.reshape(-1, dout.shape[-1]))
    if padding_idx is not None:
        dW[padding_idx] = 0.0
    return dW


def cosine_similarity(a, b, axis=-1, eps=1e-8):
    """Cosine of the angle between vectors: the dot product of the unit vectors.

        cos(a, b) = a·b / (max(‖a‖, ε) · max(‖b‖, ε))

    1 for the same direction, 0 for orthogonal, −1 for opposite; it ignores length, which in word
    embeddings partly reflects how frequent a word is. As ``F.cosine_similarity(a, b, dim=axis, eps=eps)``
    (which clamps each norm at ε separately).

    Parameters
    ----------
    a, b : ndarray, broadcastable shapes
    axis : int, default -1
        The axis holding the vector components.
    eps : float, default 1e-8

    Returns
    -------
    ndarray
        The broadcast shape without ``axis``.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na = np.maximum(np.linalg.norm(a, axis=axis), eps)
    nb = np.maximum(np.linalg.norm(b, axis=axis), eps)
    return np.sum(a * b, axis=axis) / (na * nb)


def nearest_neighbours(query, W, k=3, exclude=()):
    """The k rows of W most cosine-similar to ``query``, best first.

    Parameters
    ----------
    query : ndarray, shape (d,)
    W : ndarray, shape (V, d)
    k : int, default 3
    exclude : iterable of int
        Row ids to leave out (e.g. the words of an analogy question).

    Returns
    -------
    ids : ndarray of int, shape (k,)
    similarities : ndarray, shape (k,)
    """
    sims = cosine_similarity(W, query[None, :])
    sims = sims.copy()
    sims[list(exclude)] = -np.inf
    ids = np.argsort(-sims, kind="stable")[:k]
    return ids, sims[ids]

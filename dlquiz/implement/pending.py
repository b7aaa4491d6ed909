"""Grading references that ``dlquiz.reference`` does not have yet: embedding backward, top-k/top-p.

The ``reference`` branch is adding these to dlquiz/reference/ in this wave; when they land, the two case
modules that import from here switch to them and this module goes. Each is written differently from
the exercise's model solution (a one-hot product; an ascending sort), so the two check each other.
"""

from __future__ import annotations

import numpy as np


def embedding_backward(dout, ids, vocab_size):
    """∂L/∂W for out = W[ids]: dW = onehot(ids)ᵀ · dout, with every position of ids one row of onehot."""
    flat_ids = np.asarray(ids).reshape(-1)
    onehot = (flat_ids[:, None] == np.arange(vocab_size)[None, :]).astype(float)
    return onehot.T @ np.asarray(dout, dtype=float).reshape(flat_ids.size, -1)


def top_k_top_p(logits, k=None, p=None, temperature=1.0):
    """Hugging Face's filtering rules: temperature, top-k (ties with the k-th kept), then top-p.

    Top-p as Hugging Face's TopPLogitsWarper computes it: sort the probabilities in ascending order and
    drop the tokens whose cumulative probability (from the least likely up) is at most 1 − p; the most
    likely token is never dropped. Then renormalise.
    """
    z = np.asarray(logits, dtype=float) / temperature
    if k is not None and k < z.shape[-1]:
        kth = -np.partition(-z, k - 1, axis=-1)[..., k - 1 : k]
        z = np.where(z < kth, -np.inf, z)
    z = z - np.max(z, axis=-1, keepdims=True)
    q = np.exp(z)
    q /= np.sum(q, axis=-1, keepdims=True)
    if p is not None:
        order = np.argsort(q, axis=-1)
        ascending = np.take_along_axis(q, order, axis=-1)
        drop_sorted = np.cumsum(ascending, axis=-1) <= 1 - p
        drop_sorted[..., -1] = False
        drop = np.zeros(q.shape, dtype=bool)
        np.put_along_axis(drop, order, drop_sorted, axis=-1)
        q = np.where(drop, 0.0, q)
        q /= np.sum(q, axis=-1, keepdims=True)
    return q

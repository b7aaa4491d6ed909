"""Top-k and top-p (nucleus) filtering.

Sampling the next token from the full softmax lets the long tail of unlikely
tokens through. Top-k keeps the k most likely tokens; top-p keeps the smallest
set of most likely tokens whose probabilities add up to at least p. Both
renormalise what they keep. This is the order and the rules of Hugging Face's
generate(): temperature, then top-k, then top-p on what top-k kept.
"""

import numpy as np


def top_k_top_p(logits, k=None, p=None, temperature=1.0):
    """The probabilities to sample the next token from.

    1. z = logits / temperature.
    2. Top-k (when k is given): drop the tokens whose z is below the k-th
       largest z of their row (tokens tied with the k-th largest are kept, as
       Hugging Face's TopKLogitsWarper does).
    3. q = softmax of the tokens kept.
    4. Top-p (when p is given): sort the tokens from the most likely down and
       keep each token while the total q of the tokens before it is below p.
       So the token that takes the total past p is kept, and the most likely
       token always is. (The checks never put two equally likely tokens on
       either side of that cut.)
    5. Renormalise: the kept probabilities sum to 1, the dropped ones are 0.

    Parameters
    ----------
    logits : ndarray of float64, shape (..., V)
        Logits of any size (±1000 must work).
    k : int or None
    p : float in (0, 1] or None
    temperature : float > 0, default 1.0

    Returns
    -------
    ndarray of float64, shape (..., V)
        Each row sums to 1.
    """
    z = logits / temperature
    if k is not None and k < z.shape[-1]:
        kth = np.sort(z, axis=-1)[..., -k, None]
        z = np.where(z < kth, -np.inf, z)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    q = e / np.sum(e, axis=-1, keepdims=True)
    if p is not None:
        order = np.argsort(-q, axis=-1)
        ranked = np.take_along_axis(q, order, axis=-1)
        # the probability of the tokens ranked above each one
        before = np.cumsum(ranked, axis=-1) - ranked
        keep = np.zeros(q.shape, dtype=bool)
        np.put_along_axis(keep, order, before < p, axis=-1)
        q = np.where(keep, q, 0.0)
        q = q / np.sum(q, axis=-1, keepdims=True)
    return q

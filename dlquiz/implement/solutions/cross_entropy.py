"""Cross-entropy from logits, and its gradient.

The loss of a classifier with a softmax output, computed from the logits (never
from probabilities, whose logarithm is −inf once they underflow). It returns
the gradient too, which is what makes softmax + cross-entropy the standard
output layer: ∂L/∂z = (softmax(z) − onehot(y)) / N.
"""

import numpy as np


def cross_entropy(logits, targets):
    """Mean cross-entropy over the batch, and its gradient for the logits.

        L = (1/N) Σ_n −log softmax(z_n)[y_n]
          = (1/N) Σ_n (logsumexp(z_n) − z_n[y_n])
        ∂L/∂z_n = (softmax(z_n) − onehot(y_n)) / N

    Must stay finite for logits around ±1000 (no NumPy warning).

    Parameters
    ----------
    logits : ndarray of float64, shape (N, C)
        Unnormalised scores z.
    targets : ndarray of int, shape (N,)
        The correct class of each example, in 0 … C − 1.

    Returns
    -------
    loss : float
        L (a Python float or a 0-d array), as F.cross_entropy(logits, targets)
        computes it (mean).
    dlogits : ndarray of float64, shape (N, C)
        ∂L/∂z.
    """
    n = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    log_probs = shifted - log_sum
    rows = np.arange(n)
    loss = -np.mean(log_probs[rows, targets])
    dlogits = np.exp(log_probs)
    dlogits[rows, targets] -= 1.0
    return float(loss), dlogits / n

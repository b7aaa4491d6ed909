"""Log-softmax with logsumexp.

log(softmax(x)) fails for very unlikely classes: their probability underflows
to 0 and log 0 = −inf, where the true value is a finite, very negative number.
Compute log-softmax directly.
"""

import numpy as np


def log_softmax(x, axis=-1):
    """Log-softmax along ``axis``: log p_i = x_i − log Σ_j e^(x_j).

    Stable for any logits: log_softmax([0, −1000]) = [0, −1000] (not −inf), and
    no NumPy warning for logits around ±1000. Use logsumexp(x) = m + log Σ_j
    e^(x_j − m) with m = max_j x_j.

    Parameters
    ----------
    x : ndarray of float64, any shape
        Logits.
    axis : int, default -1
        The axis the softmax normalises over.

    Returns
    -------
    ndarray of float64, the shape of x
        As torch.log_softmax(x, dim=axis) computes it.
    """
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))

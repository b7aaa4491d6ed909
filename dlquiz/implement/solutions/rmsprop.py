"""One RMSProp step.

RMSProp divides each parameter's step by the root of a running average of its
squared gradients, so parameters with large gradients take smaller steps.
PyTorch's torch.optim.RMSprop, as a pure function.
"""

import numpy as np


def rmsprop_step(p, g, v, lr=0.01, alpha=0.99, eps=1e-8):
    """The parameters and squared-gradient average after one step:

        v ← alpha·v + (1 − alpha)·g²
        p ← p − lr·g / (√v + eps)      (eps outside the root, as in PyTorch)

    v starts at zeros and is not bias-corrected.

    Parameters
    ----------
    p, g, v : ndarray of float64, one shape
        Parameters, gradient, running average of g².
    lr : float, default 0.01
    alpha : float, default 0.99
    eps : float, default 1e-8

    Returns
    -------
    p_new : ndarray of float64
    v_new : ndarray of float64
    """
    v_new = alpha * v + (1 - alpha) * g * g
    return p - lr * g / (np.sqrt(v_new) + eps), v_new

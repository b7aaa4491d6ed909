"""Clipping gradients by their global norm.

When the gradient of the whole model is too long, scale every gradient array by
the same factor so that the norm of all of them together is max_norm: the
direction of the update is kept. This is torch.nn.utils.clip_grad_norm_, as a
function that returns new arrays.
"""

import numpy as np


def clip_grad_norm(grads, max_norm):
    """The clipped gradients and the global norm before clipping.

        total = √(Σ_k Σ_i g_k[i]²)      (one norm over every array together)
        scale = min(1, max_norm / (total + 1e-6))
        clipped_k = g_k · scale

    (PyTorch adds the 1e-6; the checks accept it with or without.) Gradients
    already shorter than max_norm come back unchanged, and all-zero gradients
    must not divide by zero.

    Parameters
    ----------
    grads : list of ndarray of float64
        The gradient arrays (any shapes).
    max_norm : float

    Returns
    -------
    clipped : list of ndarray of float64
        New arrays, in the order of grads.
    total_norm : float
        The global norm before clipping.
    """
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads], total

"""Contrastive learning: the InfoNCE loss over a batch of positive pairs, and its gradient.

Given N pairs (zᵢ, z′ᵢ), e.g. two augmentations of one image (SimCLR) or an image and its caption
(CLIP), each zᵢ must pick out its own partner z′ᵢ among all N candidates: the other N − 1 in the
batch serve as negatives. With L2-normalised vectors the loss is a softmax cross-entropy over
cosine similarities divided by a temperature τ, with the diagonal as the correct class.
"""

import numpy as np

from dlquiz.reference.activations import log_softmax, softmax

__all__ = ["info_nce", "info_nce_grad"]


def _normalise(z):
    norm = np.linalg.norm(z, axis=1, keepdims=True)
    return z / norm, norm


def _logits(z1, z2, temperature):
    u, n1 = _normalise(np.asarray(z1, dtype=float))
    v, n2 = _normalise(np.asarray(z2, dtype=float))
    return u, v, n1, n2, u @ v.T / temperature


def info_nce(z1, z2, temperature=0.1, symmetric=False):
    """InfoNCE loss of N positive pairs with in-batch negatives.

        uᵢ = zᵢ/‖zᵢ‖,  vⱼ = z′ⱼ/‖z′ⱼ‖,   S_ij = uᵢ·vⱼ / τ
        L = −(1/N) Σᵢ log( e^(S_ii) / Σⱼ e^(S_ij) )          (cross-entropy, labels 0 … N−1)

    ``symmetric=True`` averages it with the same loss on Sᵀ (each z′ picks its z), as CLIP does.
    A small τ sharpens the softmax, so the hardest negatives dominate the gradient; more negatives
    (a bigger batch) make the task harder and raise the ceiling of the mutual-information bound
    I(z; z′) ≥ log N − L.
    The loss is at least 0 and equals log N when all similarities are equal. (SimCLR's NT-Xent
    also uses the other view's in-batch items as negatives: 2N − 2 of them; not done here.)

    Parameters
    ----------
    z1, z2 : ndarray, shape (N, d)
        Row i of z1 and row i of z2 form a positive pair (non-zero vectors).
    temperature : float, default 0.1
        τ > 0.
    symmetric : bool, default False

    Returns
    -------
    float
    """
    *_, s = _logits(z1, z2, temperature)
    diag = np.arange(len(s))
    loss = -log_softmax(s, axis=1)[diag, diag].mean()
    if symmetric:
        loss = 0.5 * (loss - log_softmax(s, axis=0)[diag, diag].mean())
    return float(loss)


def info_nce_grad(z1, z2, temperature=0.1, symmetric=False):
    """Gradients of :func:`info_nce` with respect to both sets of (unnormalised) embeddings.

    With P = softmax(S) along rows, G = ∂L/∂S = (P − I)/N (symmetric: G = ½·(P − I + P_col − I)/N,
    P_col the softmax along columns):

        ∂L/∂u = G·v / τ,        ∂L/∂v = Gᵀ·u / τ
        ∂L/∂z = (∂L/∂u − u·(u·∂L/∂u)) / ‖z‖      (through the normalisation, row by row)

    The last line projects out the radial component: scaling an embedding does not change the loss.

    Parameters
    ----------
    z1, z2 : ndarray, shape (N, d)
    temperature : float, default 0.1
    symmetric : bool, default False

    Returns
    -------
    dz1, dz2 : ndarray, shape (N, d)
    """
    u, v, n1, n2, s = _logits(z1, z2, temperature)
    n = len(s)
    eye = np.eye(n)
    g = (softmax(s, axis=1) - eye) / n
    if symmetric:
        g = 0.5 * (g + (softmax(s, axis=0) - eye) / n)
    du, dv = g @ v / temperature, g.T @ u / temperature

    def through_norm(unit, norm, d_unit):
        return (d_unit - unit * np.sum(unit * d_unit, axis=1, keepdims=True)) / norm

    return through_norm(u, n1, du), through_norm(v, n2, dv)

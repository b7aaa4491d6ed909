"""Losses against soft targets: label-smoothed cross-entropy and knowledge distillation.

Both replace the one-hot target of cross-entropy with a distribution: label smoothing mixes in a
uniform distribution, distillation uses a teacher network's temperature-softened predictions. The
gradient with respect to the logits is in both cases (model probabilities − target probabilities),
scaled; the targets never reach 0 or 1, so the logits are not pushed to ±∞.
"""

import numpy as np

from dlquiz.reference.activations import log_softmax, softmax

__all__ = [
    "smoothed_targets",
    "label_smoothing_cross_entropy",
    "label_smoothing_cross_entropy_grad",
    "distillation_loss",
    "distillation_loss_grad",
]


def smoothed_targets(targets, num_classes, label_smoothing):
    """The target distribution of label smoothing, PyTorch's convention.

        q = (1 − ε)·onehot(y) + ε/C       (the ε mass is spread over all C classes, the true one included)

    So the true class gets 1 − ε + ε/C and every other class ε/C. (Some texts spread ε over the
    C − 1 wrong classes only; PyTorch, and the Inception-v3 paper, do not.)

    Parameters
    ----------
    targets : ndarray of int, shape (N,)
    num_classes : int
        C.
    label_smoothing : float
        ε in [0, 1].

    Returns
    -------
    ndarray, shape (N, C)
    """
    q = np.full((len(targets), num_classes), label_smoothing / num_classes)
    q[np.arange(len(targets)), targets] += 1.0 - label_smoothing
    return q


def label_smoothing_cross_entropy(logits, targets, label_smoothing=0.0):
    """Cross-entropy against label-smoothed targets, mean over the batch.

        L = −(1/N) Σₙ Σ_c q_nc · log softmax(z_n)_c
          = (1 − ε)·CE(z, y) + ε·mean over classes of (−log p_c)

    Matches ``F.cross_entropy(logits, targets, label_smoothing=ε)``. The minimum is no longer 0: a
    perfect one-hot prediction costs +∞, and the optimum is p = q, where the loss equals the entropy
    of q.

    Parameters
    ----------
    logits : ndarray, shape (N, C)
    targets : ndarray of int, shape (N,)
    label_smoothing : float, default 0.0

    Returns
    -------
    float
    """
    logits = np.asarray(logits, dtype=float)
    q = smoothed_targets(targets, logits.shape[1], label_smoothing)
    return float(-(q * log_softmax(logits, axis=-1)).sum(axis=1).mean())


def label_smoothing_cross_entropy_grad(logits, targets, label_smoothing=0.0):
    """Gradient of :func:`label_smoothing_cross_entropy` with respect to the logits.

        ∂L/∂z = (softmax(z) − q) / N

    The true class's probability is pulled toward 1 − ε + ε/C rather than 1, so training stops
    pushing its logit once the gap to the others is about log((1 − ε + ε/C)·C/ε).

    Parameters
    ----------
    logits : ndarray, shape (N, C)
    targets : ndarray of int, shape (N,)
    label_smoothing : float, default 0.0

    Returns
    -------
    ndarray, shape (N, C)
    """
    logits = np.asarray(logits, dtype=float)
    q = smoothed_targets(targets, logits.shape[1], label_smoothing)
    return (softmax(logits, axis=-1) - q) / logits.shape[0]


def distillation_loss(student_logits, teacher_logits, temperature):
    """Knowledge-distillation loss (Hinton et al., 2015): KL from the softened teacher to the softened student.

        p = softmax(z_teacher / T),   q = softmax(z_student / T)
        L = T² · (1/N) Σₙ KL(pₙ ‖ qₙ) = T² · (1/N) Σₙ Σ_c p_nc·(log p_nc − log q_nc)

    A temperature T > 1 exposes the teacher's "dark knowledge", the relative sizes of the small
    probabilities of the wrong classes. The T² keeps the gradient's size independent of T (it would
    shrink as 1/T² otherwise), so the term can be mixed with the hard-label loss,
    α·CE(z_student, y) + (1 − α)·L. Matches
    ``F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean") * T**2``.

    Parameters
    ----------
    student_logits, teacher_logits : ndarray, shape (N, C)
    temperature : float
        T > 0.

    Returns
    -------
    float
    """
    log_p = log_softmax(np.asarray(teacher_logits, dtype=float) / temperature, axis=-1)
    log_q = log_softmax(np.asarray(student_logits, dtype=float) / temperature, axis=-1)
    n = log_p.shape[0]
    return float(temperature**2 * np.sum(np.exp(log_p) * (log_p - log_q)) / n)


def distillation_loss_grad(student_logits, teacher_logits, temperature):
    """Gradient of :func:`distillation_loss` with respect to the student's logits.

        ∂L/∂z_student = T · (q − p) / N

    (T² from the scaling times 1/T from z/T.) For large T, with logits of zero mean over the
    classes, q − p ≈ (z_s − z_t)/(C·T), so the gradient tends to (z_s − z_t)/(N·C): distillation at
    high temperature matches the logits themselves.

    Parameters
    ----------
    student_logits, teacher_logits : ndarray, shape (N, C)
    temperature : float

    Returns
    -------
    ndarray, shape (N, C)
    """
    p = softmax(np.asarray(teacher_logits, dtype=float) / temperature, axis=-1)
    q = softmax(np.asarray(student_logits, dtype=float) / temperature, axis=-1)
    return temperature * (q - p) / p.shape[0]

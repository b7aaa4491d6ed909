"""Evaluation metrics for classification and regression.

What this module teaches: how a model is judged after training. For classifiers: the confusion
matrix and the rates read off it (accuracy, precision, recall, F1), and why accuracy misleads on
imbalanced data. For regressors: MAE, MSE, RMSE and R². For probabilities: how well their confidence
matches how often they are right (calibration), and how much of their uncertainty is the data's and how
much the model's.

Conventions (scikit-learn's): arguments are ``(y_true, y_pred)``, truth first. Binary metrics treat
label 1 as the positive class. Where a ratio has a zero denominator (precision with no predicted
positives, recall with no actual positives, F1 with neither) the result is 0.0, as scikit-learn
returns with ``zero_division=0``; never NaN.
"""

import numpy as np

__all__ = [
    "accuracy",
    "precision",
    "recall",
    "f1_score",
    "confusion_matrix",
    "mean_absolute_error",
    "mean_squared_error",
    "root_mean_squared_error",
    "r2_score",
    "expected_calibration_error",
    "predictive_uncertainty",
]


def _labels(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred shapes differ: {y_true.shape} vs {y_pred.shape}")
    return y_true, y_pred


def _ratio(num, den):
    """num / den, or 0.0 when den == 0 (scikit-learn's zero_division=0)."""
    return float(num / den) if den else 0.0


def _binary_counts(y_true, y_pred):
    """(TP, FP, FN) with 1 as the positive label."""
    y_true, y_pred = _labels(y_true, y_pred)
    t = y_true == 1
    p = y_pred == 1
    return int(np.sum(t & p)), int(np.sum(~t & p)), int(np.sum(t & ~p))


def accuracy(y_true, y_pred):
    """Fraction of correct predictions, (1/N) Σₙ [ŷₙ = yₙ].

    Parameters
    ----------
    y_true, y_pred : array_like of labels, shape (N,)

    Returns
    -------
    float
        Like ``sklearn.metrics.accuracy_score``.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def precision(y_true, y_pred):
    """Precision, TP / (TP + FP): of the predicted positives, the fraction that are positive.

    Returns 0.0 when nothing is predicted positive (TP + FP = 0), like scikit-learn's
    ``zero_division=0``.

    Parameters
    ----------
    y_true, y_pred : array_like of 0/1 labels, shape (N,)

    Returns
    -------
    float
        Like ``sklearn.metrics.precision_score``.
    """
    tp, fp, _ = _binary_counts(y_true, y_pred)
    return _ratio(tp, tp + fp)


def recall(y_true, y_pred):
    """Recall (sensitivity), TP / (TP + FN): of the actual positives, the fraction found.

    Returns 0.0 when there are no actual positives (TP + FN = 0), like ``zero_division=0``.

    Parameters
    ----------
    y_true, y_pred : array_like of 0/1 labels, shape (N,)

    Returns
    -------
    float
        Like ``sklearn.metrics.recall_score``.
    """
    tp, _, fn = _binary_counts(y_true, y_pred)
    return _ratio(tp, tp + fn)


def f1_score(y_true, y_pred):
    """F1, the harmonic mean of precision P and recall R: 2PR / (P + R) = 2TP / (2TP + FP + FN).

    Returns 0.0 when TP + FP + FN = 0 (no positives predicted or present), like ``zero_division=0``.

    Parameters
    ----------
    y_true, y_pred : array_like of 0/1 labels, shape (N,)

    Returns
    -------
    float
        Like ``sklearn.metrics.f1_score``.
    """
    tp, fp, fn = _binary_counts(y_true, y_pred)
    return _ratio(2 * tp, 2 * tp + fp + fn)


def confusion_matrix(y_true, y_pred, num_classes):
    """Confusion matrix C with C[i, j] = number of examples of true class i predicted as class j.

    Rows are true classes and columns predicted classes (scikit-learn's layout). For binary labels
    that gives [[TN, FP], [FN, TP]].

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (N,)
        Labels in [0, num_classes).
    num_classes : int
        K.

    Returns
    -------
    ndarray of int, shape (K, K)
        Like ``sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(K))``.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    for labels in (y_true, y_pred):
        if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(f"labels must lie in [0, {num_classes}), got {labels.min()}..{labels.max()}")
    flat = np.bincount(y_true.astype(int) * num_classes + y_pred.astype(int), minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def _targets(y_true, y_pred):
    y_true, y_pred = _labels(y_true, y_pred)
    return y_true.astype(float), y_pred.astype(float)


def mean_absolute_error(y_true, y_pred):
    """MAE = (1/N) Σₙ |yₙ − ŷₙ|, in the target's units and robust to outliers.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
        Like ``sklearn.metrics.mean_absolute_error`` (for 1-D targets).
    """
    y_true, y_pred = _targets(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def mean_squared_error(y_true, y_pred):
    """MSE = (1/N) Σₙ (yₙ − ŷₙ)²; squaring makes large errors dominate.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
        Like ``sklearn.metrics.mean_squared_error`` (for 1-D targets).
    """
    y_true, y_pred = _targets(y_true, y_pred)
    return float(np.mean((y_true - y_pred) ** 2))


def root_mean_squared_error(y_true, y_pred):
    """RMSE = √MSE, back in the target's units; always ≥ MAE.

    Parameters
    ----------
    y_true, y_pred : array_like, same shape

    Returns
    -------
    float
        Like ``sklearn.metrics.root_mean_squared_error``.
    """
    return float(np.sqrt(mean_squared_error(y_true, y_pred)))


def r2_score(y_true, y_pred):
    """Coefficient of determination, R² = 1 − SS_res / SS_tot.

    SS_res = Σₙ (yₙ − ŷₙ)² and SS_tot = Σₙ (yₙ − ȳ)² with ȳ the mean of **y_true**, so the argument
    order matters. R² = 1 is perfect, 0 is as good as always predicting ȳ, and it is negative for a
    model worse than that. If y_true is constant (SS_tot = 0) the result is 1.0 for a perfect
    prediction and 0.0 otherwise, as scikit-learn returns by default.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (N,)

    Returns
    -------
    float
        Like ``sklearn.metrics.r2_score(y_true, y_pred)``.
    """
    y_true, y_pred = _targets(y_true, y_pred)
    ss_res = np.sum((y_true - y_pred) ** 2)
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return float(1.0 - ss_res / ss_tot)


def expected_calibration_error(confidences, correct, n_bins=10):
    """ECE = Σ_b (n_b / n)·|acc_b − conf_b| over equal-width confidence bins.

    Bin b holds the predictions whose confidence lies in ((b − 1)/B, b/B] (Guo et al., 2017, who use
    B = 15; a confidence of 0 joins the first bin); acc_b is the fraction of them that are right and
    conf_b their mean confidence. Empty bins add nothing. A calibrated model (of the predictions made with
    confidence c, a fraction c right) scores near 0 on a large sample; 0 does not prove calibration, since
    errors of opposite sign inside a bin cancel. Libraries differ on the bin edges (torchmetrics: [lo, hi)).

    Parameters
    ----------
    confidences : array_like, shape (n,)
        The probability each prediction gave its predicted class, in [0, 1].
    correct : array_like of bool or 0/1, shape (n,)
        Whether each prediction was right.
    n_bins : int, default 10

    Returns
    -------
    float
    """
    conf = np.asarray(confidences, dtype=float)
    right = np.asarray(correct, dtype=float)
    edges = np.arange(1, n_bins) / n_bins
    bins = np.searchsorted(edges, conf, side="left")  # (lo, hi], compared with the edges as floats
    count = np.bincount(bins, minlength=n_bins)
    gap = np.abs(np.bincount(bins, right, n_bins) - np.bincount(bins, conf, n_bins))  # n_b·|acc_b − conf_b|
    return float(gap.sum() / max(count.sum(), 1))


def _entropy(p, axis=-1):
    """Shannon entropy in nats, with 0·log 0 = 0."""
    return -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0), axis=axis)


def predictive_uncertainty(probs):
    """Total, aleatoric and epistemic uncertainty of M averaged predictions (an ensemble, or MC dropout).

        total      = H[p̄],  p̄ = (1/M)·Σ_m p_m          (entropy of the averaged prediction)
        aleatoric  = (1/M)·Σ_m H[p_m]                   (expected entropy: what each model finds ambiguous)
        epistemic  = total − aleatoric ≥ 0              (mutual information: the models' disagreement)

    (Rounding can make the difference −1e-16 for members that agree; it is returned as 0.)

    Parameters
    ----------
    probs : array_like, shape (M, ..., C)
        M predictive distributions over C classes for the same inputs.

    Returns
    -------
    total, aleatoric, epistemic : ndarray, shape (...)
        In nats (natural log).
    """
    p = np.asarray(probs, dtype=float)
    total = _entropy(p.mean(axis=0))
    aleatoric = _entropy(p).mean(axis=0)
    return total, aleatoric, np.maximum(total - aleatoric, 0.0)

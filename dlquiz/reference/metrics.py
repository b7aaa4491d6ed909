"""Evaluation metrics for classification and regression.

What this module teaches: how a model is judged after training. For classifiers: the confusion
matrix and the rates read off it (accuracy, precision, recall, F1), and why accuracy misleads on
imbalanced data. For regressors: MAE, MSE, RMSE and R².

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

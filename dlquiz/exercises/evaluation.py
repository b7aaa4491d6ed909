"""Exercises on evaluation: precision, recall, F1, accuracy, regression metrics, data splits."""

from __future__ import annotations

import numpy as np

from dlquiz.exercises._base import DEFAULT_TOLERANCE, Exercise, fmt, steps
from dlquiz.exercises._draw import choice, draws, integer, short, vec
from dlquiz.reference import metrics

__all__ = ["precision_recall_f1", "f1_vs_accuracy", "regression_metrics", "split_fractions"]


def _labels(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """y_true, y_pred arrays with exactly these confusion-matrix counts."""
    y_true = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    y_pred = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    return y_true, y_pred


def _confusion(tp: int, fp: int, fn: int, tn: int) -> str:
    return (
        "                 predicted +   predicted −\n"
        f"    actual +    TP = {tp:<8}  FN = {fn}\n"
        f"    actual −    FP = {fp:<8}  TN = {tn}"
    )


def _harmonic_shows(tp: int, fp: int, fn: int) -> bool:
    """Whether the arithmetic mean (P + R)/2 misses F1 by well over the 1 % tolerance.

    When precision and recall are close the two means agree to within 1 %, and the classic mistake of
    averaging them would be graded right.
    """
    p, r = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * tp / (2 * tp + fp + fn)
    return (p + r) / 2 - f1 > 3 * DEFAULT_TOLERANCE * f1


def precision_recall_f1(rng) -> Exercise:
    """Precision, recall and F1 from a confusion matrix."""
    while True:
        tp, fp, fn, tn = integer(rng, 5, 60), integer(rng, 1, 30), integer(rng, 1, 30), integer(rng, 10, 90)
        if _harmonic_shows(tp, fp, fn):
            break
    y_true, y_pred = _labels(tp, fp, fn, tn)
    p, r, f1 = (float(f(y_true, y_pred)) for f in (metrics.precision, metrics.recall, metrics.f1_score))
    return Exercise(
        prompt=(
            f"A binary classifier's confusion matrix on a test set:\n{_confusion(tp, fp, fn, tn)}\nGive its "
            f"precision, recall and F1."
        ),
        answer=(p, r, f1),
        labels=("precision", "recall", "F1"),
        hint="precision = TP/(TP + FP), recall = TP/(TP + FN), F1 = their harmonic mean",
        steps=steps(
            (f"precision = {tp}/({tp} + {fp}) = {short(p)}", "of the predicted positives, the share that is right"),
            (f"recall = {tp}/({tp} + {fn}) = {short(r)}", "of the actual positives, the share that is found"),
            (
                f"F1 = 2PR/(P + R) = 2·{tp}/(2·{tp} + {fp} + {fn}) = {short(f1)}",
                "the harmonic mean, pulled toward the smaller of the two",
            ),
        ),
        inputs={"TP": tp, "FP": fp, "FN": fn, "TN": tn},
    )


def f1_vs_accuracy(rng) -> Exercise:
    """Accuracy and F1 on an imbalanced test set."""
    positives = choice(rng, (10, 20, 25, 40, 50))
    negatives = choice(rng, (500, 900, 950, 1000))
    while True:
        tp = integer(rng, 1, positives - 1)
        fp = integer(rng, 1, 40)
        fn, tn = positives - tp, negatives - fp
        if _harmonic_shows(tp, fp, fn):
            break
    y_true, y_pred = _labels(tp, fp, fn, tn)
    acc, f1 = float(metrics.accuracy(y_true, y_pred)), float(metrics.f1_score(y_true, y_pred))
    total = tp + fp + fn + tn
    return Exercise(
        prompt=(
            f"A test set has {positives} positives and {negatives} negatives. The classifier gets TP = {tp}, "
            f"FP = {fp}, FN = {fn}, TN = {tn}. Give its accuracy and its F1 score."
        ),
        answer=(acc, f1),
        labels=("accuracy", "F1"),
        hint="accuracy = (TP + TN)/all; F1 = 2TP/(2TP + FP + FN)",
        steps=steps(
            (f"accuracy = ({tp} + {tn})/{total} = {short(acc)}", "dominated by the many easy negatives"),
            (
                f"F1 = 2·{tp}/(2·{tp} + {fp} + {fn}) = {short(f1)}",
                "ignores TN, so it shows how the rare class is handled",
            ),
            (
                f"predicting all negative would score accuracy {short(negatives / total)} with F1 = 0",
                "on imbalanced data accuracy alone says little",
            ),
        ),
        inputs={"positives": positives, "negatives": negatives, "TP": tp, "FP": fp, "FN": fn, "TN": tn},
    )


def regression_metrics(rng) -> Exercise:
    """MAE, RMSE and R² of four predictions."""
    y = draws(rng, 4, 0, 10, 0, avoid=())
    while len(set(y)) == 1:
        y = draws(rng, 4, 0, 10, 0, avoid=())
    y_hat = [float(v + integer(rng, -2, 2)) for v in y]
    t, p = np.array(y), np.array(y_hat)
    mae, rmse, r2 = (
        float(f(t, p)) for f in (metrics.mean_absolute_error, metrics.root_mean_squared_error, metrics.r2_score)
    )
    errors = p - t
    mean = t.mean()
    ss_res = float(np.sum(errors**2))
    ss_tot = float(np.sum((t - mean) ** 2))
    return Exercise(
        prompt=f"Targets y = {vec(y)}, predictions ŷ = {vec(y_hat)}. Give the MAE, the RMSE and R².",
        answer=(mae, rmse, r2),
        labels=("MAE", "RMSE", "R²"),
        hint="R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)²",
        steps=steps(
            (f"errors ŷ − y = {vec(errors)}", "one residual per example"),
            (
                f"MAE = mean |e| = {short(mae)};  RMSE = √(mean e²) = √({short(ss_res / 4)}) = {short(rmse)}",
                "RMSE weighs large errors more",
            ),
            (
                f"ȳ = {short(mean)};  SS_tot = Σ(y − ȳ)² = {short(ss_tot)};  SS_res = Σe² = {short(ss_res)}",
                "variation of the targets and what the model leaves unexplained",
            ),
            (
                f"R² = 1 − {short(ss_res)}/{short(ss_tot)} = {short(r2)}",
                "the share of the variance explained; 0 for predicting ȳ, negative if worse",
            ),
        ),
        inputs={"y": y, "y_hat": y_hat},
    )


def split_fractions(rng) -> Exercise:
    """Train / validation / test fractions after two successive splits."""
    test = choice(rng, (0.1, 0.15, 0.2, 0.25, 0.3))
    val = choice(rng, (0.1, 0.2, 0.25))
    n = choice(rng, (1000, 2000, 5000, 10000, 50000))
    fractions = np.array([(1 - test) * (1 - val), (1 - test) * val, test])
    return Exercise(
        prompt=(
            f"From a data set of {n} examples you first hold out {fmt(test * 100)}% as the test set, then take "
            f"{fmt(val * 100)}% of the remainder as the validation set. What fractions of the whole data set are "
            "train, validation and test?"
        ),
        answer=tuple(float(v) for v in fractions),
        labels=("train", "validation", "test"),
        hint="the second split takes a share of what is left, not of the whole",
        steps=steps(
            (f"test = {fmt(test)};  remainder = {fmt(1 - test)}", "the first split"),
            (f"validation = {fmt(1 - test)} × {fmt(val)} = {short(fractions[1])}", "a share of the remainder"),
            (
                (
                    f"train = {fmt(1 - test)} × {fmt(1 - val)} = {short(fractions[0])} "
                    f"({fmt(round(fractions[0] * n))} examples)"
                ),
                "the three fractions add up to 1",
            ),
        ),
        inputs={"n": n, "test_percent": round(test * 100, 6), "val_percent": round(val * 100, 6)},
    )

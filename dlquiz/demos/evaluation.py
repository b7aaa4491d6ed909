"""Demos about evaluation metrics: thresholds, imbalance, and regression errors."""

from __future__ import annotations

import numpy as np

from dlquiz.demos._result import DemoResult, Heatmap, Plot, Table
from dlquiz.demos._util import floats, in_range, rng, series
from dlquiz.reference import metrics

__all__ = ["threshold_sweep", "imbalanced_accuracy", "regression_metrics"]


def _scores(r, n: int, positives: float):
    """Labels and classifier scores: positives score higher on average, with overlap."""
    y = (r.random(n) < positives).astype(int)
    scores = 1 / (1 + np.exp(-(r.standard_normal(n) * 1.2 + np.where(y == 1, 1.0, -1.0))))
    return y, scores


def threshold_sweep(*, n: int = 200, seed: int = 0) -> DemoResult:
    """Raising the decision threshold trades recall for precision: confusion matrices and P, R at 0.3, 0.5, 0.7."""
    in_range("n", n, 10, 100000)
    r = rng(seed)
    y, s = _scores(r, n, 0.4)
    rows, heatmaps = [], []
    for t in (0.3, 0.5, 0.7):
        pred = (s >= t).astype(int)
        cm = metrics.confusion_matrix(y, pred, 2)
        rows.append(
            [
                t,
                int(cm[1, 1]),
                int(cm[0, 1]),
                int(cm[1, 0]),
                int(cm[0, 0]),
                metrics.precision(y, pred),
                metrics.recall(y, pred),
                metrics.f1_score(y, pred),
            ]
        )
        heatmaps.append(
            Heatmap(
                f"Confusion matrix at threshold {t:g} (rows = true, columns = predicted)",
                floats(cm),
                ["true 0", "true 1"],
                ["pred 0", "pred 1"],
            )
        )
    grid = np.linspace(0.05, 0.95, 37)
    prec = [metrics.precision(y, (s >= t).astype(int)) for t in grid]
    rec = [metrics.recall(y, (s >= t).astype(int)) for t in grid]
    return DemoResult(
        title="Precision and recall across thresholds",
        summary=(
            "Precision = TP/(TP + FP) counts false alarms, recall = TP/(TP + FN) counts misses; moving the "
            "threshold trades one for the other."
        ),
        code=["metrics.confusion_matrix", "metrics.precision", "metrics.recall", "metrics.f1_score"],
        inputs={"data": f"{n} examples, ~40% positive, scores σ(±1 + N(0, 1.2²))"},
        tables=[Table("At three thresholds", ["threshold", "TP", "FP", "FN", "TN", "precision", "recall", "F1"], rows)],
        heatmaps=heatmaps[1:2],
        plots=[
            Plot(
                "Precision and recall vs threshold",
                {"precision": series(grid, prec), "recall": series(grid, rec)},
                xlabel="threshold",
            )
        ],
        notes=["Choose the threshold by what an error costs: screening wants recall, spam filtering wants precision."],
    )


def imbalanced_accuracy(*, positive_rate: float = 0.01, n: int = 10000, seed: int = 0) -> DemoResult:
    """With 1% positives, predicting 'negative' for everything scores 99% accuracy and F1 = 0."""
    in_range("positive_rate", positive_rate, 0.0001, 0.5)
    in_range("n", n, 100, 1000000)
    r = rng(seed)
    y, s = _scores(r, n, positive_rate)
    all_neg = np.zeros(n, dtype=int)
    model = (s >= 0.5).astype(int)
    rows = [
        [name, metrics.accuracy(y, p), metrics.precision(y, p), metrics.recall(y, p), metrics.f1_score(y, p)]
        for name, p in (("always 'negative'", all_neg), ("classifier at 0.5", model))
    ]
    return DemoResult(
        title="Accuracy on imbalanced data",
        summary=(
            "When positives are rare, accuracy rewards ignoring them; F1 = 2PR/(P + R) = 2TP/(2TP + FP + FN) does not."
        ),
        code=["metrics.accuracy", "metrics.precision", "metrics.recall", "metrics.f1_score"],
        inputs={"data": f"{n} examples, positive rate {positive_rate:g} ({int(y.sum())} positives)"},
        tables=[Table("Two predictors", ["predictor", "accuracy", "precision", "recall", "F1"], rows)],
        notes=[
            "Precision with no positive predictions is 0/0; like scikit-learn's zero_division=0 it is reported as 0.",
            (
                "These metrics are step functions of the threshold (no gradient): train on cross-entropy, then tune "
                "the threshold."
            ),
        ],
    )


def regression_metrics(*, noise: float = 0.5, seed: int = 0) -> DemoResult:
    """A good model, the mean predictor and a bad model scored by MAE, RMSE and R²."""
    in_range("noise", noise, 0.0, 10.0)
    r = rng(seed)
    x = r.uniform(0, 10, 100)
    y = 3 * x + 5 + r.standard_normal(100) * 2
    preds = {
        f"good model (noise {noise:g})": y + r.standard_normal(100) * noise,
        "always the mean": np.full(100, y.mean()),
        "bad model (reversed trend)": 35 - 3 * x,
    }
    rows = [
        [name, metrics.mean_absolute_error(y, p), metrics.root_mean_squared_error(y, p), metrics.r2_score(y, p)]
        for name, p in preds.items()
    ]
    return DemoResult(
        title="Regression metrics",
        summary=(
            "MAE averages |error| (robust), RMSE = √MSE punishes large errors (RMSE ≥ MAE), R² = 1 − SS_res/SS_tot "
            "compares with predicting the mean."
        ),
        code=["metrics.r2_score", "metrics.mean_absolute_error", "metrics.root_mean_squared_error"],
        inputs={"targets": "y = 3x + 5 + N(0, 2²), 100 points"},
        tables=[Table("Scores", ["predictor", "MAE", "RMSE", "R²"], rows)],
        notes=[
            "R² = 0 is exactly the mean predictor; anything worse than the mean goes negative, without bound.",
            "The argument order matters for R²: r2_score(y_true, y_pred).",
        ],
    )

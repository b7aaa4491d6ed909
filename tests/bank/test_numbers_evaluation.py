"""Every number quoted in questions/evaluation.yaml, recomputed from the reference code."""

import numpy as np
import pytest

from dlquiz.reference import metrics


def labels(tp, fp, fn, tn):
    """y_true, y_pred with exactly these counts (1 = positive)."""
    y_true = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    y_pred = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    return y_true, y_pred


def test_confusion_matrix_example(text):
    y_true, y_pred = labels(40, 10, 20, 930)
    assert metrics.confusion_matrix(y_true, y_pred, 2).tolist() == [[930, 10], [20, 40]]  # [[TN, FP], [FN, TP]]
    p, r = metrics.precision(y_true, y_pred), metrics.recall(y_true, y_pred)
    acc = metrics.accuracy(y_true, y_pred)
    assert f"precision = 40/50 = {p:g}, recall = 40/60 ≈ {r:.3f}, accuracy = 970/1000 = {acc:g}" in text(
        "confusion-matrix-precision-recall"
    )


def test_threshold_trade_off():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, size=400)
    scores = np.clip(0.3 * y_true + rng.normal(0.35, 0.2, size=400), 0, 1)
    recalls = [metrics.recall(y_true, (scores >= t).astype(int)) for t in (0.3, 0.5, 0.7)]
    precisions = [metrics.precision(y_true, (scores >= t).astype(int)) for t in (0.3, 0.5, 0.7)]
    assert recalls == sorted(recalls, reverse=True) and precisions[0] < precisions[-1]


def test_all_negative_on_one_percent_positives(text):
    y_true = np.array([1] * 10 + [0] * 990)
    y_pred = np.zeros_like(y_true)
    acc, f1 = metrics.accuracy(y_true, y_pred), metrics.f1_score(y_true, y_pred)
    assert (acc, f1, metrics.recall(y_true, y_pred)) == (0.99, 0.0, 0.0)
    assert f"scores {acc:.0%} accuracy" in text("f1-accuracy-imbalance")


def test_f1_example(text):
    y_true, y_pred = labels(40, 10, 20, 930)
    p, r = metrics.precision(y_true, y_pred), metrics.recall(y_true, y_pred)
    f1 = metrics.f1_score(y_true, y_pred)
    assert f1 == pytest.approx(2 * p * r / (p + r)) == pytest.approx(80 / 110)
    mean = (p + r) / 2
    shown = f"P = {p:g}, R ≈ {r:.3f} and F1 = 80/110 ≈ {f1:.3f}, below their arithmetic mean of {mean:.3f}"
    assert shown in text("f1-accuracy-imbalance")


def test_regression_example(text):
    y, y_hat = np.array([3.0, 5.0, 2.0, 7.0]), np.array([2.5, 5.0, 4.0, 8.0])
    mae = metrics.mean_absolute_error(y, y_hat)
    mse = metrics.mean_squared_error(y, y_hat)
    r2 = metrics.r2_score(y, y_hat)
    shown = f"MAE = {mae:g}, MSE = {mse:g}, RMSE ≈ {np.sqrt(mse):.3f} and R² ≈ {r2:.3f}"
    assert shown in text("regression-metrics")
    assert np.sqrt(mse) >= mae
    assert metrics.r2_score(y, np.full(4, y.mean())) == pytest.approx(0.0)  # the mean predictor
    assert metrics.r2_score(y, y[::-1]) < 0  # worse than the mean


def test_split_fractions(text):
    train_val, test = 0.8, 0.2
    train, val = train_val * 0.8, train_val * 0.2
    assert f"{train:.0%} train, {val:.0%} validation, {test:.0%} test" in text("train-val-test-split")


def test_f_beta_weights_recall_through_beta_squared(text):
    p, r = 0.8, 40 / 60
    f_beta = lambda beta: (1 + beta**2) * p * r / (beta**2 * p + r)  # noqa: E731
    assert f_beta(1) == pytest.approx(2 * p * r / (p + r))
    # β = 2 moves F_β towards recall, β = ½ towards precision
    assert abs(f_beta(2) - r) < abs(f_beta(1) - r) and abs(f_beta(0.5) - p) < abs(f_beta(1) - p)
    assert "F_β = (1 + β²)PR/(β²P + R)" in text("f1-accuracy-imbalance")


def test_soft_f1_has_a_gradient_where_hard_f1_has_none():
    y = np.array([1, 0, 1, 1, 0], dtype=float)
    logits = np.array([0.3, -0.2, 1.1, -0.4, 0.5])

    def soft_f1(z):
        p = 1 / (1 + np.exp(-z))
        tp, fp, fn = np.sum(p * y), np.sum(p * (1 - y)), np.sum((1 - p) * y)
        return 2 * tp / (2 * tp + fp + fn)

    def hard_f1(z):
        return metrics.f1_score(y.astype(int), (z > 0).astype(int))

    from dlquiz.reference.gradcheck import numerical_gradient

    assert np.abs(numerical_gradient(soft_f1, logits.copy())).max() > 0.01
    assert np.abs(numerical_gradient(hard_f1, logits.copy(), h=1e-4)).max() == 0.0

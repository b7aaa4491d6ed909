"""Metrics on hand-built examples, including the zero-division cases (0.0, never NaN)."""

import math
import warnings

import numpy as np
import pytest

from dlquiz.reference import metrics

# TP at 0, 2; FN at 1, 7; FP at 3; TN at 4, 5, 6
Y_TRUE = np.array([1, 1, 1, 0, 0, 0, 0, 1])
Y_PRED = np.array([1, 0, 1, 1, 0, 0, 0, 0])


def test_binary_confusion_matrix_layout():
    # rows = true, columns = predicted: [[TN, FP], [FN, TP]]
    np.testing.assert_array_equal(metrics.confusion_matrix(Y_TRUE, Y_PRED, 2), [[3, 1], [2, 2]])


def test_multiclass_confusion_matrix():
    y_true = np.array([0, 1, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 2, 2, 0, 1, 0, 2])
    expected = [[2, 0, 0], [0, 1, 1], [1, 0, 2]]
    cm = metrics.confusion_matrix(y_true, y_pred, 3)
    np.testing.assert_array_equal(cm, expected)
    assert cm.sum() == 7


def test_confusion_matrix_keeps_absent_classes():
    cm = metrics.confusion_matrix(np.array([0, 0]), np.array([0, 1]), 4)
    assert cm.shape == (4, 4)
    assert cm[0, 0] == 1 and cm[0, 1] == 1 and cm.sum() == 2


def test_binary_rates_hand_values():
    assert metrics.accuracy(Y_TRUE, Y_PRED) == pytest.approx(5 / 8)
    assert metrics.precision(Y_TRUE, Y_PRED) == pytest.approx(2 / 3)
    assert metrics.recall(Y_TRUE, Y_PRED) == pytest.approx(1 / 2)
    p, r = 2 / 3, 1 / 2
    assert metrics.f1_score(Y_TRUE, Y_PRED) == pytest.approx(2 * p * r / (p + r))
    assert metrics.f1_score(Y_TRUE, Y_PRED) == pytest.approx(4 / 7)


def test_precision_and_recall_are_not_swapped():
    # 1 TP, 3 FP, 0 FN: precision 1/4, recall 1
    y_true = np.array([1, 0, 0, 0])
    y_pred = np.array([1, 1, 1, 1])
    assert metrics.precision(y_true, y_pred) == pytest.approx(0.25)
    assert metrics.recall(y_true, y_pred) == pytest.approx(1.0)


def test_zero_division_gives_zero_not_nan():
    y_true = np.array([1, 0, 1, 0])
    none_predicted = np.zeros(4, dtype=int)
    no_positives = np.zeros(4, dtype=int)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert metrics.precision(y_true, none_predicted) == 0.0
        assert metrics.f1_score(y_true, none_predicted) == 0.0
        assert metrics.recall(no_positives, np.array([1, 0, 0, 0])) == 0.0
        assert metrics.f1_score(no_positives, no_positives) == 0.0
        assert metrics.precision(no_positives, no_positives) == 0.0


def test_accuracy_misleads_on_imbalance():
    y_true = np.array([1] + [0] * 99)
    all_negative = np.zeros(100, dtype=int)
    assert metrics.accuracy(y_true, all_negative) == pytest.approx(0.99)
    assert metrics.f1_score(y_true, all_negative) == 0.0


def test_accuracy_multiclass():
    assert metrics.accuracy(np.array([0, 1, 2, 2]), np.array([0, 2, 2, 1])) == pytest.approx(0.5)


def test_regression_errors_hand_values():
    y_true = np.array([3.0, -0.5, 2.0, 7.0])
    y_pred = np.array([2.5, 0.0, 2.0, 8.0])
    assert metrics.mean_absolute_error(y_true, y_pred) == pytest.approx(0.5)
    assert metrics.mean_squared_error(y_true, y_pred) == pytest.approx(0.375)
    assert metrics.root_mean_squared_error(y_true, y_pred) == pytest.approx(math.sqrt(0.375))
    assert metrics.root_mean_squared_error(y_true, y_pred) >= metrics.mean_absolute_error(y_true, y_pred)


def test_r2_hand_values_and_argument_order():
    y_true = np.array([1.0, 2.0, 3.0, 4.0])
    y_pred = np.array([2.0, 2.0, 3.0, 5.0])
    # SS_res = 2; SS_tot of y_true = 5 → 0.6; swapped, SS_tot of y_pred = 6 → 2/3
    assert metrics.r2_score(y_true, y_pred) == pytest.approx(0.6)
    assert metrics.r2_score(y_pred, y_true) == pytest.approx(1 - 2 / 6)


def test_r2_reference_points():
    y = np.array([1.0, 4.0, 2.0, 8.0])
    assert metrics.r2_score(y, y) == 1.0
    assert metrics.r2_score(y, np.full(4, y.mean())) == pytest.approx(0.0)
    assert metrics.r2_score(y, -y) < 0


def test_r2_constant_truth_follows_sklearn():
    y = np.full(3, 2.0)
    assert metrics.r2_score(y, y) == 1.0
    assert metrics.r2_score(y, np.array([1.0, 2.0, 3.0])) == 0.0


def test_confusion_matrix_rejects_labels_outside_the_classes():
    with pytest.raises(ValueError):
        metrics.confusion_matrix(np.array([0, 2]), np.array([0, 1]), 2)


def test_shape_mismatch():
    with pytest.raises(ValueError):
        metrics.accuracy(np.zeros(3), np.zeros(4))

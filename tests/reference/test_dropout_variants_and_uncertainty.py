"""Spatial dropout, stochastic depth, and the calibration and uncertainty metrics, against closed forms and
independent loops."""

import math

import numpy as np
import pytest

from dlquiz.reference.metrics import expected_calibration_error, predictive_uncertainty
from dlquiz.reference.regularization import dropout2d, stochastic_depth, survival_probabilities


def test_spatial_dropout_keeps_or_zeroes_whole_channels():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8, 5, 5))
    out, mask = dropout2d(x, 0.25, rng)
    assert mask.shape == (64, 8, 1, 1) and set(np.unique(mask)) <= {0.0, 1 / 0.75}
    for n, c in np.ndindex(64, 8):  # a channel is all zeros or all of x scaled
        assert np.allclose(out[n, c], 0.0) or np.allclose(out[n, c], x[n, c] / 0.75)
    assert abs(np.mean(mask == 0) - 0.25) < 0.05
    same, ones = dropout2d(x, 0.25, rng, training=False)
    assert np.array_equal(same, x) and np.all(ones == 1)
    gone, _ = dropout2d(x, 1.0, rng)
    assert np.all(gone == 0.0)  # p = 1 zeroes everything (torch's result), not 0/0
    with pytest.raises(ValueError):
        dropout2d(x, 1.5, rng)


def test_spatial_dropout_keeps_the_mean_in_expectation():
    rng = np.random.default_rng(1)
    x = np.ones((20000, 3, 2, 2))
    assert dropout2d(x, 0.4, rng)[0].mean() == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("mode", ["row", "batch"])
def test_stochastic_depth_drops_the_branch_per_example_or_per_batch(mode):
    rng = np.random.default_rng(2)
    f = rng.standard_normal((400, 6, 3))
    out = stochastic_depth(f, 0.3, rng, mode=mode)
    kept = [not np.allclose(out[n], 0.0) for n in range(len(f))]
    for n, k in enumerate(kept):
        assert np.allclose(out[n], f[n] / 0.7 if k else 0.0)
    if mode == "batch":
        assert len(set(kept)) == 1
    else:
        assert abs(1 - np.mean(kept) - 0.3) < 0.07
    assert np.array_equal(stochastic_depth(f, 0.3, rng, mode=mode, training=False), f)


def test_stochastic_depth_keeps_the_branch_in_expectation_and_p_1_drops_all():
    rng = np.random.default_rng(3)
    f = np.ones((50000, 2))
    assert stochastic_depth(f, 0.2, rng).mean() == pytest.approx(1.0, abs=0.01)
    assert np.all(stochastic_depth(f[:10], 1.0, rng) == 0.0)


@pytest.mark.parametrize(("blocks", "last"), [(54, 0.5), (12, 0.8), (1, 0.5)])
def test_linear_survival_rule_and_expected_depth(blocks, last):
    p = survival_probabilities(blocks, last)
    assert p[-1] == pytest.approx(last) and p[0] == pytest.approx(1 - (1 - last) / blocks)
    assert np.all(np.diff(p) <= 0)
    assert p.sum() == pytest.approx(blocks - (1 - last) * (blocks + 1) / 2)


def _ece_by_loop(conf, right, bins):
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, r) for c, r in zip(conf, right, strict=True) if lo < c <= hi or (b == 0 and c == 0)]
        if inside:
            acc = sum(r for _, r in inside) / len(inside)
            mean_conf = sum(c for c, _ in inside) / len(inside)
            total += len(inside) / len(conf) * abs(acc - mean_conf)
    return total


def test_ece_by_hand_and_against_a_loop():
    conf = [0.9] * 10 + [0.6] * 10
    right = [1] * 7 + [0] * 3 + [1] * 6 + [0] * 4
    assert expected_calibration_error(conf, right) == pytest.approx(0.1)
    rng = np.random.default_rng(4)
    c, r = rng.uniform(0, 1, 500), rng.integers(0, 2, 500)
    c[:5] = [0.0, 0.1, 0.35, 1.0, 0.999]
    for bins in (5, 10, 15):
        assert expected_calibration_error(c, r, bins) == pytest.approx(_ece_by_loop(c, r, bins))


def test_ece_bins_are_guo_s_left_open_right_closed_intervals():
    # a confidence on an edge b/B belongs to the bin below it; 0 joins the first bin
    assert expected_calibration_error([0.1, 0.2, 1.0, 0.0], [1, 1, 1, 0], 10) == pytest.approx(
        (2 * abs(0.5 - 0.05) + abs(1 - 0.2)) / 4
    )
    # 0.28 = 7/25 closes the bin (0.24, 0.28]; 0.30 is in the next: two bins, not one
    assert expected_calibration_error([0.28, 0.30], [1, 0], 25) == pytest.approx(0.5 * 0.72 + 0.5 * 0.30)
    assert expected_calibration_error([0.28, 0.30], [1, 0], 10) == pytest.approx(abs(0.5 - 0.29))  # one bin


def test_a_zero_ece_does_not_prove_calibration():
    conf = [0.82] * 50 + [0.88] * 50  # 88 % right at 0.82 and 82 % right at 0.88: both wrong, one bin
    right = [1] * 44 + [0] * 6 + [1] * 41 + [0] * 9
    assert expected_calibration_error(conf, right, 10) == pytest.approx(0.0, abs=1e-12)
    assert expected_calibration_error(conf, right, 100) == pytest.approx(0.06)


def test_a_calibrated_model_has_an_ece_near_0_and_an_overconfident_one_does_not():
    rng = np.random.default_rng(5)
    conf = rng.uniform(0.5, 1.0, 200000)
    calibrated = rng.random(conf.size) < conf  # right with probability equal to the confidence
    assert expected_calibration_error(conf, calibrated) < 0.01
    overconfident = rng.random(conf.size) < conf - 0.1
    assert expected_calibration_error(conf, overconfident) == pytest.approx(0.1, abs=0.01)


def test_uncertainty_splits_into_aleatoric_and_epistemic():
    total, aleatoric, epistemic = predictive_uncertainty([[0.9, 0.1], [0.1, 0.9]])
    h = -(0.9 * math.log(0.9) + 0.1 * math.log(0.1))
    assert (total, aleatoric, epistemic) == pytest.approx((math.log(2), h, math.log(2) - h))
    assert predictive_uncertainty([[0.5, 0.5], [0.5, 0.5]]) == pytest.approx((math.log(2), math.log(2), 0.0))
    agreeing = np.tile([0.7, 0.2, 0.1], (5, 1))
    assert predictive_uncertainty(agreeing)[2] == 0.0  # exactly: never a −1e-16 from rounding
    assert predictive_uncertainty([[1.0, 0.0], [0.0, 1.0]]) == pytest.approx((math.log(2), 0.0, math.log(2)))


def test_uncertainty_over_a_batch_and_epistemic_is_never_negative():
    rng = np.random.default_rng(6)
    logits = rng.standard_normal((7, 30, 4)) * 3  # 7 members, 30 inputs, 4 classes
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    total, aleatoric, epistemic = predictive_uncertainty(probs)
    assert total.shape == aleatoric.shape == (30,)
    assert np.all(epistemic >= -1e-12) and np.all(total <= math.log(4) + 1e-12)
    for i in (0, 17):  # one input, by hand
        mean = probs[:, i].mean(axis=0)
        assert total[i] == pytest.approx(-(mean * np.log(mean)).sum())
        assert aleatoric[i] == pytest.approx(np.mean([-(q * np.log(q)).sum() for q in probs[:, i]]))

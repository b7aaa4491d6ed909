"""Loss, evaluation, generative and foundations demos against closed forms and hand counts."""

import math

import pytest

from dlquiz.demos import run_demo


def _rows(link, settings=(), i=0):
    return run_demo(link, settings, seed=0).tables[i].rows


def test_best_constants_are_mean_and_median():
    rows = dict(_rows("losses.best_constant"))
    step = 12 / 1200
    assert rows["MSE"] == pytest.approx(rows["mean of y"], abs=step)
    assert rows["MAE"] == pytest.approx(rows["median of y"], abs=step)
    # Huber ignores the outlier's size (linear tail), so it lands near the median, far from the mean
    assert abs(rows["Huber δ=1"] - rows["median of y"]) < abs(rows["MSE"] - rows["median of y"]) / 5


@pytest.mark.parametrize("settings", [(), ("delta=50",), ("delta=200",), ("delta=0.2",), ("n=9", "outlier=30")])
def test_best_constant_summary_says_what_its_table_shows(settings):
    """The summary places Huber's minimiser where the table does (W-1: it said 'in between' while the
    table put Huber below the median)."""
    result = run_demo("losses.best_constant", list(settings), seed=0)
    rows = dict(result.tables[0].rows)
    huber = next(value for name, value in rows.items() if name.startswith("Huber"))
    mean, median = rows["mean of y"], rows["median of y"]
    between = min(mean, median) <= huber <= max(mean, median)
    assert ("between" in result.summary) == between
    nearer = "median" if abs(huber - median) <= abs(huber - mean) else "mean"
    assert f"next to the {nearer}" in result.summary or f"nearer the {nearer}" in result.summary
    assert f"lands at {huber:.3g}" in result.summary
    outlier = float(dict(s.split("=") for s in ("outlier=100", *settings))["outlier"])
    delta = float(dict(s.split("=") for s in ("delta=1", *settings))["delta"])
    assert ("clipped at δ" in result.summary) == (nearer == "mean" and abs(outlier - huber) > delta)
    assert ("within δ" in result.summary) == (abs(outlier - huber) <= delta)  # δ=200: no residual is clipped


def test_best_constant_search_reaches_a_far_mean():
    # two N(0, 1) draws and an outlier at 100: the mean is ≈ 33, well past the default plot range
    import numpy as np

    y = np.append(np.random.default_rng(0).standard_normal(2), 100.0)
    rows = dict(run_demo("losses.best_constant", ["n=2", "outlier=100"], seed=0).tables[0].rows)
    assert rows["MSE"] == pytest.approx(y.mean(), abs=0.1)
    assert rows["MAE"] == pytest.approx(np.median(y), abs=0.1)


def test_logistic_regression_starts_at_log2_and_learns():
    rows = dict(_rows("losses.logistic_regression"))
    assert rows["NLL at the start (w = 0)"] == pytest.approx(math.log(2))
    assert rows["NLL after 100 epochs"] < 0.5 and rows["training accuracy at 0.5"] > 0.75


def test_bce_stable_form_and_gradient():
    for z, y, _p, _naive, stable, grad, _p_minus_y in _rows("losses.bce_stability"):
        expected = max(z, 0) - z * y + math.log1p(math.exp(-abs(z)))
        assert stable == pytest.approx(expected)
        sigma = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
        assert grad == pytest.approx(sigma - y)
    naive = [r[3] for r in _rows("losses.bce_stability")]
    assert math.isinf(naive[0]) and math.isinf(naive[-1])


def test_untrained_cross_entropy_is_log_k():
    rows = dict(_rows("losses.untrained_cross_entropy"))
    assert rows["cross-entropy"] == pytest.approx(math.log(10), abs=0.01)
    assert rows["max |∂L/∂z − (softmax − onehot)/N|"] < 1e-12


def test_ce_vs_mse_gradients():
    for z, _p, ce, mse in _rows("losses.ce_vs_mse_gradient"):
        s = 1 / (1 + math.exp(-z))
        assert ce == pytest.approx(s - 1) and mse == pytest.approx(2 * (s - 1) * s * (1 - s))
    result = run_demo("losses.ce_vs_mse_gradient")
    _zs, ce = result.plots[0].series["cross-entropy: σ(z) − 1"]
    assert ce[0] == pytest.approx(1 / (1 + math.exp(10)) - 1)


def test_softmax_grad_bug_detected():
    result = run_demo("losses.softmax_grad_bug", seed=0)
    errs = dict(result.tables[1].rows)
    assert errs["correct"] < 1e-7 and errs["diagonal only"] > 1e-2
    assert sum(result.tables[0].rows[1][1:]) == pytest.approx(0, abs=1e-12)


def test_threshold_sweep_counts_and_trade_off():
    result = run_demo("evaluation.threshold_sweep", seed=0)
    rows = result.tables[0].rows
    for _t, tp, fp, fn, tn, p, r, f1 in rows:
        assert tp + fp + fn + tn == 200
        assert p == pytest.approx(tp / (tp + fp)) and r == pytest.approx(tp / (tp + fn))
        assert f1 == pytest.approx(2 * p * r / (p + r))
    assert rows[0][6] >= rows[1][6] >= rows[2][6]  # recall falls as the threshold rises
    assert rows[0][5] <= rows[2][5]
    cm = result.heatmaps[0].matrix
    assert cm == [[rows[1][4], rows[1][2]], [rows[1][3], rows[1][1]]]  # rows = true, columns = predicted


def test_imbalance_all_negative():
    all_neg, model = _rows("evaluation.imbalanced_accuracy")
    assert all_neg[1] > 0.98 and all_neg[4] == 0.0
    assert model[4] > 0


def test_regression_metrics_mean_predictor_r2_zero():
    rows = {r[0].split(" (")[0]: r for r in _rows("evaluation.regression_metrics")}
    assert rows["always the mean"][3] == pytest.approx(0, abs=1e-12)
    assert rows["bad model"][3] < 0 and rows["good model"][3] > 0.9
    for r in rows.values():
        assert r[2] >= r[1]  # RMSE ≥ MAE


def test_linear_autoencoder_reaches_pca():
    rows = dict(_rows("generative.autoencoder_vs_pca"))
    assert rows["linear autoencoder 10 → 2 → 10"] == pytest.approx(rows["PCA, 2 components"], rel=0.02)
    assert rows["linear autoencoder 10 → 2 → 10"] >= rows["PCA, 2 components"] - 1e-9  # PCA is optimal


def test_vae_kl_closed_form_and_monte_carlo():
    rows = dict(_rows("generative.vae_kl"))
    expected = 0.5 * (1 + 0.25 - math.log(0.25) - 1)
    assert rows["closed form"] == pytest.approx(expected)
    assert abs(rows["Monte Carlo"] - expected) < 4 * rows["Monte-Carlo standard error"]


def test_gan_gradients():
    rows = _rows("generative.gan_generator_gradients")
    for a, _d, sat, nonsat in rows:
        s = 1 / (1 + math.exp(-a))
        assert sat == pytest.approx(-s) and nonsat == pytest.approx(s - 1)
    assert [r[2] for r in _rows("generative.gan_generator_gradients", i=1)] == pytest.approx([0.8, 0.5, 0.25])


def test_neuron_boundary_outputs():
    rows = {r[0]: r[1:] for r in _rows("foundations.neuron_boundary")}
    assert rows[0.0][0] == 0.5 and rows[-2.0][1] == 0.5  # on the boundary w·x + b = 0
    assert rows[2.0][0] == pytest.approx(1 / (1 + math.exp(-2)))


def test_perceptron_fails_xor_network_solves_it():
    rows = dict(_rows("foundations.perceptron_xor"))
    assert rows["perceptron (best epoch)"] <= 3
    assert [v for k, v in rows.items() if k.startswith("2-2-1")] == [4]


def test_distance_contrast_falls_with_dimension():
    rows = _rows("foundations.distance_concentration")
    contrast = [r[3] for r in rows]
    assert contrast[0] > 1 > contrast[-1] and contrast[-1] < 0.3
    for _d, near, far, c in rows:
        assert c == pytest.approx((far - near) / near)
    # E‖u − v‖² = d/6 for u, v uniform on [0, 1]^d, and the spread of ‖u − v‖ stays O(1)
    d, near, far, _ = rows[-1]
    assert near < math.sqrt(d / 6) < far and far - near < 3

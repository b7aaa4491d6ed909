"""Regularization, normalization, initialization and gradient-flow exercises against hand formulas."""

import math

import pytest
from pytest import approx

from dlquiz.exercises import check_answer, gradients, initialization, normalization, regularization

from .helpers import runs


def test_weight_decay_step():
    for ex, inp in runs(regularization.weight_decay_step):
        w, lr, lam = inp["w"], inp["lr"], inp["lambda"]
        assert ex.answer == approx((w * (1 - lr * lam) - lr * inp["g"],), rel=1e-12)
    # the step without the penalty is graded wrong
    for ex, inp in runs(regularization.weight_decay_step, range(60)):
        assert not check_answer(ex, repr(inp["w"] - inp["lr"] * inp["g"])).correct


def test_soft_threshold_and_l2_shrink():
    for ex, inp in runs(regularization.soft_threshold_vs_shrink, seeds=range(20)):
        a, lam = inp["a"], inp["lambda"]
        l1 = math.copysign(max(abs(a) - lam, 0.0), a)
        assert ex.answer == approx((l1, a / (1 + lam)), rel=1e-12, abs=1e-15)


def test_inverted_dropout_kept_value():
    for ex, inp in runs(regularization.dropout_kept_output):
        assert ex.answer == approx((inp["x"] / (1 - inp["p"]), inp["x"]), rel=1e-12)


def test_dropout_without_rescale():
    for ex, inp in runs(regularization.dropout_expected_value):
        p = inp["p"]
        assert ex.answer == approx(((1 - p) * inp["x"], 1 / (1 - p)), rel=1e-12)


def mean_var(xs, ddof=0):
    m = sum(xs) / len(xs)
    return m, sum((x - m) ** 2 for x in xs) / (len(xs) - ddof)


@pytest.mark.parametrize(
    "generator, index", [(normalization.batchnorm_output, "k"), (normalization.layernorm_output, "j")]
)
def test_normalized_output_biased_variance(generator, index):
    for ex, inp in runs(generator):
        x, k = inp["x"], inp[index] - 1
        m, v = mean_var(x)
        y = inp["gamma"] * (x[k] - m) / math.sqrt(v + 1e-5) + inp["beta"]
        assert ex.answer == approx((m, v, y), rel=1e-9, abs=1e-12)


def test_batchnorm_param_grads():
    def loss(x, dy):  # L = Σ dyᵢ·yᵢ with γ = 1, β = 0, so ∂L/∂y = dy
        m, v = mean_var(x)
        return sum(d * (xi - m) / math.sqrt(v + 1e-5) for d, xi in zip(dy, x, strict=True))

    for ex, inp in runs(normalization.batchnorm_param_grads):
        x, dy, k = inp["x"], inp["dy"], inp["k"] - 1
        m, v = mean_var(x)
        x_hat = [(xi - m) / math.sqrt(v + 1e-5) for xi in x]
        step = 1e-5
        up, down = list(x), list(x)
        up[k] += step
        down[k] -= step
        dx = (loss(up, dy) - loss(down, dy)) / (2 * step)  # finite difference through μ and σ² as well
        assert ex.answer == approx(
            (sum(d * h for d, h in zip(dy, x_hat, strict=True)), sum(dy), dx), rel=1e-6, abs=1e-9
        )
        # treating μ and σ² as constants is graded wrong
        assert not check_answer(ex, f"{ex.answer[0]!r}, {ex.answer[1]!r}, {dy[k] / math.sqrt(v + 1e-5)!r}").correct


def test_running_stats_unbiased_variance_momentum_point_one():
    for ex, inp in runs(normalization.running_stats_update):
        m, v = mean_var(inp["x"], ddof=1)
        expected = (0.9 * inp["running_mean"] + 0.1 * m, 0.9 * inp["running_var"] + 0.1 * v)
        assert ex.answer == approx(expected, rel=1e-12, abs=1e-15)


def test_xavier_and_he_scales():
    for ex, inp in runs(initialization.xavier_std_bound):
        n = inp["fan_in"] + inp["fan_out"]
        assert ex.answer == approx((math.sqrt(2 / n), math.sqrt(6 / n)), rel=1e-12)
    for ex, inp in runs(initialization.he_std_bound):
        assert ex.answer == approx((math.sqrt(2 / inp["fan_in"]), math.sqrt(6 / inp["fan_in"])), rel=1e-12)


def test_clip_by_norm_keeps_direction():
    for ex, inp in runs(gradients.clip_by_norm, seeds=range(12)):
        g, c = inp["g"], inp["c"]
        norm = math.sqrt(sum(v * v for v in g))
        scale = min(1.0, c / norm)
        assert ex.answer == approx(tuple(scale * v for v in g), rel=1e-6)


def test_value_clip_angle():
    for ex, inp in runs(gradients.value_clip_angle):
        g, c = inp["g"], inp["c"]
        h = [max(-c, min(c, v)) for v in g]
        cos = (g[0] * h[0] + g[1] * h[1]) / (math.hypot(*g) * math.hypot(*h))
        assert ex.answer == approx((math.degrees(math.acos(min(1.0, cos))),), rel=1e-9, abs=1e-9)


def test_residual_gradient():
    for ex, inp in runs(gradients.residual_gradient):
        w, x = inp["w"], inp["x"]
        t = math.tanh(w * x)
        assert ex.answer == approx((inp["dL_dy"] * (1 + w * (1 - t * t)),), rel=1e-12)


def test_gradient_product_is_c_to_the_l():
    for ex, inp in runs(gradients.gradient_product):
        assert ex.answer == approx((inp["c"] ** inp["L"],), rel=1e-12)


def test_signal_scale_through_linear_layers():
    for ex, inp in runs(initialization.signal_scale):
        n = inp["fan_in"]
        assert ex.answer == approx(((math.sqrt(n) * inp["std"]) ** inp["L"], 1 / math.sqrt(n)), rel=1e-12)

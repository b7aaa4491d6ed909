"""Loss exercises against closed forms computed here with math."""

import math

from pytest import approx

from dlquiz.exercises import losses as gen

from .helpers import runs, sigmoid


def test_mse_and_first_gradient():
    for ex, inp in runs(gen.mse_and_gradient):
        r = [p - t for p, t in zip(inp["y_hat"], inp["y"], strict=True)]
        assert ex.answer == approx((sum(x * x for x in r) / 3, 2 * r[0] / 3), rel=1e-12)


def test_huber_quadratic_inside_linear_outside():
    for ex, inp in runs(gen.huber_loss):
        d = inp["delta"]
        per = []
        for p, t in zip(inp["y_hat"], inp["y"], strict=True):
            r = abs(p - t)
            per.append(0.5 * r * r if r < d else d * (r - 0.5 * d))
        assert ex.answer == approx((sum(per) / 2,), rel=1e-12)


def test_bce_keeps_the_log_probability_of_the_label():
    for ex, inp in runs(gen.bce_loss):
        terms = [-(y * math.log(p) + (1 - y) * math.log(1 - p)) for p, y in zip(inp["p"], inp["y"], strict=True)]
        assert ex.answer == approx((sum(terms) / 2,), rel=1e-12)


def test_sigmoid_bce_gradient_is_p_minus_y():
    for ex, inp in runs(gen.sigmoid_bce_gradient):
        assert ex.answer == approx((sigmoid(inp["z"]) - inp["y"],), rel=1e-12)


def test_cross_entropy_and_gradient_entry():
    for ex, inp in runs(gen.cross_entropy_loss):
        z, k = inp["z"], inp["label"] - 1
        total = sum(math.exp(v) for v in z)
        p = [math.exp(v) / total for v in z]
        assert ex.answer[0] == approx(-math.log(p[k]), rel=1e-12)
        # the gradient entry asked for is one of p_j − [j = k]
        assert any(ex.answer[1] == approx(p[j] - (j == k), rel=1e-12) for j in range(3))
        j = "₁₂₃".index(ex.labels[1][-1])
        assert ex.answer[1] == approx(p[j] - (j == k), rel=1e-12)

"""Activation exercises against closed forms computed here with math."""

import math

from pytest import approx

from dlquiz.exercises import activations as gen
from dlquiz.exercises import check_answer

from .helpers import runs, sigmoid


def test_sigmoid_derivative_is_s_times_one_minus_s():
    for ex, inp in runs(gen.sigmoid_derivative):
        s = 1 / (1 + math.exp(-inp["z"]))
        assert ex.answer == approx((s, s * (1 - s)), rel=1e-12)


def test_tanh_derivative_is_one_minus_square():
    for ex, inp in runs(gen.tanh_derivative):
        z = inp["z"]
        t = (math.exp(z) - math.exp(-z)) / (math.exp(z) + math.exp(-z))
        assert ex.answer == approx((t, 1 - t * t), rel=1e-12)


def test_relu_unit_output_and_bias_gradient():
    for ex, inp in runs(gen.relu_unit):
        z = sum(w * x for w, x in zip(inp["w"], inp["x"], strict=True)) + inp["b"]
        assert ex.answer == approx((max(z, 0.0), 1.0 if z > 0 else 0.0), abs=1e-12)


def test_leaky_relu_value_and_slope():
    for ex, inp in runs(gen.leaky_relu_derivative):
        z, a = inp["z"], inp["negative_slope"]
        assert ex.answer == approx((z if z > 0 else a * z, 1.0 if z > 0 else a), rel=1e-12)


def test_sigmoid_chain_product_is_at_most_quarter_power():
    for ex, inp in runs(gen.sigmoid_chain_product):
        product = math.prod(sigmoid(z) * (1 - sigmoid(z)) for z in inp["z"])
        assert ex.answer == approx((product,), rel=1e-12)
        assert ex.answer[0] <= 0.25 ** len(inp["z"])


def test_softmax_probabilities_even_for_logits_near_1000():
    seen_large = False
    for ex, inp in runs(gen.softmax_probs, seeds=range(12)):
        z = inp["z"]
        seen_large |= max(z) > 900
        shifted = [math.exp(v - max(z)) for v in z]
        assert ex.answer == approx(tuple(e / sum(shifted) for e in shifted), rel=1e-12)
    assert seen_large


def test_softmax_jacobian_entry_is_p_i_delta_minus_p_j():
    for ex, inp in runs(gen.softmax_jacobian_entry, seeds=range(12)):
        z, i, j = inp["z"], inp["i"] - 1, inp["j"] - 1
        e = [math.exp(v) for v in z]
        p = [v / sum(e) for v in e]
        assert ex.answer == approx((p[i] * ((i == j) - p[j]),), rel=1e-12)


def test_softmax_overflow_logits_beyond_exp_range():
    for ex, inp in runs(gen.softmax_overflow, seeds=range(60)):
        z = inp["z"]
        assert max(z) > 709.8  # math.exp would overflow here
        e = [math.exp(v - max(z)) for v in z]
        assert ex.answer == approx(tuple(v / sum(e) for v in e), rel=1e-12)


def test_softmax_backward_uses_the_full_jacobian():
    for ex, inp in runs(gen.softmax_backward):
        e = [math.exp(v) for v in inp["z"]]
        p = [v / sum(e) for v in e]
        dp = inp["dp"]
        full = tuple(sum(dp[i] * p[i] * ((i == j) - p[j]) for i in range(3)) for j in range(3))
        assert ex.answer == approx(full, rel=1e-9, abs=1e-12)
        diagonal_only = ", ".join(repr(dp[j] * p[j] * (1 - p[j])) for j in range(3))
        assert not check_answer(ex, diagonal_only).correct

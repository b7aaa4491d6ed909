"""Foundations and backprop exercises against hand-written formulas."""

import math
from functools import partial

from pytest import approx

from dlquiz.exercises import backprop, foundations

from .helpers import runs, sigmoid


def test_neuron_output():
    for ex, inp in runs(foundations.neuron_output):
        z = sum(w * x for w, x in zip(inp["w"], inp["x"], strict=True)) + inp["b"]
        assert ex.answer == approx((z, 1 / (1 + math.exp(-z))), rel=1e-12, abs=1e-12)


def test_mlp_param_count_sums_weights_and_biases():
    for ex, inp in runs(foundations.mlp_param_count):
        s = inp["sizes"]
        assert ex.answer == (sum(s[k] * s[k + 1] + s[k + 1] for k in range(len(s) - 1)),)
        assert ex.tolerance == 0
    # a known case by hand: 3 → 4 → 1 has 3·4 + 4 + 4·1 + 1 = 21 parameters
    for ex, inp in runs(foundations.mlp_param_count, seeds=range(200)):
        if inp["sizes"] == [3, 4, 1]:
            assert ex.answer == (21,)


def test_iterations_per_epoch_ceil_and_remainder():
    for ex, inp in runs(backprop.iterations_per_epoch):
        n, b = inp["N"], inp["B"]
        last = n % b or b
        assert ex.answer == (-(-n // b), last)


def test_scalar_graph_chain_rule():
    for ex, inp in runs(backprop.scalar_graph_grad):
        w, x, b, y = inp["w"], inp["x"], inp["b"], inp["y"]
        a = sigmoid(w * x + b)
        dz = 2 * (a - y) * a * (1 - a)
        assert ex.answer == approx((dz * x, dz), rel=1e-12, abs=1e-15)


def _squared_error(w, b, x, y):
    return (sigmoid(w * x + b) - y) ** 2


def test_scalar_graph_against_finite_differences():
    for ex, inp in runs(backprop.scalar_graph_grad):
        b, h = inp["b"], 1e-6
        loss = partial(_squared_error, x=inp["x"], y=inp["y"])
        dw = (loss(inp["w"] + h, b) - loss(inp["w"] - h, b)) / (2 * h)
        db = (loss(inp["w"], b + h) - loss(inp["w"], b - h)) / (2 * h)
        assert ex.answer == approx((dw, db), rel=1e-6, abs=1e-9)


def test_dense_weight_gradient_entry():
    for ex, inp in runs(backprop.dense_weight_gradient):
        X, dY, i, j = inp["X"], inp["dY"], inp["i"] - 1, inp["j"] - 1
        assert ex.answer == approx((sum(X[n][i] * dY[n][j] for n in range(2)), dY[0][j] + dY[1][j]), abs=1e-12)


def test_hidden_delta():
    for ex, inp in runs(backprop.hidden_delta):
        s = sigmoid(inp["z"])
        back = sum(w * d for w, d in zip(inp["w"], inp["delta_out"], strict=True))
        assert ex.answer == approx((s * (1 - s) * back,), rel=1e-12, abs=1e-15)


def _cubic(t, a, b):
    return a * t**3 + b * t**2


def test_central_difference_error_is_a_h_squared():
    for ex, inp in runs(backprop.central_difference):
        a, b, x, h = inp["a"], inp["b"], inp["x0"], inp["h"]
        f = partial(_cubic, a=a, b=b)
        estimate = (f(x + h) - f(x - h)) / (2 * h)
        exact = 3 * a * x * x + 2 * b * x
        assert ex.answer == approx((estimate, exact), rel=1e-9, abs=1e-12)
        assert ex.answer[0] - ex.answer[1] == approx(a * h * h, rel=1e-6)


def test_standardize_with_training_statistics():
    for ex, inp in runs(backprop.standardize_feature):
        t = inp["train"]
        mean = sum(t) / 4
        std = math.sqrt(sum((v - mean) ** 2 for v in t) / 4)
        assert ex.answer == approx((mean, std, (inp["x"] - mean) / std), rel=1e-12, abs=1e-15)

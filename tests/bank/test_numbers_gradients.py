"""Every number quoted in questions/gradients.yaml, recomputed from the reference code."""

import math

import numpy as np
import pytest

from dlquiz.bank.lookup import get_item


def test_sigmoid_bound_over_ten_layers(bank, text):
    from dlquiz.reference.activations import sigmoid_grad

    peak = float(sigmoid_grad(0.0))
    assert peak == 0.25
    assert float(sigmoid_grad(np.linspace(-10, 10, 2001)).max()) == peak
    mant, exp = f"{peak**10:.1e}".split("e")
    shown = f"0.25¹⁰ ≈ {mant}e{int(exp)}"
    assert shown in text("vanishing-gradients")
    assert shown in "\n".join(s.step for s in get_item(bank, "vanishing-gradients").derivation)


def test_sigmoid_stack_gradient_stays_under_the_bound():
    from dlquiz.reference.activations import sigmoid, sigmoid_grad
    from dlquiz.reference.layers import dense_backward, dense_forward

    rng = np.random.default_rng(0)
    ws = [np.linalg.qr(rng.normal(size=(16, 16)))[0] for _ in range(10)]  # orthogonal: norm 1
    a, cache = rng.normal(size=(1, 16)), []
    for w in ws:
        z = dense_forward(a, w, np.zeros(16))
        cache.append((a, w, z))
        a = sigmoid(z)
    g = np.ones((1, 16))
    for a_prev, w, z in reversed(cache):
        g, _, _ = dense_backward(g * sigmoid_grad(z), a_prev, w)
    assert np.linalg.norm(g) <= 0.25**10 * math.sqrt(16)


def test_exploding_factor(text):
    growth = 1.5**20
    assert f"1.5²⁰ ≈ {growth:.0f}" in text("exploding-gradients")

    from dlquiz.reference.layers import dense_backward

    rng = np.random.default_rng(1)
    g = rng.normal(size=(1, 8))
    start = np.linalg.norm(g)
    for _ in range(20):
        w = 1.5 * np.linalg.qr(rng.normal(size=(8, 8)))[0]  # stretches every vector by exactly 1.5
        g, _, _ = dense_backward(g, np.zeros((1, 8)), w)
    assert np.linalg.norm(g) / start == pytest.approx(growth, rel=1e-9)


def test_clip_by_norm_example(text):
    from dlquiz.reference.optimizers import clip_grad_norm

    grads = {"g1": np.array([3.0, 4.0]), "g2": np.array([12.0])}
    norm = clip_grad_norm(grads, max_norm=1.0)
    assert float(norm) == pytest.approx(13.0)
    assert "√(9 + 16 + 144) = 13" in text("gradient-clipping")
    a, b = grads["g1"]
    (c,) = grads["g2"]
    assert f"({a:.3f}, {b:.3f}) and ({c:.3f})" in text("gradient-clipping")
    assert math.sqrt(a * a + b * b + c * c) == pytest.approx(1.0, abs=1e-6)


def test_clip_by_value_turns_by_norm_keeps(bank, text):
    from dlquiz.reference.optimizers import clip_grad_norm, clip_grad_value

    g = np.array([10.0, 0.1])
    by_value, by_norm = {"g": g.copy()}, {"g": g.copy()}
    clip_grad_value(by_value, clip_value=1.0)
    clip_grad_norm(by_norm, max_norm=1.0)

    assert np.array_equal(by_value["g"], [1.0, 0.1])
    cos = by_value["g"] @ g / (np.linalg.norm(by_value["g"]) * np.linalg.norm(g))
    angle = math.degrees(math.acos(cos))
    assert f"turned by ≈ {angle:.1f}°" in text("clip-norm-vs-value")
    assert f"about {angle:.1f}°" in "\n".join(get_item(bank, "clip-norm-vs-value").key_points)

    x, y = by_norm["g"]
    assert f"≈ ({x:.5f}, {y:.7f})" in text("clip-norm-vs-value")
    assert x / y == pytest.approx(100.0)


def test_residual_gradient_has_the_identity_term():
    from dlquiz.reference.activations import tanh, tanh_grad
    from dlquiz.reference.gradcheck import numerical_gradient

    w = 3.0
    for x0 in (-2.0, 0.1, 1.5):  # at 1.5, F'(x) = w·tanh'(wx) is tiny, yet dy/dx stays ≈ 1
        numeric = numerical_gradient(lambda v: float(np.sum(v + tanh(w * v))), np.array([x0]))
        assert numeric[0] == pytest.approx(1 + w * float(tanh_grad(w * x0)), abs=1e-7)

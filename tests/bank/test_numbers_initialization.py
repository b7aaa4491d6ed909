"""Every number quoted in questions/initialization.yaml, recomputed from the reference code."""

import math

import numpy as np
import pytest


def test_constant_init_keeps_hidden_units_identical():
    from dlquiz.reference.activations import tanh, tanh_grad
    from dlquiz.reference.layers import dense_backward, dense_forward

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    w1, b1, w2, b2 = np.full((3, 4), 0.3), np.zeros(4), np.full((4, 1), 0.3), np.zeros(1)
    for _ in range(20):
        z = dense_forward(x, w1, b1)
        a = tanh(z)
        out = dense_forward(a, w2, b2)
        da, dw2, db2 = dense_backward(2 * (out - y) / len(y), a, w2)
        _, dw1, db1 = dense_backward(da * tanh_grad(z), x, w1)
        w1, b1, w2, b2 = w1 - 0.1 * dw1, b1 - 0.1 * db1, w2 - 0.1 * dw2, b2 - 0.1 * db2
    assert not np.allclose(w1, 0.3)  # it did learn something
    assert np.allclose(w1, w1[:, :1]) and np.allclose(w2, w2[0])  # but every unit is still the same


def test_zero_init_gives_zero_weight_gradients():
    from dlquiz.reference.activations import tanh, tanh_grad
    from dlquiz.reference.layers import dense_backward, dense_forward

    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    w1, b1, w2, b2 = np.zeros((3, 4)), np.zeros(4), np.zeros((4, 1)), np.zeros(1)
    z = dense_forward(x, w1, b1)
    out = dense_forward(tanh(z), w2, b2)
    da, dw2, db2 = dense_backward(2 * (out - y) / len(y), tanh(z), w2)
    _, dw1, _ = dense_backward(da * tanh_grad(z), x, w1)
    assert np.all(dw1 == 0) and np.all(dw2 == 0) and np.any(db2 != 0)


def test_xavier_256_by_256(text):
    from dlquiz.reference.initializers import xavier_normal, xavier_uniform

    rng = np.random.default_rng(2)
    std, bound = math.sqrt(2 / 512), math.sqrt(6 / 512)
    assert f"std √(2/512) = {std:.4f}" in text("xavier-init")
    assert f"bound √(6/512) ≈ {bound:.3f}" in text("xavier-init")
    assert xavier_normal(256, 256, rng).std() == pytest.approx(std, rel=0.02)
    w = xavier_uniform(256, 256, rng)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert w.std() == pytest.approx(std, rel=0.02)


def test_he_fan_in_1024(text):
    from dlquiz.reference.initializers import he_normal, he_uniform

    rng = np.random.default_rng(3)
    std, bound = math.sqrt(2 / 1024), math.sqrt(6 / 1024)
    assert f"std √(2/1024) ≈ {std:.4f}" in text("he-init")
    assert f"bound √(6/1024) ≈ {bound:.4f}" in text("he-init")
    assert he_normal(1024, 512, rng).std() == pytest.approx(std, rel=0.02)
    w = he_uniform(1024, 512, rng)
    assert np.abs(w).max() <= bound and w.std() == pytest.approx(std, rel=0.02)


def test_he_keeps_relu_activations_stable_where_xavier_halves_them():
    from dlquiz.reference.activations import relu
    from dlquiz.reference.initializers import he_normal, xavier_normal

    rng = np.random.default_rng(4)
    x = rng.normal(size=(2000, 256))
    he, xavier = x, x
    for _ in range(10):
        he = relu(he) @ he_normal(256, 256, rng)
        xavier = relu(xavier) @ xavier_normal(256, 256, rng)
    # He keeps the pre-activation variance; Xavier loses a factor 2 per layer (2^-10 ≈ 1e-3).
    # One shared weight draw per layer makes the product noisy, hence the factor-2 windows.
    assert 0.5 < he.var() / x.var() < 2
    assert 2.0**-11 < xavier.var() / x.var() < 2.0**-9


def test_too_small_and_too_large_scales(text):
    from dlquiz.reference.activations import tanh

    factor = 0.01 * math.sqrt(512)
    mant, exp = f"{factor**10:.1e}".split("e")
    assert f"the factor is ≈ {factor:.2f}" in text("init-scale-activations")
    assert f"≈ {mant}e{int(exp)} of its input scale" in text("init-scale-activations")
    assert f"std ≈ {math.sqrt(512):.1f}" in text("init-scale-activations")

    rng = np.random.default_rng(5)
    x = rng.normal(size=(200, 512))
    a = x
    for _ in range(10):
        a = tanh(a @ (0.01 * rng.normal(size=(512, 512))))
    assert a.std() / x.std() == pytest.approx(factor**10, rel=0.2)
    z = x @ rng.normal(size=(512, 512))
    assert z.std() == pytest.approx(math.sqrt(512), rel=0.05)
    assert np.mean(np.abs(tanh(z)) > 0.95) > 0.9  # almost every unit saturated


def test_he_std_for_a_3x3_convolution_from_64_channels(text):
    from dlquiz.reference.initializers import he_std

    fan_in = 64 * 3 * 3
    assert fan_in == 576
    assert f"n_in = {fan_in}" in text("he-init")
    assert f"√(2/576) ≈ {he_std(fan_in):.4f}" in text("he-init")


def test_sigmoid_with_xavier_shrinks_gradients_about_4x_per_layer(text):
    """A 10-layer, width-256 sigmoid net initialised with Xavier: the backpropagated gradient's norm
    falls by about σ′ ≈ ¼ per layer, while a tanh net keeps it within a small factor."""
    from dlquiz.reference import activations as act
    from dlquiz.reference.initializers import xavier_normal

    def per_layer_ratio(g, g_grad, seed=0):
        rng = np.random.default_rng(seed)
        a = rng.normal(size=(64, 256))
        Ws, zs = [xavier_normal(256, 256, rng) for _ in range(10)], []
        for W in Ws:
            zs.append(a @ W)
            a = g(zs[-1])
        delta, norms = rng.normal(size=a.shape), []
        for W, z in zip(reversed(Ws), reversed(zs), strict=True):
            delta = (delta * g_grad(z)) @ W.T
            norms.append(np.linalg.norm(delta))
        return (norms[0] / norms[-1]) ** (1 / (len(norms) - 1))

    sigmoid_shrink = per_layer_ratio(act.sigmoid, act.sigmoid_grad)
    tanh_shrink = per_layer_ratio(act.tanh, act.tanh_grad)
    assert 3.5 < sigmoid_shrink < 5.0
    assert tanh_shrink < 1.3
    assert "even with Xavier its gradients shrink about 4× per layer" in text("xavier-init")
    assert "even with Xavier its gradients shrink about 4× per layer" in text("init-scale-activations")

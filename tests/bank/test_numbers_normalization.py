"""Every number quoted in questions/normalization.yaml, recomputed from the reference code."""

import inspect

import numpy as np
import pytest

from dlquiz.reference.gradcheck import numerical_gradient
from dlquiz.reference.normalization import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    layernorm_forward,
    update_running_stats,
)

BATCH = np.array([[2.0], [4.0], [6.0], [8.0]])  # the one-feature batch the answers use


def test_batchnorm_forward_example(text):
    t = text("batchnorm-forward")
    out, _ = batchnorm_forward(BATCH, np.ones(1), np.zeros(1))
    assert inspect.signature(batchnorm_forward).parameters["eps"].default == 1e-5
    assert "ε = 1e-5 (PyTorch's default)" in t
    assert f"μ_B = {BATCH.mean():g} and σ²_B = {BATCH.var():g}" in t
    assert f"the unbiased estimate would be {BATCH.var(ddof=1):.3f}" in t
    assert f"8 maps to x̂ = 3/√5 ≈ {out[3, 0]:.3f}" in t
    # γ = √(σ²_B + ε), β = μ_B gives back x
    back, _ = batchnorm_forward(BATCH, np.sqrt(BATCH.var(axis=0) + 1e-5), BATCH.mean(axis=0))
    assert np.allclose(back, BATCH)


def quoted_dx(dy, x, gamma, eps=1e-5):
    """∂L/∂xᵢ = (m·dx̂ᵢ − Σⱼ dx̂ⱼ − x̂ᵢ·Σⱼ dx̂ⱼx̂ⱼ)/(m·s), exactly as the answer writes it."""
    m = x.shape[0]
    s = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / s
    dx_hat = gamma * dy
    return (m * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (m * s)


def test_batchnorm_backward_formula_matches_finite_differences(text):
    rng = np.random.default_rng(0)
    x, gamma, beta, dy = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(6, 3))

    def loss(v):
        return float(np.sum(batchnorm_forward(v, gamma, beta)[0] * dy))

    numeric = numerical_gradient(loss, x.copy())
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    rel = np.abs(dx - numeric).max() / np.abs(numeric).max()
    assert rel < 1e-6 and "relative error below 1e-6" in text("batchnorm-backward")
    assert np.allclose(quoted_dx(dy, x, gamma), numeric, atol=1e-8)
    assert np.allclose(dx.sum(axis=0), 0, atol=1e-12)  # "the input gradients of a feature sum to zero"
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)
    assert np.allclose(dgamma, (dy * x_hat).sum(axis=0)) and np.allclose(dbeta, dy.sum(axis=0))
    # treating μ_B and σ²_B as constants gives γ·dy/s, which is wrong in training mode
    assert not np.allclose(gamma * dy / np.sqrt(x.var(axis=0) + 1e-5), numeric, atol=1e-3)


def test_running_stats_after_one_batch(text):
    t = text("batchnorm-inference")
    mean, var = update_running_stats(np.zeros(1), np.ones(1), BATCH)
    assert f"moves the running mean from 0 to {mean[0]:g} and the running variance from 1 to {var[0]:.3f}" in t
    assert f"its unbiased variance is {BATCH.var(ddof=1):.3f}" in t
    assert var[0] == pytest.approx(0.9 * 1 + 0.1 * BATCH.var(ddof=1))
    # in eval mode each output depends only on its own input
    gamma, beta = np.array([1.5]), np.array([0.2])
    alone = batchnorm_inference(BATCH[:1], gamma, beta, mean, var)
    assert np.allclose(batchnorm_inference(BATCH, gamma, beta, mean, var)[:1], alone)


def test_batchnorm_is_invariant_to_weight_scale(text):
    rng = np.random.default_rng(1)
    x, W, dy = rng.normal(size=(16, 4)), rng.normal(size=(4, 3)), rng.normal(size=(16, 3))
    gamma, beta = np.ones(3), np.zeros(3)

    def out_and_dW(weights):
        out, cache = batchnorm_forward(x @ weights, gamma, beta)
        dz, _, _ = batchnorm_backward(dy, cache)
        return out, x.T @ dz

    out1, dW1 = out_and_dW(W)
    out10, dW10 = out_and_dW(10 * W)
    assert np.allclose(out10, out1, atol=1e-5)
    assert np.allclose(dW10, dW1 / 10, rtol=1e-4, atol=1e-8)
    assert "Scaling W by 10 leaves the output unchanged and divides ∂L/∂W by 10" in text("why-batchnorm-helps")
    assert abs(np.sum(W * dW1)) < 1e-4 * np.linalg.norm(W) * np.linalg.norm(dW1)  # ⟨W, ∇L⟩ = 0


def test_layernorm_row_is_normalised_on_its_own(text):
    row = BATCH.T  # the same four numbers as one example's features
    out, _ = layernorm_forward(row, np.ones(4), np.zeros(4))
    others = np.vstack([row, [[100.0, -3.0, 0.5, 7.0]]])
    assert np.allclose(layernorm_forward(others, np.ones(4), np.zeros(4))[0][0], out[0])
    assert f"8 becomes {out[0, 3]:.3f} whatever else is in the batch" in text("layernorm-vs-batchnorm")


def test_keras_momentum_is_one_minus_pytorchs(text):
    """Keras: moving = m·moving + (1 − m)·batch. Its 0.99 equals PyTorch's 0.01, its 0.9 PyTorch's 0.1."""
    rng = np.random.default_rng(0)
    x, mean, var = rng.normal(size=(8, 3)), rng.normal(size=3), rng.uniform(1, 2, size=3)
    for keras, torch_momentum in ((0.99, 0.01), (0.9, 0.1)):
        keras_mean = keras * mean + (1 - keras) * x.mean(axis=0)
        torch_mean, _ = update_running_stats(mean, var, x, momentum=torch_momentum)
        assert np.allclose(keras_mean, torch_mean)
    t = text("batchnorm-inference")
    assert "Keras's momentum=0.99 weights the old average instead (the same update as PyTorch's 0.01)" in t
    assert "PyTorch momentum 0.1 = Keras momentum 0.9" in t


def test_group_norm_statistics_count_and_its_two_limits(text):
    from dlquiz.reference.normalization import group_norm_forward

    n, c, h, w, groups = 2, 64, 7, 7, 32
    per_statistic = c // groups * h * w
    assert per_statistic == 98
    t = text("other-normalisers")
    assert "With 32 groups of 64 channels on 7 × 7 maps, a statistic covers 2 × 49 = 98 values" in t
    x = np.random.default_rng(0).standard_normal((n, c, h, w))
    x[0, :2] = 3.0 + 2.0 * x[0, :2]  # group 0 of example 0: its 98 values alone set its mean and variance
    y = group_norm_forward(x, groups, np.ones(c), np.zeros(c))
    block = y[0, :2]
    assert block.size == 98 and block.mean() == pytest.approx(0, abs=1e-12) and block.var() == pytest.approx(1, 1e-4)
    x[0, 1] += 10.0  # the group's two channels share one mean: shifting one moves the other's output
    shifted = group_norm_forward(x, groups, np.ones(c), np.zeros(c))[0, 0]
    assert not np.allclose(shifted, block[0])
    assert "G = 1 gives LayerNorm's statistics, G = C InstanceNorm's" in t
    assert "at 2 images per GPU its ImageNet error was 24.1 % against BatchNorm's 34.7 %" in t

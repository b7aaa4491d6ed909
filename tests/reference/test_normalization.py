"""Batch norm and layer norm: finite-difference backward checks, statistics, running averages."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference.gradcheck import numerical_gradient, relative_error
from dlquiz.reference.normalization import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    layernorm_backward,
    layernorm_forward,
    update_running_stats,
)

EPS = 1e-5


def random_inputs(seed, shape):
    rng = np.random.default_rng(seed)
    d = shape[-1]
    x = rng.normal(2.0, 3.0, size=shape)
    return x, rng.normal(1.0, 0.5, size=d), rng.normal(size=d), rng.normal(size=shape)


@pytest.mark.parametrize(
    "forward, backward, shape",
    [
        (batchnorm_forward, batchnorm_backward, (6, 4)),
        (layernorm_forward, layernorm_backward, (5, 7)),
        (layernorm_forward, layernorm_backward, (2, 3, 6)),
    ],
    ids=["batchnorm", "layernorm", "layernorm-3d"],
)
def test_backward_matches_finite_differences(forward, backward, shape):
    x, gamma, beta, dout = random_inputs(0, shape)
    _, cache = forward(x, gamma, beta)
    dx, dgamma, dbeta = backward(dout, cache)

    def loss():
        return float(np.sum(forward(x, gamma, beta)[0] * dout))

    for analytic, wrt in [(dx, x), (dgamma, gamma), (dbeta, beta)]:
        numeric = numerical_gradient(lambda _: loss(), wrt)
        assert analytic.shape == wrt.shape
        assert relative_error(analytic, numeric) < 1e-6


def test_batchnorm_by_hand():
    # one feature, x = [1, 3]: μ = 2, biased σ² = 1 → x̂ = ∓1/√(1 + ε)
    out, _ = batchnorm_forward(np.array([[1.0], [3.0]]), np.array([2.0]), np.array([0.5]))
    s = math.sqrt(1.0 + EPS)
    assert np.allclose(out[:, 0], [0.5 - 2.0 / s, 0.5 + 2.0 / s], rtol=0, atol=1e-14)


@pytest.mark.parametrize(
    "forward, axis, shape",
    [(batchnorm_forward, 0, (64, 5)), (layernorm_forward, 1, (4, 32))],
    ids=["batchnorm-per-feature", "layernorm-per-example"],
)
def test_output_has_zero_mean_and_unit_biased_variance(forward, axis, shape):
    x, _, _, _ = random_inputs(1, shape)
    d = shape[1]
    out, _ = forward(x, np.ones(d), np.zeros(d))
    biased_var = x.var(axis=axis)
    assert np.allclose(out.mean(axis=axis), 0.0, atol=1e-12)
    assert np.allclose(out.var(axis=axis), biased_var / (biased_var + EPS), rtol=1e-12)
    assert np.allclose(out.var(axis=axis), 1.0, atol=1e-5)


def test_batchnorm_gamma_beta_set_output_scale_and_shift():
    x, gamma, beta, _ = random_inputs(2, (50, 3))
    out, _ = batchnorm_forward(x, gamma, beta)
    assert np.allclose(out.mean(axis=0), beta, atol=1e-12)
    assert np.allclose(out.std(axis=0), np.abs(gamma), rtol=1e-5)


def test_batchnorm_input_gradient_sums_to_zero_per_feature():
    x, gamma, beta, dout = random_inputs(3, (10, 4))
    dx, dgamma, dbeta = batchnorm_backward(dout, batchnorm_forward(x, gamma, beta)[1])
    assert np.allclose(dx.sum(axis=0), 0.0, atol=1e-12)
    assert np.allclose(dbeta, dout.sum(axis=0))


def test_layernorm_is_independent_of_other_examples():
    x, gamma, beta, _ = random_inputs(5, (6, 8))
    full, _ = layernorm_forward(x, gamma, beta)
    alone, _ = layernorm_forward(x[2:3], gamma, beta)
    assert np.allclose(full[2:3], alone, rtol=0, atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.1, 100.0),
    shift=st.floats(-50.0, 50.0),
)
def test_batchnorm_invariant_to_per_feature_affine_input(seed, scale, shift):
    # BN(a·x + c) = BN(x) for a > 0, up to ε (the weight-scale invariance behind larger LRs)
    x, gamma, beta, _ = random_inputs(seed, (16, 3))
    a, _ = batchnorm_forward(x, gamma, beta, eps=0.0)
    b, _ = batchnorm_forward(scale * x + shift, gamma, beta, eps=0.0)
    assert np.allclose(a, b, atol=1e-9)


def test_running_stats_use_unbiased_variance():
    x = np.array([[1.0], [2.0], [3.0], [4.0]])  # mean 2.5, unbiased var 5/3 (biased 1.25)
    mean, var = update_running_stats(np.zeros(1), np.ones(1), x)
    assert mean[0] == pytest.approx(0.25, rel=1e-15)
    assert var[0] == pytest.approx(0.9 + 0.1 * 5.0 / 3.0, rel=1e-15)


def test_running_stats_converge_to_batch_statistics():
    x, _, _, _ = random_inputs(6, (8, 3))
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(300):
        mean, var = update_running_stats(mean, var, x, momentum=0.1)
    assert np.allclose(mean, x.mean(axis=0), rtol=1e-10)
    assert np.allclose(var, x.var(axis=0, ddof=1), rtol=1e-10)


def test_running_stats_need_two_examples():
    with pytest.raises(ValueError):
        update_running_stats(np.zeros(2), np.ones(2), np.ones((1, 2)))


def test_batchnorm_inference_by_hand():
    out = batchnorm_inference(np.array([[3.0]]), np.array([2.0]), np.array([1.0]), np.array([1.0]), np.array([4.0]))
    assert out[0, 0] == pytest.approx(2.0 * 2.0 / math.sqrt(4.0 + EPS) + 1.0, rel=1e-15)


def test_batchnorm_inference_treats_examples_independently():
    x, gamma, beta, _ = random_inputs(7, (5, 3))
    stats = (np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.3, 4.0]))
    full = batchnorm_inference(x, gamma, beta, *stats)
    assert np.allclose(full[1:2], batchnorm_inference(x[1:2], gamma, beta, *stats), atol=1e-15)


# --------------------------------------------------------------------------- group normalisation


def test_group_norm_is_layer_norm_at_one_group_and_instance_norm_at_one_channel_per_group():
    from dlquiz.reference.normalization import group_norm_forward, layernorm_forward

    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 6, 4, 5)) * 3 + 1
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    ones, zeros = np.ones(6 * 20), np.zeros(6 * 20)
    as_layer_norm = layernorm_forward(x.reshape(3, -1), ones, zeros)[0].reshape(x.shape)
    expected = gamma[:, None, None] * as_layer_norm + beta[:, None, None]
    assert np.allclose(group_norm_forward(x, 1, gamma, beta), expected)
    by_loop = np.empty_like(x)
    for n, c in np.ndindex(3, 6):  # InstanceNorm: each channel of each example over its positions
        plane = x[n, c]
        by_loop[n, c] = gamma[c] * (plane - plane.mean()) / np.sqrt(plane.var() + 1e-5) + beta[c]
    assert np.allclose(group_norm_forward(x, 6, gamma, beta), by_loop)


def test_group_norm_statistics_stay_inside_each_example_and_group():
    from dlquiz.reference.normalization import group_norm_forward

    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 8, 3, 3))
    y = group_norm_forward(x, 4, np.ones(8), np.zeros(8))
    groups = y.reshape(2, 4, -1)
    assert np.allclose(groups.mean(axis=-1), 0) and np.allclose(groups.var(axis=-1), 1, atol=1e-4)
    changed = x.copy()
    changed[1] *= 100  # another example, and another group of the same example, change nothing here
    changed[0, 2:] += 5
    assert np.allclose(group_norm_forward(changed, 4, np.ones(8), np.zeros(8))[0, :2], y[0, :2])
    with pytest.raises(ValueError):
        group_norm_forward(x, 3, np.ones(8), np.zeros(8))


def test_group_norm_with_intermediate_groups_any_rank_and_a_per_channel_affine_against_a_loop():
    """G strictly between 1 and C, a non-trivial γ and β in channel order, and inputs of 1 to 3 spatial axes:
    the cases where swapping the channel order of the affine, or assuming 4-D input, goes wrong."""
    from dlquiz.reference.normalization import group_norm_forward

    rng = np.random.default_rng(9)
    for shape in [(2, 6, 7), (3, 6, 4, 5), (1, 6, 2, 3, 2)]:
        x = rng.standard_normal(shape) * 2 - 1
        gamma, beta = np.arange(1.0, 7.0), np.linspace(-1, 1, 6)
        expected = np.empty_like(x)
        for n in range(shape[0]):
            for g in range(3):  # 3 groups of 2 channels
                block = x[n, 2 * g : 2 * g + 2]
                normed = (block - block.mean()) / np.sqrt(block.var() + 1e-5)
                for k in range(2):
                    c = 2 * g + k
                    expected[n, c] = gamma[c] * normed[k] + beta[c]
        assert np.allclose(group_norm_forward(x, 3, gamma, beta), expected, rtol=0, atol=1e-12)


def test_group_norm_puts_eps_inside_the_root():
    from dlquiz.reference.normalization import group_norm_forward

    x = np.array([[[0.0, 0.002], [0.001, 0.003]]])  # one example, 2 channels, variance ~1e-6 ≈ ε
    y = group_norm_forward(x, 1, np.ones(2), np.zeros(2), eps=1e-5)
    flat = x.ravel()
    assert np.allclose(y.ravel(), (flat - flat.mean()) / np.sqrt(flat.var() + 1e-5), rtol=1e-12)
    with pytest.raises(ValueError):
        group_norm_forward(x, 0, np.ones(2), np.zeros(2))

"""Losses: hand-computed values, stable forms, and finite-difference gradient checks."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlquiz.reference import losses
from dlquiz.reference.activations import sigmoid
from dlquiz.reference.gradcheck import numerical_gradient, relative_error

FAST = settings(max_examples=50, deadline=None)


def strict_fp():
    """Turn NumPy overflow / invalid / divide-by-zero into errors (underflow to 0 is fine)."""
    return np.errstate(over="raise", invalid="raise", divide="raise")


def check_grad(loss, grad, pred, target, **kw):
    num = numerical_gradient(lambda v: loss(v, target, **kw), pred)
    analytic = grad(pred, target, **kw)
    assert analytic.shape == pred.shape
    assert relative_error(analytic, num) < 1e-6


# ---- regression losses ------------------------------------------------------------------------


def test_mse_and_mae_hand_values():
    p, t = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])
    assert losses.mse(p, t) == pytest.approx(5 / 3)
    assert losses.mae(p, t) == pytest.approx(1.0)
    np.testing.assert_allclose(losses.mse_grad(p, t), [0.0, 2 / 3, 4 / 3])
    np.testing.assert_allclose(losses.mae_grad(p, t), [0.0, 1 / 3, 1 / 3])


def test_mean_reduction_over_all_elements():
    p = np.ones((2, 3))
    assert losses.mse(p, np.zeros((2, 3))) == pytest.approx(1.0)
    np.testing.assert_allclose(losses.mse_grad(p, np.zeros((2, 3))), np.full((2, 3), 2 / 6))


def test_losses_return_plain_scalars():
    for value in (
        losses.mse([1.0], [0.0]),
        losses.huber([1.0], [0.0]),
        losses.cross_entropy(np.zeros((1, 2)), np.array([0])),
    ):
        assert np.ndim(value) == 0


def test_huber_inside_and_outside_delta():
    p = np.array([0.5, -2.0, 3.0])
    t = np.zeros(3)
    # δ = 1: ½·0.25, 1·(2 − ½), 1·(3 − ½)
    assert losses.huber(p, t) == pytest.approx((0.125 + 1.5 + 2.5) / 3)
    # δ = 2: ½·0.25, 2·(2 − 1) (|d| = δ is the linear branch, same value), 2·(3 − 1)
    assert losses.huber(p, t, delta=2.0) == pytest.approx((0.125 + 2.0 + 4.0) / 3)
    np.testing.assert_allclose(losses.huber_grad(p, t), [0.5 / 3, -1 / 3, 1 / 3])


def test_huber_is_continuous_at_delta():
    for delta in (0.5, 1.0, 3.0):
        below = losses.huber([delta - 1e-9], [0.0], delta=delta)
        above = losses.huber([delta + 1e-9], [0.0], delta=delta)
        assert below == pytest.approx(0.5 * delta**2, rel=1e-6)
        assert above == pytest.approx(below, rel=1e-6)


@pytest.mark.parametrize(
    "loss, grad, kw",
    [
        (losses.mse, losses.mse_grad, {}),
        (losses.mae, losses.mae_grad, {}),
        (losses.huber, losses.huber_grad, {}),
        (losses.huber, losses.huber_grad, {"delta": 0.7}),
    ],
)
def test_regression_loss_gradients(loss, grad, kw):
    rng = np.random.default_rng(0)
    target = rng.normal(size=(4, 3))
    # residual magnitudes in [0.2, 0.6] ∪ [1.1, 2.5]: away from 0 and from δ = 0.7 and δ = 1
    mags = np.where(rng.random((4, 3)) < 0.5, rng.uniform(0.2, 0.6, (4, 3)), rng.uniform(1.1, 2.5, (4, 3)))
    pred = target + mags * rng.choice([-1.0, 1.0], (4, 3))
    check_grad(loss, grad, pred, target, **kw)


def test_shape_mismatch_is_an_error_but_scalar_target_broadcasts():
    with pytest.raises(ValueError):
        losses.mse(np.zeros((4, 1)), np.zeros(4))
    assert losses.mse(np.array([1.0, 3.0]), 0.0) == pytest.approx(5.0)
    assert losses.huber_grad(np.array([1.0, 3.0]), 0.0).shape == (2,)


# ---- binary cross-entropy ---------------------------------------------------------------------


def test_bce_hand_value():
    p = np.array([0.9, 0.2])
    y = np.array([1.0, 0.0])
    assert losses.binary_cross_entropy(p, y) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)


def test_bce_clamps_log_like_pytorch():
    with strict_fp():
        assert losses.binary_cross_entropy(np.array([0.0]), np.array([1.0])) == pytest.approx(100.0)
        assert losses.binary_cross_entropy(np.array([1.0]), np.array([1.0])) == 0.0


def test_bce_gradient():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, size=(3, 4))
    y = (rng.random((3, 4)) < 0.5).astype(float)
    check_grad(losses.binary_cross_entropy, losses.binary_cross_entropy_grad, p, y)


def test_bce_with_logits_equals_bce_of_sigmoid():
    rng = np.random.default_rng(2)
    z = rng.normal(scale=3, size=10)
    y = rng.random(10)  # soft targets are allowed
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(
        losses.binary_cross_entropy(sigmoid(z), y), rel=1e-10
    )


def test_bce_with_logits_is_stable_for_large_logits():
    z = np.array([100.0, -100.0, 1000.0, -1000.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    with warnings.catch_warnings(), strict_fp():
        warnings.simplefilter("error")
        value = losses.binary_cross_entropy_with_logits(z, y)
        grad = losses.binary_cross_entropy_with_logits_grad(z, y)
    # the two confidently wrong examples cost 100 each, the confidently right ones 0
    assert value == pytest.approx(200.0 / 4, rel=1e-12)
    np.testing.assert_allclose(grad, [0.25, -0.25, 0.0, 0.0], atol=1e-15)


def test_bce_with_logits_gradient_is_p_minus_y_over_n():
    rng = np.random.default_rng(3)
    z = rng.normal(scale=2, size=(2, 5))
    y = (rng.random((2, 5)) < 0.5).astype(float)
    check_grad(losses.binary_cross_entropy_with_logits, losses.binary_cross_entropy_with_logits_grad, z, y)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits_grad(z, y), (sigmoid(z) - y) / 10)


# ---- multi-class cross-entropy ----------------------------------------------------------------


@pytest.mark.parametrize("c", [2, 3, 10])
def test_cross_entropy_of_uniform_logits_is_log_c(c):
    logits = np.full((4, c), 0.37)
    assert losses.cross_entropy(logits, np.array([0, 1, 1, c - 1])) == pytest.approx(math.log(c))


def test_cross_entropy_hand_value():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]])
    targets = np.array([0, 2])
    row0 = -2.0 + math.log(math.exp(2.0) + math.exp(1.0) + math.exp(0.1))
    row1 = -0.0 + math.log(math.exp(0.5) + math.exp(2.5) + math.exp(0.0))
    assert losses.cross_entropy(logits, targets) == pytest.approx((row0 + row1) / 2, rel=1e-12)


def test_cross_entropy_stable_for_logits_around_1000():
    logits = np.array([[1000.0, 0.0], [1000.0, 1000.0]])
    with warnings.catch_warnings(), strict_fp():
        warnings.simplefilter("error")
        value = losses.cross_entropy(logits, np.array([1, 0]))
    assert value == pytest.approx((1000.0 + math.log(2)) / 2)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(2, 6), st.floats(-500, 500), st.integers(0, 10**6))
def test_cross_entropy_shift_invariant_and_nonnegative(n, c, shift, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=5, size=(n, c))
    targets = rng.integers(0, c, size=n)
    value = losses.cross_entropy(logits, targets)
    assert value >= 0
    assert losses.cross_entropy(logits + shift, targets) == pytest.approx(value, rel=1e-9, abs=1e-9)


def test_cross_entropy_gradient():
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(5, 4))
    targets = rng.integers(0, 4, size=5)
    num = numerical_gradient(lambda v: losses.cross_entropy(v, targets), logits)
    grad = losses.cross_entropy_grad(logits, targets)
    assert relative_error(grad, num) < 1e-6
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_cross_entropy_argument_checks():
    with pytest.raises(ValueError):
        losses.cross_entropy(np.zeros((3, 2)), np.array([0.0, 1.0, 1.0]))  # float targets
    with pytest.raises(ValueError):
        losses.cross_entropy(np.zeros((3, 2)), np.array([0, 1]))  # N mismatch


def test_one_hot():
    np.testing.assert_array_equal(losses.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])

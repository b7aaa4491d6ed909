"""Activations: closed-form values, stability, properties, and finite-difference gradient checks."""

import math
import warnings
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlquiz.reference import activations as act
from dlquiz.reference.gradcheck import numerical_gradient, relative_error

FAST = settings(max_examples=50, deadline=None)
finite = st.floats(-50, 50, allow_nan=False)


def away_from_zero(shape, seed=0, gap=0.1):
    """Random float64 inputs whose magnitude is at least `gap` (kept off the kinks at 0)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(gap, 3.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


def check_elementwise_grad(f, grad, x):
    """grad(x) must be the derivative of f: compare the VJP with weights w to finite differences."""
    w = np.random.default_rng(1).normal(size=x.shape)
    num = numerical_gradient(lambda v: float(np.sum(f(v) * w)), x)
    assert relative_error(grad(x) * w, num) < 1e-6


# ---- sigmoid and tanh -------------------------------------------------------------------------


def test_sigmoid_closed_forms():
    assert act.sigmoid(0.0) == 0.5
    assert act.sigmoid_grad(0.0) == 0.25
    assert act.sigmoid(1.0) == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-12)
    assert act.sigmoid(-2.0) == pytest.approx(1 / (1 + math.exp(2)), rel=1e-12)


def test_sigmoid_is_finite_without_warnings_at_extremes():
    x = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        s = act.sigmoid(x)
        g = act.sigmoid_grad(x)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(g))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert g[0] == 0.0 and g[-1] == 0.0


def test_sigmoid_grad_is_taken_at_the_pre_activation():
    # σ′(2) = σ(2)(1 − σ(2)) ≈ 0.104994; the wrong "s(1 − s) of the input" would be 2·(1 − 2) = −2.
    assert act.sigmoid_grad(2.0) == pytest.approx(0.10499358540350662, rel=1e-10)


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-30, 30)))
def test_sigmoid_strictly_between_zero_and_one(x):
    s = act.sigmoid(x)
    assert np.all((s > 0) & (s < 1))


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_tanh_equals_two_sigmoid_two_x_minus_one(x):
    np.testing.assert_allclose(act.tanh(x), 2 * act.sigmoid(2 * x) - 1, atol=1e-12)


def test_tanh_closed_forms():
    assert act.tanh(0.0) == 0.0
    assert act.tanh_grad(0.0) == 1.0
    assert act.tanh(1.0) == pytest.approx((math.e - 1 / math.e) / (math.e + 1 / math.e), rel=1e-12)


@pytest.mark.parametrize(
    "f, grad",
    [
        (act.sigmoid, act.sigmoid_grad),
        (act.tanh, act.tanh_grad),
        (act.gelu, act.gelu_grad),
        (act.softplus, act.sigmoid),
    ],
)
def test_smooth_activation_gradients(f, grad):
    x = np.random.default_rng(2).normal(scale=2.0, size=(3, 4))
    check_elementwise_grad(f, grad, x)


# ---- ReLU family -----------------------------------------------------------------------------


def test_relu_values_and_grad_at_zero():
    np.testing.assert_array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_grad([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])


def test_leaky_relu_values_and_grad_at_zero():
    np.testing.assert_allclose(act.leaky_relu([-2.0, 0.0, 3.0]), [-0.02, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu([-2.0, 3.0], negative_slope=0.2), [-0.4, 3.0])
    np.testing.assert_allclose(act.leaky_relu_grad([-2.0, 0.0, 3.0]), [0.01, 0.01, 1.0])
    assert act.leaky_relu_grad(0.0, negative_slope=0.3) == 0.3


def test_elu_values():
    np.testing.assert_allclose(act.elu([-1.0, 0.0, 2.0]), [math.exp(-1) - 1, 0.0, 2.0], rtol=1e-12)
    assert act.elu(-1.0, alpha=2.0) == pytest.approx(2 * (math.exp(-1) - 1), rel=1e-12)
    assert act.elu(-1000.0, alpha=1.5) == pytest.approx(-1.5)
    assert act.elu_grad(0.0, alpha=1.5) == 1.5
    assert act.elu_grad(1.0, alpha=1.5) == 1.0


@pytest.mark.parametrize(
    "f, grad",
    [
        (act.relu, act.relu_grad),
        (act.leaky_relu, act.leaky_relu_grad),
        (lambda x: act.leaky_relu(x, negative_slope=0.2), lambda x: act.leaky_relu_grad(x, negative_slope=0.2)),
        (act.elu, act.elu_grad),
        (lambda x: act.elu(x, alpha=1.7), lambda x: act.elu_grad(x, alpha=1.7)),
    ],
)
def test_piecewise_activation_gradients_away_from_the_kink(f, grad):
    check_elementwise_grad(f, grad, away_from_zero((4, 5)))


# ---- GELU and softplus ------------------------------------------------------------------------


def test_gelu_tanh_approximation_known_points():
    assert act.gelu(0.0) == 0.0
    assert act.gelu(1.0) == pytest.approx(0.841192, abs=1e-6)
    assert act.gelu(-1.0) == pytest.approx(-0.158808, abs=1e-6)
    assert act.gelu(10.0) == pytest.approx(10.0)


def test_gelu_is_close_to_the_exact_erf_form():
    x = np.linspace(-5, 5, 201)
    exact = x * 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x]))
    assert np.max(np.abs(act.gelu(x) - exact)) < 1e-3
    # ...but it is the approximation, not the exact form: at x = 1 they differ by ~1.5e-4.
    assert abs(act.gelu(1.0) - exact[120]) > 1e-4


def test_softplus_stable_and_correct():
    assert act.softplus(0.0) == pytest.approx(math.log(2))
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        big = act.softplus(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(big, [0.0, 1000.0], atol=1e-300)


# ---- softmax ----------------------------------------------------------------------------------


def test_softmax_of_constant_row_is_uniform():
    np.testing.assert_allclose(act.softmax(np.full((2, 5), 3.7)), np.full((2, 5), 0.2), rtol=1e-15)


def test_softmax_inputs_around_1000():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        p = act.softmax(np.array([1000.0, 1001.0, 1002.0]))
    z = 1 + math.e + math.e**2
    np.testing.assert_allclose(p, [1 / z, math.e / z, math.e**2 / z], rtol=1e-12)
    np.testing.assert_allclose(p, [0.090, 0.245, 0.665], atol=5e-4)


def test_softmax_axis():
    x = np.array([[0.0, 1.0], [2.0, 5.0]])
    np.testing.assert_allclose(act.softmax(x, axis=0).sum(axis=0), [1.0, 1.0])
    e = math.exp(2)
    assert act.softmax(x, axis=0)[1, 0] == pytest.approx(e / (1 + e))


@FAST
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite), st.floats(-1000, 1000))
def test_softmax_sums_to_one_and_is_shift_invariant(x, c):
    p = act.softmax(x)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(act.softmax(x + c), p, atol=1e-12)


@FAST
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite))
def test_log_softmax_is_log_of_softmax(x):
    np.testing.assert_allclose(act.log_softmax(x), np.log(act.softmax(x)), rtol=1e-10, atol=1e-10)


def test_log_softmax_stays_finite_for_huge_gaps():
    out = act.log_softmax(np.array([0.0, -1000.0]))
    np.testing.assert_allclose(out, [0.0, -1000.0], atol=1e-12)
    np.testing.assert_allclose(act.log_softmax(np.array([1000.0, 1000.0])), [-math.log(2)] * 2)


def test_softmax_jacobian_matches_finite_differences():
    x = np.array([0.3, -1.2, 2.0, 0.5])
    J = act.softmax_jacobian(x)
    assert J.shape == (4, 4)
    for i in range(4):
        row = numerical_gradient(partial(_softmax_entry, i=i), x.copy())
        assert relative_error(J[i], row) < 1e-6


def _softmax_entry(v, i):
    return act.softmax(v)[i]


def test_softmax_jacobian_properties():
    x = np.array([1.0, 2.0, 3.0])
    J = act.softmax_jacobian(x)
    p = act.softmax(x)
    np.testing.assert_allclose(J, J.T)
    np.testing.assert_allclose(J @ np.ones(3), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.diag(J), p * (1 - p))
    assert J[0, 1] == pytest.approx(-p[0] * p[1])
    with pytest.raises(ValueError):
        act.softmax_jacobian(np.zeros((2, 3)))


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_vjp_matches_finite_differences(axis):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 4))
    dout = rng.normal(size=(3, 4))
    num = numerical_gradient(lambda v: float(np.sum(act.softmax(v, axis=axis) * dout)), x)
    assert relative_error(act.softmax_vjp(x, dout, axis=axis), num) < 1e-6


def test_softmax_vjp_is_not_the_diagonal_only_rule():
    x = np.array([0.5, 1.0, -0.5])
    dout = np.array([1.0, 0.0, 0.0])
    p = act.softmax(x)
    buggy = dout * p * (1 - p)
    assert relative_error(act.softmax_vjp(x, dout), buggy) > 0.1

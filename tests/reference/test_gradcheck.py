"""numerical_gradient and relative_error, checked on functions whose gradients are known exactly."""

import numpy as np
import pytest

from dlquiz.reference.gradcheck import numerical_gradient, relative_error


def test_gradient_of_sum_of_cubes_is_three_x_squared():
    x = np.array([[-1.5, 0.3, 2.0], [0.7, -0.2, 1.1]])
    num = numerical_gradient(lambda v: np.sum(v**3), x)
    assert num.shape == x.shape
    assert relative_error(num, 3 * x**2) < 1e-8


def test_gradient_of_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    num = numerical_gradient(lambda v: v @ A @ v, x)
    assert relative_error(num, (A + A.T) @ x) < 1e-8


def test_uses_central_not_forward_differences():
    # f(x) = x² at x = 1 with a large step: the central difference is exact (2),
    # the forward difference would be 2 + h = 2.001.
    x = np.array([1.0])
    num = numerical_gradient(lambda v: float(v[0] ** 2), x, h=1e-3)
    assert abs(num[0] - 2.0) < 1e-9


def test_x_is_restored_exactly():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    assert np.array_equal(x, before)


def test_x_is_restored_when_f_raises():
    x = np.array([0.5, 1.5])
    before = x.copy()

    def explode(v):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        numerical_gradient(explode, x)
    assert np.array_equal(x, before)


def test_f_may_close_over_x():
    # The usual use: the function reads a weight array from the enclosing scope.
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    v = np.array([0.5, -1.0])
    num = numerical_gradient(lambda _: float(v @ W @ v), W)
    assert relative_error(num, np.outer(v, v)) < 1e-8


def test_rejects_integer_arrays():
    with pytest.raises(TypeError):
        numerical_gradient(lambda v: float(np.sum(v)), np.array([1, 2, 3]))


def test_relative_error_known_values():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert relative_error([1.0, 1.0], [1.0, 1.0 + 1e-6]) == pytest.approx(1e-6 / (2 * np.sqrt(2)), rel=1e-3)


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError):
        relative_error(np.zeros(3), np.zeros((3, 1)))

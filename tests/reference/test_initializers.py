"""Initialisers: closed-form scales, empirical std on large draws, bounds, layout."""

import math

import numpy as np
import pytest

from dlquiz.reference import initializers as init


def test_closed_forms():
    assert init.xavier_std(3, 5) == pytest.approx(0.5)  # √(2/8)
    assert init.xavier_bound(3, 3) == pytest.approx(1.0)  # √(6/6)
    assert init.he_std(8) == pytest.approx(0.5)  # √(2/8)
    assert init.he_bound(6) == pytest.approx(1.0)  # √(6/6)
    assert init.xavier_bound(30, 70) == pytest.approx(math.sqrt(3) * init.xavier_std(30, 70))
    assert init.he_bound(50) == pytest.approx(math.sqrt(3) * init.he_std(50))


# non-square fans so a swapped fan_in/fan_out or a transposed layout is caught
FAN_IN, FAN_OUT = 1000, 250


@pytest.mark.parametrize(
    "fn, std",
    [
        (init.xavier_uniform, math.sqrt(2 / (FAN_IN + FAN_OUT))),
        (init.xavier_normal, math.sqrt(2 / (FAN_IN + FAN_OUT))),
        (init.he_normal, math.sqrt(2 / FAN_IN)),
        (init.he_uniform, math.sqrt(2 / FAN_IN)),
    ],
)
def test_shape_and_empirical_std(fn, std):
    w = fn(FAN_IN, FAN_OUT, np.random.default_rng(0))
    assert w.shape == (FAN_IN, FAN_OUT)
    assert w.dtype == np.float64
    assert w.std() == pytest.approx(std, rel=0.02)
    assert abs(w.mean()) < 0.01 * std


@pytest.mark.parametrize(
    "fn, bound",
    [
        (init.xavier_uniform, math.sqrt(6 / (FAN_IN + FAN_OUT))),
        (init.he_uniform, math.sqrt(6 / FAN_IN)),
    ],
)
def test_uniform_respects_and_fills_its_bound(fn, bound):
    w = fn(FAN_IN, FAN_OUT, np.random.default_rng(1))
    assert np.max(np.abs(w)) <= bound
    assert np.max(np.abs(w)) > 0.99 * bound


def test_normal_initialisers_are_gaussian_shaped():
    # about 68.3% of a normal lies within one std (a uniform with the same std gives 57.7%)
    w = init.he_normal(FAN_IN, FAN_OUT, np.random.default_rng(2))
    inside = np.mean(np.abs(w) < init.he_std(FAN_IN))
    assert inside == pytest.approx(0.683, abs=0.01)


def test_randomness_comes_only_from_rng():
    a = init.xavier_normal(20, 30, np.random.default_rng(7))
    b = init.xavier_normal(20, 30, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    c = init.xavier_normal(20, 30, np.random.default_rng(8))
    assert not np.array_equal(a, c)

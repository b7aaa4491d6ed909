"""How returned values are judged and described: structure, shape, dtype, tolerance, and what a mismatch looks like."""

from __future__ import annotations

import numpy as np
import pytest

from dlquiz.implement.checks import Expect, close, numerical_gradients
from dlquiz.implement.child import UNSUPPORTED, clean
from dlquiz.implement.mistakes import diagnose, error_hint
from dlquiz.implement.values import show

EXPECTED = np.array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])


def test_within_the_stated_tolerance_passes_and_just_outside_fails():
    assert Expect(EXPECTED).compare(EXPECTED * (1 + 5e-7)) is None
    found = Expect(EXPECTED).compare(EXPECTED + np.array([[0, 0, 1e-5], [0, 0, 0]]))
    assert found is not None and found.problem == "wrong values"
    assert found.detail == "the value differs" or "1 of 6 entries differ; the worst at [0, 2]" in found.detail


@pytest.mark.parametrize(
    ("got", "problem", "says"),
    [
        (EXPECTED.T, "wrong shape", "axes are reversed"),
        (EXPECTED.astype(np.float32), "wrong dtype", "float64"),
        (EXPECTED.tolist(), "wrong type", "np.asarray"),
        (None, "nothing returned", "return"),
        (EXPECTED[None], "wrong shape", "keepdims"),
        (EXPECTED.ravel(), "wrong shape", "same number of entries"),
    ],
)
def test_structural_mismatches_are_named(got, problem, says):
    found = Expect(EXPECTED).compare(got)
    assert found is not None and found.problem == problem
    assert says.lower() in ((found.hint or "") + found.detail).lower()


def test_a_scalar_must_be_a_number_or_a_0d_array_not_shape_1():
    assert Expect(2.5).compare(np.float64(2.5)) is None
    assert Expect(2.5).compare(np.array(2.5)) is None
    assert Expect(2.5).compare(2.5) is None
    found = Expect(2.5).compare(np.array([2.5]))
    assert found is not None and ".item()" in found.detail


def test_a_tuple_needs_every_named_part_in_order():
    expect = Expect((EXPECTED, 1.0), names=("out", "loss"))
    assert expect.compare((EXPECTED, 1.0)) is None
    assert expect.compare([EXPECTED, 1.0]) is None
    missing = expect.compare(EXPECTED)
    assert missing.problem == "wrong return value" and "out, loss" in missing.hint
    assert expect.compare((EXPECTED, 2.0)).problem == "wrong values in loss"


def test_a_list_of_arrays_is_compared_array_by_array():
    expect = Expect(([np.ones(2), np.zeros(3)], 1.0), names=("clipped", "norm"))
    assert expect.compare(([np.ones(2), np.zeros(3)], 1.0)) is None
    found = expect.compare(([np.ones(2), np.ones(3)], 1.0))
    assert found.problem == "wrong values in clipped (array 2 of the list)"


def test_nan_matches_only_nan_and_inf_only_the_same_inf():
    assert close(np.array([np.nan, np.inf, 1.0]), np.array([np.nan, np.inf, 1.0])).all()
    assert not close(np.array([np.nan]), np.array([1.0])).any()
    assert not close(np.array([-np.inf]), np.array([np.inf])).any()


def test_accept_excuses_only_the_entries_it_names():
    expect = Expect(np.zeros((2, 2)), accept=lambda _part, e, g: np.isnan(g) & (np.arange(2)[:, None] == 1))
    assert expect.compare(np.array([[0.0, 0.0], [np.nan, np.nan]])) is None
    assert expect.compare(np.array([[np.nan, 0.0], [0.0, 0.0]])) is not None


def test_unsupported_values_are_described_not_sent():
    assert clean(object())[UNSUPPORTED].startswith("a builtins.object")
    assert clean(np.array(["a"]))[UNSUPPORTED] == "an array of dtype <U1"
    assert clean((np.ones(2), [1, {"k": 2.0}]))[1][1] == {"k": 2.0}
    found = Expect(EXPECTED).compare(clean(object()))
    assert found.problem == "wrong type"


@pytest.mark.parametrize(
    ("got", "says"),
    [
        (EXPECTED * 3, "same factor 3"),
        (-EXPECTED, "sign is flipped"),
        (EXPECTED + 0.25, "same amount 0.25"),
        (np.where(EXPECTED > 0.5, np.nan, EXPECTED), "NaN or inf"),
    ],
)
def test_numbers_alone_can_name_a_mistake(got, says):
    assert says in diagnose(EXPECTED, got)


def test_a_square_transpose_is_recognised():
    square = np.arange(9.0).reshape(3, 3)
    assert "transposed" in diagnose(square, square.T)


def test_nothing_is_claimed_for_unrelated_numbers():
    assert diagnose(EXPECTED, np.array([[0.5, 0.1, 0.2], [0.9, 0.0, 0.1]])) is None


def test_common_exceptions_get_their_usual_cause():
    assert "keepdims" in error_hint("ValueError", "operands could not be broadcast together with shapes (2,3) (2,)")
    assert "import numpy" in error_hint("NameError", "name 'np' is not defined")
    assert error_hint("KeyError", "x") is None


def test_small_arrays_print_whole_and_large_ones_by_shape():
    assert show(np.array([[1.0, 2.5], [3.0, 4.0]])) == "[[1.0, 2.5],\n [3.0, 4.0]]"
    big = show(np.arange(100.0).reshape(10, 10))
    assert big.startswith("array of shape (10, 10), values 0. … 99.; starts 0., 1., 2., 3., …")
    assert show(np.float64(0.1234567)) == "0.1235"
    assert show((1.0, np.array([2.0]))) == "(1., [2.])"


def test_numerical_gradients_agree_with_a_closed_form():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    (grad,) = numerical_gradients(lambda a: float(np.sum(np.sin(a) * a**2)), [x])
    assert np.allclose(grad, np.cos(x) * x**2 + 2 * x * np.sin(x), rtol=1e-8, atol=1e-9)

"""The core of dlquiz.exercises: reading typed answers, grading them, resolving generators."""

import math
import subprocess
import sys

import numpy as np
import pytest

from dlquiz.errors import UserError
from dlquiz.exercises import Exercise, check_answer, fmt, generate, is_close, parse_numbers, tolerance_text


def one(value, tolerance=0.01, **kw):
    return Exercise(prompt="p", answer=(value,), tolerance=tolerance, **kw)


@pytest.mark.parametrize(
    "text",
    [
        "0.25",
        ".25",
        "2.5e-1",
        "2.5E-1",
        "1/4",
        "1 / 4",
        "25%",
        " 0.25 ",
        "=0.25",
        "≈ 0.25",
        "[0.25]",
        "0.25.",
        "2.5×10^-1",
        "2.5 x 10^-1",
        "2.5×10⁻¹",
        "2.5 · 10⁻¹",
    ],
)
def test_quarter_in_every_reasonable_form(text):
    assert parse_numbers(text, 1, allow_percent=True) == pytest.approx((0.25,), rel=1e-15)


@pytest.mark.parametrize(
    "text",
    ["0.09, 0.245, 0.665", "[0.09 0.245 0.665]", "0.09; 0.245; 0.665", "(0.09,0.245,0.665)", "0.09 ,  0.245 ;0.665"],
)
def test_lists_with_any_separator(text):
    assert parse_numbers(text, 3) == (0.09, 0.245, 0.665)


def test_unicode_minus_and_thousands_separators():
    assert parse_numbers("−1.5") == (-1.5,)
    assert parse_numbers("132,096") == (132096.0,)
    assert parse_numbers("1,050,624") == (1050624.0,)
    # in a list the comma separates values
    assert parse_numbers("132,096", count=2) == (132.0, 96.0)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("abc", "cannot read 'abc'"),
        ("0,25", "decimal comma.*0.25"),
        ("1/0", "divides by zero"),
        ("nan", "not a finite"),
        ("0.1, 0.2", "expected 1 number, found 2"),
    ],
)
def test_unreadable_text_says_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_numbers(text)


def test_percent_only_where_the_answer_is_a_fraction():
    assert check_answer(one(0.25), "25%").correct
    verdict = check_answer(one(25.0), "25%")
    assert not verdict.readable and "percentage" in verdict.message


def test_tolerance_is_relative_with_an_absolute_floor_near_zero():
    assert is_close(1.0099, 1.0, 0.01) and not is_close(1.0101, 1.0, 0.01)
    assert is_close(-200.0 * 1.0099, -200.0, 0.01) and not is_close(-200.0 * 1.0101, -200.0, 0.01)
    # small answers stay relative: 0 is no answer for a vanished gradient of 2.7e-5
    assert is_close(2.69e-5, 2.7e-5, 0.01) and not is_close(0.0, 2.7e-5, 0.01) and not is_close(2.6e-5, 2.7e-5, 0.01)
    # an exact zero gets the absolute tolerance 0.01 × 0.01
    assert is_close(0.00009, 0.0, 0.01) and not is_close(0.00011, 0.0, 0.01)
    assert is_close(0.0, 1e-17, 0.01)
    # tolerance 0 asks for the exact value
    assert is_close(5.0, 5.0, 0) and not is_close(5.0001, 5.0, 0)


def test_right_answer_names_the_exact_value():
    verdict = check_answer(one(1 / 3), "0.3333")
    assert verdict.correct and verdict.values == (0.3333,)
    assert "0.333333" in verdict.message


def test_wrong_single_answer_says_how_far_off():
    verdict = check_answer(one(0.2), "0.25")
    assert not verdict.correct and verdict.readable
    assert "off by +0.05" in verdict.message and "+25%" in verdict.message and "answer is 0.2" in verdict.message
    verdict = check_answer(one(2.0), "1.9")
    assert "off by −0.1" in verdict.message and "−5%" in verdict.message


def test_wrong_component_of_a_list_is_named():
    ex = Exercise(prompt="p", answer=(0.09, 0.245, 0.665), labels=("p₁", "p₂", "p₃"))
    verdict = check_answer(ex, "0.09, 0.3, 0.665")
    assert not verdict.correct
    lines = verdict.message.splitlines()
    assert "1 of 3 is wrong" in lines[0]
    assert "p₁ = 0.09: right" in lines[1]
    assert "p₂ = 0.3: off by +0.055 (+22%)" in lines[2]
    assert "p₃ = 0.665: right" in lines[3]


def test_malformed_answer_is_not_graded_and_says_the_format():
    ex = Exercise(prompt="p", answer=(0.09, 0.245, 0.665), labels=("p₁", "p₂", "p₃"))
    verdict = check_answer(ex, "0.09, 0.245")
    assert not verdict.correct and verdict.values is None
    assert "expected 3 numbers, found 2" in verdict.message and "p₁, p₂, p₃" in verdict.message
    verdict = check_answer(one(1.0), "one")
    assert verdict.values is None and "e.g. 0.25" in verdict.message


def test_zero_answer_reports_absolute_error_only():
    verdict = check_answer(one(0.0), "0.5")
    assert "off by +0.5" in verdict.message and "%" not in verdict.message


def test_exercise_rejects_a_bad_definition():
    with pytest.raises(ValueError):
        Exercise(prompt="p", answer=())
    with pytest.raises(ValueError):
        Exercise(prompt="p", answer=(math.inf,))
    with pytest.raises(ValueError):
        Exercise(prompt="p", answer=(1.0, 2.0), labels=("a",))


def test_fmt_reads_back_exactly_for_prompt_inputs():
    for value in (0.1, -2.5, 1000.3, 0.05, 3.0, -0.0001, 1e-5):
        assert parse_numbers(fmt(value)) == (value,)
    assert fmt(-2.5) == "−2.5" and fmt(3.0) == "3" and fmt(1e-5) == "1e−5"


def test_generate_resolves_a_link_and_rejects_others():
    ex = generate("activations.sigmoid_derivative", np.random.default_rng(0))
    assert isinstance(ex, Exercise)
    with pytest.raises(UserError, match="no module"):
        generate("nosuchmodule.thing", np.random.default_rng(0))
    with pytest.raises(UserError, match="did you mean"):
        generate("activations.sigmoid_derivativ", np.random.default_rng(0))


def test_package_import_does_not_load_numpy():
    code = "import sys, dlquiz.exercises; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_large_errors_are_written_out():
    verdict = check_answer(one(25120.0, tolerance=0, unit="parameters"), "0.5")
    assert "off by −25120 (−100%)" in verdict.message and "25120 parameters" in verdict.message
    assert "off by +1" in check_answer(one(25120.0, tolerance=0), "25121").message


@pytest.mark.parametrize(
    ("exact", "given", "shown"),
    [
        (0.25, 0.2526, "+1.04%"),  # "+1%" beside "within 1%" read as right
        (1.0, 1.0105, "+1.05%"),
        (1.0, 0.9899, "−1.01%"),
        (1.0, 1.0100001, "+1.00001%"),
        (1.0, 1.02, "+2%"),  # already clearly outside: no extra digits
    ],
)
def test_a_relative_error_just_outside_the_tolerance_reads_as_outside(exact, given, shown):
    """Bug 13: 'off by +0.00269 (+1%)' while the tolerance was 'within 1%' and the error 1.05%."""
    exercise = one(exact)
    assert tolerance_text(exercise) == "within 1%"
    verdict = check_answer(exercise, repr(given))
    assert not verdict.correct and f"({shown})" in verdict.message

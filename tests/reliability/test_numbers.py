"""T3, U3, T4, T5, U4: numbers at the edges (typed answers, options, demo settings) are read or refused
in words, never with a traceback or a 309-digit number."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dlquiz.cli import app
from dlquiz.exercises import Exercise, check_answer


def run(*args: str, input: str = "q\n"):
    return CliRunner().invoke(app, list(args), input=input)


def assert_refused(result, *words: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("note:")]
    assert result.exit_code == 2 and lines, (result.exit_code, result.output)
    text = " ".join(lines)
    for word in words:
        assert word in text, (word, text)
    return text


@pytest.mark.parametrize("typed", ["1e200/1e-200", "1/1e-320", "1e308/1e-308", "-1e300/1e-300"])
def test_an_answer_that_overflows_is_not_a_finite_number(typed):
    verdict = check_answer(Exercise("p", (0.5,)), typed)
    assert not verdict.readable and "not a finite number" in verdict.message


def test_the_exercise_goes_on_after_an_overflowing_answer():
    result = run("exercise", "network-architecture", "--seed", "0", input="1e200/1e-200\n4355\n")
    assert result.exit_code == 0, result.output
    assert "not a finite number" in result.stdout and "Right" in result.stdout


@pytest.mark.parametrize("typed", ["1e308", "-1e308", "1.7976931348623157e308"])
@pytest.mark.parametrize("exact", [0.5, -2.5e-5, 4355.0, 0.0])
def test_a_huge_wrong_answer_is_said_in_a_few_digits(typed, exact):
    verdict = check_answer(Exercise("p", (exact,)), typed)
    assert not verdict.correct and verdict.readable
    assert len(verdict.message) < 160 and max(len(word) for word in verdict.message.split()) < 20, verdict.message


@pytest.mark.parametrize(
    "args, words",
    [
        (["demo", "perceptron-xor-mlp", "--set", "seed=-1"], ["seed=-1", "0 or more"]),
        (["demo", "perceptron-xor-mlp", "--seed", "-1"], ["--seed", "0 or more"]),
        (["demo", "artificial-neuron", "--set", "w1=1e308"], ["w1=1e+308", "64-bit floats"]),
        (["demo", "artificial-neuron", "--set", "w1=-1e308"], ["64-bit floats"]),
        (["demo", "vae-kl-term", "--set", "mu=1e308"], ["mu=1e+308", "64-bit floats"]),
        (["demo", "vae-kl-term", "--set", "mu=-1e308"], ["64-bit floats"]),
        (["exercise", "--seed", "-1"], ["--seed", "0 or more"]),
        (["exercise", "network-architecture", "-n", "99999999999999999999999999"], ["not in the range 1<=x<=1000"]),
        (["exercise", "network-architecture", "-n", "1000000000"], ["not in the range 1<=x<=1000"]),
        (["mock", "--minutes", "inf"], ["--minutes"]),
        (["mock", "--minutes", "nan"], ["--minutes", "not a finite number"]),
        (["mock", "--minutes", "1e309"], ["--minutes"]),
        (["mock", "--minutes", "1e308"], ["--minutes"]),
        (["quiz", "--seed", "-1"], ["--seed"]),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else "",
)
def test_bad_numbers_in_options_are_refused_in_words(args, words):
    assert_refused(run(*args), *words)


def test_demo_overflow_warnings_become_a_note_not_raw_warnings(recwarn):
    from dlquiz.demos import run_demo

    result = run_demo("activations.softmax_jacobian_check", ["z1=1e308"])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)], "a raw NumPy warning escaped"
    assert any(note.startswith("NumPy:") and "64-bit floats" in note for note in result.notes)


def test_demo_overflow_warnings_do_not_reach_stderr(_isolated_home):
    from harness import dlquiz

    result = dlquiz(_isolated_home, "demo", "softmax-jacobian", "--set", "z1=1e308")
    assert result.returncode == 0 and "Warning" not in result.stderr and ".py:" not in result.stderr, result.stderr
    assert "NumPy:" in result.stdout

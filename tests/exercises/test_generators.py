"""Properties every generator must have: inputs shown in the prompt, answers that check, wrong ones caught."""

import math

import numpy as np
import pytest

from dlquiz.exercises import Exercise, all_links, check_answer, fmt, fmt_signed, generate, parse_numbers

LINKS = all_links()
SEEDS = (0, 1, 2, 7, 123)


def cases():
    for link in LINKS:
        for seed in SEEDS:
            yield pytest.param(link, seed, id=f"{link}-{seed}")


def flat(value):
    """The numbers of an input: a scalar, or the entries of a (nested) list."""
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in flat(v)]
    return [value]


def test_enough_generators():
    assert len(LINKS) >= 5
    assert len(set(LINKS)) == len(LINKS)


@pytest.mark.parametrize("link, seed", list(cases()))
def test_generator_is_well_formed(link, seed):
    ex = generate(link, np.random.default_rng(seed))
    assert isinstance(ex, Exercise)
    assert ex.steps and all(s.step and s.why for s in ex.steps)
    assert all(math.isfinite(a) for a in ex.answer)
    # the same seed gives the same exercise
    again = generate(link, np.random.default_rng(seed))
    assert (again.prompt, again.answer) == (ex.prompt, ex.answer)


@pytest.mark.parametrize("link, seed", list(cases()))
def test_prompt_shows_the_exact_inputs(link, seed):
    ex = generate(link, np.random.default_rng(seed))
    assert ex.inputs
    for name, value in ex.inputs.items():
        for number in flat(value):
            text = fmt(number)
            assert text in ex.prompt, f"{name} = {text} not in the prompt"
            # what the prompt shows is the value the answer was computed from
            assert parse_numbers(text) == (float(number),)


@pytest.mark.parametrize("link, seed", list(cases()))
def test_exact_answer_accepted_in_several_formats(link, seed):
    ex = generate(link, np.random.default_rng(seed))
    a = ex.answer
    forms = [
        ", ".join(repr(v) for v in a),
        "; ".join(fmt(v) for v in a),
        "[" + " ".join(f"{v:.8e}" for v in a) + "]",
        " ".join(f"{v * 4!r}/4" for v in a),
    ]
    if all(0 <= v <= 1 for v in a):
        forms.append(", ".join(f"{v * 100:.8g}%" for v in a))
    for text in forms:
        verdict = check_answer(ex, text)
        assert verdict.correct, (text, verdict.message)


@pytest.mark.parametrize("link, seed", list(cases()))
def test_wrong_component_rejected_with_its_error(link, seed):
    ex = generate(link, np.random.default_rng(seed))
    for k, exact in enumerate(ex.answer):
        given = list(ex.answer)
        given[k] = exact + 0.2 * max(abs(exact), 1.0)
        verdict = check_answer(ex, ", ".join(repr(v) for v in given))
        assert not verdict.correct and verdict.readable
        assert f"off by {fmt_signed(given[k] - exact)}" in verdict.message


@pytest.mark.parametrize("link", LINKS)
def test_malformed_answer_asks_for_the_format(link):
    ex = generate(link, np.random.default_rng(0))
    verdict = check_answer(ex, "no idea")
    assert verdict.values is None and "Type" in verdict.message
    if len(ex.answer) > 1:
        verdict = check_answer(ex, "0.5")
        assert verdict.values is None and f"expected {len(ex.answer)} numbers" in verdict.message


@pytest.mark.parametrize("link, seed", list(cases()))
def test_worked_steps_reach_every_answer_value(link, seed):
    ex = generate(link, np.random.default_rng(seed))
    text = " ".join(s.step for s in ex.steps)
    for a in ex.answer:
        shown = {fmt(a, 5), fmt(round(a, 5)), fmt(a)}
        assert any(s in text for s in shown), f"{fmt(a, 5)} is not in the worked steps"

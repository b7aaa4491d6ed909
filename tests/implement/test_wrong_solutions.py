"""The checks' power: each realistic wrong solution fails and is named; right ones written differently pass."""

from __future__ import annotations

import pytest

from dlquiz.implement.registry import EXERCISES

from .helpers import grade_source, report_text
from .right_solutions import RIGHT
from .wrong_solutions import WRONG


@pytest.mark.parametrize("wrong", WRONG, ids=[f"{w.exercise}: {w.name}" for w in WRONG])
def test_wrong_solution_fails_and_is_named(wrong):
    report = grade_source(wrong.exercise, wrong.source)
    assert not report.passed
    assert wrong.says.lower() in report_text(report)


def test_most_exercises_have_planted_mistakes():
    covered = {w.exercise for w in WRONG}
    assert len(covered) >= len(EXERCISES) - 2, sorted({e.id for e in EXERCISES} - covered)


@pytest.mark.parametrize("right", RIGHT, ids=[f"{r.exercise}: {r.name}" for r in RIGHT])
def test_a_right_answer_written_differently_passes(right):
    report = grade_source(right.exercise, right.source)
    assert report.passed, [(f.case, f.problem, f.detail) for f in report.failures] or report.fatal

"""The checks' power: each realistic wrong solution fails, and the report names its mistake."""

from __future__ import annotations

import pytest

from dlquiz.implement.registry import EXERCISES

from .helpers import grade_source, report_text
from .wrong_solutions import WRONG


@pytest.mark.parametrize("wrong", WRONG, ids=[f"{w.exercise}: {w.name}" for w in WRONG])
def test_wrong_solution_fails_and_is_named(wrong):
    report = grade_source(wrong.exercise, wrong.source)
    assert not report.passed
    assert wrong.says.lower() in report_text(report)


def test_most_exercises_have_planted_mistakes():
    covered = {w.exercise for w in WRONG}
    assert len(covered) >= len(EXERCISES) - 2, sorted({e.id for e in EXERCISES} - covered)

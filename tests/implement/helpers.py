"""What the implement tests share: grading a source text in this process, and running the command."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dlquiz.cli import app
from dlquiz.implement.grading import Report, grade
from dlquiz.implement.registry import get


def grade_source(exercise_id: str, source: str) -> Report:
    """Grade trusted code (a model solution, a planted mistake) quickly, without a child process."""
    return grade(get(exercise_id), Path("/nonexistent/learner.py"), inline=True, source=source)


def report_text(report: Report) -> str:
    """Every problem, detail and hint of a report, lower-cased, to look for what it says."""
    parts = [report.fatal] if report.fatal else list(report.failures)
    return " ".join(f"{f.problem} {f.detail} {f.hint or ''}" for f in parts).lower()


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["implement", *args], input=input)

"""The bank and the coding exercises name each other: an item's `implement:` link and an exercise's item."""

from __future__ import annotations

from bankfiles import item_yaml, write

from dlquiz.bank import load_bank, validate_files
from dlquiz.implement.registry import EXERCISES


def test_every_exercise_is_linked_from_its_item_and_every_link_from_its_exercise():
    bank = load_bank()
    from_bank = {item.id: item.implement for item in bank if item.implement}
    from_registry = {exercise.item: exercise.id for exercise in EXERCISES}
    assert from_bank == from_registry
    assert len(from_bank) >= 30


def test_an_implement_link_to_no_exercise_is_a_problem_with_file_line_and_a_suggestion(tmp_path):
    path = write(tmp_path, "mine.yaml", item_yaml(implement="sofmax"))
    items, problems = validate_files([path])
    assert items == []
    (problem,) = problems
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "implement:" in text)
    assert (problem.field, problem.line) == ("implement", line)
    assert "'sofmax' is not a coding exercise; did you mean 'softmax'" in problem.message


def test_an_item_shows_and_lists_its_coding_exercise(tmp_path):
    from typer.testing import CliRunner

    from dlquiz.cli import app

    write(tmp_path / "bank", "mine.yaml", item_yaml(implement="softmax"))
    shown = CliRunner().invoke(app, ["--bank", str(tmp_path / "bank"), "show", "my-item", "--no-pager"])
    assert shown.exit_code == 0, shown.output
    assert "code it yourself: dlquiz implement softmax" in shown.stdout
    listed = CliRunner().invoke(app, ["--bank", str(tmp_path / "bank"), "list", "--topic", "mine"])
    assert "· I" in listed.stdout.splitlines()[2] and "I implement" in listed.stdout

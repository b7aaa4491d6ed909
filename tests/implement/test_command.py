"""`dlquiz implement` as a user runs it: the list, --check's exit codes, usage errors, the edit–grade loop."""

from __future__ import annotations

import json
import sys

import pytest

from dlquiz.implement.registry import EXERCISES, get
from dlquiz.implement.schedule import Result, statuses
from dlquiz.implement.starter import solution_source, starter_text
from dlquiz.model import Rating
from dlquiz.store import open_store
from dlquiz.ui import keys
from dlquiz.ui.console import make_console
from dlquiz.ui.implement import Loop, render_list

from .helpers import run

NAIVE_SOFTMAX = """\
import numpy as np

def softmax(x, axis=-1):
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)
"""


def work(home, exercise_id: str):
    return home / "implement" / f"{get(exercise_id).stem}.py"


def test_the_list_shows_every_exercise_within_80_columns():
    result = run()
    assert result.exit_code == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines()[2 : 2 + len(EXERCISES)]]
    assert ids == [e.id for e in EXERCISES]
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert f"{len(EXERCISES)} exercises · 0 passed · 0 due" in result.stdout
    assert "A terminal 110 columns wide also shows each exercise's bank item." in result.stdout  # was "items at 110"


def test_a_wide_terminal_shows_each_exercise_s_bank_item():
    with open_store() as store:
        rows = statuses(store)
    console = make_console(width=120, record=True)
    render_list(console, rows, 0)
    line = next(line for line in console.export_text().splitlines() if line.startswith("attention "))
    assert "scaled-dot-product-sqrt-dk" in line
    assert "columns wide also shows" not in console.export_text()  # it does show them


def test_the_list_as_json_names_items_cards_and_due_states():
    rows = json.loads(run("--json").stdout)
    assert [r["id"] for r in rows] == [e.id for e in EXERCISES]
    first = rows[0]
    assert first["item"] == EXERCISES[0].item and first["card"] == "implement:" + EXERCISES[0].id
    assert first["due"] == "new" and first["result"] is None


def test_check_exits_0_on_a_pass_and_1_on_a_failure_with_the_mistake_named(tmp_path):
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(solution_source(get("softmax")))
    bad.write_text(NAIVE_SOFTMAX)
    assert run("softmax", "--check", str(good)).exit_code == 0
    failed = run("softmax", "--check", str(bad))
    assert failed.exit_code == 1
    assert "large logits" in failed.stdout and "without the max subtraction" in failed.stdout
    assert "expected" in failed.stdout and "got" in failed.stdout and "given" in failed.stdout


def test_check_as_json(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(NAIVE_SOFTMAX)
    result = run("softmax", "--check", str(bad), "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["passed"] is False and report["checks"] > report["checks_passed"]
    assert report["failures"][0]["case"] == "large logits"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["softmax", "--check", "no-such-file.py"], "no file no-such-file.py"),
        (["sofmax", "--starter"], "did you mean 'softmax'?"),
        (["softmax", "--check", "x.py", "--starter"], "cannot be combined"),
        (["softmax", "--next"], "--next picks the exercise itself"),
        (["--starter"], "needs an exercise ID"),
        (["--dir", "somewhere"], "--dir needs an exercise ID"),
        (["softmax", "--json"], "--json goes with the list or with --check"),
        (["softmax", "--time-limit", "0"], "0"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


def test_check_of_a_folder_is_a_usage_error(tmp_path):
    result = run("softmax", "--check", str(tmp_path))
    assert result.exit_code == 2 and "is not a file" in result.output


def test_starter_and_solution_print_whole_files():
    assert run("adam", "--starter").stdout == starter_text(get("adam"))
    assert "def adam_step" in run("adam-bias-correction", "--solution").stdout


def test_practice_without_a_terminal_writes_the_starter_and_grades_on_enter(_isolated_home):
    result = run("softmax", input="\n")
    assert result.exit_code == 0, result.output
    path = work(_isolated_home, "softmax")
    assert path.read_text() == starter_text(get("softmax"))
    assert "Not written yet: softmax" in result.stdout
    assert "Your file is kept" in result.stdout
    with open_store() as store:
        assert store.card("implement:softmax").state.new  # quitting records nothing


def test_a_file_of_the_learner_s_is_never_overwritten(_isolated_home):
    path = work(_isolated_home, "softmax")
    path.parent.mkdir()
    path.write_text(NAIVE_SOFTMAX)
    result = run("softmax", input="q\n")
    assert "(your file)" in result.stdout
    assert path.read_text() == NAIVE_SOFTMAX
    fresh = run("softmax", "--fresh", input="y\n")
    assert fresh.exit_code == 2 and "needs a terminal" in fresh.output
    assert path.read_text() == NAIVE_SOFTMAX


def test_a_pass_is_recorded_and_the_solution_shown_beside(_isolated_home):
    path = work(_isolated_home, "softmax")
    path.parent.mkdir()
    path.write_text(solution_source(get("softmax")))
    result = run("softmax", input="\n")
    assert result.exit_code == 0, result.output
    assert "All 12 checks passed" in result.stdout and "Passed · next review in 2d" in result.stdout  # not 10m
    assert "Model solution" in result.stdout and "Yours" in result.stdout
    with open_store() as store:
        (review,) = store.reviews("implement:softmax")
    assert review.rating == Rating.GOOD and review.mode == "implement"


def test_failing_then_passing_rates_the_struggle(_isolated_home, monkeypatch):
    from dlquiz.implement import grading

    path = work(_isolated_home, "softmax")
    path.parent.mkdir()
    path.write_text(NAIVE_SOFTMAX)
    real_grade = grading.grade

    def grade_then_fix(exercise, file, **options):
        report = real_grade(exercise, file, **options)
        path.write_text(solution_source(get("softmax")))  # the learner fixes it before the next Enter
        return report

    monkeypatch.setattr(grading, "grade", grade_then_fix)
    result = run("softmax", input="\n\n")
    assert result.exit_code == 0, result.output
    assert "9 of 12 checks passed" in result.stdout and "All 12 checks passed" in result.stdout
    with open_store() as store:
        (review,) = store.reviews("implement:softmax")
    assert review.rating == Rating.HARD  # passed after a failed grading


def test_giving_up_shows_the_solution_and_records_again(_isolated_home):
    result = run("adam", input="s\n")
    assert result.exit_code == 0, result.output
    assert "Model solution" in result.stdout and "Recorded: gave up" in result.stdout
    with open_store() as store:
        (review,) = store.reviews("implement:adam")
    assert review.rating == Rating.AGAIN


def test_next_opens_the_first_new_exercise(_isolated_home):
    result = run("--next", input="q\n")
    assert result.exit_code == 0
    assert f"Next: {EXERCISES[0].id} (new)" in result.stdout and EXERCISES[0].title in result.stdout
    assert work(_isolated_home, EXERCISES[0].id).exists()


def test_a_working_folder_of_one_s_own(tmp_path):
    folder = tmp_path / "mine"
    result = run("conv2d", "--dir", str(folder), input="q\n")
    assert result.exit_code == 0
    assert (folder / "conv2d.py").read_text() == starter_text(get("conv2d"))


def test_a_missing_dlquiz_home_is_created_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("DLQUIZ_HOME", str(tmp_path / "nowhere"))
    result = run("softmax", input="q\n")
    assert result.exit_code == 0, result.output
    assert "created" in result.output and (tmp_path / "nowhere" / "implement" / "softmax.py").is_file()


def _loop(tmp_path, editor, recorded, grade=None):
    from dlquiz.implement.grading import grade as real_grade

    path = tmp_path / "softmax.py"
    path.write_text(starter_text(get("softmax")))
    console = make_console(width=80, record=True)
    loop = Loop(
        console,
        get("softmax"),
        path,
        grade or (lambda exercise, file: real_grade(exercise, file)),
        lambda exercise, result: recorded.append(result) or "next review in 9d",
        editor,
    )
    return loop, console


def test_each_save_and_quit_of_the_editor_is_graded(tmp_path):
    model = get("softmax").solution_path
    editor = [
        sys.executable,
        "-c",
        f"import shutil, sys, time; time.sleep(1.1); shutil.copy({str(model)!r}, sys.argv[1])",
    ]
    recorded: list = []
    loop, console = _loop(tmp_path, editor, recorded)
    assert loop.run() == 0
    assert recorded == [Result.PASSED]
    text = console.export_text()
    assert "All 12 checks passed" in text and "Model solution" in text


def test_an_editor_that_returns_at_once_falls_back_to_enter(tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "read_key", lambda: "q")
    recorded: list = []
    loop, console = _loop(tmp_path, ["true"], recorded, grade=lambda exercise, file: pytest.fail("graded"))
    assert loop.run() == 0
    text = console.export_text()
    assert "returned at once without a change" in text and "Your file is kept" in text
    assert recorded == []


def test_the_starter_s_check_command_works_from_any_folder(_isolated_home, tmp_path, monkeypatch):
    """Friction 7: 'dlquiz implement softmax --check softmax.py' (the starter's hint) only worked from
    inside the implement folder."""
    path = work(_isolated_home, "softmax")
    path.parent.mkdir()
    path.write_text(solution_source(get("softmax")))
    assert f"--check {path.name}" in starter_text(get("softmax"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("softmax", "--check", path.name)
    assert result.exit_code == 0, result.output
    assert f"checking your working file {path}" in result.stderr and "All 12 checks passed" in result.stdout
    (elsewhere / path.name).write_text(NAIVE_SOFTMAX)  # a file of that name here is the one meant
    assert run("softmax", "--check", path.name).exit_code == 1
    missing = run("adam", "--check", "adam.py")  # no working file either: the same error as before
    assert missing.exit_code == 2 and "no file adam.py" in missing.stderr

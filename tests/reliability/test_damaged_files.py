"""F3, T1, U7: a damaged or foreign state file is refused by every command, on one line with exit 2, and its
bytes are never changed; ``dlquiz repair`` recovers what can be read into a new file and keeps the old one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import damage
import pytest
from harness import answers, cards_match_log, integrity, sql
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app

IDS = load_bank().ids()[:60]
COMMANDS = [
    ["stats"],
    ["stats", "--json"],
    ["list"],
    ["show", IDS[1]],
    ["config"],
    ["config", "new_per_day", "9"],
    ["review"],
    ["quiz", "-n", "2", "--mode", "flashcard"],
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, input: str = "\n3\nq\n"):
    return CliRunner().invoke(app, list(args), input=input)


def assert_refused(result, *words: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("note:")]
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), (result.exit_code, lines)
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("history") / "state.db"
    damage.make_history(path, ids=IDS)
    return path


@pytest.fixture
def state(history, _isolated_home) -> Path:
    path = _isolated_home / "state.db"
    shutil.copyfile(history, path)
    return path


@pytest.mark.parametrize("case", damage.REPAIRABLE, ids=lambda case: case.__name__)
def test_every_command_refuses_a_damaged_file_and_leaves_its_bytes(case, state):
    case(state)
    before = digest(state)
    for args in COMMANDS:
        line = assert_refused(run(*args), str(state), "is damaged", "dlquiz repair", "move it aside")
        assert digest(state) == before, f"'{' '.join(args)}' changed the damaged file"
    assert line


@pytest.mark.parametrize(
    "case, words",
    [
        (damage.state_7, ["state = 7"]),
        (damage.text_due_ms, ["due_ms = 'tomorrow'"]),
        (damage.missing_column_lapses, ["no column 'lapses'"]),
        (damage.missing_table_settings, ["no table 'settings'"]),
        (damage.truncated_by_one_byte, ["truncated"]),
    ],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_the_refusal_says_what_is_damaged(case, words, state):
    case(state)
    assert_refused(run("stats"), *words)


@pytest.mark.parametrize("case", damage.FOREIGN, ids=lambda case: case.__name__)
def test_foreign_files_are_refused_and_repair_does_not_touch_them(case, state):
    case(state)
    before = digest(state)
    for args in [*COMMANDS, ["repair"]]:
        assert_refused(run(*args), str(state))
    assert digest(state) == before
    assert not list(state.parent.glob("state-*")), "nothing was to be moved aside or created"


# answers repair must get back (of 300): all of them when the log's pages are sound
RECOVERED = {
    "truncated_by_one_byte": 299,  # the last page lost its last byte: one row of it is unreadable
    "garbled_page_2": 300,
    "garbled_page_3": 300,
    "garbled_page_5": 300,
    "garbled_last_page": 250,
    "missing_table_cards": 300,
    "missing_table_reviews": 0,
    "missing_table_settings": 300,
    "missing_column_before_kind": 300,
    "missing_column_lapses": 300,
    "renamed_version_column": 300,
    "text_due_ms": 300,
    "state_7": 300,
    "text_reps": 300,
    "bad_json": 299,  # the one row whose card state is not JSON
    "truncated_by_a_page": 250,
    "truncated_mid_page_3": 0,  # only two pages left: the log's root page is gone
    "unknown_json_key": 300,  # the unknown key is dropped, the row kept
}


@pytest.mark.parametrize("case", damage.REPAIRABLE + damage.LATENT, ids=lambda case: case.__name__)
def test_repair_recovers_what_can_be_read_and_keeps_the_damaged_file(case, state):
    original = answers(state)
    case(state)
    damaged_bytes = digest(state)
    result = run("repair")
    assert result.exit_code == 0, result.output
    assert "recovered:" in result.stdout and "not recovered:" in result.stdout
    kept = list(state.parent.glob("state-damaged-*.db"))
    assert len(kept) == 1 and digest(kept[0]) == damaged_bytes, "the damaged file must be kept as it was"
    assert integrity(state) == "ok"
    recovered = answers(state)
    assert len(recovered) >= RECOVERED[case.__name__]
    assert set(recovered) <= set(original), "repair invented answers"
    if len(recovered) == len(original):
        assert cards_match_log(state), "cards must be what the log says"
    assert run("stats").exit_code == 0 and run("review").exit_code == 0
    if case.__name__ not in ("missing_table_settings", "truncated_mid_page_3"):
        assert sql(state, "SELECT value FROM settings WHERE name = 'new_per_day'") == [("7",)]
    assert f"{len(recovered)} answers of the log" in result.stdout.replace(",", "")


def test_repair_counts_the_answers_it_could_not_read(state):
    damage.garbled_last_page(state)
    result = run("repair")
    lost = 300 - len(answers(state))
    assert lost > 0 and f"{lost} answers of the log (unreadable)" in result.stdout


def test_repair_continues_the_log_after_the_highest_answer_that_existed(state):
    damage.garbled_last_page(state)
    run("repair")
    assert sql(state, "SELECT seq FROM sqlite_sequence WHERE name = 'reviews'") == [(300,)]


def test_repair_leaves_a_sound_file_alone(state):
    before = digest(state)
    result = run("repair")
    assert result.exit_code == 0 and "nothing to repair" in result.stdout
    assert digest(state) == before and not list(state.parent.glob("state-*.db"))


@pytest.mark.parametrize("case", damage.LATENT, ids=lambda case: case.__name__)
def test_latent_damage_is_refused_when_the_row_is_read(case, state):
    from dlquiz.store import open_store

    case(state)
    with open_store(readonly=True) as store, pytest.raises(Exception, match="is damaged .*review [45]") as info:
        store.reviews()
    assert "dlquiz repair" in str(info.value)


@pytest.mark.parametrize("kind", ["empty", "other program's empty database"])
def test_reading_commands_do_not_adopt_an_empty_file(kind, _isolated_home):
    import sqlite3

    path = _isolated_home / "state.db"
    if kind == "empty":
        path.write_bytes(b"")
    else:
        db = sqlite3.connect(path)
        db.execute("VACUUM")  # an SQLite file with nothing in it
        db.close()
    before = digest(path)
    for args in (["list"], ["show", IDS[0]], ["stats"], ["config"]):
        assert run(*args).exit_code == 0
    assert digest(path) == before


@pytest.mark.parametrize("case", [damage.garbled_page_3, damage.truncated_by_one_byte, damage.state_7], ids=str)
def test_a_note_of_an_earlier_check_does_not_hide_later_damage(case, state):
    """A full check that passed is noted beside the file (so the next command need not repeat it); damage
    made afterwards, even with the file's modification time put back, is still found."""
    import os

    assert run("stats").exit_code == 0 and run("config", "new_per_day", "8").exit_code == 0
    assert (state.parent / ".state.db.checked").exists()
    from dlquiz.store import open_store

    with open_store(readonly=True) as store:
        assert store._check is None  # the note matched: no second check of an unchanged file
    before = os.stat(state)
    case(state)
    os.utime(state, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time put back
    assert_refused(run("stats"), "is damaged")
    assert_refused(run("config", "new_per_day", "9"), "is damaged")

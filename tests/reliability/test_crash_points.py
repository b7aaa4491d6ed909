"""Crash at each write: an answer, ``config``, ``reset`` (F1) and ``export -o`` killed at every step leave
every acknowledged answer in place, the file sound, and each value either old or new, never lost.

The kills come from the store's fault seam (``DLQUIZ_FAULTS``: before each commit, each rename) and, where
strace can inject faults, from SIGKILL at the k-th system call of a kind (``pwrite64``, ``fdatasync``,
``rename``), as the reliability attack did.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from harness import (
    FULL,
    NEUTRAL,
    answers,
    can_strace,
    cards_match_log,
    dlquiz,
    env_for,
    integrity,
    killed,
    sql,
    strace_kill,
    traced,
)

ANSWER_THREE = "\n3\n\n3\n\n3\nq\n"
needs_strace = pytest.mark.skipif(not can_strace(), reason="strace cannot inject faults here (the seam cases run)")


def all_answers_anywhere(home: Path) -> int:
    """Answers in the state file and in every file moved aside, each read with its own log."""
    paths = [home / "state.db", *home.glob("state-*.db")]
    return sum(len(answers(path)) for path in paths if path.exists() and path.stat().st_size)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_review_killed_before_each_commit_keeps_every_earlier_answer(k, _isolated_home):
    result = dlquiz(_isolated_home, "review", input=ANSWER_THREE, DLQUIZ_FAULTS=f"commit:{k}=kill")
    assert killed(result)
    state = _isolated_home / "state.db"
    assert len(answers(state)) == k - 1 == result.stdout.count("saved ")
    assert integrity(state) == "ok" and cards_match_log(state)
    assert dlquiz(_isolated_home, "stats").returncode == 0


def test_config_killed_before_its_commit_keeps_the_old_value(_isolated_home):
    assert dlquiz(_isolated_home, "config", "new_per_day", "5").returncode == 0
    result = dlquiz(_isolated_home, "config", "new_per_day", "7", DLQUIZ_FAULTS="commit:1=kill")
    assert killed(result)
    assert sql(_isolated_home / "state.db", "SELECT value FROM settings WHERE name = 'new_per_day'") == [("5",)]


def _walk_syscall(home: Path, syscall: str, args: list[str], check, step: int = 1, limit: int = 200) -> int:
    """Kill ``dlquiz ARGS`` at the 1st, 2nd, … (every ``step``-th) call of ``syscall`` until a run completes;
    ``check(home)`` after each kill. Returns the number of crash points tried."""
    for tried, k in enumerate(range(1, limit, step)):
        result = traced(home, strace_kill(syscall, k), *args, input=ANSWER_THREE)
        if not killed(result):
            assert result.returncode == 0, result.stderr
            print(f"\n{' '.join(args)}: killed at {tried} {syscall} calls, 0 lost")
            return tried
        check(home)
    raise AssertionError(f"{' '.join(args)} still calls {syscall} after {limit} kills")


@needs_strace
@pytest.mark.parametrize(
    "syscall", ["pwrite64", "fdatasync", "ftruncate", "unlink"] if FULL else ["pwrite64", "fdatasync"]
)
def test_config_killed_at_each_system_call_is_old_or_new(syscall, _isolated_home):
    assert dlquiz(_isolated_home, "config", "new_per_day", "5").returncode == 0

    def check(home):
        state = home / "state.db"
        assert integrity(state) == "ok"
        assert sql(state, "SELECT value FROM settings WHERE name = 'new_per_day'") in ([("5",)], [("7",)])

    step = 1 if FULL or syscall != "pwrite64" else 3  # every third page write by default: the run stays short
    _walk_syscall(_isolated_home, syscall, ["config", "new_per_day", "7"], check, step)


@needs_strace
@pytest.mark.parametrize("syscall", ["pwrite64", "fdatasync"] if FULL else ["fdatasync"])
def test_review_killed_at_each_system_call_keeps_every_acknowledged_answer(syscall, _isolated_home):
    """One home throughout: each run starts on what the last kill left, as after a real crash."""
    state, before = _isolated_home / "state.db", 0
    for k in range(1, 400):
        result = traced(_isolated_home, strace_kill(syscall, k), "review", input=ANSWER_THREE)
        acknowledged = result.stdout.count("saved ")
        if state.exists():
            now = len(answers(state))
            assert integrity(state) == "ok" and cards_match_log(state)
            assert before + acknowledged <= now <= before + 3  # saved but killed before saying so is allowed
            before = now
        if not killed(result):  # the run after the last crash point: it must work, on what the kills left
            assert result.returncode == 0 and result.stderr == "", result.stderr[-500:]
            assert "Session over" in result.stdout  # it ran to its end (the day's cards may run out first)
            assert k > 3
            print(f"\nreview: killed at {k - 1} {syscall} calls, {before} answers kept, 0 lost")
            return
    raise AssertionError("review never finished")


# --------------------------------------------------------------------------- reset (F1)


def _answers_left_in_the_log(home: Path, n: int = 4, setting: str = "") -> None:
    """A session that answered ``n`` cards (and stored ``setting``, 'name=value') and was killed: every answer
    is in the write-ahead log only."""
    store_it = f"s.set_setting(*{setting.split('=')!r})\n" if setting else ""
    code = (
        "import os\nfrom dlquiz.model import NEW_CARD, CardState\nfrom dlquiz.store import open_store\n"
        f"s = open_store()\ns.db.execute('PRAGMA wal_autocheckpoint = 0')\n{store_it}"
        "after = CardState(new=False, state=2, step=None, stability=3.5, difficulty=5.0, due_ms=1, "
        "last_review_ms=1, reps=1)\n"
        f"for i in range({n}):\n    s.commit_answer(f'card-{{i}}', 0, NEW_CARD, after, 3, 'review', 1000 + i)\n"
        "os._exit(0)  # killed: the file is never closed, so its log is never copied into it\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env_for(home), cwd=NEUTRAL)
    assert (home / "state.db-wal").stat().st_size > 0


@pytest.mark.parametrize("point", ["move:1", "rename:1", "rename:2", "rename:3", "rename:4"])
def test_reset_killed_at_each_step_loses_no_answer(point, _isolated_home):
    from dlquiz.store import open_store

    _answers_left_in_the_log(_isolated_home)
    result = dlquiz(_isolated_home, "reset", "--yes", DLQUIZ_FAULTS=f"{point}=kill")
    assert killed(result) or point == "rename:4"  # there may be no fourth rename (no -shm left to move)
    if point == "rename:2":  # F1's crash point: the file moved, its log not yet; then the next session
        after = dlquiz(_isolated_home, "review", input="\n3\nq\n")
        assert after.returncode == 0, after.stderr
        assert all_answers_anywhere(_isolated_home) == 4 + after.stdout.count("saved ")
    else:
        with open_store():  # the next session: it finishes the move first
            pass
        assert all_answers_anywhere(_isolated_home) == 4
    for path in _isolated_home.glob("state-*.db"):
        assert integrity(path) == "ok"


@needs_strace
def test_reset_killed_at_each_rename_syscall_loses_no_answer(tmp_path):
    """F1 as the attack reproduced it: SIGKILL at each rename system call, then the next session."""
    for k in range(1, 8):
        home = tmp_path / f"k{k}"
        home.mkdir()
        _answers_left_in_the_log(home)
        result = traced(home, strace_kill("rename,renameat,renameat2", k), "reset", "--yes")
        after = dlquiz(home, "review", input="\n3\nq\n")
        assert after.returncode == 0, after.stderr
        assert all_answers_anywhere(home) == 4 + after.stdout.count("saved ")
        if not killed(result):
            break


def test_reset_carries_over_a_setting_that_was_only_in_the_log(_isolated_home):
    from dlquiz.store import open_store

    _answers_left_in_the_log(_isolated_home, setting="new_per_day=7")
    assert dlquiz(_isolated_home, "reset", "--yes").returncode == 0
    with open_store() as fresh:
        assert fresh.settings() == {"new_per_day": "7"} and fresh.reviews() == []
    assert all_answers_anywhere(_isolated_home) == 4


def test_the_file_moved_aside_holds_its_answers_without_its_log(_isolated_home, tmp_path):
    _answers_left_in_the_log(_isolated_home)
    assert dlquiz(_isolated_home, "reset", "--yes").returncode == 0
    (moved,) = _isolated_home.glob("state-*.db")
    alone = tmp_path / "alone.db"
    alone.write_bytes(moved.read_bytes())  # without its -wal: a user copying the file alone
    db = sqlite3.connect(alone)
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 4
    db.close()


def test_an_orphaned_log_is_put_back_beside_its_file(_isolated_home):
    """The state an older dlquiz left when killed between its two renames (F1's reproduction)."""
    _answers_left_in_the_log(_isolated_home)
    (_isolated_home / "state.db").rename(_isolated_home / "state-20261201-120000.db")
    result = dlquiz(_isolated_home, "review", input="\n3\nq\n")
    assert result.returncode == 0 and "put it back" in result.stderr
    assert len(answers(_isolated_home / "state-20261201-120000.db")) == 4
    assert len(answers(_isolated_home / "state.db")) == 1


def test_a_log_that_fits_no_file_is_kept_not_discarded(_isolated_home):
    _answers_left_in_the_log(_isolated_home)
    (_isolated_home / "state.db").unlink()
    wal = (_isolated_home / "state.db-wal").read_bytes()
    result = dlquiz(_isolated_home, "stats")
    assert result.returncode == 0 and "kept a write-ahead log" in result.stderr
    (kept,) = _isolated_home.glob("state-orphaned-log-*.db-wal")
    assert kept.read_bytes() == wal


# --------------------------------------------------------------------------- export -o


@pytest.mark.parametrize("point", ["write:1", "rename:1"])
def test_export_killed_mid_write_leaves_the_old_file_whole(point, tmp_path, _isolated_home):
    target = tmp_path / "notes.md"
    target.write_text("old notes\n")
    result = dlquiz(_isolated_home, "export", "-o", str(target), DLQUIZ_FAULTS=f"{point}=kill")
    assert killed(result)
    assert target.read_text() == "old notes\n"
    assert dlquiz(_isolated_home, "export", "-o", str(target)).returncode == 0
    assert target.read_text().startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dlquiz-home", "notes.md"], "a temporary file was left"


@needs_strace
@pytest.mark.parametrize(
    "syscall", ["openat", "write", "fsync", "rename,renameat,renameat2", "linkat"] if FULL else ["fsync"]
)
def test_export_killed_at_each_system_call_is_old_or_new(syscall, tmp_path, _isolated_home):
    target = tmp_path / "notes.md"
    target.write_text("old notes\n")
    whole = dlquiz(_isolated_home, "export").stdout
    step = 1 if FULL or syscall != "openat" else 7  # opening happens hundreds of times (imports)
    for k in range(1, 3000, step):
        result = traced(_isolated_home, strace_kill(syscall, k), "export", "-o", str(target))
        assert target.read_text() in ("old notes\n", whole)
        if not killed(result):
            break
    target.write_text("old notes\n")
    assert dlquiz(_isolated_home, "export", "-o", str(target)).returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left"

"""The home and the files around the state: a missing home (newcomer friction 16), the first-open race
(U2), a session whose file a reset moved aside (U6), read-only homes and odd state files (U7), and output
files written through symbolic links, atomically, without leftovers (F7, T4, U8)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from harness import NEUTRAL, answers, assert_one_clear_line, can_mount, dlquiz, env_for, sql

# --------------------------------------------------------------------------- the home


def test_a_missing_home_is_created_with_a_one_line_notice(tmp_path):
    home = tmp_path / "not" / "yet" / "home"
    result = dlquiz(home, "config", "new_per_day", "6")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(notes) == 1 and notes[0].startswith("note: created") and str(home) in notes[0]
    assert (home / "state.db").is_file()
    assert dlquiz(home, "config").stderr == ""  # said once, when it was created


def test_reading_commands_do_not_create_a_missing_home(tmp_path):
    home = tmp_path / "absent"
    for args in (["list"], ["stats"], ["show", "softmax-jacobian"]):
        assert dlquiz(home, *args).returncode == 0
    assert not home.exists()


def test_a_home_that_is_a_file_stays_an_error(tmp_path):
    home = tmp_path / "file"
    home.write_text("x")
    assert_one_clear_line(dlquiz(home, "review"), "not a directory")


# --------------------------------------------------------------------------- U2: many first opens at once


FIRST_OPENS = r"""
import os, sys
from pathlib import Path
from dlquiz.store import open_store

tmp, refused = Path(sys.argv[1]), 0
for round_ in range(50):
    home = tmp / f"round-{round_}"
    home.mkdir()
    children = []
    for child in range(8):
        pid = os.fork()
        if pid == 0:
            try:
                with open_store(home / "state.db") as store:
                    store.settings()
            except BaseException as exc:
                cause = getattr(exc.__context__, "sqlite_errorname", "")
                print(f"{type(exc).__name__} {cause}: {exc}", flush=True)
                os._exit(3)
            os._exit(0)
        children.append(pid)
    refused += sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in children)
print(f"refused {refused}")
"""


def test_many_first_opens_at_once_never_refuse(tmp_path):
    """8 processes open a new home at once, 50 times (forked from a fresh interpreter that has not touched
    SQLite: a fork of a process with SQLite's state in memory would test that state, not dlquiz)."""
    import sys

    result = subprocess.run(
        [sys.executable, "-c", FIRST_OPENS, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=NEUTRAL,
        timeout=300,
    )
    assert result.stdout.strip().endswith("refused 0"), result.stdout[-2000:] + result.stderr[-2000:]


# --------------------------------------------------------------------------- U6: reset in another terminal


def test_a_session_whose_file_was_moved_aside_refuses_to_write_there(_isolated_home):
    from factories import answered

    from dlquiz.model import NEW_CARD
    from dlquiz.store import StateMovedError, move_aside, open_store

    with open_store() as session:
        session.commit_answer("a", 0, NEW_CARD, answered(1), 3, "review", 1)
        moved = move_aside()  # `dlquiz reset` in another terminal
        with pytest.raises(StateMovedError, match="moved aside"):
            session.commit_answer("b", 0, NEW_CARD, answered(1), 3, "review", 2)
    assert [row[1] for row in answers(moved)] == ["a"]  # nothing more went into the moved file
    assert not (_isolated_home / "state.db").exists() or answers(_isolated_home / "state.db") == []


def test_a_review_running_during_a_reset_says_so_at_its_next_answer(_isolated_home):
    """Two real processes: a review waiting at a card while `dlquiz reset --yes` runs."""
    import sys
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(_isolated_home),
        text=True,
        cwd=NEUTRAL,
    )
    proc.stdin.write("\n3\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while not answers_or_none(_isolated_home) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert dlquiz(_isolated_home, "reset", "--yes").returncode == 0
    out, err = proc.communicate("\n3\nq\n", timeout=60)
    said = " ".join(out.split())  # the message wraps at the terminal width
    assert "not saved" in said and "moved aside" in said and "Traceback" not in err  # said on screen; it goes on
    (moved,) = _isolated_home.glob("state-*.db")
    assert len(answers(moved)) == 1


def answers_or_none(home: Path):
    state = home / "state.db"
    try:
        return answers(state) if state.exists() else None
    except Exception:
        return None


# --------------------------------------------------------------------------- U7: read-only, links, odd files


@pytest.mark.skipif(not can_mount(), reason="needs a private mount namespace for a read-only bind mount")
@pytest.mark.parametrize("what", ["home", "state.db"])
def test_reading_commands_work_on_a_read_only_home(what, _isolated_home):
    assert dlquiz(_isolated_home, "review", input="\n3\nq\n").returncode == 0
    target = _isolated_home if what == "home" else _isolated_home / "state.db"
    script = (
        f"mount --bind -o ro '{target}' '{target}' || exit 9\n"
        "for c in 'stats' 'list' 'show softmax-jacobian' 'config'; do python -m dlquiz $c >/dev/null || exit 1; done\n"
        'python -m dlquiz config new_per_day 9; echo "write=$?"\n'
        'for c in review quiz; do python -m dlquiz $c </dev/null >/dev/null; echo "$c=$?"; done\n'
    )
    before = (_isolated_home / "state.db").read_bytes()
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env_for(_isolated_home), cwd=NEUTRAL
    )
    assert result.returncode == 0, result.stderr
    assert "write=2" in result.stdout and "read-only" in result.stderr and "Traceback" not in result.stderr
    assert "review=2" in result.stdout and "quiz=2" in result.stdout  # sessions that write: one line, exit 2
    assert (_isolated_home / "state.db").read_bytes() == before


def test_a_dangling_state_link_never_creates_a_database_elsewhere(tmp_path, _isolated_home):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (_isolated_home / "state.db").symlink_to(elsewhere / "state.db")
    assert_one_clear_line(dlquiz(_isolated_home, "review"), "symbolic link", str(elsewhere / "state.db"))
    assert_one_clear_line(dlquiz(_isolated_home, "stats"), "symbolic link")
    assert dlquiz(_isolated_home, "list").returncode == 0
    assert list(elsewhere.iterdir()) == []


def test_a_link_to_a_sound_state_file_is_used(tmp_path, _isolated_home):
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    assert dlquiz(elsewhere, "config", "new_per_day", "3").returncode == 0
    (_isolated_home / "state.db").symlink_to(elsewhere / "state.db")
    assert dlquiz(_isolated_home, "config", "new_per_day", "4").returncode == 0
    assert sql(elsewhere / "state.db", "SELECT value FROM settings WHERE name = 'new_per_day'") == [("4",)]
    assert (_isolated_home / "state.db").is_symlink()


@pytest.mark.parametrize("kind", ["directory", "fifo", "dev-null", "loop"])
def test_a_state_file_that_is_not_a_file_is_refused(kind, _isolated_home):
    state = _isolated_home / "state.db"
    {
        "directory": lambda: state.mkdir(),
        "fifo": lambda: os.mkfifo(state),
        "dev-null": lambda: state.symlink_to("/dev/null"),
        "loop": lambda: state.symlink_to(state),
    }[kind]()
    for args in (["review"], ["stats"], ["config", "new_per_day", "3"]):
        assert_one_clear_line(dlquiz(_isolated_home, *args, timeout=20), str(state))


# --------------------------------------------------------------------------- F7, T4, U8: output files


def test_output_through_a_link_writes_the_target_and_keeps_its_mode(tmp_path):
    from dlquiz.writing import write_text

    real = tmp_path / "real" / "notes.md"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["notes.md"]


def test_output_through_a_dangling_link_creates_its_target(tmp_path):
    from dlquiz.writing import write_text

    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "target.md")
    write_text(link, "hello")
    assert link.is_symlink() and (tmp_path / "target.md").read_text() == "hello"


def test_output_to_a_pipe_through_proc_writes_to_the_pipe(tmp_path):
    from dlquiz.writing import write_text

    read, write = os.pipe()
    try:
        write_text(f"/proc/self/fd/{write}", "through the pipe")
        os.close(write)
        assert os.read(read, 100) == b"through the pipe"
    finally:
        os.close(read)


@pytest.mark.parametrize("how", ["/dev/fd/1", "link to /proc/self/fd/1"])
def test_output_to_standard_output_by_name_appends_to_what_the_shell_opened(how, tmp_path, _isolated_home):
    """``-o /dev/stdout`` with stdout appended to a log (>>): the log keeps its lines. /dev/fd/1 and a link
    stand for /dev/stdout here: run as root against a writer that replaces what it is given, the test
    itself must not be able to replace the system's /dev/stdout (the old writer did, F7)."""
    log = tmp_path / "log.txt"
    log.write_text("an earlier line\n")
    name = "/dev/fd/1"
    if how.startswith("link"):
        (tmp_path / "out").symlink_to("/proc/self/fd/1")
        name = str(tmp_path / "out")
    with open(log, "a") as out:
        result = subprocess.run(
            [__import__("sys").executable, "-m", "dlquiz", "export", "-f", "csv", "-o", name],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env_for(_isolated_home),
            cwd=NEUTRAL,
        )
    assert result.returncode == 0, result.stderr
    assert log.read_text().startswith("an earlier line\nid,topic,")
    assert not how.startswith("link") or os.readlink(tmp_path / "out") == "/proc/self/fd/1"


@pytest.mark.parametrize(
    "name", ["", ".", "/", "x" * 100_000, "missing-dir/notes.md", "y" * 300], ids=lambda n: f"{n[:12]!r}×{len(n)}"
)
def test_export_to_a_name_that_cannot_be_written_is_one_clear_line(name, tmp_path, _isolated_home):
    result = subprocess.run(
        [__import__("sys").executable, "-m", "dlquiz", "export", "-o", name],
        capture_output=True,
        text=True,
        env=env_for(_isolated_home),
        cwd=tmp_path,
    )
    line = assert_one_clear_line(result)
    assert len(line) < 400


def test_no_temporary_file_is_left_and_the_directory_is_synced(tmp_path, monkeypatch):
    from dlquiz import writing

    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real_fsync(fd)

    monkeypatch.setattr(writing.os, "fsync", fsync)
    out = tmp_path / "out"
    out.mkdir()
    writing.write_text(out / "out.md", "x")
    assert synced == [False, True]  # the file's data, then the directory holding the new name
    assert [p.name for p in out.iterdir()] == ["out.md"]


def test_a_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    from dlquiz.writing import write_text

    dead = subprocess.Popen(["true"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / f".dlquiz-{dead.pid}-0123abcd.tmp").write_text("half")
    (out / f".dlquiz-{os.getppid()}-0123abcd.tmp").write_text("a live process's: kept")
    write_text(out / "out.md", "x")
    assert sorted(p.name for p in out.iterdir()) == [f".dlquiz-{os.getppid()}-0123abcd.tmp", "out.md"]

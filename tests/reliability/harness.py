"""Running dlquiz as a user does (a real process), and what the reliability tests check afterwards.

``DLQUIZ_UNDER_TEST`` names the source tree the processes run (default: this one), so the same tests can
be pointed at another checkout to see which faults it still has. ``DLQUIZ_RELIABILITY=full`` asks for the
slow cases (every system call of an answer, hundreds of random kills, more fuzzing).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(os.environ.get("DLQUIZ_UNDER_TEST") or Path(__file__).resolve().parents[2])
FULL = os.environ.get("DLQUIZ_RELIABILITY") == "full"


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, DLQUIZ_HOME=str(home), PYTHONPATH=str(ROOT), NO_COLOR="1", COLUMNS="100")
    env.pop("DLQUIZ_FAULTS", None)
    env.update(extra)
    return env


NEUTRAL = "/"  # the processes' working directory: never a source tree that would shadow ROOT


def dlquiz(home: Path, *args: str, input: str | None = "", timeout: float = 60, **extra: str):
    """Run ``python -m dlquiz ARGS`` with ``home`` as DLQUIZ_HOME; the CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-m", "dlquiz", *args],
        cwd=NEUTRAL,
        input=input,
        capture_output=True,
        text=True,
        errors="replace",
        env=env_for(home, **extra),
        timeout=timeout,
    )


def killed(result) -> bool:
    return result.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL)


def error_lines(stderr: str) -> list[str]:
    """The lines of stderr that are not notes."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("note:")]


def assert_one_clear_line(result, *words: str) -> str:
    """Exit 2, no traceback, exactly one line on stderr starting 'error:' and holding ``words``."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = error_lines(result.stderr)
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), (result.returncode, lines)
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def sql(path: Path, query: str, *args) -> list[tuple]:
    """A query on a copy of the state file (with its log), so the test never changes the file it checks."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name("copy.db-wal"))
        db = sqlite3.connect(copy)
        try:
            return db.execute(query, args).fetchall()
        finally:
            db.close()


def integrity(path: Path) -> str:
    return sql(path, "PRAGMA integrity_check")[0][0]


def tables(path: Path) -> set[str]:
    return {row[0] for row in sql(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def answers(path: Path) -> list[tuple]:
    """The log's answers still in force, in order: (id, question_id, rating); [] before the log exists."""
    if "reviews" not in tables(path):
        return []
    return sql(path, "SELECT id, question_id, rating FROM reviews WHERE undone = 0 ORDER BY id")


def cards_match_log(path: Path) -> bool:
    """Whether every card's state is the state after its latest answer still in force (a replay of the log)."""
    import json

    names = ["new", "state", "step", "stability", "difficulty", "due_ms", "last_review_ms", "reps", "lapses"]
    if "cards" not in tables(path):
        return True  # killed while the file was being created: nothing to compare yet
    rows = sql(
        path,
        f"SELECT c.question_id, {', '.join('c.' + n for n in names)}, "
        "(SELECT after FROM reviews r WHERE r.question_id = c.question_id AND undone = 0 ORDER BY id DESC LIMIT 1) "
        "FROM cards c",
    )
    for row in rows:
        card = dict(zip(names, row[1:-1], strict=True))
        card["new"] = bool(card["new"])
        if row[-1] is None:  # every answer undone: the card is new again
            if not card["new"]:
                return False
        elif card != json.loads(row[-1]):
            return False
    return True


@functools.cache
def can_mount() -> bool:
    """Whether this process may mount a tmpfs in its own mount namespace (root with CAP_SYS_ADMIN)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"], capture_output=True
    )
    return probe.returncode == 0


@functools.cache
def can_strace() -> bool:
    """Whether strace can inject faults here (installed, and ptrace allowed)."""
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-f", "-o", os.devnull, "-e", "inject=getpid:error=EPERM", "true"])
    return probe.returncode == 0


def strace_kill(syscalls: str, when: int) -> list[str]:
    """The strace prefix that SIGKILLs the process at the ``when``-th call of ``syscalls``."""
    return ["strace", "-f", "-o", os.devnull, "-e", f"inject={syscalls}:signal=SIGKILL:when={when}"]


def traced(home: Path, prefix: list[str], *args: str, input: str | None = "", timeout: float = 60):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "dlquiz", *args],
        cwd=NEUTRAL,
        input=input,
        capture_output=True,
        text=True,
        errors="replace",
        env=env_for(home),
        timeout=timeout,
    )

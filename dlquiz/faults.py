"""A test seam for fault injection: crash or fail at the k-th time the code reaches a named point.

Production runs never set ``DLQUIZ_FAULTS`` and pay one dictionary lookup per point. The reliability
tests set it to a comma-separated plan of ``NAME:K=ACTION`` entries, e.g. ``commit:3=kill`` (SIGKILL
this process just before the third commit) or ``commit:1=full`` (the first commit fails as if the disk
were full). Actions:

- ``kill``: SIGKILL the process (no clean-up runs, as when the power fails or the OOM killer strikes);
- ``full``: raise the error SQLite raises when the disk is full (``sqlite3.OperationalError``, SQLITE_FULL);
- ``enospc``: raise ``OSError(ENOSPC)``, as a file write on a full disk does.

Points: ``begin`` and ``commit`` (each write transaction of the store), ``rename`` (each rename of
reset, repair and the file writer), ``write`` (the file writer, before writing), ``move`` (reset, after
its intent is recorded and before the first rename).
"""

from __future__ import annotations

import os

_counts: dict[str, int] = {}
_plan: dict[str, tuple[int, str]] | None = None


def _load() -> dict[str, tuple[int, str]]:
    plan = {}
    for entry in filter(None, (part.strip() for part in os.environ.get("DLQUIZ_FAULTS", "").split(","))):
        where, _, action = entry.partition("=")
        name, _, k = where.partition(":")
        plan[name] = (int(k or 1), action or "kill")
    return plan


def point(name: str) -> None:
    """Mark a point where a fault may be injected; does nothing unless DLQUIZ_FAULTS names it."""
    global _plan
    if _plan is None:
        _plan = _load()
    if name not in _plan:
        return
    _counts[name] = _counts.get(name, 0) + 1
    k, action = _plan[name]
    if _counts[name] != k:
        return
    if action == "kill":
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if action == "full":
        import sqlite3

        class DiskFullError(sqlite3.OperationalError):  # as Python 3.11+ raises it: with SQLite's code and name
            sqlite_errorcode, sqlite_errorname = 13, "SQLITE_FULL"

        raise DiskFullError("database or disk is full")
    if action == "enospc":
        import errno

        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    raise ValueError(f"DLQUIZ_FAULTS: unknown action '{action}'")


def reset() -> None:
    """Forget the counts and read DLQUIZ_FAULTS again (for tests that change it in-process)."""
    global _plan
    _plan = None
    _counts.clear()

"""What can go wrong with the state file, as errors a user can read and act on.

Every error here is a :class:`~dlquiz.errors.UserError`: the command line prints it on one line and
exits 2. Two families:

- :class:`StateError`: the file cannot be used as it is (damaged, another program's, from a newer
  dlquiz, not a regular file). Nothing was written to it.
- :class:`NotSavedError`: one write failed and nothing of it was saved (the disk is full, the file is
  read-only, another process holds it, the file was moved aside since it was opened, the card changed);
  every earlier write is intact. A session keeps the card on screen and says "not saved".

:func:`translate` turns an ``sqlite3`` error into the right one of these, so no raw SQLite message
reaches the user without saying which file it is about and what to do.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from dlquiz.errors import UserError

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_INTERRUPT, SQLITE_IOERR = 5, 6, 8, 9, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
READONLY_RECOVERY, READONLY_ROLLBACK, READONLY_CANTINIT = 264, 776, 1288  # SQLITE_READONLY_* extended codes
LOW_SPACE_BYTES = 256 * 1024  # below this much free space, an I/O error is reported as a full disk


# How long to wait, pause after pause, before a transient error (a short read of a file another process is
# creating or closing, a busy file) is reported: about 5 s in all, as long as SQLite waits for a lock.
TRANSIENT_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 2.0)


class StateError(UserError):
    """The state file cannot be used as it is; dlquiz has not written to it.

    ``transient``: the cause may pass (an I/O error while another process creates the file): opening retries.
    """

    transient: bool = False


class DamagedStateError(StateError):
    """The file is an SQLite database of dlquiz but part of it cannot be read or is not what dlquiz wrote.

    ``why``: the damage found, in a few words (without the advice the message adds).
    """

    why: str = ""


class NotSavedError(StateError):
    """A write failed and nothing of it was saved; everything saved before it is intact."""


class DiskFullError(NotSavedError):
    """The disk (or the quota) holding the state file is full."""


class ReadOnlyStateError(NotSavedError):
    """The state file, or its directory, cannot be written."""


class StateMovedError(NotSavedError):
    """The state file was moved aside (``dlquiz reset`` in another terminal) after this process opened it."""


class StateBusyError(NotSavedError):
    """Another process kept the state file locked for longer than the busy timeout; nothing was written."""


class StaleCardError(NotSavedError):
    """The card changed (in another session) after its answer buttons were computed."""


def repair_hint(path: Path) -> str:
    return (
        f"dlquiz has not changed it. Run 'dlquiz repair' to recover what can be read into a new file "
        f"(the damaged one is kept beside it), or move it aside to start afresh: mv '{path}' '{path}.bad'"
    )


def move_aside_hint(path: Path) -> str:
    return (
        f"dlquiz has not changed it. To start afresh, move it aside: mv '{path}' '{path}.bad' "
        f"(or run 'dlquiz reset'), or point DLQUIZ_HOME at another directory"
    )


def damaged(path: Path, why: str) -> DamagedStateError:
    error = DamagedStateError(f"state file {path} is damaged ({one_line(why)}); {repair_hint(path)}")
    error.why = one_line(why)
    return error


def one_line(text: str, limit: int = 160) -> str:
    """``text`` on one line, at most ``limit`` characters (SQLite's check reports span several lines)."""
    flat = "; ".join(part.strip() for part in str(text).splitlines() if part.strip() and "***" not in part)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def disk_is_full(path: Path) -> bool:
    """Whether the file system holding ``path`` (or its directory) has almost no space left."""
    for place in (path, path.parent):
        try:
            info = os.statvfs(place)
        except OSError:
            continue
        return info.f_bavail * info.f_frsize < LOW_SPACE_BYTES
    return False


def _cache_hint(path: Path) -> str:
    """' (dlquiz's cache, DIR, may be deleted)' when the rebuildable cache sits on the same full disk."""
    from dlquiz.paths import cache_dir

    try:
        cache = cache_dir()
        if cache is None or not cache.is_dir() or not any(cache.iterdir()):
            return ""
        if os.stat(cache).st_dev != os.stat(path.parent).st_dev:
            return ""
    except OSError:
        return ""
    return f" (dlquiz's cache, {cache}, may be deleted: it is rebuilt when needed)"


def translate(exc: sqlite3.Error | OSError, path: Path, writing: bool = False) -> StateError:
    """The StateError that says what ``exc`` (raised while reading or, if ``writing``, writing the state
    file at ``path``) means for the user."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, OSError):
        code = {errno.ENOSPC: SQLITE_FULL, errno.EDQUOT: SQLITE_FULL, errno.EROFS: SQLITE_READONLY}.get(
            exc.errno or 0, SQLITE_IOERR
        )
        if exc.errno in (errno.EACCES, errno.EPERM):
            code = SQLITE_READONLY if writing else SQLITE_CANTOPEN
    primary = (code or 0) & 0xFF
    text = str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)
    if code is None:  # raised without a code (older Python): read the message
        low = text.lower()
        primary = next(
            (c for words, c in _MESSAGES if any(w in low for w in words)),
            0,
        )
    lost = "; nothing of this change was saved, everything saved before it is intact" if writing else ""
    if primary == SQLITE_FULL or (primary in (SQLITE_IOERR, SQLITE_CANTOPEN) and disk_is_full(path)):
        return DiskFullError(f"the disk holding {path} is full{lost}; free some space{_cache_hint(path)} and try again")
    if code in (READONLY_RECOVERY, READONLY_ROLLBACK, READONLY_CANTINIT):  # not read-only: a crash to recover
        error = (NotSavedError if writing else StateError)(
            f"the state file {path} needs SQLite's recovery from an earlier crash ({text}), which needs write access "
            f"to {path.parent}; run a command that saves (dlquiz review) where it is writable"
        )
        error.transient = True  # opening lets SQLite recover it where the directory is writable, then retries
        return error
    if primary == SQLITE_READONLY:
        return ReadOnlyStateError(
            f"cannot write the state file {path}: it or its directory is read-only ({text}){lost}; "
            f"make {path.parent} writable, or set DLQUIZ_HOME to a writable directory"
        )
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return StateBusyError(
            f"the state file {path} is busy in another dlquiz process{lost or '; nothing was written'}; "
            "try again when it is idle"
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(path, text)
    if primary == SQLITE_CANTOPEN:
        return StateError(f"cannot open the state file {path} ({text}); check that {path.parent} is accessible")
    if primary == SQLITE_IOERR:
        kind = NotSavedError if writing else StateError
        io_error = kind(f"input/output error on the state file {path} ({text}){lost}; check the disk and try again")
        io_error.transient = True  # SQLite reports races on a file being created as I/O errors: worth a retry
        return io_error
    if primary == SQLITE_INTERRUPT:
        return NotSavedError(f"interrupted while using the state file {path}{lost}")
    if "no such table" in text or "no such column" in text or "has no column" in text:
        return damaged(path, f"{text}: it does not have the tables dlquiz needs")
    kind = NotSavedError if writing else StateError
    return kind(f"the state file {path} could not be {'written' if writing else 'read'} ({one_line(text)}){lost}")


_MESSAGES = (
    (("disk is full", "no space"), SQLITE_FULL),
    (("readonly", "read-only"), SQLITE_READONLY),
    (("locked", "busy"), SQLITE_BUSY),
    (("malformed", "not a database"), SQLITE_CORRUPT),
    (("unable to open",), SQLITE_CANTOPEN),
    (("disk i/o",), SQLITE_IOERR),
)

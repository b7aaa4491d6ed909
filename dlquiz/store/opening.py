"""Opening the state file: for writing (creating or migrating it) or only for reading.

A file dlquiz cannot trust is refused before anything is written to it: the checks of
:mod:`dlquiz.store.check` run first (header, then the schema in one read transaction), and the full check
of every page and value runs in the background while the command starts; the store waits for it before
its first write and when it is closed (:meth:`dlquiz.store.Store.verify`).

Opening for reading (``stats``, ``list``, ``show``) never creates, adopts or changes a file: a missing
home or state file, an empty file or another program's empty SQLite file read as "no history yet", and a
read-only home works. Opening for writing creates a missing home (saying so when DLQUIZ_HOME named it),
first finishes a ``reset`` that was interrupted and rescues an orphaned write-ahead log
(:mod:`dlquiz.store.move`).
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from pathlib import Path

from dlquiz.notices import notify
from dlquiz.paths import state_path
from dlquiz.store.check import (
    IntegrityCheck,
    Schema,
    check_header,
    checked_before,
    read_schema,
    remember_checked,
    schema_problems,
    truncation,
)
from dlquiz.store.database import Store
from dlquiz.store.errors import (
    READONLY_ROLLBACK,
    SQLITE_BUSY,
    SQLITE_CORRUPT,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    TRANSIENT_PAUSES,
    ReadOnlyStateError,
    StateError,
    damaged,
    move_aside_hint,
    translate,
)
from dlquiz.store.move import finish_interrupted_move, rescue_orphaned_log
from dlquiz.store.schema import APPLICATION_ID, BUSY_TIMEOUT_MS, SCHEMA_VERSION, migrate


def open_state(path: str | os.PathLike | None = None, *, readonly: bool = False) -> Store:
    """The state file at ``path`` (default: the user's), checked and ready; a StateError if it cannot be used.

    ``readonly``: for commands that only read; see the module docstring.
    """
    path = Path(path) if path is not None else state_path()
    # a file another process is creating can fail a read for a moment (SQLite reports a short read); a busy
    # machine can take a while to finish that process's first write
    for pause in (*TRANSIENT_PAUSES, None):
        try:
            return _open_reading(path) if readonly else _open_writing(path)
        except StateError as exc:
            if not exc.transient or pause is None:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- the home and the file


def _from_env(home: Path) -> bool:
    env = os.environ.get("DLQUIZ_HOME")
    return env is not None and env != "" and Path(env).expanduser() == home


def _check_home_kind(home: Path) -> bool:
    """Whether the home exists (an error if it is something other than a directory)."""
    if not os.path.lexists(home):
        return False
    if not home.is_dir():
        raise StateError(f"the dlquiz home {home} is not a directory; set DLQUIZ_HOME to a writable directory")
    return True


def _prepare_home(home: Path) -> None:
    """Create a missing home (and its parents), and refuse one that cannot be written."""
    if not _check_home_kind(home):
        try:
            home.mkdir(parents=True, mode=0o700)
        except FileExistsError:
            pass  # another dlquiz created it meanwhile
        except OSError as exc:
            raise StateError(
                f"cannot create the dlquiz home {home}: {exc.strerror or exc}; "
                "set DLQUIZ_HOME to a directory you can write"
            ) from None
        if _from_env(home):
            notify(f"created {home} (DLQUIZ_HOME) for dlquiz's state")
    if not os.access(home, os.W_OK | os.X_OK):
        raise ReadOnlyStateError(
            f"the dlquiz home {home} is read-only; make it writable or set DLQUIZ_HOME to a writable directory"
        )


def _inspect(path: Path) -> int | None:
    """The state file's size, None when there is none; an error for anything but a regular file."""
    if os.path.islink(path) and not os.path.exists(path):
        target = os.readlink(path)
        raise StateError(
            f"state file {path} is a symbolic link to {target}, which does not exist or loops; dlquiz will not "
            f"create its database outside {path.parent}: restore what the link points to, or remove the link"
        )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"cannot read the state file {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise StateError(f"state file {path} is not a regular file; {move_aside_hint(path)}")
    if not os.access(path, os.R_OK):
        raise StateError(f"cannot read the state file {path}: permission denied; check its owner and mode")
    return info.st_size


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path.resolve().as_uri()}?{query}"


# --------------------------------------------------------------------------- judging what is in the file


def _unreadable(path: Path, why: str) -> StateError:
    return StateError(f"state file {path} {why}; {move_aside_hint(path)}")


def _read_existing(path: Path, size: int, uri: str) -> tuple[sqlite3.Connection, Schema, bytes]:
    """A read-only connection to an existing non-empty file, and its schema; refuses what is not usable."""
    header, why = check_header(path, size)
    if why is not None:  # look again: a file another process is creating can be caught between two writes
        time.sleep(0.02)
        size = path.stat().st_size
        header, why = check_header(path, size)
    if why == "not an SQLite file":
        raise _unreadable(path, "is not a dlquiz database (not an SQLite file)")
    if why is not None and why.startswith("truncated: shorter"):
        raise _unreadable(path, "is truncated (shorter than an SQLite header)")
    if why is not None and "page size" in why:
        raise _unreadable(path, f"is not a readable SQLite database ({why})")
    if why is not None:
        raise damaged(path, why)
    try:
        ro = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        schema = read_schema(ro)
    except sqlite3.Error as exc:
        ro.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        short = truncation(header, size)
        if short and code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise damaged(path, short) from None
        if getattr(exc, "sqlite_errorcode", 0) == READONLY_ROLLBACK:
            _let_sqlite_roll_back(path)  # then the retry of open_state reads the file as it was before the crash
        raise translate(exc, path) from None
    # a file shorter than its header says is not judged here: while another process copies its log into it
    # (a checkpoint writes page 1 first) it looks so, and is sound; SQLite, which refused it above if it
    # lacked pages, and the check of every page started next are the judges
    try:
        _judge(path, schema)
    except BaseException:
        ro.close()
        raise
    return ro, schema, header


def _let_sqlite_roll_back(path: Path) -> None:
    """A process killed mid-transaction in rollback-journal mode (while a new file was switched to WAL) left a
    hot journal, which only a connection that may write can roll back: SQLite's own crash recovery, giving
    the file as it was before that transaction. Nothing if the directory cannot be written."""
    if not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK):
        return
    try:
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        pass  # the retry reports what is still wrong


def _is_blank(schema: Schema) -> bool:
    """An SQLite file with nothing in it yet (a dlquiz file being created, or any program's empty one)."""
    return schema.version == 0 and not schema.tables and schema.app_id in (0, APPLICATION_ID)


def _judge(path: Path, schema: Schema) -> None:
    if _is_blank(schema):
        return
    if schema.version == 0 or schema.app_id != APPLICATION_ID:
        raise _unreadable(path, "is an SQLite database of some other program, not a dlquiz one")
    if schema.version > SCHEMA_VERSION:
        raise _unreadable(
            path,
            f"was written by a newer dlquiz (schema version {schema.version}; this one knows up to "
            f"{SCHEMA_VERSION}). Upgrade dlquiz to use it",
        )
    problems = schema_problems(schema)
    if problems:
        raise damaged(path, "; ".join(problems))


# --------------------------------------------------------------------------- writing


def _open_writing(path: Path) -> Store:
    _prepare_home(path.parent)
    finish_interrupted_move(path)
    rescue_orphaned_log(path)
    size = _inspect(path)
    checked = False
    if size:
        uri = _uri(path, mode="ro")
        ro, schema, _ = _read_existing(path, size, uri)
        ro.close()
        checked = not _is_blank(schema)
        if checked and schema.version < SCHEMA_VERSION:  # a migration writes: check every page first
            problem = IntegrityCheck(uri, path, BUSY_TIMEOUT_MS / 1000).result()
            if problem is not None:
                raise problem
        if not os.access(path, os.W_OK):
            raise ReadOnlyStateError(
                f"cannot save to the state file {path}: it is read-only; make it writable (chmod u+w) "
                "or set DLQUIZ_HOME to another directory"
            )
    try:
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path, writing=True) from None
    try:
        _set_up(db, path)
        identity = _identity(path)
    except BaseException:
        db.close()
        if size is None:
            _remove_if_empty(path)  # created here and never written (a full disk): leave no empty file behind
        raise
    check = None
    if checked and not checked_before(path):
        check = IntegrityCheck(_uri(path, mode="ro"), path, BUSY_TIMEOUT_MS / 1000)

    def note_checked() -> None:  # what changed since the check is this process's own writes, through SQLite
        if _still_at(path, identity):
            remember_checked(path)

    return Store(db, path, identity=identity, check=check, on_close=note_checked)


def _still_at(path: Path, identity: tuple[int, int]) -> bool:
    try:
        return _identity(path) == identity
    except OSError:
        return False


def _set_up(db: sqlite3.Connection, path: Path) -> None:
    """WAL mode, full sync and the latest schema; retried while another process starting at the same moment
    holds the locks (two processes switching a new file to WAL at once can make SQLite give up at once)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")  # an answer survives power loss, not only a crash
            migrate(db)
            return
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() < deadline:
                time.sleep(random.uniform(0.01, 0.05))
                continue
            raise translate(exc, path, writing=True) from None


def _remove_if_empty(path: Path) -> None:
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


# --------------------------------------------------------------------------- reading only


def _empty_store(path: Path) -> Store:
    """A store with no history, in memory: what a reader sees when there is no state file yet."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db)
    return Store(db, path, readonly=True)


def _open_reading(path: Path) -> Store:
    home = path.parent
    if not _check_home_kind(home):
        return _empty_store(path)
    if os.access(home, os.W_OK | os.X_OK):
        finish_interrupted_move(path)
        rescue_orphaned_log(path)
    size = _inspect(path)
    if not size:
        return _empty_store(path)
    uri = _uri(path, mode="ro")
    try:
        ro, schema, _ = _read_existing(path, size, uri)
    except StateError:
        if os.access(home, os.W_OK) or _has_log(path):
            raise
        # a read-only directory without the file's shared-memory index: SQLite cannot make one, so read
        # the file as it is (there is no log beside it, so nothing newer can be missed)
        uri = _uri(path, mode="ro", immutable="1")
        ro, schema, _ = _read_existing(path, size, uri)
    if _is_blank(schema):
        ro.close()
        return _empty_store(path)
    if schema.version < SCHEMA_VERSION:
        ro.close()
        if not os.access(home, os.W_OK | os.X_OK) or not os.access(path, os.W_OK):
            raise ReadOnlyStateError(
                f"state file {path} was written by an older dlquiz (schema version {schema.version}) and must be "
                f"upgraded, which needs write access to {home}; run this once where it is writable"
            )
        return _open_writing(path)
    identity = _identity(path)
    check = None if checked_before(path) else IntegrityCheck(uri, path, BUSY_TIMEOUT_MS / 1000)
    return Store(ro, path, readonly=True, identity=identity, check=check)


def _has_log(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0

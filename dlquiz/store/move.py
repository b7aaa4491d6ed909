"""Moving the state file aside (``reset``, ``repair``) as one step, and finding what a crash left behind.

The answers of a state file live in up to three files: ``state.db``, its write-ahead log ``state.db-wal``
(answers not yet copied into the file) and the log's index ``state.db-shm``. Renaming them one by one is
not one step, and a log left without its file is deleted by SQLite the next time it opens a new file. So:

1. when the file is a sound SQLite database, its log is first copied into it (a checkpoint) while dlquiz
   holds its write lock, so the file moved aside holds every answer by itself and no other session can
   write between the checkpoint and the move;
2. the move is written down first (``.state.db.moving``: where to), then the three files are renamed, then
   the note is removed. Whoever opens the state next finishes a move that a crash interrupted
   (:func:`finish_interrupted_move`), so every answer ends up beside the file it belongs to;
3. a log found without its file (left by an older dlquiz, or by hand) is never discarded
   (:func:`rescue_orphaned_log`): it is put back beside the moved-aside file it belongs to, or kept aside.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from dlquiz import faults
from dlquiz.errors import UserError
from dlquiz.notices import notify
from dlquiz.paths import state_path
from dlquiz.store.check import check_header, read_schema
from dlquiz.store.schema import APPLICATION_ID, BUSY_TIMEOUT_MS

COMPANIONS = ("", "-wal", "-shm")  # the file first: once it is gone, a new session cannot take its log
WAL_MAGIC = (0x377F0682, 0x377F0683)


def _with(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def intent_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.moving")


def move_aside(
    path: str | os.PathLike | None = None, stamp: str | None = None, label: str = "", then: Path | None = None
) -> Path | None:
    """Move the state file and its log aside to ``state-[label-]STAMP.db``, as one step; the new path, or None
    when there is no state file. ``then``: a file to rename into the state file's place once the old one is
    aside (repair's new file), in the same step."""
    path = Path(path) if path is not None else state_path()
    finish_interrupted_move(path)
    if not os.path.lexists(path):
        return None
    target = free_name(path, stamp, label)
    holder = _quiesce(path)
    try:
        try:
            _record(path, target, then)
        except UserError:
            raise UserError(f"cannot move {path} aside: cannot write in {path.parent}") from None
        faults.point("move")
        try:
            _carry_out(path, target, then)
        except _MoveError as exc:
            if os.path.lexists(path) and not os.path.lexists(target):  # nothing moved yet: nothing to finish
                _forget(path)
                raise UserError(f"cannot move {path} aside ({exc.why}); nothing changed") from None
            raise
        _forget(path)
    finally:
        if holder is not None:
            holder.close()
    return target


def free_name(path: Path, stamp: str | None = None, label: str = "") -> Path:
    """``state-[label-]STAMP.db`` beside ``path``, numbered if that name (or a companion) is taken."""
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    base = f"{path.stem}-{label + '-' if label else ''}{stamp}"
    target, n = path.with_name(base + path.suffix), 1
    while any(os.path.lexists(_with(target, s)) for s in COMPANIONS):
        n += 1
        target = path.with_name(f"{base}-{n}{path.suffix}")
    return target


def _quiesce(path: Path) -> sqlite3.Connection | None:
    """For a sound dlquiz database: checkpoint its log into it and hold its write lock (returned; closing it
    releases the lock). None for a file that cannot be checked: it is moved as it is, log and all."""
    try:
        size = path.stat().st_size
        if not size or check_header(path, size)[1] is not None:
            return None
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            sound = read_schema(probe).app_id == APPLICATION_ID
            sound = sound and probe.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            probe.close()
        if not sound:
            return None
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error):
        return None
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        pass  # busy or full: move it as it is, log and all (the note makes that one step too)
    return db


def _record(path: Path, target: Path, then: Path | None) -> None:
    from dlquiz.writing import write_text

    plan = {"target": target.name, "then": then.name if then else None}
    write_text(intent_path(path), json.dumps(plan) + "\n")


def _forget(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        intent_path(path).unlink()
    _sync(path.parent)


def _rename(source: Path, target: Path) -> None:
    """Rename unless the target is taken; a source already gone (moved by another process) is fine."""
    if not os.path.lexists(source) or os.path.lexists(target):
        return
    faults.point("rename")
    try:
        os.rename(source, target)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _MoveError(
            f"cannot move {source} aside: {exc.strerror or exc}; nothing is lost (the move is finished the next "
            "time dlquiz opens the state)",
            exc.strerror or str(exc),
        ) from None


class _MoveError(UserError):
    def __init__(self, message: str, why: str):
        super().__init__(message)
        self.why = why


def _carry_out(path: Path, target: Path, then: Path | None) -> None:
    for suffix in COMPANIONS:
        _rename(_with(path, suffix), _with(target, suffix))
    if then is not None:
        _rename(then, path)
    _sync(path.parent)


def _sync(directory: Path) -> None:
    from dlquiz.writing import _sync_directory

    _sync_directory(directory)


def finish_interrupted_move(path: Path) -> None:
    """Finish a move aside that a crash interrupted (its note is still there); nothing if there is none."""
    note = intent_path(path)
    if not os.path.lexists(note):
        return
    try:
        plan = json.loads(note.read_text(encoding="utf-8"))
        target = path.with_name(plan["target"])
        then = path.with_name(plan["then"]) if plan.get("then") else None
        if target.name != plan["target"] or (then is not None and then.name != plan["then"]):
            raise ValueError("not a file name")  # a name with a directory in it: not written by dlquiz
    except (OSError, ValueError, KeyError, TypeError) as exc:
        kept = free_name(note, label="unreadable")
        _rename(note, kept)
        notify(f"kept an unreadable note of an interrupted reset as {kept} ({exc}); nothing was moved")
        return
    if os.path.lexists(target) and os.path.lexists(path):
        _forget(path)  # the move was finished, and a new state file was made since: it is not ours to move
        return
    try:
        _carry_out(path, target, then)
    except _MoveError as exc:
        if os.path.lexists(path) and not os.path.lexists(target):  # it cannot be moved: give the move up
            _forget(path)
            notify(f"gave up an interrupted move of {path} ({exc.why}); nothing was moved")
            return
        raise
    _forget(path)
    notify(f"finished moving the old state aside (an earlier reset or repair was interrupted): it is in {target}")


# --------------------------------------------------------------------------- a log without its file


def _is_log(wal: Path) -> bool:
    try:
        with open(wal, "rb") as handle:
            head = handle.read(32)
    except OSError:
        return False
    return len(head) == 32 and int.from_bytes(head[:4], "big") in WAL_MAGIC


def rescue_orphaned_log(path: Path) -> None:
    """A log beside a missing or empty state file belongs to another file (SQLite would delete it when it
    opens a new one): put it back beside the moved-aside file it fits, or keep it aside; never lose it."""
    wal = _with(path, "-wal")
    try:
        if os.path.lexists(path) and path.stat().st_size > 0:
            return
        if not wal.is_file() or wal.stat().st_size == 0:
            return
    except OSError:
        return
    home = path.parent
    candidates = [f for f in home.glob(f"{path.stem}-*{path.suffix}") if f.is_file() and f.stat().st_size > 0]
    candidates = [f for f in candidates if not _holds_log(_with(f, "-wal"))]
    candidates.sort(key=lambda f: f.stat().st_mtime, reverse=True)
    for candidate in candidates if _is_log(wal) else []:
        gained = _answers_gained(candidate, wal)
        if gained is not None:
            for suffix in ("-wal", "-shm"):  # an empty log and its index: nothing in them to keep
                _with(candidate, suffix).unlink(missing_ok=True)
            _rename(wal, _with(candidate, "-wal"))
            _with(path, "-shm").unlink(missing_ok=True)  # the log's index: SQLite rebuilds it from the log
            _sync(home)
            notify(
                f"found the write-ahead log of {candidate.name} beside a missing {path.name} (a reset was "
                f"interrupted) and put it back beside that file: {gained} answers only the log held are in it again"
            )
            return
    kept = _with(free_name(path, label="orphaned-log"), "-wal")
    _rename(wal, kept)
    notify(
        f"kept a write-ahead log found without its state file as {kept}: it may hold answers; to read them, "
        f"put it beside the file it belongs to, named <that file>-wal"
    )


def _holds_log(wal: Path) -> bool:
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _answers_gained(candidate: Path, wal: Path) -> int | None:
    """How many answers ``wal`` adds to ``candidate`` if it fits it (sound result, the file's log kept
    whole); None if it does not fit. Both are read as copies: opening a file can create companions."""
    with tempfile.TemporaryDirectory(dir=candidate.parent, prefix=".dlquiz-rescue-") as tmp:
        alone, trial = Path(tmp).resolve() / "alone.db", Path(tmp).resolve() / "trial.db"
        shutil.copyfile(candidate, alone)
        shutil.copyfile(candidate, trial)
        shutil.copyfile(wal, _with(trial, "-wal"))
        before = _answers(f"{alone.as_uri()}?immutable=1")
        if before is None:
            return None
        try:
            db = sqlite3.connect(f"{trial.as_uri()}?mode=ro", uri=True)
            try:
                sound = db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
                if not sound or read_schema(db).app_id != APPLICATION_ID:
                    return None
            finally:
                db.close()
        except sqlite3.Error:
            return None
        after = _answers(f"{trial.as_uri()}?mode=ro")
    if after is None or not before.items() <= after.items():
        return None
    return len(after) - len(before)


def _answers(uri: str) -> dict[int, tuple] | None:
    """The review log by id (an empty file or one without a log yet: {}); None if it cannot be read."""
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    try:
        if "reviews" not in read_schema(db).tables:
            return {}
        return {row[0]: row[1:] for row in db.execute("SELECT id, question_id, answered_at_ms, rating FROM reviews")}
    except sqlite3.Error:
        return None
    finally:
        db.close()


def settings_kept_in(moved: Path) -> dict[str, str]:
    """The settings stored in a file that was moved aside ({} when it has none or cannot be read), read
    without writing anything beside it. A sound file was checkpointed before the move, so it holds them all."""
    try:
        db = sqlite3.connect(f"{moved.resolve().as_uri()}?immutable=1", uri=True)
    except (OSError, sqlite3.Error):
        return {}
    try:
        if read_schema(db).app_id != APPLICATION_ID:
            return {}
        return {str(name): str(value) for name, value in db.execute("SELECT name, value FROM settings")}
    except sqlite3.Error:
        return {}
    finally:
        db.close()

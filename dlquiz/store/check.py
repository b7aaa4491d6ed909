"""Checking a state file before dlquiz trusts it: the header, the schema, then every page and value.

Three levels, cheapest first:

1. :func:`check_header`: the first 100 bytes and the size, read as plain bytes (a text file, a file cut
   short, a file that is not a whole number of pages);
2. :func:`read_schema`: the schema version, the application id and every table's columns, read in one
   read transaction so that a migration committing meanwhile is seen whole or not at all;
   :func:`schema_problems` compares them with what dlquiz's own migrations create;
3. :class:`IntegrityCheck`: SQLite's ``PRAGMA quick_check`` (every b-tree page, every record's format)
   and a scan for values dlquiz could not use (a state of 7, a text due date), run in a background
   thread on its own connection while the command starts, and waited for before the first write.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dlquiz.store.errors import TRANSIENT_PAUSES, StateBusyError, StateError, damaged, one_line, translate
from dlquiz.store.schema import migrate
from dlquiz.wording import plural

if TYPE_CHECKING:
    from dlquiz.model import CardState

STATES = (1, 2, 3)  # FSRS's Learning, Review, Relearning (dlquiz.model.CardKind)

SQLITE_MAGIC = b"SQLite format 3\x00"


# --------------------------------------------------------------------------- 1. bytes


def page_size(header: bytes) -> int | None:
    """The page size the header gives, None if it is not a valid one."""
    size = int.from_bytes(header[16:18], "big")
    size = 65536 if size == 1 else size
    return size if 512 <= size <= 65536 and size & (size - 1) == 0 else None


def truncation(header: bytes, size: int) -> str | None:
    """'truncated (…)' when the file is shorter than its header says (and the header's count is current)."""
    pages = int.from_bytes(header[28:32], "big")
    psize = page_size(header)
    size_is_valid = header[92:96] == header[24:28]  # the header's page count is current (SQLite ≥ 3.7)
    if psize and size_is_valid and size < pages * psize:
        return f"truncated: {size} bytes, its header says {pages * psize}"
    return None


def check_header(path: Path, size: int) -> tuple[bytes, str | None]:
    """The file's first 100 bytes and, if they already show it unusable, why (else None)."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if header[:16] != SQLITE_MAGIC[: len(header[:16])]:
        return header, "not an SQLite file"
    if len(header) < 100:
        return header, "truncated: shorter than an SQLite header"
    psize = page_size(header)
    if psize is None:
        return header, "its header gives no valid page size"
    if size % psize:
        return header, f"truncated or extended: {size} bytes is not a whole number of {psize}-byte pages"
    return header, None


# --------------------------------------------------------------------------- 2. schema


@dataclass(frozen=True)
class Schema:
    """What one read transaction saw of a database's schema."""

    version: int
    app_id: int
    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # table → column → 1 if in the key

    @property
    def tables(self) -> set[str]:
        return set(self.columns)


def read_schema(db: sqlite3.Connection) -> Schema:
    """The schema version, application id and tables' columns, all from one snapshot."""
    started = not db.in_transaction
    if started:
        db.execute("BEGIN")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {
            name: {row[1]: int(row[5] > 0) for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))}
            for name in names
            if not name.startswith("sqlite_")
        }
    finally:
        if started and db.in_transaction:
            db.execute("COMMIT")
    return Schema(version, app_id, columns)


@cache
def expected_schema(version: int) -> Schema:
    """The schema dlquiz's own migrations create up to ``version`` (built in memory, once per process)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(db, target=version)
        return read_schema(db)
    finally:
        db.close()


def schema_problems(found: Schema) -> list[str]:
    """What the file lacks of the schema its version promises (tables, columns, keys); [] if nothing."""
    want = expected_schema(found.version)
    problems = []
    for table, columns in want.columns.items():
        have = found.columns.get(table)
        if have is None:
            problems.append(f"no table '{table}'")
            continue
        missing = [name for name in columns if name not in have]
        if missing:
            problems.append(f"table '{table}' has no column {', '.join(repr(m) for m in missing)}")
        keys = [name for name, key in columns.items() if key and have.get(name) == 0]
        if keys:
            problems.append(f"table '{table}' lost its key on {', '.join(keys)}")
    return problems


# --------------------------------------------------------------------------- 3. pages and values

# Values dlquiz relies on, as SQL conditions that hold for every good row (checked by a scan in the
# background: a bad row would otherwise fail, or mislead, in the middle of a command).
CARD_RULES = {
    "new": "new IN (0, 1)",
    "state": "state IN (1, 2, 3)",
    "step": "step IS NULL OR typeof(step) = 'integer'",
    "stability": "stability IS NULL OR typeof(stability) IN ('real', 'integer')",
    "difficulty": "difficulty IS NULL OR typeof(difficulty) IN ('real', 'integer')",
    "due_ms": "due_ms IS NULL OR typeof(due_ms) = 'integer'",
    "last_review_ms": "last_review_ms IS NULL OR typeof(last_review_ms) = 'integer'",
    "reps": "typeof(reps) = 'integer'",
    "lapses": "typeof(lapses) = 'integer'",
    "version": "typeof(version) = 'integer'",
}
# the log's columns the stats read (its covering index holds them: 0.25 s for a million answers); its card
# states (JSON) are checked where they are parsed (undo, rebuilds) and by repair, not at every start
REVIEW_RULES = {
    "rating": "rating IN (1, 2, 3, 4)",
    "answered_at_ms": "typeof(answered_at_ms) = 'integer'",
    "undone": "undone IN (0, 1)",
    "before_kind": "before_kind IS NULL OR before_kind IN (0, 1, 2, 3)",
}
SETTINGS_RULES = {"value": "typeof(value) = 'text'"}


def value_problems(db: sqlite3.Connection, limit: int = 3) -> list[str]:
    """Rows with values dlquiz cannot use, described ("cards row 'x': state = 7"); [] if none.

    One scan per table: the rules are checked together, and only a bad row's columns are named.
    """
    problems: list[str] = []
    present = read_schema(db).columns
    for table, key, rules in (
        ("cards", "question_id", CARD_RULES),
        ("reviews", "id", REVIEW_RULES),
        ("settings", "name", SETTINGS_RULES),
    ):
        columns = [c for c in rules if c in present.get(table, ())]
        if not columns:
            continue
        oks = [f"coalesce({rules[c]}, 0)" for c in columns]
        rows = db.execute(
            f"SELECT {key}, {', '.join(oks)}, {', '.join(f'quote({c})' for c in columns)} FROM {table} "
            f"WHERE NOT ({' AND '.join(oks)}) LIMIT ?",
            (limit - len(problems),),
        ).fetchall()
        n = len(columns)
        for row in rows:
            bad = [f"{c} = {v}" for c, ok, v in zip(columns, row[1 : 1 + n], row[1 + n :], strict=True) if not ok]
            problems.append(f"{table} row {row[0]!r}: {', '.join(bad)}")
        if len(problems) >= limit:
            break
    return problems


# --------------------------------------------------------------------------- checked once per change
#
# A full check reads every page: 0.4 s for a file of a million answers. It is needed again only when the
# file changed since one passed, so a small note beside the file records what the file looked like then
# (device, inode, size and change time of the file and of its log: the change time cannot be set back by
# hand, unlike the modification time). A command that finds the note matching skips the check; a writer
# that opened a checked file records the note again when it closes (what changed since is its own
# writes, through SQLite). A missing, stale or unreadable note only costs a check.


def fingerprint(path: Path) -> list | None:
    """What the state file and its log look like now (None: no file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    parts: list = [info.st_dev, info.st_ino, info.st_size, info.st_ctime_ns]
    try:
        log = os.stat(path.with_name(path.name + "-wal"))
        parts += [log.st_ino, log.st_size, log.st_ctime_ns] if log.st_size else [None, None, None]
    except OSError:
        parts += [None, None, None]  # no log, or an empty one (a reader makes one): nothing in it either way
    return parts


def _note(path: Path) -> Path:
    return path.with_name(f".{path.name}.checked")


def checked_before(path: Path) -> bool:
    """Whether a full check passed on the file exactly as it is now."""
    try:
        return json.loads(_note(path).read_text(encoding="utf-8")) == fingerprint(path)
    except (OSError, ValueError):
        return False


def remember_checked(path: Path, seen: list | None = None) -> None:
    """Note that the file, as ``seen`` (default: as it is now), passed a check; nothing if it changed since."""
    now = fingerprint(path)
    if now is None or (seen is not None and seen != now):
        return
    note = _note(path)
    temporary = note.with_name(f"{note.name}.{os.getpid()}")
    try:  # not synced: a note lost in a crash costs one check
        temporary.write_text(json.dumps(now), encoding="utf-8")
        os.replace(temporary, note)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


class IntegrityCheck:
    """``PRAGMA quick_check`` and the value scan of one file, run in a thread on a read-only connection.

    :meth:`result` waits for it: None when the file is sound, else the StateError to raise (damage, or
    the reason the check itself could not read the file). :meth:`cancel` stops it early.
    """

    def __init__(self, uri: str, path: Path, timeout: float):
        self.path = path
        self._seen = fingerprint(path)  # before the check reads: a change during it makes the note stale
        self._outcome: StateError | None = None
        self._db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
        self._thread = threading.Thread(target=self._run, name="dlquiz-state-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with contextlib.suppress(AttributeError, OSError):  # lowest priority (Linux): the command starts first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        for pause in (*TRANSIENT_PAUSES, None):  # a file another process is creating or closing can fail a read
            try:
                self._outcome = self._check()
                if self._outcome is None:
                    remember_checked(self.path, self._seen)
                return
            except sqlite3.Error as exc:
                outcome = translate(exc, self.path)
                if self._db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                if pause is None or not (outcome.transient or isinstance(outcome, StateBusyError)):
                    self._outcome = outcome
                    return
                time.sleep(pause)

    def _check(self) -> StateError | None:
        self._db.execute("BEGIN")
        try:
            found = [row[0] for row in self._db.execute("PRAGMA quick_check(5)")]
            if found != ["ok"]:
                lines = [line for row in found for line in row.splitlines() if line.strip() and "***" not in line]
                more = len(lines) - 1
                extra = f" and {plural(more, 'more problem')}" if more else ""
                return damaged(self.path, one_line(lines[0], 100) + extra)
            bad = value_problems(self._db)
            return damaged(self.path, "bad values: " + "; ".join(bad)) if bad else None
        finally:
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    def result(self) -> StateError | None:
        if self._thread.is_alive() and self._thread.native_id is not None:
            with contextlib.suppress(OSError):  # the command now waits for it: its normal priority back, if allowed
                os.setpriority(os.PRIO_PROCESS, self._thread.native_id, 0)
        self._thread.join()
        self._close()
        return self._outcome

    def finished(self) -> bool:
        return not self._thread.is_alive()

    def cancel(self) -> None:
        if self._thread.is_alive():
            self._db.interrupt()
        self._thread.join()
        self._close()

    def _close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


def card_from_json(text: str) -> CardState:
    """The state a log row holds; ValueError if the text is not one (damage: the caller names the file)."""
    from dlquiz.model import CardState

    try:
        return checked_card(CardState(**json.loads(text)))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a card state: {str(text)[:80]!r}") from exc


def checked_card(card: CardState) -> CardState:
    """``card`` if its fields have the types dlquiz relies on; else ValueError naming the first bad one."""

    def whole(x) -> bool:
        return type(x) is int

    def number(x) -> bool:
        return type(x) in (int, float)

    rules = {
        "new": type(card.new) is bool,
        "state": whole(card.state) and card.state in STATES,
        "step": card.step is None or whole(card.step),
        "stability": card.stability is None or number(card.stability),
        "difficulty": card.difficulty is None or number(card.difficulty),
        "due_ms": whole(card.due_ms) if not card.new else card.due_ms is None or whole(card.due_ms),
        "last_review_ms": card.last_review_ms is None or whole(card.last_review_ms),
        "reps": whole(card.reps),
        "lapses": whole(card.lapses),
    }
    bad = next((name for name, ok in rules.items() if not ok), None)
    if bad is not None:
        raise ValueError(f"{bad} = {getattr(card, bad)!r}")
    return card

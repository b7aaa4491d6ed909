"""Recovering what can be read from a damaged state file into a new one (``dlquiz repair``).

The damaged file is never written: it is copied into a temporary directory and read there (SQLite may
need to write to read a log). A new state file is built beside it with dlquiz's current schema:

- every setting whose row can be read;
- every row of the review log that can be read and holds values dlquiz can use (ids kept, so the log's
  order and undo marks survive); rows behind an unreadable page are skipped, not the rest of the table;
- every card row that can be read and is valid; a card whose row is lost or invalid is rebuilt from its
  log (the state after its latest answer still in force, :meth:`Store.rebuild_card`);
- the columns and tables later migrations added, copied as they are where they can be read.

Then the damaged file is moved aside (``state-damaged-STAMP.db``) and the new one takes its place, as one
step (:func:`dlquiz.store.move.move_aside`). :class:`RepairReport` says what was recovered and what not.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import CardState, kind_number
from dlquiz.paths import state_path
from dlquiz.store.check import IntegrityCheck, card_from_json, read_schema
from dlquiz.store.database import CARD_COLUMNS, Store, card_state
from dlquiz.store.errors import DamagedStateError, StateError
from dlquiz.store.move import free_name, move_aside
from dlquiz.store.opening import open_state
from dlquiz.store.schema import BUSY_TIMEOUT_MS

ROWID_LIMIT = 2**62


@dataclass
class RepairReport:
    """What a repair did. ``old``: where the damaged file now is; ``problem``: what was wrong with it."""

    old: Path
    new: Path
    problem: str
    settings: int = 0
    reviews: int = 0
    reviews_lost: int = 0  # log rows that existed (by their ids) but could not be read
    bad_rows: int = 0  # rows read but holding values dlquiz cannot use
    cards: int = 0  # card rows kept as they were
    cards_rebuilt: int = 0  # cards rebuilt from the log
    unreadable: list[str] = field(default_factory=list)  # tables (or parts) that could not be read


def diagnose(path: Path) -> str | None:
    """What is wrong with the state file at ``path`` (None: it is sound); a UserError if it is not a dlquiz
    file at all (nothing to repair)."""
    if not path.exists():
        raise UserError(f"there is no state file at {path}; nothing to repair")
    try:
        with open_state(path, readonly=True) as store:
            store.verify()
            # every page again, even if a note says a check passed: repair is asked when something looks wrong
            problem = IntegrityCheck(f"{path.resolve().as_uri()}?mode=ro", path, BUSY_TIMEOUT_MS / 1000).result()
            if problem is not None:
                raise problem
            return _bad_log_row(store.db)
    except DamagedStateError as exc:
        return exc.why


def _bad_log_row(db: sqlite3.Connection) -> str | None:
    """The first log row whose card states cannot be read (the quick check at opening does not parse them)."""
    for rid, before, after in db.execute("SELECT id, before, after FROM reviews"):
        for text in (before, after):
            try:
                card_from_json(text)
            except ValueError as exc:
                return f"review {rid}: {exc}"
    return None


def repair(path: Path | None = None) -> RepairReport | None:
    """Recover the damaged state file at ``path`` (default: the user's) into a new one; None if it is sound."""
    path = Path(path) if path is not None else state_path()
    problem = diagnose(path)
    if problem is None:
        return None
    new = path.with_name(f".{path.name}.repaired")
    for suffix in ("", "-wal", "-shm"):
        new.with_name(new.name + suffix).unlink(missing_ok=True)  # left by a repair that was interrupted
    report = RepairReport(old=free_name(path, label="damaged"), new=path, problem=problem)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dlquiz-repair-") as tmp:
        copy = Path(tmp) / "damaged.db"
        shutil.copyfile(path, copy)
        if path.with_name(path.name + "-wal").exists():
            shutil.copyfile(path.with_name(path.name + "-wal"), copy.with_name(copy.name + "-wal"))
        try:
            source = sqlite3.connect(str(copy), isolation_level=None)
            # read what the pages hold even when the header promises more pages than the file has
            source.execute("PRAGMA writable_schema = ON")
        except sqlite3.Error as exc:
            raise StateError(f"cannot read {path} to repair it ({exc})") from None
        try:
            _rebuild(source, new, report)
        finally:
            source.close()
    moved = move_aside(path, label="damaged", then=new)
    report.old = moved or report.old
    return report


def _rebuild(source: sqlite3.Connection, new: Path, report: RepairReport) -> None:
    try:
        found = read_schema(source).columns
    except sqlite3.Error as exc:
        found = {}
        report.unreadable.append(f"the list of tables ({exc})")
    with open_state(new) as target:
        wanted = read_schema(target.db).columns
        target.db.execute("BEGIN IMMEDIATE")
        try:
            _copy_settings(source, target, found, report)
            _copy_reviews(source, target, found, report)
            for table in sorted(set(wanted) - {"cards", "reviews", "settings"}):  # before the cards: a card
                _copy_as_is(source, target, table, found, wanted, report)  # rebuilt from its log needs its resets
            _copy_cards(source, target, found, wanted, report)
            target.db.execute("COMMIT")
        except BaseException:
            target.db.execute("ROLLBACK")
            raise
        target.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def salvage(db: sqlite3.Connection, table: str, columns: list[str]) -> tuple[list[tuple], bool]:
    """The rows of ``table`` that can be read, in rowid order, skipping stretches behind unreadable pages;
    and whether any part could not be read.

    After a failure the scan resumes at the nearest rowid from which it reads again: found by doubling a
    jump, then halving it back; a rowid that does not grow (a damaged page can repeat rows) is a failure
    too, so every round makes progress and the scan ends.
    """
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    rows: list[tuple] = []
    after, damaged = -ROWID_LIMIT, False
    while True:
        try:
            for row in db.execute(sql, (after,)):
                if row[0] <= after:
                    raise sqlite3.DatabaseError("rowids out of order")
                rows.append(row[1:])
                after = row[0]
            return rows, damaged
        except sqlite3.DatabaseError:
            damaged = True
            resume = _next_readable(db, table, after)
            if resume is None:
                return rows, damaged
            after = resume - 1


def _reads_from(db: sqlite3.Connection, table: str, start: int) -> bool:
    """Whether the row at or after rowid ``start`` can be reached and read."""
    try:
        db.execute(f'SELECT * FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1', (start,)).fetchall()
    except sqlite3.DatabaseError:
        return False
    return True


def _next_readable(db: sqlite3.Connection, table: str, after: int) -> int | None:
    """A rowid beyond ``after`` from which the table reads again (the smallest the halving finds), None if
    none: the jump doubles until a read works, then is halved back towards the failure."""
    base = max(after, 0)
    step = 1
    while not _reads_from(db, table, base + step + 1):
        step *= 2
        if base + step >= ROWID_LIMIT:
            return None
    low, high = base + step // 2, base + step  # reading from low + 1 failed (or is the start), from high + 1 works
    while high - low > 1:
        middle = (low + high) // 2
        if _reads_from(db, table, middle + 1):
            high = middle
        else:
            low = middle
    return high + 1


def _common(table: str, found: dict, wanted: list[str]) -> list[str]:
    return [c for c in wanted if c in found.get(table, {})]


def _copy_settings(source, target: Store, found: dict, report: RepairReport) -> None:
    if "settings" not in found:
        report.unreadable.append("the settings (no table)")
        return
    rows, broken = salvage(source, "settings", ["name", "value"])
    for name, value in rows:
        if isinstance(name, str) and isinstance(value, str):
            target.db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (name, value))
            report.settings += 1
        else:
            report.bad_rows += 1
    if broken:
        report.unreadable.append("part of the settings")


def _copy_reviews(source, target: Store, found: dict, report: RepairReport) -> None:
    if "reviews" not in found:
        report.unreadable.append("the review log (no table)")
        return
    columns = ["id", "question_id", "rating", "mode", "answered_at_ms", "duration_ms", "before", "after", "undone"]
    missing = [c for c in columns if c not in found["reviews"]]
    if missing:
        report.unreadable.append(f"the review log (no column {', '.join(missing)})")
        return
    rows, broken = salvage(source, "reviews", columns)
    highest = 0
    for row in rows:
        rid, qid, rating, mode, at, duration, before, after, undone = row
        try:
            valid = (
                type(rid) is int
                and isinstance(qid, str)
                and rating in (1, 2, 3, 4)
                and isinstance(mode, str)
                and type(at) is int
                and (duration is None or type(duration) is int)
                and undone in (0, 1)
            )
            before, after = _lenient_state(before), _lenient_state(after)
        except (ValueError, TypeError):
            valid = False
        if not valid:
            report.bad_rows += 1
            continue
        target.db.execute(
            "INSERT INTO reviews (id, question_id, rating, mode, answered_at_ms, duration_ms, before, after, undone, "
            "before_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, qid, rating, mode, at, duration, before.to_json(), after.to_json(), undone, kind_number(before)),
        )
        report.reviews += 1
        highest = max(highest, rid)
    # ids grow by one per answer and are never reused, so the highest id given (the log's sequence) counts
    # the answers that existed; without it, answers after the last one read could be missing unseen
    try:
        seq = source.execute("SELECT seq FROM sqlite_sequence WHERE name = 'reviews'").fetchone()
        known = seq[0] if seq and type(seq[0]) is int else None
    except sqlite3.Error:
        known = None
    if known is None and broken:
        lost = f"any answers after the last one read (id {highest})" if highest else "the review log (unreadable)"
        report.unreadable.append(lost)
    known = max(known or 0, highest)
    report.reviews_lost = max(0, known - report.reviews - report.bad_rows)
    if known > highest:  # the next answer continues after the highest id that existed
        target.db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'reviews'", (known,))


def _copy_cards(source, target: Store, found: dict, wanted: dict, report: RepairReport) -> None:
    known = ["question_id", *(c.strip() for c in CARD_COLUMNS.split(",")), "version"]
    extra = [c for c in _common("cards", found, list(wanted["cards"])) if c not in known]
    kept: set[str] = set()
    if "cards" in found and all(c in found["cards"] for c in known):
        rows, broken = salvage(source, "cards", known + extra)
        for row in rows:
            qid, state, version = row[0], row[1 : len(known) - 1], row[len(known) - 1]
            try:
                card_state(state)
                valid = isinstance(qid, str) and type(version) is int and version > 0 and qid not in kept
            except (ValueError, TypeError):
                valid = False
            if not valid:
                report.bad_rows += 1
                continue
            names = ", ".join(f'"{c}"' for c in known + extra)
            target.db.execute(f"INSERT INTO cards ({names}) VALUES ({', '.join('?' * len(row))})", row)
            kept.add(qid)
            report.cards += 1
    logged = [row[0] for row in target.db.execute("SELECT DISTINCT question_id FROM reviews ORDER BY question_id")]
    for qid in logged:
        if qid in kept:
            continue
        writes = target.db.execute(
            "SELECT count(*) + sum(undone) FROM reviews WHERE question_id = ?", (qid,)
        ).fetchone()[0]
        target._write_card(qid, target.rebuild_card(qid), writes - 1)  # version = writes the card has seen
        report.cards_rebuilt += 1


def _lenient_state(text) -> CardState:
    """A card state from a log row, ignoring keys dlquiz does not know (the known ones must all be valid)."""
    import dataclasses
    import json

    fields = json.loads(text)
    if not isinstance(fields, dict):
        raise ValueError("not an object")
    known = {f.name for f in dataclasses.fields(CardState)}
    return card_from_json(json.dumps({k: v for k, v in fields.items() if k in known}))


def _copy_as_is(source, target: Store, table: str, found: dict, wanted: dict, report: RepairReport) -> None:
    """A table a later migration added: the columns both files have, copied where they can be read."""
    columns = _common(table, found, list(wanted[table]))
    if not columns:
        report.unreadable.append(f"table {table} (missing)")
        return
    rows, broken = salvage(source, table, columns)
    names = ", ".join(f'"{c}"' for c in columns)
    for row in rows:
        try:
            target.db.execute(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})', row)
        except sqlite3.Error:
            report.bad_rows += 1
    if broken:
        report.unreadable.append(f"part of table {table}")

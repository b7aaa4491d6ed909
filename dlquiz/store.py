"""The learner's state: one SQLite file with the cards, the review log and the settings.

Three tables:

- ``cards``: question id → its scheduling state (FSRS state, step, stability, difficulty, due as epoch
  milliseconds, last review, reps, lapses, a ``new`` flag) and a ``version`` that grows by one on every
  write, so an answer computed from an older version can be refused instead of merged;
- ``reviews``: the append-only log, one row per answer with the card's state before and after it (JSON),
  so undo restores a card exactly and any card can be rebuilt from its log; an undone answer keeps its
  row, marked ``undone``;
- ``settings``: name → value (text).

The file is opened in WAL mode with a busy timeout, so a second session can work beside the first;
every answer is one short ``BEGIN IMMEDIATE`` transaction. The schema grows by ``PRAGMA user_version``
migrations, one function per step. A file that is not a dlquiz database, is truncated, or comes from a
newer dlquiz is never written to: opening it raises a UserError naming it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import (
    NEW_CARD,
    CardState,
    StoredCard,
    kind_number,
)
from dlquiz.paths import state_path

APPLICATION_ID = 0x444C515A  # "DLQZ" in ASCII, written into the file header by the first migration
BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"


class StaleCardError(UserError):
    """The card changed (in another session) after its answer buttons were computed."""


class StateBusyError(UserError):
    """Another process kept the state file locked for longer than the busy timeout; nothing was written."""


@dataclass(frozen=True)
class CardMark:
    """What keeps a card out of the review queue: suspended (by hand, or as a leech), or buried until an instant.

    ``leech`` stays set when a leech is unsuspended by hand, as Anki keeps its leech tag.
    """

    suspended: bool = False
    leech: bool = False
    buried_until_ms: int | None = None

    def hidden(self, at_ms: int) -> bool:
        """Out of the queue at ``at_ms``."""
        return self.suspended or (self.buried_until_ms is not None and at_ms < self.buried_until_ms)


NO_MARK = CardMark()


@dataclass(frozen=True)
class Review:
    """One row of the review log."""

    id: int
    question_id: str
    rating: int
    mode: str
    answered_at_ms: int
    duration_ms: int | None
    before: CardState
    after: CardState
    undone: bool


# --------------------------------------------------------------------------- migrations


def _migrate_1(db: sqlite3.Connection) -> None:
    """The three tables."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(
        """CREATE TABLE cards (
            question_id TEXT PRIMARY KEY,
            new INTEGER NOT NULL,
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due_ms INTEGER,
            last_review_ms INTEGER,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL,
            version INTEGER NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL,
            rating INTEGER NOT NULL,
            mode TEXT NOT NULL,
            answered_at_ms INTEGER NOT NULL,
            duration_ms INTEGER,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _migrate_2(db: sqlite3.Connection) -> None:
    """Indexes for the due queue, the per-card log and stats by day."""
    db.execute("CREATE INDEX cards_due ON cards (due_ms)")
    db.execute("CREATE INDEX reviews_question ON reviews (question_id, id)")
    db.execute("CREATE INDEX reviews_answered ON reviews (answered_at_ms)")


def _migrate_3(db: sqlite3.Connection) -> None:
    """A plain column for what the card was before each answer (0 new, else its FSRS state), and an
    index that covers the stats queries, so they read the index instead of the wide log rows."""
    db.execute("ALTER TABLE reviews ADD COLUMN before_kind INTEGER")
    db.execute(
        "UPDATE reviews SET before_kind = CASE WHEN json_extract(before, '$.new') THEN 0 "
        "ELSE json_extract(before, '$.state') END"
    )
    db.execute("DROP INDEX reviews_answered")
    db.execute("CREATE INDEX reviews_stats ON reviews (answered_at_ms, undone, before_kind, rating)")


def _migrate_4(db: sqlite3.Connection) -> None:
    """Every card rebuilt from its log by the scheduler's corrected rules (elapsed time and review dues in
    study days, strictly increasing review intervals); the log's before/after states rewritten to match."""
    from dlquiz.rebuild import rebuild_memory_states  # it uses the scheduler, which imports this module

    rebuild_memory_states(db)


def _migrate_5(db: sqlite3.Connection) -> None:
    """Suspended, leech and buried cards: a mark per card, apart from its scheduling state and its log."""
    db.execute(
        """CREATE TABLE card_marks (
            question_id TEXT PRIMARY KEY,
            suspended INTEGER NOT NULL DEFAULT 0,
            leech INTEGER NOT NULL DEFAULT 0,
            buried_until_ms INTEGER
        )"""
    )


MIGRATIONS = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_4,
    _migrate_5,
)  # step i takes a file from user_version i to i + 1
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the open database up to ``target``, one step per transaction; returns the version reached."""
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version >= target:
                db.execute("COMMIT")
                return version
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


# --------------------------------------------------------------------------- opening safely


def _move_aside_hint(path: Path) -> str:
    return (
        f"dlquiz has not changed it. To start afresh, move it aside: mv '{path}' '{path}.bad' "
        f"(or run 'dlquiz reset'), or point DLQUIZ_HOME at another directory"
    )


def _unreadable(path: Path, why: str) -> UserError:
    return UserError(f"state file {path} {why}; {_move_aside_hint(path)}")


def _check_home(home: Path) -> None:
    """A clear message for a home that is missing, not a directory, or not writable."""
    from_env = bool(os.environ.get("DLQUIZ_HOME"))
    if not home.exists():
        if from_env:
            raise UserError(
                f"DLQUIZ_HOME is {home}, which does not exist; create it (mkdir -p '{home}') or unset DLQUIZ_HOME"
            )
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"cannot create the dlquiz data directory {home}: {exc.strerror}; set DLQUIZ_HOME to a writable directory"
            ) from None
    if not home.is_dir():
        raise UserError(f"the dlquiz home {home} is not a directory; set DLQUIZ_HOME to a writable directory")
    if not os.access(home, os.W_OK | os.X_OK):
        raise UserError(
            f"the dlquiz home {home} is read-only; make it writable or set DLQUIZ_HOME to a writable directory"
        )


def _truncation(header: bytes, size: int) -> str | None:
    """'is truncated (…)' when the file is shorter than its SQLite header says, else None."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_is_valid = header[92:96] == header[24:28]  # the header's page count is current (SQLite ≥ 3.7)
    if page_size and (size % page_size or (size_is_valid and size < pages * page_size)):
        return f"is truncated ({size} bytes, its header says {pages * page_size})"
    return None


def _check_file(path: Path) -> None:
    """Refuse, without writing, a file that is not an intact SQLite database of this dlquiz or older."""
    size = path.stat().st_size
    if size == 0:
        return  # an empty file is a fresh database to SQLite
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise _unreadable(path, "is not a dlquiz database (not an SQLite file)")
    if len(header) < 100:
        raise _unreadable(path, "is truncated (shorter than an SQLite header)")
    # SQLite reads the file together with its write-ahead log, whose pages may not be copied into the file
    # yet: a file shorter than its header says is only truncated if SQLite cannot read it either
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _unreadable(path, f"cannot be opened ({exc})") from None
    try:
        version = ro.execute("PRAGMA user_version").fetchone()[0]
        app_id = ro.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, _truncation(header, size) or f"is not a readable dlquiz database ({exc})") from None
    finally:
        ro.close()
    if version == 0 and tables:
        raise _unreadable(path, "is an SQLite database of some other program, not a dlquiz one")
    if version > 0 and app_id != APPLICATION_ID:
        raise _unreadable(path, "is an SQLite database of some other program, not a dlquiz one")
    if version > SCHEMA_VERSION:
        raise _unreadable(
            path,
            f"was written by a newer dlquiz (schema version {version}; this one knows up to {SCHEMA_VERSION}). "
            "Upgrade dlquiz to use it",
        )


def open_store(path: str | os.PathLike | None = None) -> Store:
    """Open (creating or migrating when needed) the state file; UserError if it cannot be used."""
    path = Path(path) if path is not None else state_path()
    _check_home(path.parent)
    if path.exists():
        if not path.is_file():
            raise UserError(f"state file {path} is not a regular file; {_move_aside_hint(path)}")
        _check_file(path)
    try:
        db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")  # an answer survives power loss, not only a crash
        migrate(db)
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "unable to open" in str(exc):
            raise UserError(
                f"cannot write the state file {path} ({exc}); make {path.parent} writable or set DLQUIZ_HOME"
            ) from None
        if "locked" in str(exc) or "busy" in str(exc):
            raise UserError(f"state file {path} is busy in another dlquiz session; try again when it is idle") from None
        raise
    return Store(db, path)


# --------------------------------------------------------------------------- the store


_CARD_COLUMNS = "new, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses"


def _card_state(row) -> CardState:
    new, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses = row
    return CardState(bool(new), state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses)


def _card_values(card: CardState) -> tuple:
    return (
        int(card.new),
        card.state,
        card.step,
        card.stability,
        card.difficulty,
        card.due_ms,
        card.last_review_ms,
        card.reps,
        card.lapses,
    )


_REVIEW_COLUMNS = "id, question_id, rating, mode, answered_at_ms, duration_ms, before, after, undone"


def _review(row) -> Review:
    rid, qid, rating, mode, at, duration, before, after, undone = row
    return Review(
        rid, qid, rating, mode, at, duration, CardState.from_json(before), CardState.from_json(after), bool(undone)
    )


class Store:
    """An open state file. Every write is one transaction; nothing is cached between calls."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self.db)

    # ---- cards

    def card(self, question_id: str) -> StoredCard:
        row = self.db.execute(
            f"SELECT {_CARD_COLUMNS}, version FROM cards WHERE question_id = ?", (question_id,)
        ).fetchone()
        if row is None:
            return StoredCard(question_id, NEW_CARD, 0)
        return StoredCard(question_id, _card_state(row[:-1]), row[-1])

    def cards(self) -> dict[str, StoredCard]:
        """Every card that has a row (answered at least once, or answered and undone)."""
        rows = self.db.execute(f"SELECT question_id, {_CARD_COLUMNS}, version FROM cards")
        return {row[0]: StoredCard(row[0], _card_state(row[1:-1]), row[-1]) for row in rows}

    def commit_answer(
        self,
        question_id: str,
        expected_version: int,
        before: CardState,
        after: CardState,
        rating: int,
        mode: str,
        answered_at_ms: int,
        duration_ms: int | None = None,
    ) -> int:
        """Save an answer and the card's new state in one transaction; returns the review's id.

        Raises StaleCardError, and saves nothing, if the card is no longer at ``expected_version``.
        """
        with self._transaction():
            self._claim(question_id, expected_version)
            self._write_card(question_id, after, expected_version)
            cursor = self.db.execute(
                "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after, before_kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    question_id,
                    rating,
                    mode,
                    answered_at_ms,
                    duration_ms,
                    before.to_json(),
                    after.to_json(),
                    kind_number(before),
                ),
            )
            return cursor.lastrowid

    def undo(self, review_id: int) -> StoredCard:
        """Restore the card to its state before this answer and mark the answer undone.

        Only the card's latest answer can be undone, and only if nothing changed the card since;
        otherwise StaleCardError.
        """
        with self._transaction():
            row = self.db.execute(f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
            if row is None or row[-1]:
                raise StaleCardError("that answer was already undone")
            review = _review(row)
            latest = self.db.execute(
                "SELECT max(id) FROM reviews WHERE question_id = ? AND undone = 0", (review.question_id,)
            ).fetchone()[0]
            current = self.card(review.question_id)
            if latest != review_id or current.state != review.after:
                raise StaleCardError(
                    f"'{review.question_id}' was answered again since (in another session); its answer cannot be undone here"
                )
            self._write_card(review.question_id, review.before, current.version)
            self.db.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))
        return self.card(review.question_id)

    def _claim(self, question_id: str, expected_version: int) -> None:
        version = self.db.execute("SELECT version FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        if (version[0] if version else 0) != expected_version:
            raise StaleCardError(
                f"'{question_id}' was changed by another dlquiz session since it was shown; its answer here was not saved"
            )

    def _write_card(self, question_id: str, card: CardState, old_version: int) -> None:
        self.db.execute(
            f"INSERT INTO cards (question_id, {_CARD_COLUMNS}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (question_id) DO UPDATE SET new = excluded.new, state = excluded.state, step = excluded.step, "
            "stability = excluded.stability, difficulty = excluded.difficulty, due_ms = excluded.due_ms, "
            "last_review_ms = excluded.last_review_ms, reps = excluded.reps, lapses = excluded.lapses, version = excluded.version",
            (question_id, *_card_values(card), old_version + 1),
        )

    # ---- the log

    def reviews(self, question_id: str | None = None, include_undone: bool = False) -> list[Review]:
        sql = f"SELECT {_REVIEW_COLUMNS} FROM reviews"
        where, args = [], []
        if question_id is not None:
            where.append("question_id = ?")
            args.append(question_id)
        if not include_undone:
            where.append("undone = 0")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_review(row) for row in self.db.execute(sql + " ORDER BY id", args)]

    def rebuild_card(self, question_id: str) -> CardState:
        """The card's state as its log says: the state after its latest answer still in force."""
        row = self.db.execute(
            "SELECT after FROM reviews WHERE question_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1", (question_id,)
        ).fetchone()
        return CardState.from_json(row[0]) if row else NEW_CARD

    def new_cards_since(self, since_ms: int) -> int:
        """How many cards were answered for the first time at or after ``since_ms`` (answers not undone)."""
        return self.db.execute(
            # coding exercises (implement:…) are scheduled like cards but are not the bank's new cards
            "SELECT count(*) FROM reviews WHERE answered_at_ms >= ? AND undone = 0 AND before_kind = 0 "
            "AND question_id NOT LIKE 'implement:%'",
            (since_ms,),
        ).fetchone()[0]

    # ---- suspended and buried cards

    def marks(self) -> dict[str, CardMark]:
        """Every card that carries a mark (suspended, leech or buried, now or once)."""
        rows = self.db.execute("SELECT question_id, suspended, leech, buried_until_ms FROM card_marks")
        return {qid: CardMark(bool(suspended), bool(leech), until) for qid, suspended, leech, until in rows}

    def set_marks(self, marks: dict[str, CardMark]) -> dict[str, CardMark]:
        """Give each card its mark in one transaction; returns the marks they had (for an exact undo)."""
        with self._transaction():
            before = self.marks()
            for qid, mark in marks.items():
                if mark == NO_MARK:
                    self.db.execute("DELETE FROM card_marks WHERE question_id = ?", (qid,))
                else:
                    self.db.execute(
                        "INSERT INTO card_marks (question_id, suspended, leech, buried_until_ms) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (question_id) DO UPDATE SET suspended = excluded.suspended, "
                        "leech = excluded.leech, buried_until_ms = excluded.buried_until_ms",
                        (qid, int(mark.suspended), int(mark.leech), mark.buried_until_ms),
                    )
        return {qid: before.get(qid, NO_MARK) for qid in marks}

    # ---- settings

    def settings(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, value FROM settings"))

    def set_setting(self, name: str, value: str) -> None:
        with self._transaction():
            self.db.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception (Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StateBusyError(
                    f"the state file is busy in another dlquiz process (waited {BUSY_TIMEOUT_MS // 1000} s); nothing was saved, try again"
                ) from None
            raise

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


# --------------------------------------------------------------------------- reset


def move_aside(path: str | os.PathLike | None = None, stamp: str | None = None) -> Path | None:
    """Rename the state file (and its -wal/-shm companions) to a timestamped name; returns the new path.

    Returns None when there is no state file. The file is never opened, so this also works on one that
    cannot be read.
    """
    import time

    path = Path(path) if path is not None else state_path()
    if not path.exists():
        return None
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}-{stamp}-{n}{path.suffix}")
    try:
        path.rename(target)
        for companion in ("-wal", "-shm"):
            extra = path.with_name(path.name + companion)
            if extra.exists():
                extra.rename(target.with_name(target.name + companion))
    except OSError as exc:
        raise UserError(f"cannot move {path} aside: {exc.strerror}") from None
    return target


# --------------------------------------------------------------------------- read-only (added for `dlquiz check`)


def stored_question_ids(path: str | os.PathLike | None = None) -> list[str]:
    """The question ids that have a card in the state file, read without writing; [] when there is none.

    The file is opened read-only (SQLite's ``mode=ro``): never created, migrated or written, so ``check``
    can look at it whatever state it is in. One that is not a readable dlquiz database is a UserError.
    """
    path = Path(path) if path is not None else state_path()
    if not path.exists():
        return []
    if not path.is_file():
        raise UserError(f"state file {path} is not a regular file")
    _check_file(path)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "cards" not in tables:
                return []
            return [row[0] for row in db.execute("SELECT question_id FROM cards")]
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise _unreadable(path, f"cannot be read ({exc})") from None

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
migrations, one function per step.

Opening, checking, moving aside and repairing the file live in their own modules
(:mod:`dlquiz.state_open`, :mod:`dlquiz.state_check`, :mod:`dlquiz.state_move`, :mod:`dlquiz.state_repair`);
:func:`open_store` and :func:`move_aside` here are their entry points. A file that is not a dlquiz database,
is damaged, or comes from a newer dlquiz is never written to: opening it raises a StateError naming it, and
every error a write can meet is a NotSavedError (:mod:`dlquiz.state_errors`).
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
from dlquiz.state_check import card_from_json, checked_card
from dlquiz.state_errors import (  # noqa: F401 (the errors every caller of the store catches, importable from here)
    DamagedStateError,
    DiskFullError,
    NotSavedError,
    ReadOnlyStateError,
    StaleCardError,
    StateBusyError,
    StateError,
    StateMovedError,
    damaged,
    translate,
)
from dlquiz.state_write import WriteTransaction

APPLICATION_ID = 0x444C515A  # "DLQZ" in ASCII, written into the file header by the first migration
BUSY_TIMEOUT_MS = 5000


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


# --------------------------------------------------------------------------- opening


def open_store(path: str | os.PathLike | None = None, *, readonly: bool = False) -> Store:
    """Open the state file (default: the user's), checked, creating or migrating it when needed.

    ``readonly=True`` is for commands that only read (stats, list, show): it never creates, adopts or
    changes a file, works in a read-only home, and gives an empty store when there is no history yet.
    Raises a StateError (a UserError) if the file cannot be used; see :mod:`dlquiz.state_open`.
    """
    from dlquiz.state_open import open_state

    return open_state(path, readonly=readonly)


# --------------------------------------------------------------------------- the store


_CARD_COLUMNS = "new, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses"


def _card_state(row) -> CardState:
    new, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses = row
    if new not in (0, 1):
        raise ValueError(f"new = {new!r}")
    return checked_card(CardState(bool(new), state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses))


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
    return Review(rid, qid, rating, mode, at, duration, card_from_json(before), card_from_json(after), bool(undone))


class Store:
    """An open state file. Every write is one transaction; nothing is cached between calls.

    ``readonly``: opened for a command that only reads (every write raises ReadOnlyStateError).
    ``identity``: (device, inode) of the file opened, to notice when it is moved aside under this process.
    ``check``: the background integrity check started at opening (:class:`dlquiz.state_check.IntegrityCheck`);
    :meth:`verify` waits for it, and every write transaction and the end of a ``with`` block call verify.
    ``on_close``: called after :meth:`close` when the file was found sound.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path,
        *,
        readonly: bool = False,
        identity: tuple[int, int] | None = None,
        check=None,
        on_close=None,
    ):
        self.db = db
        self.path = path
        self.readonly = readonly
        self.identity = identity
        self._check = check
        self._on_close = on_close  # called after closing a file found sound (state_open notes it as checked)
        self._problem: UserError | None = None

    def verify(self) -> None:
        """Wait for the check of every page and value started at opening; raise what it found (a
        DamagedStateError, usually). Cheap once done; every write calls it, so nothing is written into a
        damaged file."""
        if self._check is not None:
            check, self._check = self._check, None
            self._problem = check.result()
        if self._problem is not None:
            raise self._problem

    def close(self) -> None:
        sound = self._problem is None
        if self._check is not None:
            if self._check.finished():
                self._problem = self._check.result()
                sound = self._problem is None
            else:
                self._check.cancel()
                sound = False
            self._check = None
        self.db.close()
        if sound and self._on_close is not None:
            self._on_close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        """Closes the store; first, unless interrupted, waits for the check, so a command that read a damaged
        file (or failed reading it) reports the damage instead of its results or a raw SQLite error."""
        try:
            if kind is None or issubclass(kind, Exception):
                try:
                    self.verify()
                except StateError:
                    if kind is None or not issubclass(kind, StateError):
                        raise
        finally:
            self.close()

    def _transaction(self) -> WriteTransaction:
        return WriteTransaction(self)

    def _damaged(self, what: str, exc: Exception) -> DamagedStateError:
        return damaged(self.path, f"{what}: {exc}")

    # ---- cards

    def card(self, question_id: str) -> StoredCard:
        row = self.db.execute(
            f"SELECT {_CARD_COLUMNS}, version FROM cards WHERE question_id = ?", (question_id,)
        ).fetchone()
        if row is None:
            return StoredCard(question_id, NEW_CARD, 0)
        try:
            return StoredCard(question_id, _card_state(row[:-1]), row[-1])
        except ValueError as exc:
            raise self._damaged(f"card '{question_id}'", exc) from None

    def cards(self) -> dict[str, StoredCard]:
        """Every card that has a row (answered at least once, or answered and undone)."""
        found = {}
        for row in self.db.execute(f"SELECT question_id, {_CARD_COLUMNS}, version FROM cards"):
            try:
                found[row[0]] = StoredCard(row[0], _card_state(row[1:-1]), row[-1])
            except ValueError as exc:
                raise self._damaged(f"card '{row[0]}'", exc) from None
        return found

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
                "INSERT INTO reviews (question_id, rating, mode, answered_at_ms, duration_ms, before, after, "
                "before_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
            review = self._review(row)
            latest = self.db.execute(
                "SELECT max(id) FROM reviews WHERE question_id = ? AND undone = 0", (review.question_id,)
            ).fetchone()[0]
            current = self.card(review.question_id)
            if latest != review_id or current.state != review.after:
                raise StaleCardError(
                    f"'{review.question_id}' was answered again since (in another session); "
                    "its answer cannot be undone here"
                )
            self._write_card(review.question_id, review.before, current.version)
            self.db.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))
        return self.card(review.question_id)

    def _claim(self, question_id: str, expected_version: int) -> None:
        version = self.db.execute("SELECT version FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        if (version[0] if version else 0) != expected_version:
            raise StaleCardError(
                f"'{question_id}' was changed by another dlquiz session since it was shown; "
                "its answer here was not saved"
            )

    def _write_card(self, question_id: str, card: CardState, old_version: int) -> None:
        self.db.execute(
            f"INSERT INTO cards (question_id, {_CARD_COLUMNS}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (question_id) DO UPDATE SET new = excluded.new, state = excluded.state, step = excluded.step, "
            "stability = excluded.stability, difficulty = excluded.difficulty, due_ms = excluded.due_ms, "
            "last_review_ms = excluded.last_review_ms, reps = excluded.reps, lapses = excluded.lapses, "
            "version = excluded.version",
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
        return [self._review(row) for row in self.db.execute(sql + " ORDER BY id", args)]

    def _review(self, row) -> Review:
        try:
            return _review(row)
        except ValueError as exc:
            raise self._damaged(f"review {row[0]}", exc) from None

    def rebuild_card(self, question_id: str) -> CardState:
        """The card's state as its log says: the state after its latest answer still in force."""
        row = self.db.execute(
            "SELECT after FROM reviews WHERE question_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1", (question_id,)
        ).fetchone()
        try:
            return card_from_json(row[0]) if row else NEW_CARD
        except ValueError as exc:
            raise self._damaged(f"the log of '{question_id}'", exc) from None

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
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )


# --------------------------------------------------------------------------- reset


def move_aside(path: str | os.PathLike | None = None, stamp: str | None = None) -> Path | None:
    """Move the state file and its companions aside to a timestamped name, as one step; the new path, or
    None when there is no state file. See :mod:`dlquiz.state_move`."""
    from dlquiz.state_move import move_aside as move

    return move(path, stamp)


def stored_question_ids(path: str | os.PathLike | None = None) -> list[str]:
    """The question ids that have a card in the state file, read without writing; [] when there is none.

    The file is opened read-only: never created, migrated or written, so ``check`` can look at it in a
    read-only home; a damaged or foreign file is refused as everywhere (a StateError).
    """
    with open_store(path, readonly=True) as store:
        return list(store.cards())

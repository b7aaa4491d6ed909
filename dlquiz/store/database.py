"""An open state file (:class:`Store`): its cards, its review log, the card marks and the settings, read and
written. Every write is one short ``BEGIN IMMEDIATE`` transaction (:mod:`dlquiz.store.write`); nothing is
cached between calls. The file is opened in WAL mode with a busy timeout (:mod:`dlquiz.store.opening`), so a
second session can work beside the first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.model import NEW_CARD, CardState, StoredCard, kind_number
from dlquiz.store.check import card_from_json, checked_card
from dlquiz.store.errors import DamagedStateError, StaleCardError, StateError, damaged
from dlquiz.store.marks import NO_MARK, CardMark
from dlquiz.store.write import WriteTransaction


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


CARD_COLUMNS = "new, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses"


def card_state(row) -> CardState:
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
    ``check``: the background integrity check started at opening (:class:`dlquiz.store.check.IntegrityCheck`);
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
        self._on_close = on_close  # called after closing a file found sound (opening notes it as checked)
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
            f"SELECT {CARD_COLUMNS}, version FROM cards WHERE question_id = ?", (question_id,)
        ).fetchone()
        if row is None:
            return StoredCard(question_id, NEW_CARD, 0)
        try:
            return StoredCard(question_id, card_state(row[:-1]), row[-1])
        except ValueError as exc:
            raise self._damaged(f"card '{question_id}'", exc) from None

    def cards(self) -> dict[str, StoredCard]:
        """Every card that has a row (answered at least once, or answered and undone)."""
        found = {}
        for row in self.db.execute(f"SELECT question_id, {CARD_COLUMNS}, version FROM cards"):
            try:
                found[row[0]] = StoredCard(row[0], card_state(row[1:-1]), row[-1])
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
            review_id = cursor.lastrowid
            assert review_id is not None  # every INSERT sets it
            return review_id

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
            f"INSERT INTO cards (question_id, {CARD_COLUMNS}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
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
        """The card's state as its log says: the state after its latest answer still in force (new, if the
        card was forgotten after that answer)."""
        row = self.db.execute(
            "SELECT id, after FROM reviews WHERE question_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
            (question_id,),
        ).fetchone()
        forgotten = self.db.execute(
            "SELECT max(last_review_id) FROM card_resets WHERE question_id = ?", (question_id,)
        ).fetchone()[0]
        if row is None or (forgotten is not None and forgotten >= row[0]):
            return NEW_CARD
        try:
            return card_from_json(row[1])
        except ValueError as exc:
            raise self._damaged(f"the log of '{question_id}'", exc) from None

    def resets(self) -> list[tuple[str, int, int]]:
        """Every forget, oldest first: (question id, when in epoch ms, the last log id it set aside)."""
        return self.db.execute("SELECT question_id, at_ms, last_review_id FROM card_resets ORDER BY id").fetchall()

    def forget(self, question_ids: Sequence[str], at_ms: int) -> list[str]:
        """Make each card new again (Anki's Forget), all in one transaction; the ids that changed.

        The card's answers stay in the log and in every statistic; a ``card_resets`` row records that those
        up to now no longer shape it. A card that is new already is left as it is; marks (suspended, leech)
        stay. A session that still shows the card has its answer refused (the card's version changed).
        """
        changed = []
        with self._transaction():
            for qid in dict.fromkeys(question_ids):
                row = self.db.execute("SELECT new, version FROM cards WHERE question_id = ?", (qid,)).fetchone()
                if row is None or row[0]:
                    continue
                last = self.db.execute(
                    "SELECT coalesce(max(id), 0) FROM reviews WHERE question_id = ?", (qid,)
                ).fetchone()[0]
                self.db.execute(
                    "INSERT INTO card_resets (question_id, at_ms, last_review_id) VALUES (?, ?, ?)", (qid, at_ms, last)
                )
                self._write_card(qid, NEW_CARD, row[1])
                changed.append(qid)
        return changed

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
        self.set_settings({name: value})

    def set_settings(self, values: dict[str, str]) -> None:
        """Store each setting in ``values``, all of them or none (one transaction)."""
        with self._transaction():
            self.db.executemany(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                values.items(),
            )

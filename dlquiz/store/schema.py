"""The state file's format: the application id in its header and the migrations that build its schema.

The schema grows by ``PRAGMA user_version`` migrations, one function per step; :func:`migrate` runs each step
with its version bump in one ``BEGIN IMMEDIATE`` transaction, so an interrupted migration leaves the file as it
was. Three tables from the first step, a fourth from the fifth, a fifth from the sixth:

- ``cards``: question id → its scheduling state (FSRS state, step, stability, difficulty, due as epoch
  milliseconds, last review, reps, lapses, a ``new`` flag) and a ``version`` that grows by one on every
  write, so an answer computed from an older version can be refused instead of merged;
- ``reviews``: the append-only log, one row per answer with the card's state before and after it (JSON),
  so undo restores a card exactly and any card can be rebuilt from its log; an undone answer keeps its
  row, marked ``undone``;
- ``settings``: name → value (text);
- ``card_marks``: suspended, leech and buried cards (step 5);
- ``card_resets``: cards forgotten by hand (``dlquiz forget``, step 6): made new again, their log kept.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x444C515A  # "DLQZ" in ASCII, written into the file header by the first migration
BUSY_TIMEOUT_MS = 5000  # how long every connection to the file waits for another session's write lock


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
    from dlquiz.store.rebuild import rebuild_memory_states  # the scheduler: imported only when a file needs it

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


def _migrate_6(db: sqlite3.Connection) -> None:
    """Cards forgotten by hand: a row per forget, naming the last answer (by log id) that no longer shapes
    the card, so a card rebuilt from its log stays new, while the answers stay in the log and the stats."""
    db.execute(
        """CREATE TABLE card_resets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            last_review_id INTEGER NOT NULL
        )"""
    )


MIGRATIONS = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_4,
    _migrate_5,
    _migrate_6,
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

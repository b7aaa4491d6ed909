"""Damaged and foreign state files, made the way the reliability attack made them (one function per case).

Each case takes the path of a sound state file with history (see :func:`make_history`) and damages it in
place. ``REPAIRABLE`` are the cases that are dlquiz files with damage: refused by every command, recovered
by ``dlquiz repair``. ``FOREIGN`` are files that are not dlquiz's (or not readable at all): refused, and
``repair`` refuses them too. ``LATENT`` is damage found only when the damaged row is read.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from factories import answered

from dlquiz.model import NEW_CARD
from dlquiz.store import open_store

ANSWERS = 300


def make_history(path: Path, answers: int = ANSWERS, ids: list[str] | None = None) -> None:
    """A sound state file with ``answers`` answers (over ``ids``, default card-0 … card-N), a setting, and
    its log copied into the file (no -wal left with content)."""
    ids = ids or [f"card-{i}" for i in range(answers)]
    with open_store(path) as store:
        store.db.execute("PRAGMA synchronous = OFF")  # a fixture: no need to wait for the disk 300 times
        store.set_setting("new_per_day", "7")
        versions: dict[str, int] = {}
        for i in range(answers):
            qid = ids[i % len(ids)]
            version = versions.get(qid, 0)
            before = NEW_CARD if version == 0 else answered(version)
            store.commit_answer(qid, version, before, answered(version + 1), 3, "review", 1_000 + i, 4_000)
            versions[qid] = version + 1
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            db.execute(statement)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


def _garble(path: Path, page: int) -> None:
    """Overwrite the middle of page ``page`` (1-based; -1 the last) with random bytes, as bit rot would."""
    size = _page_size(path)
    data = bytearray(path.read_bytes())
    pages = len(data) // size
    index = (pages if page == -1 else page) - 1
    rng = random.Random(page)
    start = index * size + 8  # keep the page type byte: the damage is inside the page, not its kind
    for i in range(start, start + size // 2):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def truncated_by_one_byte(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1])


def garbled_page_2(path: Path) -> None:
    _garble(path, 2)


def garbled_page_3(path: Path) -> None:
    _garble(path, 3)


def garbled_page_5(path: Path) -> None:
    _garble(path, 5)


def garbled_last_page(path: Path) -> None:
    _garble(path, -1)


def missing_table_cards(path: Path) -> None:
    _sql(path, "DROP TABLE cards")


def missing_table_reviews(path: Path) -> None:
    _sql(path, "DROP TABLE reviews")


def missing_table_settings(path: Path) -> None:
    _sql(path, "DROP TABLE settings")


def missing_column_before_kind(path: Path) -> None:
    _sql(path, "DROP INDEX reviews_stats", "ALTER TABLE reviews DROP COLUMN before_kind")


def missing_column_lapses(path: Path) -> None:
    _sql(path, "ALTER TABLE cards DROP COLUMN lapses")


def renamed_version_column(path: Path) -> None:
    _sql(path, "ALTER TABLE cards RENAME COLUMN version TO revision")


def text_due_ms(path: Path) -> None:
    _sql(path, "UPDATE cards SET due_ms = 'tomorrow' WHERE rowid = 2")


def state_7(path: Path) -> None:
    _sql(path, "UPDATE cards SET state = 7 WHERE rowid = 3")


def text_reps(path: Path) -> None:
    _sql(path, "UPDATE cards SET reps = 'many' WHERE rowid = 4")


def bad_json(path: Path) -> None:
    _sql(path, "UPDATE reviews SET after = '{not json' WHERE id = 4")


def unknown_json_key(path: Path) -> None:
    _sql(path, "UPDATE reviews SET after = json_set(after, '$.bogus', 1) WHERE id = 5")


def truncated_by_a_page(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: -_page_size(path)])


def truncated_mid_page_3(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: 2 * _page_size(path) + 100])


REPAIRABLE = [
    truncated_by_one_byte,
    garbled_page_2,
    garbled_page_3,
    garbled_page_5,
    garbled_last_page,
    missing_table_cards,
    missing_table_reviews,
    missing_table_settings,
    missing_column_before_kind,
    missing_column_lapses,
    renamed_version_column,
    text_due_ms,
    state_7,
    text_reps,
    truncated_by_a_page,
    truncated_mid_page_3,
]


# Damage the check at opening does not look for (it parses no log row: too slow for every start), found
# when the row is used (undo, rebuild) and by repair's own full check.
LATENT = [unknown_json_key, bad_json]


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(40_960))


def magic_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(40_944))


def other_app_with_tables(path: Path) -> None:
    path.unlink()
    _sql(path, "CREATE TABLE photos (name TEXT)", "INSERT INTO photos VALUES ('cat.jpg')")


def other_app_version_3(path: Path) -> None:
    path.unlink()
    _sql(path, "CREATE TABLE notes (body TEXT)", "PRAGMA user_version = 3")


def newer_schema(path: Path) -> None:
    _sql(path, "PRAGMA user_version = 99")


def truncated_to_50_bytes(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:50])


FOREIGN = [
    random_bytes,
    magic_then_garbage,
    other_app_with_tables,
    other_app_version_3,
    newer_schema,
    truncated_to_50_bytes,
]

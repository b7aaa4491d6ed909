"""Rebuilding every card from its review log under the scheduler's current rules.

Each card's answers (the ones not undone, in order) are replayed from a new card with their ratings and
the instants they were shown; the card's row and each answer's before/after states in the log are
rewritten to match, so undo keeps restoring exactly. Undone answers keep their rows as they were.

It runs on an open connection inside the caller's transaction (a store migration), so an interrupted
rebuild leaves the file as it was, and running it again gives the same result.
"""

from __future__ import annotations

import json
import sqlite3

from dlquiz.implement.registry import CARD_PREFIX
from dlquiz.model import CardState, kind_number
from dlquiz.scheduler import load_settings, replay

_MEMORY = ("new", "state", "step", "stability", "difficulty", "due_ms", "last_review_ms", "reps", "lapses")


def _json(card: CardState) -> str:
    """``card.to_json()``, written without ``asdict``'s deep copies (a long log has many states to write)."""
    return json.dumps(vars(card), sort_keys=True)


def _values(card: CardState) -> tuple:
    return tuple(int(card.new) if name == "new" else getattr(card, name) for name in _MEMORY)


def rebuild_memory_states(db: sqlite3.Connection) -> int:
    """Replay every card's log and rewrite the card and its log rows; returns how many cards changed.

    A card whose row changes gets a new version, so an answer computed from the old state in a session
    that is still open is refused rather than saved over the rebuilt one. A card whose log holds a rating
    outside 1–4 (only an edited file can) is left as it is.
    """
    settings = load_settings(dict(db.execute("SELECT name, value FROM settings")))
    logs: dict[str, list[tuple[int, int, int]]] = {}
    rows = db.execute(
        "SELECT id, question_id, rating, coalesce(json_extract(after, '$.last_review_ms'), "
        "answered_at_ms - coalesce(duration_ms, 0)) FROM reviews WHERE undone = 0 ORDER BY id"
    )
    for review_id, question_id, rating, shown_ms in rows:  # the card was reviewed as of the moment it was shown
        logs.setdefault(question_id, []).append((review_id, rating, shown_ms))
    changed = 0
    columns = ", ".join(_MEMORY)
    for question_id, answers in logs.items():
        try:
            steps = not question_id.startswith(CARD_PREFIX)  # coding exercises are scheduled without steps
            states = replay(question_id, [(rating, shown) for _, rating, shown in answers], settings, steps=steps)
        except ValueError:
            continue
        for (review_id, _, _), (before, after) in zip(answers, states, strict=True):
            db.execute(
                "UPDATE reviews SET before = ?, after = ?, before_kind = ? WHERE id = ?",
                (_json(before), _json(after), kind_number(before), review_id),
            )
        final = _values(states[-1][1])
        row = db.execute(f"SELECT {columns} FROM cards WHERE question_id = ?", (question_id,)).fetchone()
        if row is None:
            marks = ", ".join("?" * len(_MEMORY))
            db.execute(
                f"INSERT INTO cards (question_id, {columns}, version) VALUES (?, {marks}, 1)", (question_id, *final)
            )
        elif tuple(row) != final:
            assignments = ", ".join(f"{name} = ?" for name in _MEMORY)
            db.execute(
                f"UPDATE cards SET {assignments}, version = version + 1 WHERE question_id = ?", (*final, question_id)
            )
        else:
            continue
        changed += 1
    return changed

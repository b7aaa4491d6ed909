"""A card's saved state as plain data, for ``dlquiz show --json``."""

from __future__ import annotations

from datetime import datetime, timezone


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone().isoformat(timespec="seconds")


def card_summary(item_id: str) -> dict | None:
    """The item's card: kind, due and last review (local ISO 8601), reps, lapses, FSRS memory state.

    None when the item was never answered; nothing is created to find that out.
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return None
    from dlquiz.model import CardKind
    from dlquiz.store import open_store

    with open_store() as store:
        card = store.card(item_id).state
    if card.new:
        return None
    return {
        "kind": CardKind(card.state).label,
        "due": _iso(card.due_ms),
        "last_review": _iso(card.last_review_ms),
        "reps": card.reps,
        "lapses": card.lapses,
        "stability_days": card.stability,
        "difficulty": card.difficulty,
    }

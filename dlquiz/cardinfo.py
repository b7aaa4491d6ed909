"""A card's saved state as plain data, for ``dlquiz show --json`` and ``dlquiz list --json``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlquiz.model import CardState


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone().isoformat(timespec="seconds")


def card_summary(item_id: str) -> dict | None:
    """The item's card: kind, due and last review (local ISO 8601), reps, lapses, FSRS memory state.

    None when the item was never answered; nothing is created to find that out.
    """
    return card_summaries([item_id])[item_id]


def card_summaries(item_ids: Iterable[str]) -> dict[str, dict | None]:
    """:func:`card_summary` of each item, the state file read once."""
    from dlquiz.paths import state_path

    ids = list(item_ids)
    if not state_path().exists():
        return dict.fromkeys(ids)
    from dlquiz.store import open_store

    with open_store() as store:
        cards = store.cards()
    return {qid: None if qid not in cards else card_data(cards[qid].state) for qid in ids}


def card_data(card: CardState) -> dict | None:
    """One card's state as plain data; None for a card never answered."""
    from dlquiz.model import CardKind

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

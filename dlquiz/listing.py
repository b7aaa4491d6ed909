"""Choosing which items a listing shows."""

from __future__ import annotations

from dlquiz.bank import Bank, Item
from dlquiz.errors import UserError


def filtered_items(bank: Bank, topic: str | None = None, tag: str | None = None, difficulty: str | None = None) -> list[Item]:
    """Items matching the filters; an unknown topic or tag is an error that lists the valid ones."""
    if topic is not None and topic not in bank.topics():
        raise UserError(f"no topic '{topic}'; topics: {', '.join(bank.topics())}")
    if tag is not None and tag not in bank.tags():
        raise UserError(f"no tag '{tag}'; 'dlquiz list --json' shows every item's tags")
    return bank.filter(topic=topic, tag=tag, difficulty=difficulty)


def due_column(items: list[Item]) -> dict[str, str]:
    """Each item's due label ('new', 'due', 'in 3d') from the saved state; all 'new' before any review.

    Listing never creates the state file; an unreadable one is an error, as everywhere.
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return {item.id: "new" for item in items}
    from dlquiz.session import due_labels
    from dlquiz.store import open_store

    with open_store() as store:
        return due_labels(store, [item.id for item in items])

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

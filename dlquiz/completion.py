"""What the shell completes: item ids, topics and tags, each with a short description.

Plain functions over a loaded bank (the CLI wires them to typer); they return every candidate that
starts with what was typed, case-insensitively, in bank order.
"""

from __future__ import annotations

from collections import Counter

from dlquiz.model import Bank

HELP_WIDTH = 60  # zsh and fish show the description beside the value


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= HELP_WIDTH else line[: HELP_WIDTH - 1] + "…"


def item_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    """Ids starting with ``incomplete``, each with its question."""
    prefix = incomplete.lower()
    return [(item.id, _short(item.question)) for item in bank if item.id.startswith(prefix)]


def topic_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.lower()
    counts = Counter(item.topic for item in bank)
    return [(topic, f"{counts[topic]} items") for topic in bank.topics() if topic.startswith(prefix)]


def tag_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.lower()
    counts = Counter(tag for item in bank for tag in item.tags)
    return [(tag, f"{counts[tag]} items") for tag in bank.tags() if tag.startswith(prefix)]

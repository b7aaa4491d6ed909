"""What the shell completes: item ids (all, or those with a demo or an exercise), topics, tags, coding
exercises, setting names and the values of closed options, each with a short description.

Plain functions (the CLI wires them to typer); they return every candidate that starts with what was
typed, case-insensitively, in bank (or registry) order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from dlquiz.model import Bank, Item

HELP_WIDTH = 60  # zsh and fish show the description beside the value


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= HELP_WIDTH else line[: HELP_WIDTH - 1] + "…"


def item_choices(bank: Bank, incomplete: str, having: Callable[[Item], object] | None = None) -> list[tuple[str, str]]:
    """Ids starting with ``incomplete`` (of the items ``having`` accepts, if given), each with its question."""
    prefix = incomplete.lower()
    return [
        (item.id, _short(item.question))
        for item in bank
        if item.id.startswith(prefix) and (having is None or having(item))
    ]


def demo_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    """Ids of the items that have a live demo (what `dlquiz demo` can run)."""
    return item_choices(bank, incomplete, lambda item: item.demo)


def exercise_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    """Ids of the items that have a numeric exercise (what `dlquiz exercise ID` can ask)."""
    return item_choices(bank, incomplete, lambda item: item.exercise)


def implement_choices(incomplete: str) -> list[tuple[str, str]]:
    """The coding exercises of `dlquiz implement`, each with its title."""
    from dlquiz.implement.registry import EXERCISES

    return value_choices(((e.id, e.title) for e in EXERCISES), incomplete)


def setting_choices(incomplete: str) -> list[tuple[str, str]]:
    """The settings `dlquiz config` knows, each with what it means."""
    from dlquiz.settings import SETTING_HELP

    return value_choices(SETTING_HELP.items(), incomplete)


def value_choices(values: Iterable[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """The (value, description) pairs whose value starts with ``incomplete``, in their order."""
    prefix = incomplete.lower()
    return [(value, _short(about)) for value, about in values if value.startswith(prefix)]


def topic_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.lower()
    counts = Counter(item.topic for item in bank)
    return [(topic, f"{counts[topic]} items") for topic in bank.topics() if topic.startswith(prefix)]


def tag_choices(bank: Bank, incomplete: str) -> list[tuple[str, str]]:
    prefix = incomplete.lower()
    counts = Counter(tag for item in bank for tag in item.tags)
    return [(tag, f"{counts[tag]} items") for tag in bank.tags() if tag.startswith(prefix)]

"""Choosing which items a listing shows."""

from __future__ import annotations

from dlquiz.errors import UserError
from dlquiz.model import Bank, Item


def filtered_items(
    bank: Bank, topic: str | None = None, tag: str | None = None, difficulty: str | None = None
) -> list[Item]:
    """Items matching the filters; an unknown topic or tag is an error that lists the valid ones."""
    topic = topic.lower() if topic is not None else None
    tag = tag.lower() if tag is not None else None
    if topic is not None and topic not in bank.topics():
        raise UserError(f"no topic '{topic}'; topics: {', '.join(bank.topics())}")
    if tag is not None and tag not in bank.tags():
        import difflib

        near = difflib.get_close_matches(tag, bank.tags(), n=4, cutoff=0.6)
        near += [t for t in bank.tags() if tag in t and t not in near][: 6 - len(near)]
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UserError(
            f"no tag '{tag}'; {hint}({len(bank.tags())} tags in all; 'dlquiz list --json' shows each item's)"
        )
    return bank.filter(topic=topic, tag=tag, difficulty=difficulty.lower() if difficulty else None)


def due_column(items: list[Item]) -> dict[str, str]:
    """Each item's due label ('new', 'due', 'in 3d') from the saved state; all 'new' before any review.

    Listing never creates the state file; an unreadable one is an error, as everywhere.
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return {item.id: "new" for item in items}
    from dlquiz.session import due_labels
    from dlquiz.store import open_store

    with open_store(readonly=True) as store:
        return due_labels(store, [item.id for item in items])


def schedule_line(item_id: str, at_ms: int | None = None) -> str | None:
    """Where the item's card stands: kind, when it is due (interval and local date), reviews, lapses.

    None when there is no saved state yet (nothing is created to find that out).
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return None
    from dlquiz.scheduler import format_interval, kind, now_ms, to_datetime
    from dlquiz.store import open_store

    with open_store(readonly=True) as store:
        card = store.card(item_id).state
    if card.new:
        return "new card: not reviewed yet"
    left = card.due_ms - (now_ms() if at_ms is None else at_ms)
    when = "due now" if left <= 0 else f"due in {format_interval(left)}"
    date = to_datetime(card.due_ms).astimezone().strftime("%a %d %b %Y %H:%M")
    reviews = f"{card.reps} review{'s' if card.reps != 1 else ''}, {card.lapses} lapse{'s' if card.lapses != 1 else ''}"
    return f"{kind(card)} card · {when} ({date}) · {reviews}"

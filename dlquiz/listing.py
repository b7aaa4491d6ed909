"""Choosing which items a listing shows."""

from __future__ import annotations

from dlquiz.bank.lookup import check_difficulty, check_tag, check_topic
from dlquiz.errors import NothingSelected
from dlquiz.model import Bank, Item
from dlquiz.wording import plural


def filtered_items(
    bank: Bank, topic: str | None = None, tag: str | None = None, difficulty: str | None = None
) -> list[Item]:
    """The items matching every filter given (in any case), for every command that filters (list, quiz,
    mock, export, ...): an unknown topic, tag or difficulty is a UserError that names it and suggests the
    closest; filters that are each known but match nothing together give an empty list."""
    return bank.filter(
        topic=None if topic is None else check_topic(bank, topic),
        tag=None if tag is None else check_tag(bank, tag),
        difficulty=None if difficulty is None else check_difficulty(difficulty),
    )


def tag_counts(items: list[Item]) -> list[tuple[str, int]]:
    """Each tag of ``items`` with how many of them carry it, by name."""
    from collections import Counter

    counts = Counter(tag for item in items for tag in item.tags)
    return sorted(counts.items())


def selected_items(
    bank: Bank, topic: str | None = None, tag: str | None = None, difficulty: str | None = None
) -> list[Item]:
    """:func:`filtered_items`, for a command that needs at least one item: filters that each exist but
    match nothing together raise NothingSelected (exit 1), naming them and how many each selects alone."""
    items = filtered_items(bank, topic, tag, difficulty)
    if not items:
        raise NothingSelected(no_item_matches(bank, topic, tag, difficulty))
    return items


def filters_given(bank: Bank, topic: str | None, tag: str | None, difficulty: str | None) -> list[tuple[str, str]]:
    """The filters given, as (option, value as the bank writes it): [('--topic', 'attention'), ...]."""
    return [
        (f"--{name}", check(value))
        for name, value, check in (
            ("topic", topic, lambda v: check_topic(bank, v)),
            ("tag", tag, lambda v: check_tag(bank, v)),
            ("difficulty", difficulty, check_difficulty),
        )
        if value is not None
    ]


def no_item_matches(bank: Bank, topic: str | None, tag: str | None, difficulty: str | None) -> str:
    """Which filters select nothing together, and how many items each selects alone:
    'no item matches --topic attention --tag cnn together; alone, --topic attention matches 6 and --tag cnn 11'.
    """
    given = filters_given(bank, topic, tag, difficulty)
    named = " ".join(f"{option} {value}" for option, value in given)
    if len(given) < 2:
        return f"no item matches {named}"
    counts = [
        f"{option} {value} {'matches ' if n == 0 else ''}{len(filtered_items(bank, **{option[2:]: value}))}"
        for n, (option, value) in enumerate(given)
    ]
    return f"no item matches {named} together; alone, {', '.join(counts[:-1])} and {counts[-1]}"


def due_column(items: list[Item]) -> dict[str, str]:
    """Each item's due label ('new', 'due', 'in 3d') from the saved state; all 'new' before any review.

    Listing never creates the state file; an unreadable one is an error, as everywhere.
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return {item.id: "new" for item in items}
    from dlquiz.activities.queue import due_labels, hidden_cards
    from dlquiz.scheduler import now_ms
    from dlquiz.store import open_store

    with open_store(readonly=True) as store:
        labels = due_labels(store, [item.id for item in items])
        for qid, mark in hidden_cards(store, now_ms()).items():  # out of the queue whatever their due date
            if qid in labels:
                labels[qid] = "suspended" if mark.suspended else "buried"
        return labels


def schedule_line(item_id: str, at_ms: int | None = None) -> str | None:
    """Where the item's card stands: kind, when it is due, reviews, lapses.

    A review card is due for a whole study day: it reads 'due in 3d (Fri 11 Dec 2026)', counted in study
    days as its grade button was. A learning card is due at an instant: 'due in 9m (Mon 07 Dec 2026 09:10)'.
    None when there is no saved state yet (nothing is created to find that out).
    """
    from dlquiz.paths import state_path

    if not state_path().exists():
        return None
    from datetime import date

    from dlquiz.model import CardKind
    from dlquiz.scheduler import (
        format_interval,
        is_due,
        kind,
        load_settings,
        now_ms,
        study_day,
        to_datetime,
        until_due_ms,
    )
    from dlquiz.store import open_store

    with open_store(readonly=True) as store:
        card = store.card(item_id).state
        rollover = load_settings(store.settings()).rollover_hour
        answers = len(store.reviews(item_id)) if card.new else 0
    if card.new or card.due_ms is None:
        if answers:  # a forgotten card: new again, its history kept
            return f"new card: forgotten, {plural(answers, 'answer')} in your history"
        return "new card: not reviewed yet"
    at = now_ms() if at_ms is None else at_ms
    when = "due now" if is_due(card, at, rollover) else f"due in {format_interval(until_due_ms(card, at, rollover))}"
    if card.state == CardKind.REVIEW:
        moment = date.fromordinal(study_day(card.due_ms, rollover)).strftime("%a %d %b %Y")
    else:
        moment = to_datetime(card.due_ms).astimezone().strftime("%a %d %b %Y %H:%M")
    reviews = f"{plural(card.reps, 'review')}, {plural(card.lapses, 'lapse')}"
    return f"{kind(card)} card · {when} ({moment}) · {reviews}"

"""What a review shows next, in the order Anki's v3 scheduler uses. Nothing here prints.

At any moment each card of a review is in one of five groups (a suspended or buried card in none):

1. ``LEARNING``: learning and relearning cards whose due instant has passed, earliest first;
2. ``REVIEW``: review cards due by study day (due before the next rollover), earliest first; with an
   interview date set (``dlquiz config interview_date``), most at risk first: lowest predicted recall on
   that day (FSRS retrievability), so a short session spends itself where it matters most;
3. ``NEW``: new cards in bank order, up to what is left of today's new-card limit;
4. ``AHEAD``: learning cards due within the learn-ahead window (``LEARN_AHEAD_MS``, 20 minutes). They are
   shown only when groups 1–3 are empty, so a 10-minute step is not cut to one minute while other cards
   wait, and the end of a session does not keep you waiting for a card a few minutes away;
5. ``LATER``: learning cards due after that; they come back later in the day.

:func:`queue_at` sorts the cards for one moment. The review activity asks again after every answer,
because time passes and answers move cards between groups. The rule does not lean on
``scheduler.is_due`` for learning cards: whether a learning card may be shown early is decided here.

The activities that run sessions live in :mod:`dlquiz.activities`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from dlquiz.model import CardKind, Item, StoredCard
from dlquiz.scheduler import (
    LEARN_AHEAD_MS,
    Settings,
    day_start_ms,
    format_interval,
    is_due,
    load_settings,
    next_day_start_ms,
    now_ms,
)
from dlquiz.store import NO_MARK, CardMark, Store


class Group(Enum):
    """Why a card is in the review queue now (see the module docstring)."""

    LEARNING = "learning"
    REVIEW = "review"
    NEW = "new"
    AHEAD = "ahead"
    LATER = "later"


SHOWN_IN_ORDER = (Group.LEARNING, Group.REVIEW, Group.NEW, Group.AHEAD)  # LATER waits


@dataclass(frozen=True)
class Queue:
    """The cards of a review at one moment, by group, each group in the order it is shown."""

    groups: Mapping[Group, tuple[str, ...]]

    def ids(self, group: Group) -> tuple[str, ...]:
        return self.groups.get(group, ())

    def next_id(self) -> str | None:
        """The card to show now: the first of the first non-empty group (LATER cards are not shown)."""
        for group in SHOWN_IN_ORDER:
            if self.ids(group):
                return self.ids(group)[0]
        return None

    def group_of(self, qid: str) -> Group | None:
        return next((group for group in Group if qid in self.ids(group)), None)

    @property
    def due(self) -> int:
        """Cards that are due now: learning cards past their due instant and review cards due today."""
        return len(self.ids(Group.LEARNING)) + len(self.ids(Group.REVIEW))

    @property
    def new(self) -> int:
        return len(self.ids(Group.NEW))

    @property
    def waiting(self) -> int:
        """Learning cards not due yet, which come back in this session or later today."""
        return len(self.ids(Group.AHEAD)) + len(self.ids(Group.LATER))


def _is_learning(card: StoredCard) -> bool:
    return not card.state.new and card.state.state in (CardKind.LEARNING, CardKind.RELEARNING)


def queue_at(
    items: Sequence[Item],
    cards: Mapping[str, StoredCard],
    marks: Mapping[str, CardMark],
    settings: Settings,
    at_ms: int,
    new_allowance: int,
) -> Queue:
    """The review queue of ``items`` at ``at_ms``, with at most ``new_allowance`` new cards."""
    tomorrow = next_day_start_ms(at_ms, settings.rollover_hour)
    dated: dict[Group, list[tuple[int, int, str]]] = {group: [] for group in Group}
    fresh: list[str] = []
    for index, item in enumerate(items):
        if marks.get(item.id, NO_MARK).hidden(at_ms):
            continue
        card = cards.get(item.id)
        if card is None or card.state.new:
            fresh.append(item.id)
            continue
        due = card.state.due_ms if card.state.due_ms is not None else at_ms
        if _is_learning(card):
            if due <= at_ms:
                group = Group.LEARNING
            elif due <= at_ms + LEARN_AHEAD_MS:
                group = Group.AHEAD
            else:
                group = Group.LATER
        elif due < tomorrow:
            group = Group.REVIEW
        else:
            continue
        dated[group].append((due, index, item.id))
    groups = {group: tuple(qid for _, _, qid in sorted(rows)) for group, rows in dated.items()}
    risk_day = _interview_day(settings, at_ms)
    if risk_day is not None:  # most at risk on the interview day first; ties keep the due order
        from dlquiz.stats.recall import recall_on  # only now: the stats package is not needed for a review

        rollover = settings.rollover_hour
        groups[Group.REVIEW] = tuple(
            sorted(groups[Group.REVIEW], key=lambda qid: recall_on(cards[qid].state, risk_day, rollover))
        )
    groups[Group.NEW] = tuple(fresh[: max(0, new_allowance)])
    return Queue(groups)


def _interview_day(settings: Settings, at_ms: int) -> int | None:
    """The interview's study day when one is set and still ahead (today included), else None."""
    from dlquiz.scheduler import study_day

    day = settings.interview_date
    if day is None or day.toordinal() < study_day(at_ms, settings.rollover_hour):
        return None
    return day.toordinal()


def reviewable_from_ms(
    items: Iterable[Item],
    cards: Mapping[str, StoredCard],
    marks: Mapping[str, CardMark],
    settings: Settings,
    at_ms: int,
    new_cards_wait: bool,
) -> int | None:
    """When `dlquiz review` next has a card to show, for a queue that is empty at ``at_ms``; None: never.

    A review card becomes reviewable at the start of its due study day; a learning card ``LEARN_AHEAD_MS``
    before its due instant (it is shown early when nothing else is left); a buried card not before it
    comes back; new cards that wait for tomorrow's allowance (``new_cards_wait``) at the next rollover.
    """
    tomorrow = next_day_start_ms(at_ms, settings.rollover_hour)
    times = []
    for item in items:
        mark = marks.get(item.id, NO_MARK)
        if mark.suspended:
            continue
        card = cards.get(item.id)
        if card is None or card.state.new:
            when = tomorrow if new_cards_wait else None
        elif card.state.due_ms is None:
            when = at_ms
        elif _is_learning(card):
            when = card.state.due_ms - LEARN_AHEAD_MS
        else:
            when = day_start_ms(card.state.due_ms, settings.rollover_hour)
        if when is None:
            continue
        if mark.buried_until_ms is not None:
            when = max(when, mark.buried_until_ms)
        times.append(max(when, at_ms))
    return min(times, default=None)


def set_suspended(store: Store, ids: Sequence[str], suspended: bool) -> list[str]:
    """Suspend (or bring back) cards by id, in one transaction; returns the ids that changed.

    Bringing a card back also ends a bury, so ``dlquiz unsuspend`` puts it in the next review; a leech
    keeps its leech mark, so it is suspended again after 4 more lapses.
    """
    marks = store.marks()
    changes = {}
    for qid in dict.fromkeys(ids):
        mark = marks.get(qid, NO_MARK)
        new = replace(mark, suspended=suspended) if suspended else replace(mark, suspended=False, buried_until_ms=None)
        if new != mark:
            changes[qid] = new
    if changes:
        store.set_marks(changes)
    return list(changes)


def hidden_cards(store: Store, at_ms: int) -> dict[str, CardMark]:
    """The cards kept out of reviews now (suspended, or buried until a later instant), by id."""
    return {qid: mark for qid, mark in sorted(store.marks().items()) if mark.hidden(at_ms)}


# --------------------------------------------------------------------------- for other commands


def due_labels(store: Store, ids: Iterable[str], at_ms: int | None = None) -> dict[str, str]:
    """A short due label per id: 'new', 'due', or when it comes due ('in 3d'); for a due column.

    A review card counts study days, as its grade button did ('in 1d' is tomorrow's study day); a
    learning card, the time left ('in 9m').
    """
    from dlquiz.scheduler import until_due_ms

    at = now_ms() if at_ms is None else at_ms
    settings = load_settings(store.settings())
    cards = store.cards()
    labels = {}
    for qid in ids:
        card = cards.get(qid)
        if card is None or card.state.new:
            labels[qid] = "new"
        elif is_due(card.state, at, settings.rollover_hour):
            labels[qid] = "due"
        else:
            labels[qid] = "in " + format_interval(until_due_ms(card.state, at, settings.rollover_hour))
    return labels

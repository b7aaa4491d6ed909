"""dlquiz's scheduling state in Anki's terms: each card's type, queue, due, interval and FSRS memory state,
and each answer as a review-log (revlog) row, so a learner can move to Anki and keep what they learnt.

Anki stores a review card's due date as a day number counted from the collection's creation (``crt``) in
study days, and a learning card's as epoch seconds. The package dlquiz writes is created at the start of
the export's study day, so that study day is day 0 and a card due in three study days has ``due = 3``;
Anki's importer shifts these day numbers onto the importing collection's own count.

Everything here reads :class:`dlquiz.model.CardState` and :class:`dlquiz.store.Review`; the one place
that turns a dlquiz due time into Anki's due and interval is :func:`anki_schedule`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from dlquiz.model import CardKind, CardState, Rating
from dlquiz.store import Review

DAY_MS = 86_400_000
ANSWER_CAP_MS = 60_000  # Anki records at most 60 s per answer (its deck option "maximum answer seconds")
STARTING_EASE = 2500  # Anki's ease factor (250 %) for a card that has graduated; FSRS does not use it

# Anki's card types and queues (rslib/src/card/mod.rs) and revlog kinds (rslib/src/revlog/mod.rs)
TYPE_NEW, TYPE_LEARN, TYPE_REVIEW, TYPE_RELEARN = 0, 1, 2, 3
QUEUE_NEW, QUEUE_LEARN, QUEUE_REVIEW = 0, 1, 2
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN, REVLOG_MANUAL = 0, 1, 2, 4

# py-fsrs's default learning and relearning steps (1 m, 10 m; 10 m), which dlquiz uses
LEARNING_STEPS = 2
RELEARNING_STEPS = 1


@dataclass(frozen=True)
class Clock:
    """What the conversion needs to know about time: the export's study day and the day's rollover hour."""

    today_start_ms: int  # start of the study day the export is made on: Anki's day 0
    rollover_hour: int = 4

    def study_day(self, at_ms: int) -> int:
        """The study day holding ``at_ms``, counted from the export's day (negative before it)."""
        from dlquiz.scheduler import day_start_ms

        return round((day_start_ms(at_ms, self.rollover_hour) - self.today_start_ms) / DAY_MS)

    def days_between(self, earlier_ms: int, later_ms: int) -> int:
        """Study days (rollovers) from one instant to another, as Anki counts elapsed days."""
        return self.study_day(later_ms) - self.study_day(earlier_ms)


@dataclass(frozen=True)
class Memory:
    """FSRS settings that Anki keeps beside each card's memory state."""

    desired_retention: float = 0.9
    decay: float = 0.1542  # FSRS-6's default w₂₀; Anki stores it as a positive number


@dataclass(frozen=True)
class AnkiSchedule:
    """A card's scheduling columns in Anki's ``cards`` table."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    data: str


def _memory_data(card: CardState, memory: Memory) -> str:
    """The JSON of Anki's ``cards.data``: FSRS stability, difficulty, desired retention, decay, last review."""
    if card.stability is None or card.difficulty is None:
        return ""
    data: dict[str, float | int] = {
        "s": round(card.stability, 4),
        "d": round(card.difficulty, 3),
        "dr": round(memory.desired_retention, 2),
        "decay": round(memory.decay, 3),
    }
    if card.last_review_ms is not None:
        data["lrt"] = card.last_review_ms // 1000
    return json.dumps(data, separators=(",", ":"))


def review_interval_days(card: CardState, clock: Clock) -> int:
    """A review card's interval: study days from its last review to its due day (at least 1)."""
    if card.due_ms is None or card.last_review_ms is None:
        return 1
    return max(1, clock.days_between(card.last_review_ms, card.due_ms))


def anki_schedule(card: CardState, clock: Clock, memory: Memory, position: int) -> AnkiSchedule:
    """The card as Anki stores it; ``position`` orders new cards (Anki's due for a new card).

    This is the function to adjust when dlquiz changes how it stores due times: a review card's due is
    its study day counted from the export's day, a learning card's is its due instant in epoch seconds.
    """
    if card.new or card.due_ms is None:
        return AnkiSchedule(TYPE_NEW, QUEUE_NEW, position, 0, 0, 0, 0, 0, "")
    data = _memory_data(card, memory)
    if card.state == CardKind.REVIEW:
        return AnkiSchedule(
            TYPE_REVIEW,
            QUEUE_REVIEW,
            clock.study_day(card.due_ms),
            review_interval_days(card, clock),
            STARTING_EASE,
            card.reps,
            card.lapses,
            0,
            data,
        )
    relearning = card.state == CardKind.RELEARNING
    steps = RELEARNING_STEPS if relearning else LEARNING_STEPS
    left = max(1, steps - (card.step or 0))  # Anki counts the steps still to go
    return AnkiSchedule(
        TYPE_RELEARN if relearning else TYPE_LEARN,
        QUEUE_LEARN,
        card.due_ms // 1000,
        1 if relearning else 0,  # a relearning card keeps a review interval; Anki's minimum is 1 day
        STARTING_EASE if relearning else 0,
        card.reps,
        card.lapses,
        left,
        data,
    )


def revlog_interval(card: CardState, from_ms: int | None, clock: Clock) -> int:
    """The interval a revlog row records for a state: days for a review card, negative seconds otherwise."""
    if card.new or card.due_ms is None:
        return 0
    if card.state == CardKind.REVIEW:
        if from_ms is None:
            return review_interval_days(card, clock)
        return max(1, clock.days_between(from_ms, card.due_ms))
    start = from_ms if from_ms is not None else card.last_review_ms
    if start is None:
        return 0
    return -max(1, round((card.due_ms - start) / 1000))


def revlog_kind(before: CardState) -> int:
    """Learning for a new or learning card, review for a review card, relearning for a relearning one."""
    if before.new or before.state == CardKind.LEARNING:
        return REVLOG_LEARN
    return REVLOG_REVIEW if before.state == CardKind.REVIEW else REVLOG_RELEARN


def revlog_factor(after: CardState) -> int:
    """Anki's revlog factor under FSRS: the difficulty mapped from 1–10 onto 100–1100."""
    if after.difficulty is None:
        return 0
    return round(((after.difficulty - 1) / 9 + 0.1) * 1000)


@dataclass(frozen=True)
class RevlogRow:
    """One row of Anki's ``revlog`` table (without the card id, which the package assigns)."""

    id: int  # the answer's time in epoch milliseconds
    question_id: str
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


def revlog_rows(
    reviews: Iterable[Review], clock: Clock, resets: Iterable[tuple[str, int, int]] = ()
) -> list[RevlogRow]:
    """Every answer still in force, oldest first, as revlog rows with distinct ids (Anki's primary key), and
    each forget (``resets``: question id, when, the last log id it set aside) as the row Anki's own Forget
    writes: kind Manual, ease 0, interval 0, the card's interval before it as the last interval."""
    rows = []
    used: set[int] = set()

    def free(row_id: int) -> int:
        while row_id in used:  # two answers in one millisecond: Anki's revlog ids must differ
            row_id += 1
        used.add(row_id)
        return row_id

    answers = sorted((r for r in reviews if not r.undone), key=lambda r: (r.answered_at_ms, r.id))
    for question_id, at_ms, last_id in resets:
        before = [r for r in answers if r.question_id == question_id and r.id <= last_id]
        last_ivl = revlog_interval(before[-1].after, before[-1].answered_at_ms, clock) if before else 0
        rows.append(RevlogRow(free(at_ms), question_id, 0, 0, last_ivl, 0, 0, REVLOG_MANUAL))
    for review in answers:
        rows.append(
            RevlogRow(
                id=free(review.answered_at_ms),
                question_id=review.question_id,
                ease=int(Rating(review.rating)),
                ivl=revlog_interval(review.after, review.answered_at_ms, clock),
                last_ivl=revlog_interval(review.before, review.before.last_review_ms, clock),
                factor=revlog_factor(review.after),
                time=min(ANSWER_CAP_MS, max(0, review.duration_ms or 0)),
                type=revlog_kind(review.before),
            )
        )
    return sorted(rows, key=lambda row: row.id)


@dataclass(frozen=True)
class History:
    """What ``export --history`` carries: each card's state and every answer, and the clock they are read by."""

    cards: dict[str, CardState]
    reviews: tuple[Review, ...]
    clock: Clock
    memory: Memory
    resets: tuple[tuple[str, int, int], ...] = ()  # cards forgotten by hand (Store.resets)


def read_history(store, now_ms: int) -> History:
    """The learner's cards and log from an open :class:`dlquiz.store.Store`, read at ``now_ms``."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    from dlquiz.scheduler import day_start_ms, load_settings

    settings = load_settings(store.settings())
    cards = {question_id: stored.state for question_id, stored in store.cards().items()}
    clock = Clock(day_start_ms(now_ms, settings.rollover_hour), settings.rollover_hour)
    memory = Memory(settings.desired_retention, DEFAULT_PARAMETERS[20])
    return History(cards, tuple(store.reviews()), clock, memory, tuple(store.resets()))

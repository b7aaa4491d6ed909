"""Exercises scheduled like cards: each has a card ``implement:<id>`` in the state file, rated on FSRS.

A sitting ends in one of three results, rated through the scheduler's public
:func:`~dlquiz.scheduler.preview` and :func:`~dlquiz.scheduler.commit` (the log's mode is
``implement``): passed with no failed grading is Good, passed after failed gradings Hard, gave up (the
solution was shown) Again.

A sitting is long and a drill is worth repeating days later, not minutes: these cards have no learning
or relearning steps (``preview(..., steps=False)``, as Anki users set up long cards), so every result
gives an interval in days. A first clean pass comes back in about two days, a give-up the next day.

Quitting without a pass records nothing. These cards never enter ``dlquiz review``, whose queue is
built from bank items.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from dlquiz.implement.registry import EXERCISES, Exercise
from dlquiz.model import REVIEW, CardState, Rating, StoredCard
from dlquiz.scheduler import commit, format_interval, is_due, load_settings, now_ms, preview
from dlquiz.store import Store

MODE = "implement"  # the review log's mode for these answers


class Result(str, Enum):
    """How a sitting on an exercise ended (when it was recorded)."""

    PASSED = "passed"
    STRUGGLED = "passed after failed attempts"
    GAVE_UP = "gave up"


@dataclass(frozen=True)
class Status:
    """Where the learner stands on one exercise."""

    exercise: Exercise
    card: StoredCard
    last_ms: int | None  # when it was last passed or given up
    last_rating: Rating | None
    due: bool

    @property
    def new(self) -> bool:
        return self.card.state.new

    @property
    def result(self) -> str:
        """'passed', 'gave up' or '' (never finished)."""
        if self.last_rating is None:
            return ""
        return "gave up" if self.last_rating == Rating.AGAIN else "passed"

    def due_label(self, at_ms: int) -> str:
        """'new', 'due' or when it comes due ('in 3d')."""
        if self.new:
            return "new"
        if self.due or self.card.state.due_ms is None:
            return "due"
        return "in " + format_interval(self.card.state.due_ms - at_ms)

    def to_dict(self, at_ms: int) -> dict:
        e = self.exercise
        return {
            "id": e.id,
            "title": e.title,
            "difficulty": e.difficulty.value,
            "item": e.item,
            "functions": list(e.functions),
            "result": self.result or None,
            "last_ms": self.last_ms,
            "due": self.due_label(at_ms),
            "due_ms": None if self.new else self.card.state.due_ms,
            "card": e.card_id,
        }


def _due(card: CardState, at_ms: int, rollover_hour: int) -> bool:
    """Due now. A review card is due on its study day (the scheduler's rule); a (re)learning card only
    once its time has come: review's 20-minute learn-ahead keeps a session going, but here it would
    call an exercise due the moment it was passed."""
    if card.new or card.due_ms is None:
        return False
    if card.state == REVIEW:
        return is_due(card, at_ms, rollover_hour)
    return card.due_ms <= at_ms


def status(store: Store, exercise: Exercise, at_ms: int | None = None, rollover_hour: int | None = None) -> Status:
    at = now_ms() if at_ms is None else at_ms
    rollover = load_settings(store.settings()).rollover_hour if rollover_hour is None else rollover_hour
    card = store.card(exercise.card_id)
    reviews = store.reviews(exercise.card_id)
    last = reviews[-1] if reviews else None
    return Status(
        exercise=exercise,
        card=card,
        last_ms=last.answered_at_ms if last else None,
        last_rating=Rating(last.rating) if last else None,
        due=_due(card.state, at, rollover),
    )


def statuses(store: Store, at_ms: int | None = None) -> list[Status]:
    """Every exercise's status, in the registry's order."""
    at = now_ms() if at_ms is None else at_ms
    rollover = load_settings(store.settings()).rollover_hour
    return [status(store, exercise, at, rollover) for exercise in EXERCISES]


def due_count(store: Store, at_ms: int | None = None) -> int:
    """How many exercises are due now (what a review's end points to: dlquiz implement --next)."""
    return sum(s.due for s in statuses(store, at_ms))


def next_up(found: list[Status]) -> Status | None:
    """What --next offers: the exercise due longest, else the first never finished, else None."""
    due = sorted((s for s in found if s.due), key=lambda s: s.card.state.due_ms or 0)
    if due:
        return due[0]
    return next((s for s in found if s.new), None)


def rating_for(result: Result) -> Rating:
    """The FSRS rating of a sitting's result, whatever the card's state: without steps a clean pass on a new
    card is Good, with no 10-minute step for it to fall into (Easy used to skip that step)."""
    return {Result.PASSED: Rating.GOOD, Result.STRUGGLED: Rating.HARD, Result.GAVE_UP: Rating.AGAIN}[result]


def record(store: Store, exercise: Exercise, result: Result, at_ms: int | None = None) -> StoredCard:
    """Save one answer for the exercise's card; returns the card after it.

    The outcome is computed at the moment of the answer (not when the exercise was opened, perhaps an
    hour earlier), so a short relearning step after giving up counts from then.
    """
    at = now_ms() if at_ms is None else at_ms
    card = store.card(exercise.card_id)
    shown = preview(card, load_settings(store.settings()), shown_ms=at, steps=False)
    commit(store, shown, int(rating_for(result)), MODE, at)
    return store.card(exercise.card_id)

"""Exercises scheduled like cards: ratings for each result, what is due, what --next offers."""

from __future__ import annotations

import pytest

from dlquiz.bank import load_bank
from dlquiz.implement.registry import EXERCISES, get
from dlquiz.implement.schedule import MODE, Result, next_up, rating_for, record, statuses
from dlquiz.model import LEARNING, NEW_CARD, REVIEW, CardState, Rating
from dlquiz.scheduler import DAY_MS, HOUR_MS, MINUTE_MS
from dlquiz.session import queue_at
from dlquiz.settings import Settings
from dlquiz.store import open_store

T0 = 1_800_000_000_000  # an instant in January 2027
IN_REVIEW = CardState(new=False, state=REVIEW, step=None, stability=5.0, difficulty=5.0, due_ms=T0, reps=3)
LEARNING_CARD = CardState(new=False, state=LEARNING, step=0, stability=1.0, difficulty=5.0, due_ms=T0, reps=1)


@pytest.mark.parametrize(
    ("card", "result", "rating"),
    [
        (NEW_CARD, Result.PASSED, Rating.EASY),
        (LEARNING_CARD, Result.PASSED, Rating.EASY),
        (IN_REVIEW, Result.PASSED, Rating.GOOD),
        (NEW_CARD, Result.STRUGGLED, Rating.GOOD),
        (IN_REVIEW, Result.STRUGGLED, Rating.HARD),
        (NEW_CARD, Result.GAVE_UP, Rating.AGAIN),
        (IN_REVIEW, Result.GAVE_UP, Rating.AGAIN),
    ],
)
def test_each_result_has_its_rating(card, result, rating):
    assert rating_for(card, result) == rating


def test_a_clean_first_pass_graduates_the_card_for_days():
    with open_store() as store:
        card = record(store, get("softmax"), Result.PASSED, at_ms=T0)
        assert card.state.state == REVIEW and card.state.due_ms - T0 >= 2 * DAY_MS
        (review,) = store.reviews("implement:softmax")
        assert review.mode == MODE and review.rating == Rating.EASY
        found = {s.exercise.id: s for s in statuses(store, T0 + HOUR_MS)}
    assert found["softmax"].result == "passed" and not found["softmax"].due
    assert found["softmax"].due_label(T0 + HOUR_MS).startswith("in ")
    assert found["adam"].new and found["adam"].due_label(T0) == "new"


def test_giving_up_brings_the_exercise_back_soon_and_next_offers_it_first():
    with open_store() as store:
        record(store, get("adam"), Result.GAVE_UP, at_ms=T0)
        right_after = statuses(store, T0 + 10_000)
        later = statuses(store, T0 + HOUR_MS)
    adam_now = next(s for s in right_after if s.exercise.id == "adam")
    assert adam_now.result == "gave up" and not adam_now.due  # not due the moment it was given up
    assert next_up(right_after).exercise.id == EXERCISES[0].id  # meanwhile: the first new exercise
    assert next_up(later).exercise.id == "adam"


def test_the_longest_due_comes_first_and_nothing_when_all_are_done():
    with open_store() as store:
        record(store, get("conv2d"), Result.GAVE_UP, at_ms=T0)
        record(store, get("softmax"), Result.GAVE_UP, at_ms=T0 + 5 * MINUTE_MS)
        assert next_up(statuses(store, T0 + HOUR_MS)).exercise.id == "conv2d"
        for exercise in EXERCISES:
            record(store, exercise, Result.PASSED, at_ms=T0 + 2 * HOUR_MS)
        assert next_up(statuses(store, T0 + 3 * HOUR_MS)) is None


def test_exercise_cards_never_enter_the_review_queue():
    bank = load_bank(None)
    with open_store() as store:
        record(store, get("softmax"), Result.GAVE_UP, at_ms=T0)
        assert "implement:softmax" in store.cards()
        queue = queue_at(list(bank), store.cards(), store.marks(), Settings(), T0 + DAY_MS, new_allowance=20)
        queued = {qid for ids in queue.groups.values() for qid in ids}
    assert queued and not any(qid.startswith("implement:") for qid in queued)

"""Exercises scheduled like cards: ratings for each result, what is due, what --next offers."""

from __future__ import annotations

import pytest

from dlquiz.activities.queue import queue_at
from dlquiz.bank import load_bank
from dlquiz.implement.registry import EXERCISES, get
from dlquiz.implement.schedule import MODE, Result, next_up, rating_for, record, statuses
from dlquiz.model import LEARNING, REVIEW, CardState, Rating
from dlquiz.scheduler import DAY_MS, HOUR_MS
from dlquiz.settings import Settings
from dlquiz.store import open_store

T0 = 1_800_000_000_000  # an instant in January 2027
IN_REVIEW = CardState(new=False, state=REVIEW, step=None, stability=5.0, difficulty=5.0, due_ms=T0, reps=3)
LEARNING_CARD = CardState(new=False, state=LEARNING, step=0, stability=1.0, difficulty=5.0, due_ms=T0, reps=1)


@pytest.mark.parametrize(
    ("result", "rating"),
    [(Result.PASSED, Rating.GOOD), (Result.STRUGGLED, Rating.HARD), (Result.GAVE_UP, Rating.AGAIN)],
)
def test_each_result_has_its_rating(result, rating):
    assert rating_for(result) == rating


def test_a_clean_first_pass_goes_straight_to_an_interval_in_days():
    """Friction 2: a pass came back after 10 minutes (a learning step)."""
    with open_store() as store:
        card = record(store, get("softmax"), Result.PASSED, at_ms=T0)
        assert card.state.state == REVIEW and card.state.due_ms - T0 >= DAY_MS
        (review,) = store.reviews("implement:softmax")
        assert review.mode == MODE and review.rating == Rating.GOOD
        found = {s.exercise.id: s for s in statuses(store, T0 + HOUR_MS)}
    assert found["softmax"].result == "passed" and not found["softmax"].due
    assert found["softmax"].due_label(T0 + HOUR_MS).startswith("in ") and found["softmax"].due_label(T0).endswith("d")
    assert found["adam"].new and found["adam"].due_label(T0) == "new"


@pytest.mark.parametrize("result", list(Result))
def test_no_result_enters_a_learning_step(result):
    with open_store() as store:
        first = record(store, get("softmax"), Result.PASSED, at_ms=T0)
        again = record(store, get("softmax"), result, at_ms=first.state.due_ms + HOUR_MS)
    for card in (first, again):
        assert card.state.state == REVIEW and card.state.step is None
    assert again.state.due_ms - (first.state.due_ms + HOUR_MS) >= 12 * HOUR_MS  # the next study day or later


def test_giving_up_brings_the_exercise_back_the_next_day_and_next_offers_it_first():
    from dlquiz.scheduler import next_day_start_ms

    with open_store() as store:
        card = record(store, get("adam"), Result.GAVE_UP, at_ms=T0)
        assert card.state.due_ms == next_day_start_ms(T0, 4)  # the start of the next study day
        same_day = statuses(store, T0 + HOUR_MS)
        next_day = statuses(store, next_day_start_ms(T0, 4) + HOUR_MS)
    adam_now = next(s for s in same_day if s.exercise.id == "adam")
    assert adam_now.result == "gave up" and not adam_now.due  # not due again the same day
    assert next_up(same_day).exercise.id == EXERCISES[0].id  # meanwhile: the first new exercise
    assert next_up(next_day).exercise.id == "adam"


def test_the_longest_due_comes_first_and_nothing_when_all_are_done():
    with open_store() as store:
        record(store, get("conv2d"), Result.GAVE_UP, at_ms=T0 - DAY_MS)
        record(store, get("softmax"), Result.GAVE_UP, at_ms=T0)
        assert next_up(statuses(store, T0 + 2 * DAY_MS)).exercise.id == "conv2d"
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


def test_a_card_left_in_a_step_by_the_old_rules_graduates_on_its_next_result():
    from dlquiz.model import StoredCard
    from dlquiz.scheduler import preview

    shown = preview(StoredCard("implement:softmax", LEARNING_CARD, 1), Settings(), T0, steps=False)
    for outcome in shown.outcomes.values():
        assert outcome.after.state == REVIEW and outcome.days is not None and outcome.days >= 1
    lapse = preview(StoredCard("implement:softmax", IN_REVIEW, 1), Settings(), T0, steps=False).outcomes[Rating.AGAIN]
    assert lapse.after.state == REVIEW and lapse.after.lapses == IN_REVIEW.lapses + 1 and lapse.days >= 1
    with_steps = preview(StoredCard("softmax-item", IN_REVIEW, 1), Settings(), T0).outcomes[Rating.AGAIN]
    assert with_steps.days is None and with_steps.interval_ms == 10 * 60_000  # the bank's cards keep their steps


def test_rebuilding_from_the_log_gives_the_same_stepless_states():
    from dlquiz.store.rebuild import rebuild_memory_states

    with open_store() as store:
        at = T0
        for result in (Result.GAVE_UP, Result.STRUGGLED, Result.PASSED, Result.GAVE_UP, Result.PASSED):
            at = max(at, record(store, get("conv2d"), result, at_ms=at).state.due_ms) + HOUR_MS
        store.db.execute("BEGIN IMMEDIATE")
        assert rebuild_memory_states(store.db) == 0  # replayed without steps too: nothing to change
        store.db.execute("ROLLBACK")

"""Session logic: the review queue, answering, undo, quiz selection, auto-grading, scores."""

import random
import sqlite3
from collections import deque

import pytest

from dlquiz.errors import UserError
from dlquiz.model import Bank, Choices, Item
from dlquiz.paths import state_path
from dlquiz.scheduler import AGAIN, DAY_MS, EASY, GOOD, HARD, Settings, day_start_ms
from dlquiz.session import (
    CHOICE,
    EXERCISE,
    FLASHCARD,
    MIXED,
    Entry,
    Session,
    choice_options,
    due_labels,
    forms_of,
    grade_choice,
    review_queue,
    scores_by_topic,
    select_quiz,
    start_quiz,
    start_review,
)
from dlquiz.store import NEW_CARD, REVIEW, CardState, StaleCardError, open_store

T0 = 1_790_000_000_000


class Clock:
    def __init__(self, at=T0):
        self.at = at

    def __call__(self):
        return self.at


def item(qid, topic="basics", difficulty="easy", choices=False, exercise=None, tags=()):
    return Item(
        id=qid,
        topic=topic,
        difficulty=difficulty,
        question=f"Question {qid}?",
        answer=f"Answer {qid}.",
        key_points=("one", "two"),
        tags=tuple(tags),
        choices=Choices("right", ("wrong 1", "wrong 2", "wrong 3")) if choices else None,
        exercise=exercise,
    )


def bank_of(*items):
    return Bank(tuple(items))


def review_state(due_ms, reps=3):
    return CardState(
        new=False,
        state=REVIEW,
        step=None,
        stability=10.0,
        difficulty=5.0,
        due_ms=due_ms,
        last_review_ms=due_ms - 10 * DAY_MS,
        reps=reps,
        lapses=0,
    )


def seed(store, qid, state, at=T0 - DAY_MS):
    store.commit_answer(qid, store.card(qid).version, store.card(qid).state, state, GOOD, "review", at)


@pytest.fixture
def store():
    with open_store() as s:
        yield s


def ids(entries):
    return [e.item.id for e in entries]


def test_queue_due_first_earliest_first_then_new_in_bank_order(store):
    bank = bank_of(*(item(q) for q in ["n1", "late", "n2", "early", "future", "n3"]))
    seed(store, "late", review_state(T0 - 1 * DAY_MS))
    seed(store, "early", review_state(T0 - 5 * DAY_MS))
    seed(store, "future", review_state(T0 + 9 * DAY_MS))
    queue = review_queue(bank, store.cards(), Settings(new_per_day=2), T0, introduced_today=0)
    assert ids(queue) == ["early", "late", "n1", "n2"]
    assert [e.reason for e in queue] == ["due", "due", "new", "new"]


def test_new_limit_counts_cards_introduced_earlier_today(store):
    bank = bank_of(*(item(f"q{i}") for i in range(10)))
    clock = Clock(day_start_ms(T0, 4) + 3 * 3600_000)
    store.set_setting("new_per_day", "5")
    first = start_review(store, bank, clock)
    assert first.progress().new == 5
    for _ in range(3):
        first.next_card()
        first.answer(EASY)  # graduates: not requeued
    clock.at += 3600_000  # later the same day
    second = start_review(store, bank, clock)
    assert ids(second.pending) == ["q3", "q4"]
    clock.at += DAY_MS  # the next study day: a fresh allowance of 5
    third = start_review(store, bank, clock)
    assert sum(e.reason == "new" for e in third.pending) == 5


def test_every_answer_is_committed_before_the_next_card(store):
    bank = bank_of(item("a"), item("b"))
    session = start_review(store, bank, Clock())
    session.next_card()
    session.answer(GOOD)
    other = sqlite3.connect(state_path())  # a separate connection sees the answer at once
    assert other.execute("SELECT question_id, rating FROM reviews").fetchall() == [("a", GOOD)]
    other.close()
    assert session.next_card().item.id == "b"


def test_outcomes_are_computed_once_per_card_shown(store):
    session = start_review(store, bank_of(item("a")), Clock())
    shown = session.next_card()
    assert session.next_card() is shown
    outcome = session.answer(EASY)
    assert store.card("a").state == outcome.after == shown.outcome(EASY).after


def test_learning_card_comes_back_at_the_end(store):
    session = start_review(store, bank_of(item("a"), item("b")), Clock())
    session.next_card()
    session.answer(AGAIN)  # due again in 1 minute: back in this session
    assert [(e.item.id, e.reason) for e in session.pending] == [("b", "new"), ("a", "again")]
    assert str(session.progress()) == "2/3 · 1 due · 1 new"


def test_undo_restores_exactly_and_shows_the_card_again(store):
    seed(store, "a", review_state(T0 - DAY_MS))
    before = store.card("a")
    session = start_review(store, bank_of(item("a"), item("b")), Clock())
    shown = session.next_card()
    session.answer(AGAIN)
    assert store.card("a").state.lapses == 1
    session.next_card()  # b is on screen when the user presses u
    undone = session.undo()
    assert undone.entry.item.id == "a" and undone.rating == AGAIN
    assert store.card("a").state == before.state
    assert ids(session.pending) == ["a", "b"]  # the requeued copy of a is gone
    again = session.next_card()
    assert again.item.id == "a" and again.preview.outcomes == shown.preview.outcomes
    assert session.summary().answered == 0
    assert session.undo() is None


def test_undo_while_the_requeued_copy_is_on_screen_leaves_one_copy(store):
    session = start_review(store, bank_of(item("a")), Clock())
    session.next_card()
    session.answer(AGAIN)  # due again in 1 minute: requeued
    assert session.next_card().entry.reason == "again"  # its copy is the card on screen when u is pressed
    session.undo()
    assert [(e.item.id, e.reason) for e in session.pending] == [("a", "new")]
    assert str(session.progress()) == "1/1 · 0 due · 1 new"
    session.next_card()
    session.answer(EASY)  # now a review card due in days: nothing of it is left in this session
    assert session.next_card() is None


def test_answer_to_card_changed_by_another_session_is_refused(store):
    bank = bank_of(item("a"), item("b"))
    with open_store() as other_store:
        mine = start_review(store, bank, Clock())
        theirs = start_review(other_store, bank, Clock(T0 + 1000))
        mine.next_card()
        theirs.next_card()
        theirs.answer(EASY)
        with pytest.raises(StaleCardError):
            mine.answer(AGAIN)
        assert store.card("a").state.reps == 1 and store.card("a").state.lapses == 0
        assert [r.rating for r in store.reviews("a")] == [EASY]
        assert mine.next_card().item.id == "b"  # the session goes on
        assert mine.summary().skipped == 1


def test_new_cards_introduced_elsewhere_meanwhile_count_against_the_limit(store):
    bank = bank_of(*(item(f"q{i}") for i in range(6)))
    clock = Clock(day_start_ms(T0, 4) + 3 * 3600_000)
    store.set_setting("new_per_day", "3")
    session = start_review(store, bank, clock)
    assert ids(session.pending) == ["q0", "q1", "q2"]
    with open_store() as other:  # meanwhile, another session introduces q0 and q5
        for qid in ("q0", "q5"):
            other.commit_answer(qid, 0, NEW_CARD, review_state(clock.at + 3 * DAY_MS), GOOD, "quiz", clock.at)
    shown = session.next_card()
    assert shown.item.id == "q1"  # q0 is no longer new: not shown again as a new card
    session.answer(EASY)
    assert session.next_card() is None  # q0, q5 and q1 make three new cards today: q2 waits for tomorrow
    assert store.new_cards_since(day_start_ms(clock.at, 4)) == 3


def test_answer_while_another_process_holds_the_file_is_refused_and_can_be_given_again(store):
    session = start_review(store, bank_of(item("a"), item("b")), Clock())
    shown = session.next_card()
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(state_path(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    with pytest.raises(UserError, match="busy"):
        session.answer(GOOD)
    other.execute("ROLLBACK")
    other.close()
    assert session.next_card() is shown and store.reviews() == []  # still on screen, nothing saved
    session.answer(GOOD)
    assert [r.rating for r in store.reviews("a")] == [GOOD] and session.next_card().item.id == "b"


def test_removed_item_keeps_history_and_gets_it_back(store):
    seed(store, "gone", review_state(T0 + 3 * DAY_MS, reps=4))
    without = start_review(store, bank_of(item("other")), Clock())
    assert ids(without.pending) == ["other"]
    assert store.card("gone").state.reps == 4
    back = start_review(store, bank_of(item("other"), item("gone")), Clock(T0 + 4 * DAY_MS))
    assert ids(back.pending) == ["gone", "other"]  # due, not new
    assert back.next_card().preview.before.reps == 4


def test_summary_counts_ratings_and_scores(store):
    bank = bank_of(item("a", topic="x"), item("b", topic="y"), item("c", topic="x"))
    session = start_review(store, bank, Clock())
    for rating in (EASY, AGAIN, HARD):
        session.next_card()
        session.answer(rating)
    summary = session.summary()
    assert summary.answered == 3 and summary.ratings == {AGAIN: 1, HARD: 1, GOOD: 0, EASY: 1}
    assert summary.right == 2 and summary.left == 2  # b (Again) and c (Hard) are still learning: back at the end
    assert [(s.topic, s.asked, s.right) for s in summary.scores] == [("x", 2, 2), ("y", 1, 0)]


def test_scores_by_topic_percent():
    scores = scores_by_topic([("a", True), ("a", False), ("a", True), ("b", False)])
    assert [(s.topic, s.asked, s.right, s.percent) for s in scores] == [("a", 3, 2, 67), ("b", 1, 0, 0)]


QUIZ_BANK = bank_of(
    item("plain", topic="t1"),
    item("mc", topic="t1", choices=True, tags=["x"]),
    item("ex", topic="t2", exercise="m.f", difficulty="hard"),
    item("both", topic="t2", choices=True, exercise="m.g", tags=["x"]),
)


def test_quiz_modes_skip_items_without_the_form():
    rng = random.Random(1)
    assert sorted(ids(select_quiz(QUIZ_BANK, CHOICE, rng=rng))) == ["both", "mc"]
    assert sorted(ids(select_quiz(QUIZ_BANK, EXERCISE, rng=rng))) == ["both", "ex"]
    assert len(select_quiz(QUIZ_BANK, FLASHCARD, rng=rng)) == 4
    for _ in range(20):
        for entry in select_quiz(QUIZ_BANK, MIXED, rng=rng):
            assert entry.form in forms_of(entry.item)
    mixed_forms = {(e.item.id, e.form) for _ in range(50) for e in select_quiz(QUIZ_BANK, MIXED, rng=rng)}
    assert ("both", CHOICE) in mixed_forms and ("both", EXERCISE) in mixed_forms and ("plain", FLASHCARD) in mixed_forms


def test_quiz_filters_and_limit():
    rng = random.Random(2)
    assert ids(select_quiz(QUIZ_BANK, MIXED, topic="t2", difficulty="hard", rng=rng)) == ["ex"]
    assert sorted(ids(select_quiz(QUIZ_BANK, MIXED, tag="x", rng=rng))) == ["both", "mc"]
    assert len(select_quiz(QUIZ_BANK, MIXED, n=2, rng=rng)) == 2
    with pytest.raises(UserError, match="no items match"):
        select_quiz(QUIZ_BANK, MIXED, topic="nope")
    with pytest.raises(UserError, match="choice form"):
        select_quiz(bank_of(item("plain"), item("ex", exercise="m.f")), CHOICE)
    with pytest.raises(UserError, match="mode"):
        select_quiz(QUIZ_BANK, "essay")


def test_choice_options_and_grading():
    options, right = choice_options(QUIZ_BANK.get("mc"), random.Random(3))
    assert sorted(options) == ["right", "wrong 1", "wrong 2", "wrong 3"] and options[right] == "right"
    assert grade_choice(options, right, right) == (GOOD, True)
    assert grade_choice(options, right, (right + 1) % 4) == (AGAIN, False)
    with pytest.raises(UserError):
        grade_choice(options, right, 4)


def test_quiz_answers_feed_the_scheduler_with_their_mode(store):
    entries = [Entry(QUIZ_BANK.get("mc"), CHOICE, "quiz"), Entry(QUIZ_BANK.get("plain"), FLASHCARD, "quiz")]
    session = start_quiz(store, entries, Clock())
    session.next_card()
    session.answer(AGAIN, correct=False)  # a wrong pick
    session.next_card()
    session.answer(GOOD)
    assert not session.pending  # quiz cards are not requeued
    assert [(r.question_id, r.mode, r.rating) for r in store.reviews()] == [
        ("mc", "choice", AGAIN),
        ("plain", "flashcard", GOOD),
    ]
    assert session.summary().right == 1


def test_due_labels(store):
    seed(store, "due", review_state(T0 - DAY_MS))
    seed(store, "later", review_state(T0 + 3 * DAY_MS))
    labels = due_labels(store, ["due", "later", "fresh"], at_ms=T0)
    assert labels == {"due": "due", "later": "in 3d", "fresh": "new"}


def test_session_with_empty_queue_has_nothing_to_show(store):
    session = Session(store, Settings(), deque(), clock=Clock())
    assert session.next_card() is None
    assert session.summary().answered == 0
    with pytest.raises(UserError):
        session.answer(GOOD)

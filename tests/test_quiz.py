"""Quizzes and exercises by plain calls: which answers reach the schedule, and the forms' rules."""

import random

import numpy as np
import pytest
from factories import T0, Clock, bank_of, item, review_state, seed

from dlquiz.activities.desk import Entry
from dlquiz.activities.quiz import forms_of, select_quiz, start_quiz
from dlquiz.activities.review import start_review
from dlquiz.activities.views import ChoiceView, ExerciseView, Stage
from dlquiz.activities.vocabulary import (
    Answer,
    Grade,
    Hint,
    HintShown,
    Next,
    Pick,
    Refused,
    Reveal,
    SessionKind,
    Skip,
    Undo,
)
from dlquiz.errors import UserError
from dlquiz.exercises import generate
from dlquiz.model import Form, QuizMode, Rating
from dlquiz.scheduler import DAY_MS, day_start_ms

SIGMOID = "activations.sigmoid_derivative"
QUIZ_BANK = bank_of(
    item("plain", topic="t1"),
    item("mc", topic="t1", choices=True, tags=["x"]),
    item("ex", topic="t2", exercise=SIGMOID, difficulty="hard"),
    item("both", topic="t2", choices=True, exercise=SIGMOID, tags=["x"]),
)


def ids(entries):
    return [e.item.id for e in entries]


def logged(store):
    return [(r.question_id, r.rating, r.mode) for r in store.reviews()]


# --------------------------------------------------------------------------- choosing the questions


def test_quiz_modes_skip_items_without_the_form():
    rng = random.Random(1)
    assert sorted(ids(select_quiz(QUIZ_BANK, QuizMode.CHOICE, rng=rng))) == ["both", "mc"]
    assert sorted(ids(select_quiz(QUIZ_BANK, QuizMode.EXERCISE, rng=rng))) == ["both", "ex"]
    assert len(select_quiz(QUIZ_BANK, QuizMode.FLASHCARD, rng=rng)) == 4
    mixed = {(e.item.id, e.form) for _ in range(50) for e in select_quiz(QUIZ_BANK, QuizMode.MIXED, rng=rng)}
    assert all(form in forms_of(QUIZ_BANK.get(qid)) for qid, form in mixed)
    assert {("both", Form.CHOICE), ("both", Form.EXERCISE), ("plain", Form.FLASHCARD)} <= mixed


def test_quiz_filters_give_the_same_errors_as_list():
    rng = random.Random(2)
    assert ids(select_quiz(QUIZ_BANK, QuizMode.MIXED, topic="T2", difficulty="hard", rng=rng)) == ["ex"]
    assert len(select_quiz(QUIZ_BANK, QuizMode.MIXED, n=2, rng=rng)) == 2
    with pytest.raises(UserError, match="no topic 't3'"):  # B13: the bad value is named
        select_quiz(QUIZ_BANK, QuizMode.MIXED, topic="t3")
    with pytest.raises(UserError, match="no tag 'y'"):
        select_quiz(QUIZ_BANK, QuizMode.MIXED, tag="y")
    with pytest.raises(UserError, match="choice form"):
        select_quiz(bank_of(item("plain"), item("ex", exercise=SIGMOID)), QuizMode.CHOICE)


# --------------------------------------------------------------------------- which answers count


def test_quiz_on_new_cards_is_practice_and_spends_no_new_card_allowance(store):
    clock = Clock(day_start_ms(T0, 4) + 5 * 3600_000)
    store.set_setting("new_per_day", "2")
    quiz = start_quiz(store, [Entry(item("a")), Entry(item("b"))], clock=clock)
    for _ in range(2):
        assert quiz.view().scheduled is False
        quiz.handle(Reveal())
        quiz.handle(Grade(Rating.GOOD))
    assert store.reviews() == [] and store.cards() == {}
    summary = quiz.finish()
    assert (summary.answered, summary.scheduled, summary.practice, summary.right) == (2, 0, 2, 2)
    review = start_review(store, [item("a"), item("b"), item("c")], clock=clock)
    assert review.view().progress.new == 2  # the day's two new cards are still there


def test_quiz_answers_count_for_cards_already_studied_once_per_quiz(store):
    seed(store, "mc", review_state(T0 + 5 * DAY_MS))  # studied, not due: the quiz reviews it early
    entries = [Entry(QUIZ_BANK.get("mc"), Form.CHOICE, 3), Entry(QUIZ_BANK.get("mc"), Form.CHOICE, 4)]
    quiz = start_quiz(store, entries, clock=Clock())
    first = quiz.view()
    assert first.scheduled
    wrong = next(n for n in range(1, 5) if n != first.right)
    quiz.handle(Pick(wrong))
    quiz.handle(Next())
    assert quiz.view().scheduled is False  # the same card again in one quiz: practice
    assert logged(store)[1:] == [("mc", Rating.AGAIN, "choice")]
    assert store.card("mc").state.lapses == 1  # a wrong pick on a card being studied is a lapse, as in Anki


def test_no_schedule_makes_everything_practice(store):
    seed(store, "plain", review_state(T0 - DAY_MS))
    quiz = start_quiz(store, [Entry(QUIZ_BANK.get("plain"))], schedule=False, clock=Clock())
    assert quiz.view().scheduled is False
    quiz.handle(Reveal())
    quiz.handle(Grade(Rating.AGAIN))
    assert len(store.reviews()) == 1  # only the seed


def test_a_suspended_card_is_never_scheduled_by_a_quiz(store):
    from dlquiz.store import CardMark

    seed(store, "plain", review_state(T0 - DAY_MS))
    store.set_marks({"plain": CardMark(suspended=True)})
    quiz = start_quiz(store, [Entry(QUIZ_BANK.get("plain"))], clock=Clock())
    assert quiz.view().scheduled is False


# --------------------------------------------------------------------------- multiple choice


def test_a_pick_is_graded_and_the_verdict_shows_the_right_option(store):
    quiz = start_quiz(store, [Entry(QUIZ_BANK.get("mc"), Form.CHOICE, 7)], clock=Clock())
    view = quiz.view()
    assert isinstance(view, ChoiceView) and sorted(view.options) == ["right", "wrong 1", "wrong 2", "wrong 3"]
    assert view.options[view.right - 1] == "right"
    assert quiz.handle(Pick(5)) == [Refused("pick a number from 1 to 4")]
    quiz.handle(Pick(view.right))
    after = quiz.view()
    assert after.stage is Stage.ANSWER and after.picked == view.right
    assert quiz.finish().right == 1


def test_the_choice_stem_is_asked_when_the_item_has_one(store):
    from dataclasses import replace

    from dlquiz.model import Choices

    base = item("stemmed")
    stemmed = replace(base, choices=Choices("right", ("wrong 1",), stem="Which update does Adam use?"))
    quiz = start_quiz(store, [Entry(stemmed, Form.CHOICE)], clock=Clock())
    assert quiz.view().stem == "Which update does Adam use?"


def test_undo_at_a_verdict_asks_the_same_question_again(store):
    seed(store, "mc", review_state(T0 - DAY_MS))
    quiz = start_quiz(store, [Entry(QUIZ_BANK.get("mc"), Form.CHOICE, 7), Entry(item("plain"))], clock=Clock())
    first = quiz.view()
    quiz.handle(Pick(first.right))
    quiz.handle(Undo())
    again = quiz.view()
    assert again.item.id == "mc" and again.stage is Stage.QUESTION and again.options == first.options
    assert [r.undone for r in store.reviews("mc", include_undone=True)] == [False, True]


# --------------------------------------------------------------------------- exercises: one set of rules


def exact(seed_value):
    return " ".join(repr(v) for v in generate(SIGMOID, np.random.default_rng(seed_value)).answer)


@pytest.mark.parametrize("kind", [SessionKind.QUIZ, SessionKind.EXERCISE], ids=["quiz", "exercise"])
def test_exercise_rules_are_the_same_in_a_quiz_and_in_dlquiz_exercise(store, kind):
    seed(store, "ex", review_state(T0 - DAY_MS))
    seed(store, "both", review_state(T0 - DAY_MS))
    entries = [Entry(QUIZ_BANK.get("ex"), Form.EXERCISE, 11), Entry(QUIZ_BANK.get("both"), Form.EXERCISE, 12)]
    session = start_quiz(store, entries, kind=kind, clock=Clock())
    assert isinstance(session.view(), ExerciseView)
    [refusal] = session.handle(Answer("abc"))  # unreadable: not graded, asked again
    assert "Could not read that" in refusal.message and session.view().stage is Stage.QUESTION
    [refusal] = session.handle(Answer("1e200/1e-200 1"))  # T3: overflows to infinity; no crash
    assert "Could not read that" in refusal.message and session.view().stage is Stage.QUESTION
    [hint] = session.handle(Hint())
    assert isinstance(hint, HintShown) and "σ" in hint.text
    session.handle(Answer(exact(11)))  # right after a hint: Hard
    assert session.view().correct
    session.handle(Next())
    session.handle(Skip())  # Enter alone: the solution, graded Again
    assert session.view().gave_up and session.view().solution.startswith("σ(z) = ")
    session.handle(Next())
    assert session.view() is None
    mode = "exercise"
    assert logged(store)[2:] == [("ex", Rating.HARD, mode), ("both", Rating.AGAIN, mode)]
    summary = session.finish()
    assert (summary.right, summary.without_answer, summary.scheduled) == (1, 1, 2)

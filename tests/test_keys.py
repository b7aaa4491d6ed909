"""One key map for every session: a key means the same thing wherever it means anything."""

import pytest
from factories import Clock, item

from dlquiz.activities.desk import Entry
from dlquiz.activities.quiz import start_quiz
from dlquiz.activities.steps import WalkActivity
from dlquiz.activities.views import (
    ON_EXERCISE,
    ON_GRADE,
    ON_MOCK_SCORE,
    ON_PICK,
    ON_QUESTION,
    ON_STEP,
    ON_VERDICT,
)
from dlquiz.activities.vocabulary import (
    Answer,
    Bury,
    Extra,
    Grade,
    Hint,
    Next,
    Pick,
    Quit,
    Reveal,
    Show,
    Skip,
    Suspend,
    Undo,
)
from dlquiz.model import Form, Rating
from dlquiz.store import open_store
from dlquiz.ui.keys import ENTER, KEYMAP, action_for_key, action_for_text

ON_CHOICE = ON_PICK
SCREENS = {
    "question": ON_QUESTION,
    "grade": ON_GRADE,
    "verdict": ON_VERDICT,
    "choice": ON_PICK,
    "exercise": ON_EXERCISE,
    "steps": ON_STEP,
    "mock score": ON_MOCK_SCORE,
}


@pytest.mark.parametrize("key", ["u", "q", "?", "d", "c", "r", "s", "b"])
def test_a_command_key_means_one_thing_everywhere(key):
    meanings = {action_for_key(key, accepts) for accepts in SCREENS.values()} - {None}
    assert len(meanings) == 1, meanings


def test_the_command_keys():
    assert action_for_key("u", ON_GRADE) == Undo()
    assert action_for_key("q", ON_VERDICT) == Quit()
    assert action_for_key("?", ON_QUESTION) == Hint()
    assert action_for_key("d", ON_GRADE) == Show(Extra.DERIVATION)
    assert action_for_key("c", ON_GRADE) == Show(Extra.CODE)
    assert action_for_key("r", ON_GRADE) == Show(Extra.DEMO)
    assert action_for_key("s", ON_GRADE) == action_for_key("@", ON_GRADE) == Suspend()
    assert action_for_key("b", ON_QUESTION) == action_for_key("-", ON_QUESTION) == Bury()
    assert action_for_key("S", ON_GRADE) == Suspend()  # caps lock does not change a command


def test_enter_and_space_do_the_obvious_thing_on_each_screen():
    expected = {
        "question": Reveal(),
        "grade": Grade(Rating.GOOD),  # Enter or Space means Good, as in Anki (friction 11)
        "verdict": Next(),
        "exercise": Skip(),  # Enter alone shows the solution
        "steps": Reveal(),
        "mock score": Answer(""),  # no point made
    }
    for screen, action in expected.items():
        assert action_for_key(ENTER, SCREENS[screen]) == action, screen
        assert action_for_key(" ", SCREENS[screen]) == action, screen
    assert action_for_key(ENTER, SCREENS["choice"]) is None  # a multiple-choice question needs a pick


def test_digits_grade_a_flashcard_and_pick_an_option():
    for n in range(1, 5):
        assert action_for_key(str(n), ON_GRADE) == Grade(Rating(n))
        assert action_for_key(str(n), ON_CHOICE) == Pick(n)
    assert action_for_key("5", ON_GRADE) is None and action_for_key("5", ON_CHOICE) == Pick(5)


def test_keys_with_no_meaning_here():
    assert action_for_key("x", ON_GRADE) is None
    assert action_for_key("1", ON_QUESTION) is None
    assert action_for_key("d", ON_QUESTION) is None  # no derivation before the answer
    assert all(action_for_key(key, frozenset()) is None for key in KEYMAP)


def test_typed_lines_commands_alone_attempts_and_answers():
    assert action_for_text(" q ", ON_QUESTION) == Quit()
    assert action_for_text("u", SCREENS["exercise"]) == Undo()
    assert action_for_text("?", SCREENS["exercise"]) == Hint()
    assert action_for_text("use momentum", ON_QUESTION) == Reveal("use momentum")  # may begin with u or q
    assert action_for_text("", ON_QUESTION) == Reveal()
    assert action_for_text("0.25, 0.1875", SCREENS["exercise"]) == Answer("0.25, 0.1875")
    assert action_for_text("", SCREENS["exercise"]) == Skip()
    assert action_for_text("1 3", SCREENS["mock score"]) == Answer("1 3")
    assert action_for_text("s", SCREENS["exercise"]) == Answer("s")  # no suspend in an exercise: an (unreadable) answer


def test_the_screens_tested_are_the_ones_activities_show():
    with open_store() as store:
        entries = [Entry(item("c", choices=True, derivation=True), Form.CHOICE), Entry(item("f"))]
        quiz = start_quiz(store, entries, clock=Clock())
        assert quiz.view().accepts == ON_PICK
        quiz.handle(Pick(1))
        assert quiz.view().accepts == ON_VERDICT
        quiz.handle(Show(Extra.DERIVATION))
        assert quiz.view().accepts == ON_STEP
        quiz.handle(Quit())  # ends the derivation, not the quiz
        quiz.handle(Next())
        assert quiz.view().accepts == ON_QUESTION
        quiz.handle(Reveal())
        assert quiz.view().accepts == ON_GRADE
    assert WalkActivity([]).walk.view(1).accepts == ON_STEP

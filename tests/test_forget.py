"""Forgetting a card (Anki's Forget): new again, its answers kept in the log and the stats, and a card rebuilt
from its log (repair) stays new."""

import sqlite3

from factories import T0, Clock, item, on_screen, review_state, seed
from typer.testing import CliRunner

from dlquiz.activities.review import start_review
from dlquiz.activities.vocabulary import Grade, Reveal, Saved
from dlquiz.cli import app
from dlquiz.model import NEW_CARD, Rating
from dlquiz.paths import state_path
from dlquiz.scheduler import DAY_MS
from dlquiz.store import CardMark, open_store, repair


def test_a_forgotten_card_is_new_again_and_keeps_its_answers(store):
    seed(store, "a", review_state(T0 + 5 * DAY_MS))
    seed(store, "b", review_state(T0 + 5 * DAY_MS))
    version = store.card("a").version
    assert store.forget(["a", "a", "new-one"], T0) == ["a"]  # a new (or unknown) card: nothing to forget
    card = store.card("a")
    assert card.state == NEW_CARD and card.version == version + 1
    assert [r.question_id for r in store.reviews()] == ["a", "b"]  # the history stays
    assert store.card("b").state.stability is not None  # the others are untouched
    assert store.forget(["a"], T0) == []  # forgetting twice changes nothing


def test_a_forgotten_card_is_taught_again_from_its_first_step(store):
    seed(store, "a", review_state(T0 - DAY_MS))  # due: a review card
    store.forget(["a"], T0)
    review = start_review(store, [item("a")], clock=Clock())
    assert on_screen(review) == "a" and review.view().progress.new == 1 and review.view().progress.due == 0
    review.handle(Reveal())
    (saved,) = [e for e in review.handle(Grade(Rating.GOOD)) if isinstance(e, Saved)]
    assert saved.label == "Good · 10m"  # a new card's second learning step, not a review interval


def test_a_session_showing_the_card_cannot_save_over_a_forget(store):
    seed(store, "a", review_state(T0 - DAY_MS))
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    assert on_screen(review) == "a"
    with open_store() as other:
        other.forget(["a"], T0)
    review.handle(Reveal())
    events = review.handle(Grade(Rating.EASY))
    assert len(events) == 1 and "changed by another dlquiz session" in events[0].message
    assert store.card("a").state == NEW_CARD


def test_marks_stay_when_a_card_is_forgotten(store):
    seed(store, "a", review_state(T0 + DAY_MS))
    store.set_marks({"a": CardMark(suspended=True, leech=True)})
    store.forget(["a"], T0)
    assert store.marks()["a"] == CardMark(suspended=True, leech=True)


def test_a_card_rebuilt_from_its_log_stays_forgotten_until_its_next_answer(store):
    seed(store, "a", review_state(T0 + 5 * DAY_MS))
    store.forget(["a"], T0)
    assert store.rebuild_card("a") == NEW_CARD
    later = review_state(T0 + 9 * DAY_MS)
    seed(store, "a", later, at=T0 + DAY_MS)
    assert store.rebuild_card("a") == later  # answers after the forget shape it again


def test_repair_keeps_a_forgotten_card_new_when_its_row_is_lost():
    with open_store() as store:
        seed(store, "kept", review_state(T0 + 5 * DAY_MS))
        seed(store, "gone", review_state(T0 + 5 * DAY_MS))
        store.forget(["gone"], T0)
        kept = store.card("kept").state
    db = sqlite3.connect(state_path(), isolation_level=None)
    db.execute("DELETE FROM cards")  # the card rows are lost: repair rebuilds every card from the log
    db.execute("INSERT INTO cards (question_id, new, state, reps, lapses, version) VALUES ('x', 5, 9, 0, 0, 1)")
    db.close()
    assert repair() is not None  # the bad row makes the file damaged
    with open_store() as repaired:
        assert repaired.card("kept").state == kept
        assert repaired.card("gone").state == NEW_CARD  # not its state from before the forget
        assert len(repaired.reviews()) == 2


def test_forget_asks_first_and_names_what_it_did(tmp_path):
    runner = CliRunner()
    with open_store() as store:
        seed(store, "adam", review_state(T0 + 5 * DAY_MS))
    kept = runner.invoke(app, ["forget", "adam", "momentum"], input="n\n")
    assert kept.exit_code == 0 and "Nothing changed" in kept.output
    done = runner.invoke(app, ["forget", "adam", "momentum"], input="y\n")
    assert done.exit_code == 0
    assert "Forgot adam: new cards again" in done.output
    assert "Nothing to forget (not studied yet): momentum." in done.output
    with open_store() as store:
        assert store.card("adam").state == NEW_CARD and len(store.reviews()) == 1
    assert "new card: forgotten, 1 answer in your history" in runner.invoke(app, ["show", "adam"]).output
    unknown = runner.invoke(app, ["forget", "--yes", "adma"])
    assert unknown.exit_code == 2 and "did you mean 'adam'" in unknown.output

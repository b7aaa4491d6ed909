"""Suspend, bury and leeches: in a session by plain calls, and as commands."""

import pytest
from factories import T0, Clock, item, on_screen, review_state, seed
from typer.testing import CliRunner

from dlquiz.activities.queue import set_suspended
from dlquiz.activities.review import start_review
from dlquiz.activities.vocabulary import Bury, Grade, Marked, MarkKind, Reveal, Saved, Suspend, Undo, Undone
from dlquiz.cli import app
from dlquiz.model import Rating
from dlquiz.scheduler import DAY_MS, next_day_start_ms
from dlquiz.store import NO_MARK, CardMark


def test_a_suspended_card_leaves_the_session_and_every_later_one_until_unsuspended(store):
    items = [item("a"), item("b")]
    review = start_review(store, items, clock=Clock())
    assert review.handle(Suspend()) == [Marked("a", MarkKind.SUSPENDED)]
    assert on_screen(review) == "b"
    assert store.marks()["a"].suspended and store.reviews() == []  # nothing answered, nothing logged
    assert on_screen(start_review(store, items, clock=Clock(T0 + 30 * DAY_MS))) == "b"
    assert set_suspended(store, ["a", "b"], False) == ["a"]  # b was not suspended: unchanged
    assert on_screen(start_review(store, items, clock=Clock())) == "a"


def test_undo_takes_a_suspend_back_and_shows_the_card_again(store):
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    review.handle(Suspend())
    assert review.handle(Undo()) == [Undone("a", "suspend")]
    assert store.marks().get("a", NO_MARK) == NO_MARK
    assert on_screen(review) == "a"


def test_a_buried_card_comes_back_the_next_study_day(store):
    clock = Clock()
    seed(store, "a", review_state(T0 - DAY_MS))
    review = start_review(store, [item("a"), item("b")], clock=clock)
    tomorrow = next_day_start_ms(T0, 4)
    assert review.handle(Bury()) == [Marked("a", MarkKind.BURIED, until_ms=tomorrow)]
    assert on_screen(review) == "b"
    assert on_screen(start_review(store, [item("a")], clock=Clock(tomorrow - 1))) is None
    assert on_screen(start_review(store, [item("a")], clock=Clock(tomorrow))) == "a"


def lapse(store, qid, clock):
    """Show the card (due now) and answer Again; returns the events of the grade."""
    review = start_review(store, [item(qid)], clock=clock)
    assert on_screen(review) == qid
    review.handle(Reveal())
    events = review.handle(Grade(Rating.AGAIN))
    return review, events


@pytest.mark.parametrize(
    ("lapses_before", "suspended"),
    [(6, False), (7, True), (8, False), (10, False), (11, True), (15, True)],
    ids=["7th lapse", "8th lapse", "9th", "11th", "12th", "16th"],
)
def test_a_leech_is_suspended_at_8_lapses_and_every_4_more(store, lapses_before, suspended):
    clock = Clock()
    seed(store, "hard", review_state(T0 - DAY_MS, reps=20, lapses=lapses_before))
    review, events = lapse(store, "hard", clock)
    assert store.card("hard").state.lapses == lapses_before + 1
    leech = Marked("hard", MarkKind.LEECH, lapses_before + 1)
    assert (leech in events) == suspended
    assert store.marks().get("hard", NO_MARK).suspended == suspended
    assert review.finish().leeches == (("hard",) if suspended else ())


def test_undoing_the_lapse_that_made_a_leech_unsuspends_it(store):
    clock = Clock()
    seed(store, "hard", review_state(T0 - DAY_MS, reps=20, lapses=7))
    review, events = lapse(store, "hard", clock)
    assert isinstance(events[0], Saved) and events[1] == Marked("hard", MarkKind.LEECH, 8)
    review.handle(Undo())
    assert store.card("hard").state.lapses == 7
    assert store.marks().get("hard", NO_MARK) == NO_MARK
    assert review.finish().leeches == ()


def test_an_unsuspended_leech_keeps_its_mark(store):
    store.set_marks({"x": CardMark(suspended=True, leech=True)})
    set_suspended(store, ["x"], False)
    assert store.marks()["x"] == CardMark(suspended=False, leech=True)


def run(*args, input=None):
    return CliRunner().invoke(app, list(args), input=input)


def test_suspend_and_unsuspend_commands_and_the_list_column():
    from dlquiz.bank import load_bank

    first, second = load_bank().ids()[:2]
    assert run("suspend").stdout == "No card is suspended or buried.\n"
    done = run("suspend", first, second)
    assert done.exit_code == 0 and f"Suspended {first}, {second}" in done.stdout
    assert "Already suspended" in run("suspend", first).stdout
    listed = {line.split()[0]: line.split()[1] for line in run("suspend").stdout.splitlines()}
    assert listed == {first: "suspended", second: "suspended"}
    column = {line.split()[0]: line.split()[-1] for line in run("list").stdout.splitlines()[2:] if line.strip()}
    assert column[first] == "suspended"
    back = run("unsuspend", first)
    assert back.exit_code == 0 and f"Back in reviews: {first}." in back.stdout
    assert first not in run("suspend").stdout


def test_the_list_of_hidden_cards_is_aligned():
    """Bug 13: `dlquiz suspend` printed each state right after its id, so the states did not line up."""
    from dlquiz.bank import load_bank

    ids = sorted(load_bank().ids(), key=len)
    short, long = ids[0], ids[-1]
    run("suspend", short, long)
    lines = run("suspend").stdout.splitlines()
    assert len(lines) == 2 and {line.index("suspended") for line in lines} == {len(long) + 2}


def test_suspend_names_an_unknown_id_and_changes_nothing():
    result = run("suspend", "adam-bias-corection")
    assert result.exit_code == 2 and "adam-bias-correction" in result.stderr
    assert run("suspend").stdout == "No card is suspended or buried.\n"

"""The review queue in Anki v3's order, and the review activity driven by plain calls."""

import sqlite3

from factories import T0, Clock, bank_of, item, learning_state, on_screen, review_state, seed

from dlquiz.activities.queue import Group, queue_at, reviewable_from_ms
from dlquiz.activities.review import start_review
from dlquiz.activities.views import FlashcardView, Stage
from dlquiz.activities.vocabulary import Grade, Quit, Refused, Reveal, Saved, Undo, Undone
from dlquiz.model import NEW_CARD, Rating
from dlquiz.paths import state_path
from dlquiz.scheduler import DAY_MS, HOUR_MS, LEARN_AHEAD_MS, MINUTE_MS, Settings, day_start_ms, next_day_start_ms
from dlquiz.store import CardMark, open_store


def answer(activity, rating):
    """Reveal the card on screen and grade it; returns the events of the grade."""
    assert activity.handle(Reveal()) == []
    return activity.handle(Grade(rating))


# --------------------------------------------------------------------------- the queue's order


def test_queue_learning_past_due_then_reviews_by_day_then_new_then_learn_ahead(store):
    bank = bank_of(*(item(q) for q in ["n1", "late", "n2", "early", "future", "ahead", "overdue", "later", "n3"]))
    seed(store, "late", review_state(T0 - 1 * DAY_MS))
    seed(store, "early", review_state(T0 - 5 * DAY_MS))
    seed(store, "future", review_state(T0 + 9 * DAY_MS))
    seed(store, "ahead", learning_state(T0 + 5 * MINUTE_MS))
    seed(store, "overdue", learning_state(T0 - 1 * MINUTE_MS))
    seed(store, "later", learning_state(T0 + LEARN_AHEAD_MS + MINUTE_MS))
    queue = queue_at(list(bank), store.cards(), store.marks(), Settings(), T0, new_allowance=2)
    assert queue.ids(Group.LEARNING) == ("overdue",)
    assert queue.ids(Group.REVIEW) == ("early", "late")
    assert queue.ids(Group.NEW) == ("n1", "n2")
    assert queue.ids(Group.AHEAD) == ("ahead",)
    assert queue.ids(Group.LATER) == ("later",)
    assert queue.next_id() == "overdue"
    assert (queue.due, queue.new, queue.waiting) == (3, 2, 2)  # 'ahead' and 'later' are not due


def test_a_review_card_is_due_for_its_whole_due_study_day(store):
    at = day_start_ms(T0, 4) + 2 * HOUR_MS  # 06:00 on a study day
    seed(store, "tonight", review_state(at + 15 * HOUR_MS))  # 21:00 the same study day
    seed(store, "small-hours", review_state(next_day_start_ms(at, 4) - MINUTE_MS))  # 03:59 next morning
    seed(store, "tomorrow", review_state(next_day_start_ms(at, 4) + MINUTE_MS))
    items = [item(q) for q in ("tonight", "small-hours", "tomorrow")]
    queue = queue_at(items, store.cards(), store.marks(), Settings(), at, 0)
    assert queue.ids(Group.REVIEW) == ("tonight", "small-hours")


def test_with_an_interview_date_due_reviews_come_most_at_risk_first(store):
    from dataclasses import replace
    from datetime import date, timedelta

    from dlquiz.stats.recall import recall_on

    seed(store, "solid", replace(review_state(T0 - 2 * DAY_MS), stability=200.0))  # due first, but safe
    seed(store, "shaky", replace(review_state(T0 - 1 * DAY_MS), stability=3.0))
    items = [item("solid"), item("shaky")]
    plain = queue_at(items, store.cards(), store.marks(), Settings(), T0, 0)
    assert plain.ids(Group.REVIEW) == ("solid", "shaky")  # earliest due first, as Anki orders them
    interview = date.fromordinal(study_day_number(T0)) + timedelta(days=30)
    cards = store.cards()
    risk = {q: recall_on(cards[q].state, interview.toordinal(), 4) for q in ("solid", "shaky")}
    assert risk["shaky"] < risk["solid"]
    ahead = queue_at(items, cards, store.marks(), Settings(interview_date=interview), T0, 0)
    assert ahead.ids(Group.REVIEW) == ("shaky", "solid")  # lowest recall on the interview day first
    past = queue_at(items, cards, store.marks(), Settings(interview_date=date(2000, 1, 1)), T0, 0)
    assert past.ids(Group.REVIEW) == ("solid", "shaky")  # an interview in the past changes nothing


def study_day_number(at_ms: int) -> int:
    from dlquiz.scheduler import study_day

    return study_day(at_ms, 4)


def test_b1_a_learning_card_not_yet_due_waits_while_new_cards_remain(store):
    clock = Clock()
    review = start_review(store, [item("a"), item("b"), item("c")], clock=clock)
    assert on_screen(review) == "a"
    answer(review, Rating.GOOD)  # a: learning, due in 10 minutes
    clock.advance(MINUTE_MS)
    assert on_screen(review) == "b"  # not a: its 10-minute step is not cut to one minute
    progress = review.view().progress
    assert (progress.position, progress.total, progress.due, progress.new, progress.waiting) == (2, 4, 0, 2, 1)
    answer(review, Rating.EASY)
    answer(review, Rating.EASY)  # c
    view = review.view()  # nothing else left: a is shown early (learn-ahead), and says so
    assert view.item.id == "a" and view.early_ms == 9 * MINUTE_MS


def test_a_learning_card_past_its_due_instant_comes_before_due_reviews(store):
    clock = Clock()
    for qid in ("r1", "r2"):
        seed(store, qid, review_state(T0 - DAY_MS))
    review = start_review(store, [item("r1"), item("r2"), item("n")], clock=clock)
    answer(review, Rating.AGAIN)  # r1 lapses: relearning, due in 10 minutes
    assert on_screen(review) == "r2"
    clock.advance(11 * MINUTE_MS)
    answer(review, Rating.GOOD)  # r2 was on screen for 11 minutes
    assert on_screen(review) == "r1"  # past due now: before the new card


def test_counters_are_honest_after_each_answer(store):
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    answer(review, Rating.AGAIN)  # due again in 1 minute: waiting, not due
    progress = review.view().progress
    assert (progress.position, progress.total, progress.due, progress.new, progress.waiting) == (2, 3, 0, 1, 1)


def test_b2_nothing_to_review_says_when_the_next_card_comes_by_study_day(store):
    clock = Clock(day_start_ms(T0, 4) + 22 * HOUR_MS)  # 02:00 at night: still yesterday's study day
    seed(store, "r", review_state(clock.at + 9 * HOUR_MS))  # due at 11:00 the next calendar day
    store.set_setting("new_per_day", "0")
    summary = start_review(store, [item("r")], clock=clock).finish()
    assert summary.empty_at_start and summary.answered == 0
    assert summary.next_ms == next_day_start_ms(clock.at, 4)  # reviewable at 04:00, in 2 h: not 'in 9h'


def test_next_time_counts_learn_ahead_buried_cards_and_tomorrows_new_cards(store):
    at = day_start_ms(T0, 4) + 6 * HOUR_MS  # 10:00
    seed(store, "lrn", learning_state(at + HOUR_MS))
    items = [item("lrn"), item("fresh")]
    cards, tomorrow = store.cards(), next_day_start_ms(at, 4)
    # a learning card can be studied LEARN_AHEAD_MS early; new cards that wait for tomorrow come at 04:00
    assert reviewable_from_ms(items, cards, {}, Settings(), at, False) == at + HOUR_MS - LEARN_AHEAD_MS
    assert reviewable_from_ms(items[1:], cards, {}, Settings(), at, True) == tomorrow
    assert reviewable_from_ms(items[1:], cards, {}, Settings(), at, False) is None
    buried = {"lrn": CardMark(buried_until_ms=tomorrow)}
    assert reviewable_from_ms(items[:1], cards, buried, Settings(), at, False) == tomorrow
    suspended = {"lrn": CardMark(suspended=True)}
    assert reviewable_from_ms(items[:1], cards, suspended, Settings(), at, False) is None


def test_new_cards_respect_the_daily_limit_across_sessions(store):
    bank = [item(f"q{i}") for i in range(10)]
    clock = Clock(day_start_ms(T0, 4) + 3 * HOUR_MS)
    store.set_setting("new_per_day", "5")
    first = start_review(store, bank, clock=clock)
    assert first.view().progress.new == 5
    for _ in range(3):
        answer(first, Rating.EASY)  # graduates at once
    clock.advance(HOUR_MS)
    second = start_review(store, bank, clock=clock)
    assert second.view().progress.new == 2 and on_screen(second) == "q3"
    clock.advance(DAY_MS)
    assert start_review(store, bank, clock=clock).view().progress.new == 5


def test_new_cards_introduced_elsewhere_meanwhile_count_against_the_limit(store):
    bank = [item(f"q{i}") for i in range(6)]
    clock = Clock(day_start_ms(T0, 4) + 3 * HOUR_MS)
    store.set_setting("new_per_day", "3")
    review = start_review(store, bank, clock=clock)
    assert on_screen(review) == "q0"
    with open_store() as other:  # meanwhile another session introduces q1 and q5
        for qid in ("q1", "q5"):
            other.commit_answer(qid, 0, NEW_CARD, review_state(clock.at + 3 * DAY_MS), Rating.GOOD, "review", clock.at)
    answer(review, Rating.EASY)
    assert on_screen(review) is None  # q1, q5 and q0 make three new cards today: q2 waits for tomorrow
    assert store.new_cards_since(day_start_ms(clock.at, 4)) == 3


# --------------------------------------------------------------------------- answering


def test_every_answer_is_committed_before_the_next_card(store):
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    events = answer(review, Rating.GOOD)
    assert events == [Saved("a", Rating.GOOD, "Good · 10m", True)]
    other = sqlite3.connect(state_path())  # a separate connection sees the answer at once
    assert other.execute("SELECT question_id, rating FROM reviews").fetchall() == [("a", Rating.GOOD)]
    other.close()
    assert on_screen(review) == "b"


def test_the_interval_on_the_button_is_the_one_saved(store):
    review = start_review(store, [item("a")], clock=Clock())
    review.handle(Reveal())
    button = next(b for b in review.view().buttons if b.rating is Rating.EASY)
    review.handle(Grade(Rating.EASY))
    saved = store.card("a").state
    from dlquiz.scheduler import format_interval

    assert button.label == f"Easy · {format_interval(saved.due_ms - T0)}"


def test_undo_restores_exactly_and_shows_the_card_again_first(store):
    seed(store, "a", review_state(T0 - DAY_MS))
    before = store.card("a").state
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    answer(review, Rating.AGAIN)
    assert store.card("a").state.lapses == 1
    assert on_screen(review) == "b"  # b is on screen when u is pressed
    assert review.handle(Undo()) == [Undone("a", "Again")]
    assert store.card("a").state == before
    view = review.view()
    assert view.item.id == "a" and view.stage is Stage.QUESTION
    answer(review, Rating.GOOD)
    assert on_screen(review) == "b"
    assert review.handle(Undo()) == [Undone("a", "Good")]
    assert review.handle(Undo()) == [Refused("nothing to undo yet in this session")]


def test_an_answer_to_a_card_changed_by_another_session_is_refused(store):
    with open_store() as other_store:
        mine = start_review(store, [item("a"), item("b")], clock=Clock())
        theirs = start_review(other_store, [item("a"), item("b")], clock=Clock(T0 + 1000))
        assert on_screen(mine) == on_screen(theirs) == "a"
        answer(theirs, Rating.EASY)
        events = answer(mine, Rating.AGAIN)
        assert len(events) == 1 and "changed by another dlquiz session" in events[0].message
        assert [r.rating for r in store.reviews("a")] == [Rating.EASY]
        assert on_screen(mine) == "b"  # the session goes on
        assert mine.finish().skipped == 1


def test_an_answer_while_another_process_holds_the_file_can_be_given_again(store):
    review = start_review(store, [item("a"), item("b")], clock=Clock())
    review.handle(Reveal())
    store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(state_path(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    events = review.handle(Grade(Rating.GOOD))
    assert len(events) == 1 and "busy" in events[0].message
    other.execute("ROLLBACK")
    other.close()
    assert on_screen(review) == "a" and store.reviews() == []  # still on screen, nothing saved
    review.handle(Grade(Rating.GOOD))
    assert [r.rating for r in store.reviews("a")] == [Rating.GOOD] and on_screen(review) == "b"


def test_a_removed_item_keeps_its_history_and_gets_it_back(store):
    seed(store, "gone", review_state(T0 + 3 * DAY_MS, reps=4))
    assert on_screen(start_review(store, [item("other")], clock=Clock())) == "other"
    back = start_review(store, [item("other"), item("gone")], clock=Clock(T0 + 4 * DAY_MS))
    assert on_screen(back) == "gone"  # due, not new
    assert store.card("gone").state.reps == 4


# --------------------------------------------------------------------------- options and the end


def test_review_of_a_part_of_the_bank_limit_and_no_new_cards(store):
    for qid in ("r1", "r2", "r3"):
        seed(store, qid, review_state(T0 - DAY_MS))
    items = [item("r1"), item("r2"), item("r3"), item("n1")]
    only_reviews = start_review(store, items, new_cards=False, clock=Clock())
    assert only_reviews.view().progress.new == 0
    capped = start_review(store, items, limit=2, clock=Clock())
    assert capped.view().progress.total == 2
    answer(capped, Rating.AGAIN)  # r1 relearns: it comes back in this session, within the limit
    answer(capped, Rating.EASY)
    assert on_screen(capped) == "r1"  # learn-ahead at the end: the limit does not cut a card half-learnt
    answer(capped, Rating.GOOD)
    assert on_screen(capped) is None
    summary = capped.finish()  # r3 and n1 are still ready: not "the next card is tomorrow"
    assert summary.beyond_limit == 2 and summary.next_ms is None


def test_a_review_that_empties_its_queue_has_nothing_beyond_its_limit(store):
    review = start_review(store, [item("a")], limit=5, clock=Clock())
    answer(review, Rating.EASY)
    summary = review.finish()
    assert summary.beyond_limit == 0 and summary.next_ms is not None


def test_summary_counts_ratings_and_what_is_left(store):
    bank = [item("a", topic="x"), item("b", topic="y"), item("c", topic="x")]
    review = start_review(store, bank, clock=Clock())
    for rating in (Rating.EASY, Rating.AGAIN):
        answer(review, rating)
    assert review.handle(Quit()) == []
    assert review.view() is None
    summary = review.finish()
    assert summary.answered == 2 and summary.ratings == {
        Rating.AGAIN: 1,
        Rating.HARD: 0,
        Rating.GOOD: 0,
        Rating.EASY: 1,
    }
    assert summary.right == 1 and summary.left == 2 and summary.stopped  # c (new) and b (learning)
    assert [(s.topic, s.asked, s.right) for s in summary.scores] == [("x", 1, 1), ("y", 1, 0)]


def test_an_empty_review_has_nothing_to_show(store):
    store.set_setting("new_per_day", "1")
    answer(start_review(store, [item("x")], clock=Clock(T0 - HOUR_MS)), Rating.EASY)  # today's new card

    review = start_review(store, [item("a")], clock=Clock())
    assert review.view() is None
    assert isinstance(review.handle(Grade(Rating.GOOD))[0], Refused)
    summary = review.finish()
    assert summary.empty_at_start and summary.next_ms == next_day_start_ms(T0, 4)  # tomorrow's new card


def test_with_new_cards_off_no_next_card_is_promised(store):
    """new_per_day 0: an unseen card never comes by itself, so 'the next card is at 04:00' would be false."""
    store.set_setting("new_per_day", "0")
    summary = start_review(store, [item("a")], clock=Clock()).finish()
    assert summary.empty_at_start and summary.next_ms is None and summary.new_off
    store.set_marks({"a": CardMark(suspended=True)})
    assert not start_review(store, [item("a")], clock=Clock()).finish().new_off  # nothing unseen in the queue
    assert not start_review(store, [item("b")], new_cards=False, clock=Clock()).finish().new_off  # --no-new


def test_views_say_what_they_accept(store):
    review = start_review(store, [item("a")], clock=Clock())
    question = review.view()
    assert isinstance(question, FlashcardView) and Grade not in question.accepts
    assert review.handle(Grade(Rating.GOOD)) == [Refused("that does nothing here")]  # grading before the answer
    review.handle(Reveal("the first"))
    shown = review.view()
    assert Grade in shown.accepts and Reveal not in shown.accepts
    assert shown.match.touched() == (1,)  # the attempt's words beside the key points


def test_the_engine_imports_neither_rich_nor_typer():
    import subprocess
    import sys

    code = (
        "import sys, dlquiz.activities.review, dlquiz.activities.quiz, dlquiz.activities.mock, "
        "dlquiz.activities.steps, dlquiz.activities.summaries, dlquiz.activities.compare, "
        "dlquiz.activities.queue, dlquiz.activities.interview; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer', 'plotext')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_review_without_new_cards_says_how_many_new_ones_wait(store):
    """Friction 8: `review --no-new` on a fresh state said only "Nothing to review right now."."""
    store.set_setting("new_per_day", "2")
    summary = start_review(store, [item("a"), item("b"), item("c")], new_cards=False, clock=Clock()).finish()
    assert summary.empty_at_start and summary.new_held_back == 2  # today's limit, not the 3 unseen
    assert start_review(store, [item("a")], clock=Clock()).finish().new_held_back == 0  # none held back


def test_a_review_counts_the_coding_exercises_due(store):
    """Bug 11: due coding exercises were invisible outside `dlquiz implement`."""
    from dlquiz.implement.registry import EXERCISES
    from dlquiz.implement.schedule import Result, record

    clock = Clock()
    assert start_review(store, [item("a")], clock=clock).finish().coding_due == 0
    for exercise in EXERCISES[:2]:
        record(store, exercise, Result.GAVE_UP, at_ms=clock() - 3 * DAY_MS)
    record(store, EXERCISES[2], Result.PASSED, at_ms=clock() - HOUR_MS)  # passed an hour ago: not due
    assert start_review(store, [item("a")], clock=clock).finish().coding_due == 2


def test_the_end_of_a_review_points_to_what_else_waits():
    from typer.testing import CliRunner

    from dlquiz.cli import app
    from dlquiz.implement.registry import EXERCISES
    from dlquiz.implement.schedule import Result, record
    from dlquiz.scheduler import now_ms

    with open_store() as s:
        record(s, EXERCISES[0], Result.GAVE_UP, at_ms=now_ms() - 3 * DAY_MS)
    result = CliRunner().invoke(app, ["review", "--no-new"], input="")
    assert result.exit_code == 0, result.output
    assert "Nothing to review right now." in result.stdout
    assert "20 new cards are waiting: 'dlquiz review' without --no-new" in result.stdout
    assert "1 coding exercise is due: dlquiz implement --next" in result.stdout
    result = CliRunner().invoke(app, ["review", "-n", "1"], input="\n3\n")
    assert "Session over: 1 answered" in result.stdout and "1 coding exercise is due" in result.stdout

"""dlquiz stats: counts by state, due forecast, retention, streak, --json."""

import json

from localtime import local_ms
from typer.testing import CliRunner

from dlquiz.cli import app
from dlquiz.model import Bank, Item
from dlquiz.scheduler import AGAIN, DAY_MS, GOOD, HARD, HOUR_MS, day_start_ms
from dlquiz.stats import compute_stats, streak_length, study_day_number
from dlquiz.store import LEARNING, REVIEW, CardState, open_store

T0 = day_start_ms(1_790_000_000_000, 4) + 10 * HOUR_MS  # 14:00 local on some day


def item(qid, topic):
    return Item(id=qid, topic=topic, difficulty="easy", question="Q?", answer="A.", key_points=("a", "b"))


def state(kind, due_ms, stability=5.0):
    return CardState(
        new=False,
        state=kind,
        step=None if kind == REVIEW else 0,
        stability=stability,
        difficulty=5.0,
        due_ms=due_ms,
        last_review_ms=due_ms - DAY_MS,
        reps=2,
        lapses=0,
    )


def test_streak_counts_days_in_a_row():
    assert streak_length({10, 9, 8, 6}, today=10) == 3
    assert streak_length({9, 8}, today=10) == 2  # nothing yet today: the streak is not broken until the day ends
    assert streak_length({8}, today=10) == 0
    assert streak_length(set(), today=10) == 0


def test_study_day_number_changes_at_the_rollover():
    before = study_day_number(T0 - 10 * HOUR_MS - 1, 4)
    after = study_day_number(T0 - 10 * HOUR_MS, 4)
    assert after == before + 1


def test_stats_over_a_small_history():
    bank = Bank((item("a", "x"), item("b", "x"), item("c", "y"), item("d", "y"), item("e", "y")))
    with open_store() as store:
        old = CardState()
        # a: a review card answered on three days in a row (the last one today), Good, Again, Hard
        for days_ago, rating in ((2, GOOD), (1, AGAIN), (0, HARD)):
            new = state(REVIEW, T0 + 2 * DAY_MS, stability=30.0)
            store.commit_answer(
                "a",
                store.card("a").version,
                old if days_ago == 2 else state(REVIEW, T0),
                new,
                rating,
                "review",
                T0 - days_ago * DAY_MS,
            )
        # b: learning, due in 5 minutes; c: review due in 3 days; d, e: never answered
        store.commit_answer("b", 0, CardState(), state(LEARNING, T0 + 5 * 60_000), GOOD, "review", T0)
        store.commit_answer("c", 0, CardState(), state(REVIEW, T0 + 3 * DAY_MS), GOOD, "review", T0 - 40 * DAY_MS)
        stats = compute_stats(store, bank, at_ms=T0)
    assert stats.counts == {"new": 2, "learning": 1, "review": 2, "relearning": 0}
    assert stats.due_now == 0  # b's step ends in 5 minutes: not due before then (B1: no learn-ahead in "due")
    assert stats.forecast == [1, 0, 1, 1, 0, 0, 0]
    assert stats.reviews == 5 and stats.reviews_today == 2
    # answers given to cards in the review state within 30 days: a's second and third (Again, Hard)
    assert stats.retention_answers == 2 and stats.retention == 0.5
    assert stats.streak == 3
    assert [(t.topic, t.items, t.seen, t.mature) for t in stats.topics] == [("x", 2, 2, 1), ("y", 3, 1, 0)]


def test_stats_command_json(tmp_path):
    runner = CliRunner()
    empty = runner.invoke(app, ["stats", "--json"])
    assert empty.exit_code == 0, empty.output
    figures = json.loads(empty.output)
    assert figures["reviews"] == 0 and figures["retention"] is None and figures["streak"] == 0
    assert figures["counts"]["new"] == figures["items"] > 0
    shown = runner.invoke(app, ["stats"])
    assert shown.exit_code == 0 and "Due forecast" in shown.output and "streak" in shown.output


def test_streak_and_today_follow_the_local_clock_across_daylight_saving(new_york):
    # the clocks went back at 02:00 on 1 November 2026; each answer below is after 04:00 local on its day
    answers = [
        local_ms(2026, 10, 31, 4, 30),
        local_ms(2026, 11, 1, 4, 30),
        local_ms(2026, 11, 2, 4, 30),
        local_ms(2026, 11, 3, 4, 30),
    ]
    with open_store() as store:
        for at in answers:
            card = store.card("a")
            store.commit_answer("a", card.version, card.state, state(REVIEW, at + DAY_MS), GOOD, "review", at)
        on_the_day = compute_stats(store, Bank((item("a", "x"),)), at_ms=local_ms(2026, 11, 1, 12))
        later = compute_stats(store, Bank((item("a", "x"),)), at_ms=local_ms(2026, 11, 3, 12))
    assert on_the_day.reviews_today == 1 and on_the_day.streak == 2
    assert later.reviews_today == 1 and later.streak == 4

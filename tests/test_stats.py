"""dlquiz stats: every figure recomputed independently from a generated review log.

The log is made by answering cards through the real scheduler at random moments over two months that
include a daylight-saving change, in two time zones. The expected figures are then computed here from the
raw rows with an independent notion of the study day (wall-clock arithmetic on zoneinfo datetimes, not
the mktime code under test), and recall is checked against py-fsrs's own retrievability.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from localtime import local_ms
from typer.testing import CliRunner

from dlquiz.cli import app
from dlquiz.model import Bank, CardKind, CardState, Item, Rating
from dlquiz.scheduler import DAY_MS, HOUR_MS, is_due, preview
from dlquiz.settings import Settings
from dlquiz.stats import LEECH_LAPSES, MATURE_DAYS, compute_stats, streak_length, study_day_number
from dlquiz.stats.days import longest_streak
from dlquiz.store import open_store

TOPICS = ("alpha", "beta", "gamma")


def make_bank(n: int = 24) -> Bank:
    return Bank(
        tuple(
            Item(
                id=f"q{i:02d}",
                topic=TOPICS[i % 3],
                difficulty="easy",
                question="Q?",
                answer="A.",
                key_points=("a", "b"),
            )
            for i in range(n)
        )
    )


@pytest.fixture(params=["America/New_York", "Europe/London"])
def zone(request, monkeypatch):
    """Local time in a zone whose clocks go back inside the generated history (1 Nov / 25 Oct 2026)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield ZoneInfo(request.param)
    monkeypatch.undo()
    time.tzset()


# --------------------------------------------------------------------------- the independent model


def wall_day(ms: int, tz: ZoneInfo, rollover: int = 4) -> date:
    """The study day of an instant: the local wall-clock time, moved back by the rollover hours."""
    return (datetime.fromtimestamp(ms / 1000, tz) - timedelta(hours=rollover)).date()


def generate_history(store, bank: Bank, start: datetime, days: int, seed: int) -> list[int]:
    """Answer cards on most days at random local times; returns the answer instants."""
    rng = random.Random(seed)
    settings = Settings()
    moments = []
    for day in range(days):
        if rng.random() < 0.2:
            continue  # a day off
        local = start + timedelta(days=day, hours=rng.randint(0, 17), minutes=rng.randint(0, 59))
        at = int(local.timestamp() * 1000)
        for qid in rng.sample(bank.ids(), 8):
            card = store.card(qid)
            if not card.state.new and card.state.due_ms is not None and card.state.due_ms > at + 30 * DAY_MS:
                continue
            rating = rng.choice([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY])
            shown = preview(card, settings, at)
            store.commit_answer(
                qid,
                card.version,
                card.state,
                shown.outcomes[rating].after,
                rating,
                "review",
                at,
                rng.randint(3, 90) * 1000,
            )
            moments.append(at)
            at += 60_000
    return moments


def recall_by_fsrs(card: CardState, target: datetime, tz: ZoneInfo) -> float:
    """py-fsrs's retrievability for the card on the study day of ``target``, elapsed time in study days."""
    from fsrs import Card, Scheduler

    if card.new:
        return 0.0
    elapsed = (wall_day(int(target.timestamp() * 1000), tz) - wall_day(card.last_review_ms, tz)).days
    fsrs_card = Card(stability=card.stability, difficulty=card.difficulty, last_review=target - timedelta(days=elapsed))
    return Scheduler().get_card_retrievability(fsrs_card, target)


# --------------------------------------------------------------------------- every figure, recomputed


def test_every_figure_matches_an_independent_recomputation(zone):
    bank = make_bank()
    start = datetime(2026, 9, 20, 5, 0, tzinfo=zone)
    at_dt = datetime(2026, 11, 22, 20, 30, tzinfo=zone)
    at = int(at_dt.timestamp() * 1000)
    interview = date(2026, 12, 10)
    with open_store() as store:
        generate_history(store, bank, start, days=63, seed=7)
        stats = compute_stats(store, bank, at_ms=at, interview=interview)
        cards = {qid: c.state for qid, c in store.cards().items()}
        rows = store.db.execute(
            "SELECT question_id, rating, answered_at_ms, duration_ms, before FROM reviews WHERE undone = 0"
        ).fetchall()
    data = json.loads(json.dumps(stats.to_dict()))  # what --json prints
    today = wall_day(at, zone)
    assert data["today"] == today.isoformat()

    # counts and due now
    kinds = [cards[i].state if i in cards and not cards[i].new else CardKind.NEW for i in bank.ids()]
    assert data["counts"] == {k.label: kinds.count(k) for k in CardKind}

    def due_today(c: CardState) -> bool:
        if c.state == CardKind.REVIEW:
            return wall_day(c.due_ms, zone) <= today
        return c.due_ms <= at

    assert data["due_now"] == sum(due_today(c) for c in cards.values() if not c.new)

    # the forecast: due cards by study day (overdue ones today), and new cards at 20 a day
    for offset, day in enumerate(data["forecast"][:10]):
        expect = sum(
            1
            for c in cards.values()
            if not c.new and max(today, wall_day(c.due_ms, zone)) == today + timedelta(days=offset)
        )
        assert (day["day"], day["due"]) == ((today + timedelta(days=offset)).isoformat(), expect)
    unseen = kinds.count(CardKind.NEW)
    introduced_today = sum(1 for r in rows if json.loads(r[4])["new"] and wall_day(r[2], zone) == today)
    new_plan = [min(max(0, 20 - introduced_today), unseen)]
    while len(new_plan) < 5:
        new_plan.append(min(20, unseen - sum(new_plan)))
    assert [d["new"] for d in data["forecast"][:5]] == new_plan

    # history, answers, time and streaks
    per_day: dict[date, list[int]] = {}
    for _, _, answered, duration, _ in rows:
        tally = per_day.setdefault(wall_day(answered, zone), [0, 0])
        tally[0] += 1
        tally[1] += duration
    assert data["answers"] == len(rows)
    history = {d["day"]: (d["answers"], d["minutes"]) for d in data["history"]}
    for day, (n, ms) in per_day.items():
        assert history[day.isoformat()] == (n, round(ms / 60_000, 1))
    assert sum(n for n, _ in history.values()) == len(rows)
    active = {d.toordinal() for d in per_day}
    assert data["streak"] == streak_length(active, today.toordinal())
    assert data["longest_streak"] == longest_streak(active)

    # true retention: answers to review cards in the last 30 study days, young/mature by their interval
    window = [
        r
        for r in rows
        if json.loads(r[4])["state"] == CardKind.REVIEW
        and not json.loads(r[4])["new"]
        and wall_day(r[2], zone) > today - timedelta(days=30)
    ]

    def interval(before: dict) -> int:
        return (wall_day(before["due_ms"], zone) - wall_day(before["last_review_ms"], zone)).days

    for name, keep in (("young", lambda d: d < MATURE_DAYS), ("mature", lambda d: d >= MATURE_DAYS)):
        chosen = [r for r in window if keep(interval(json.loads(r[4])))]
        assert data["retention"][name]["answers"] == len(chosen)
        assert data["retention"][name]["recalled"] == sum(r[1] > 1 for r in chosen)
    assert data["retention"]["total"]["answers"] == len(window) > 0

    # by topic: recall now and on the interview day against py-fsrs, lapses, leeches, mature cards
    on_day = datetime(2026, 12, 10, 12, 0, tzinfo=zone)
    for topic in data["topics"]:
        ids = [i.id for i in bank if i.topic == topic["topic"]]
        states = [cards.get(i, CardState()) for i in ids]
        assert topic["recall_now"] == pytest.approx(sum(recall_by_fsrs(c, at_dt, zone) for c in states) / len(ids))
        assert topic["recall_interview"] == pytest.approx(
            sum(recall_by_fsrs(c, on_day, zone) for c in states) / len(ids)
        )
        studied = [c for c in states if not c.new]
        assert topic["studied"] == len(studied)
        assert topic["lapses"] == sum(c.lapses for c in studied)
        assert topic["leeches"] == sum(c.lapses >= LEECH_LAPSES for c in studied)
        assert topic["mature"] == sum(
            c.state == CardKind.REVIEW and (wall_day(c.due_ms, zone) - wall_day(c.last_review_ms, zone)).days >= 21
            for c in studied
        )
        assert topic["command"] == f"dlquiz review --topic {topic['topic']}"
    recall_order = [t["recall_interview"] for t in data["topics"]]
    assert recall_order == sorted(recall_order), "weakest topics first"

    # the interview: overall recall, and the plan's new cards a day
    assert data["interview"]["date"] == "2026-12-10"
    expected_overall = sum(recall_by_fsrs(cards.get(i, CardState()), on_day, zone) for i in bank.ids()) / len(bank)
    assert data["interview"]["recall"] == pytest.approx(expected_overall)
    days_left = (interview - today).days
    assert data["interview"]["plan"]["days_left"] == days_left
    assert data["interview"]["plan"]["unseen"] == unseen
    assert data["interview"]["plan"]["new_per_day"] == (math.ceil(unseen / days_left) if unseen else 0)


def test_recall_is_fsrs_retrievability_counted_in_study_days(zone):
    """A card reviewed late in the evening has lost one study day by the next morning, as Anki counts."""
    bank = Bank((make_bank(1).items[0],))
    evening = int(datetime(2026, 11, 1, 23, 0, tzinfo=zone).timestamp() * 1000)
    card = CardState(False, CardKind.REVIEW, None, 10.0, 5.0, evening + 10 * DAY_MS, evening, 3, 0)
    with open_store() as store:
        store.commit_answer("q00", 0, CardState(), card, Rating.GOOD, "review", evening)
        morning = int(datetime(2026, 11, 2, 9, 0, tzinfo=zone).timestamp() * 1000)
        stats = compute_stats(store, bank, at_ms=morning)
    w20 = __import__("fsrs").Scheduler().parameters[20]
    assert stats.recall_now == pytest.approx((1 + (0.9 ** (-1 / w20) - 1) * 1 / 10.0) ** -w20)
    assert stats.recall_now < 0.995  # not 1: the 10 hours crossed a rollover


def test_a_card_never_studied_counts_as_not_recalled():
    bank = make_bank(4)
    with open_store() as store:
        stats = compute_stats(store, bank, at_ms=local_ms(2026, 12, 1, 12), interview=date(2026, 12, 20))
    assert stats.recall_now == 0 and stats.interview.recall == 0
    assert stats.interview.plan.unseen == 4 and stats.interview.plan.new_per_day == 1


def test_the_plan_plays_the_schedule_forward_with_good_answers():
    """One new card, the interview three days away: its answers are those the scheduler gives to Good."""
    bank = make_bank(1)
    at = local_ms(2026, 12, 1, 10)
    with open_store() as store:
        stats = compute_stats(store, bank, at_ms=at, interview=date(2026, 12, 4))
    # replay by hand: Good until the card leaves today's study day, then Good on each later due day
    card, moment, answers = CardState(), at, 0
    settings = Settings()
    end = local_ms(2026, 12, 4, 4)
    while moment < end:
        card = preview(_stored("q00", card, answers + 1), settings, moment).outcomes[Rating.GOOD].after
        answers += 1
        due_day_start = card.due_ms
        same_day = study_day_number(card.due_ms, 4) == study_day_number(moment, 4)
        moment = max(due_day_start, moment + 1) if same_day else _nine_am(card.due_ms)
    assert stats.interview.plan.daily_reviews == pytest.approx(answers / 3)
    assert answers >= 2  # a new card takes at least its learning steps


def _stored(qid, state, version):
    from dlquiz.model import StoredCard

    return StoredCard(qid, state, version)


def _nine_am(ms: int) -> int:
    d = date.fromordinal(study_day_number(ms, 4))
    return local_ms(d.year, d.month, d.day, 9)


def test_streak_counts_days_in_a_row():
    assert streak_length({10, 9, 8, 6}, today=10) == 3
    assert streak_length({9, 8}, today=10) == 2  # nothing yet today: the streak is not broken until the day ends
    assert streak_length({8}, today=10) == 0
    assert longest_streak({1, 2, 3, 7, 8, 20}) == 3
    assert longest_streak(set()) == 0


def test_study_day_number_changes_at_the_rollover(zone):
    for day in (date(2026, 10, 25), date(2026, 11, 1), date(2026, 3, 8), date(2026, 3, 29)):
        rollover = int(datetime(day.year, day.month, day.day, 4, 0, tzinfo=zone).timestamp() * 1000)
        assert study_day_number(rollover - 1, 4) == day.toordinal() - 1
        assert study_day_number(rollover, 4) == day.toordinal()
        for hour in range(24):  # every hour of the day agrees with the wall-clock definition
            ms = rollover + hour * HOUR_MS
            assert study_day_number(ms, 4) == wall_day(ms, zone).toordinal()


def test_due_now_uses_the_schedulers_rule():
    bank = make_bank(2)
    at = local_ms(2026, 12, 1, 12)
    later_today = CardState(False, CardKind.REVIEW, None, 5.0, 5.0, at + 5 * HOUR_MS, at - 5 * DAY_MS, 2, 0)
    with open_store() as store:
        store.commit_answer("q00", 0, CardState(), later_today, Rating.GOOD, "review", at - 5 * DAY_MS)
        stats = compute_stats(store, bank, at_ms=at)
    assert stats.due_now == int(is_due(later_today, at, 4)) == 1


# --------------------------------------------------------------------------- the command


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_stats_json_on_an_empty_state():
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["answers"] == 0 and figures["streak"] == 0 and figures["interview"] is None
    assert figures["counts"]["new"] == figures["items"] > 0
    assert figures["forecast"][0]["new"] == 20  # a new user sees today's new cards, not "due 0"
    assert figures["retention"]["total"]["rate"] is None


def test_interview_date_is_a_setting_and_stats_predicts_for_it():
    assert run("config", "interview_date", "2027-03-01").exit_code == 0
    figures = json.loads(run("stats", "--json").output)
    assert figures["interview"]["date"] == "2027-03-01"
    assert json.loads(run("stats", "--json", "--on", "2027-04-01").output)["interview"]["date"] == "2027-04-01"
    assert run("config", "interview_date", "none").exit_code == 0
    assert json.loads(run("stats", "--json").output)["interview"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("config", "interview_date", "01/03/2027"), "interview_date must be a date written YYYY-MM-DD"),
        (("stats", "--on", "tomorrow"), "--on must be a date written YYYY-MM-DD, not 'tomorrow'"),
        (("stats", "--on", "none"), "--on must be a date written YYYY-MM-DD, not 'none'"),
        (("config", "new_per_day", "-1"), "new_per_day = -1 is out of range"),  # newcomer B12
    ],
)
def test_bad_values_get_one_clear_line(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.output
    assert "to clear it" not in result.output or args[0] == "config"  # --on has nothing to clear


def test_config_refuses_an_interview_day_already_past_but_a_stored_one_stays_readable():
    result = run("config", "interview_date", "2020-01-01")
    assert result.exit_code == 2 and "interview_date 2020-01-01 is in the past" in result.output
    assert json.loads(run("config", "--json").output)["interview_date"] is None  # nothing was saved
    with open_store() as store:  # set on a day when it was still ahead
        store.set_setting("interview_date", "2020-01-01")
    shown = run("config")
    assert shown.exit_code == 0 and "2020-01-01" in shown.output
    assert json.loads(run("stats", "--json").output)["interview"] is None
    assert "has passed" in run("stats").output


def test_check_new_value_allows_today_and_later():
    from dlquiz.errors import UserError
    from dlquiz.settings import check_new_value

    today = date(2026, 12, 1)
    check_new_value("interview_date", date(2026, 12, 1), today)
    check_new_value("interview_date", None, today)  # clearing it
    with pytest.raises(UserError, match="is in the past"):
        check_new_value("interview_date", date(2026, 11, 30), today)


def test_config_json_and_option_like_arguments():
    settings = json.loads(run("config", "--json").output)
    assert settings == {"desired_retention": 0.9, "new_per_day": 20, "rollover_hour": 4, "interview_date": None}
    assert json.loads(run("config", "new_per_day", "--json").output) == {"new_per_day": 20}
    for args in (("--jsn",), ("-x", "3"), ("new_per_day", "--five")):
        result = run("config", *args)
        assert result.exit_code == 2 and f"No such option: {[a for a in args if a.startswith('-')][0]}" in result.output
        assert "unknown setting" not in result.output and "must be" not in result.output
    assert "out of range" in run("config", "new_per_day", "-1").output  # a negative number still reaches the check


def test_stats_screen_at_80_columns_without_colour(zone):
    bank = make_bank()
    with open_store() as store:
        generate_history(store, bank, datetime(2026, 10, 1, 6, 0, tzinfo=zone), days=40, seed=3)
    from dlquiz.ui.console import make_console
    from dlquiz.ui.stats import render_stats

    with open_store() as store:
        stats = compute_stats(
            store,
            bank,
            at_ms=int(datetime(2026, 11, 9, 21, 0, tzinfo=zone).timestamp() * 1000),
            interview=date(2027, 1, 8),
        )
    with open(os.devnull, "w") as sink:
        out = make_console(width=80, height=24, record=True, no_color=True, file=sink)
        render_stats(out, stats)
    text = out.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Interview Fri 08 Jan" in text and "if you studied nothing more" in text
    assert f"Study next: {stats.topics[0].command}" in text
    heat_rows = [line for line in lines if line.startswith(("Mon  ", "Wed  ", "Fri  ", "Sun  "))]
    assert len(heat_rows) == 4 and all(set(row[5:]) <= set("·░▒▓█") for row in heat_rows)
    assert any(ch in "░▒▓█" for row in heat_rows for ch in row[5:]), "active days are drawn"
    assert "\x1b[" not in text


def test_heatmap_puts_each_day_on_its_weekday_with_a_glyph_per_level():
    from dlquiz.ui.charts import heatmap

    last = date(2026, 11, 18)  # a Wednesday
    days = {date(2026, 11, 16): 1, date(2026, 11, 17): 40, date(2026, 11, 11): 8, date(2026, 11, 18): 0}
    lines = [line.plain for line in heatmap(days, last, weeks=2)]
    rows = lines[1:8]  # Monday … Sunday
    # levels are quarters of the busiest day (40): 1–10 ░, 11–20 ▒, 21–30 ▓, 31–40 █
    assert rows[0][-2:] == "·░"  # Mon 9 Nov: none; Mon 16 Nov: 1 answer
    assert rows[1][-2:] == "·█"  # Tue 17 Nov: the busiest day
    assert rows[2][-2:] == "░·"  # Wed 11 Nov: 8 answers; Wed 18 Nov (today): none yet
    assert len(rows[3]) == len(rows[2]) - 1  # Thursday of this week has not come yet
    assert "none" in lines[-1]


def test_suspended_cards_leave_the_forecast_and_the_plan_but_are_counted():
    from dlquiz.store import CardMark

    bank = make_bank(6)
    at = local_ms(2026, 12, 1, 12)
    due_today = CardState(False, CardKind.REVIEW, None, 5.0, 5.0, at - HOUR_MS, at - 5 * DAY_MS, 2, 0)
    with open_store() as store:
        store.commit_answer("q00", 0, CardState(), due_today, Rating.GOOD, "review", at - 5 * DAY_MS)
        store.commit_answer("q01", 0, CardState(), due_today, Rating.GOOD, "review", at - 5 * DAY_MS)
        store.set_marks({"q00": CardMark(suspended=True), "q05": CardMark(suspended=True)})  # a review, a new card
        stats = compute_stats(store, bank, at_ms=at, interview=date(2026, 12, 20))
    assert stats.suspended == 2
    assert stats.counts == {"new": 4, "learning": 0, "review": 2, "relearning": 0}  # still counted by state
    assert stats.due_now == 1 and stats.forecast[0].due == 1  # q01 only
    assert stats.forecast[0].new == 3 and stats.interview.plan.unseen == 3  # q05 waits while suspended


def test_a_past_interview_date_predicts_nothing_and_says_it_has_passed():
    at = local_ms(2026, 12, 1, 12)
    with open_store() as store:
        stats = compute_stats(store, make_bank(3), at_ms=at, interview=date(2026, 11, 30))
        today = compute_stats(store, make_bank(3), at_ms=at, interview=date(2026, 12, 1))
    assert stats.interview is None and stats.interview_passed == date(2026, 11, 30)
    assert all(topic.recall_interview is None for topic in stats.topics)
    assert today.interview.plan.days_left == 0 and today.interview_passed is None


def test_study_next_is_a_command_that_has_something_to_show():
    bank = make_bank(3)  # topics alpha, beta, gamma; nothing studied
    at = local_ms(2026, 12, 1, 12)
    with open_store() as store:
        store.set_setting("new_per_day", "0")  # no new cards today: a review of a new topic would show nothing
        stats = compute_stats(store, bank, at_ms=at)
        assert {t.command for t in stats.topics} == {f"dlquiz quiz --topic {t}" for t in TOPICS}
        store.set_setting("new_per_day", "20")
        stats = compute_stats(store, bank, at_ms=at)
    assert {t.command for t in stats.topics} == {f"dlquiz review --topic {t}" for t in TOPICS}


def test_coding_exercises_are_counted_with_those_due():
    from dlquiz.implement.registry import EXERCISES
    from dlquiz.implement.schedule import Result, record

    at = local_ms(2026, 12, 1, 12)
    with open_store() as store:
        record(store, EXERCISES[0], Result.PASSED, at_ms=at - 40 * DAY_MS)
        record(store, EXERCISES[1], Result.GAVE_UP, at_ms=at - 2 * DAY_MS)
        stats = compute_stats(store, make_bank(2), at_ms=at)
    assert stats.coding.exercises == len(EXERCISES)
    assert stats.coding.passed == 1
    assert stats.coding.due == 2  # both have come due since

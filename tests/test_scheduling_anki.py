"""dlquiz schedules as Anki's v3 scheduler with FSRS does: elapsed time and review dues in study days,
strictly increasing review intervals with Anki's fuzz, learn-ahead left to the queue.

The memory model is checked against a clean py-fsrs fed study days (tests/fsrs_oracle.py), the fuzz
against the examples in Anki's own tests (rslib/src/scheduler/states/fuzz.rs), and the F1 history
against the stabilities real Anki gave (shared/findings/scheduling.md).
"""

import random
from dataclasses import replace

import pytest
from fsrs_oracle import oracle_memory, oracle_study_day
from localtime import local_ms

from dlquiz.model import NEW_CARD, REVIEW, CardState, Rating, StoredCard
from dlquiz.scheduler import (
    DAY_MS,
    MINUTE_MS,
    Settings,
    commit,
    format_interval,
    fuzz_bounds,
    fuzzed_interval,
    is_due,
    minimum_after_previous,
    preview,
    reviewable_at_ms,
    round_half_up,
    study_day,
    study_day_start_ms,
    study_days_between,
    until_due_ms,
)
from dlquiz.store import open_store

AGAIN, HARD, GOOD, EASY = Rating


def answer(store, qid, at, rating, settings=Settings()):
    shown = preview(store.card(qid), settings, at)
    commit(store, shown, rating, "review", at + 3000)
    return shown


def review_state(stability, last_review_ms, due_ms, reps=4, difficulty=5.0):
    return CardState(False, REVIEW, None, stability, difficulty, due_ms, last_review_ms, reps, 0)


# --------------------------------------------------------------------------- fuzz: Anki's own examples


@pytest.mark.parametrize(
    "interval,minimum,maximum,low,middle,high",
    [
        (1.0, 1, 1000, 1, 1, 1),  # no fuzz below 2.5 days
        (2.49, 1, 1000, 2, 2, 2),
        (2.5, 1, 1000, 2, 3, 4),  # 1 day either way from 2.5 days
        (7.0, 1, 1000, 5, 7, 9),  # plus 0.15 for each day in 2.5–7
        (17.0, 1, 1000, 14, 17, 20),  # plus 0.1 for each day in 7–20
        (37.0, 1, 1000, 33, 37, 41),  # plus 0.05 for each day above 20
        (2.0, 2, 1000, 2, 2, 2),
        (2.0, 3, 1000, 3, 4, 4),  # the interval is raised to the minimum first, then fuzzed
        (2.0, 3, 3, 3, 3, 3),
        (6.9, 3, 1000, 5, 7, 9),
        (7.1, 3, 1000, 5, 7, 9),
        (19.9, 3, 1000, 17, 20, 23),
        (20.1, 3, 1000, 17, 20, 23),
        (100.0, 101, 1000, 101, 105, 108),  # limits are respected and the spread stays uniform
        (100.0, 1, 99, 92, 96, 99),
        (100.0, 97, 103, 97, 100, 103),
    ],
)
def test_fuzz_gives_the_intervals_anki_gives(interval, minimum, maximum, low, middle, high):
    assert fuzzed_interval(interval, minimum, maximum, 0.0) == low
    assert fuzzed_interval(interval, minimum, maximum, 0.5) == middle
    assert fuzzed_interval(interval, minimum, maximum, 0.99) == high
    assert fuzz_bounds(interval, minimum, maximum) == (low, high)


def test_halves_round_up_as_in_rust_not_to_even_as_in_python():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 3.5, 2.49)] == [1, 2, 3, 4, 2]
    assert fuzz_bounds(4.5, 1, 1000) == (3, 6)  # 4.5 ± 1.3; Python's round(5.8) agrees but round(2.5) would not


def test_fuzz_never_moves_an_interval_backwards_past_the_previous_one():
    # Anki's regression cases (fuzz.rs): keep the previous interval while the fuzz range still reaches it
    assert minimum_after_previous(2.7269483, 4, 36500) == 4
    assert minimum_after_previous(2.7269483, 5, 36500) == 0
    assert minimum_after_previous(4.591988, 4, 36500) == 5


@pytest.mark.parametrize("u,expected", [(0.0, (1, 2, 3)), (0.99, (1, 2, 4))])
def test_review_buttons_are_strictly_increasing_when_fsrs_gives_them_all_one_day(monkeypatch, u, expected):
    # a same-day review of a young card: FSRS's Hard, Good and Easy intervals are all under a day, which used
    # to show "Hard · 1d  Good · 1d  Easy · 1d" (F4, B3). Anki: Hard ≥ 1, Good ≥ Hard + 1, Easy ≥ Good + 1,
    # each raised to its minimum and then fuzzed: 1; 2 (2 days are not fuzzed); 3 fuzzed over [3, 4]
    monkeypatch.setattr("dlquiz.scheduler.fuzz_fraction", lambda qid, reps: u)
    at = local_ms(2026, 5, 4, 9)
    card = review_state(0.3, at - 2 * 3600_000, at + DAY_MS)
    out = preview(StoredCard("q", card, 1), Settings(), at).outcomes
    assert (out[HARD].days, out[GOOD].days, out[EASY].days) == expected
    assert out[AGAIN].interval_ms == 10 * MINUTE_MS


def test_a_same_day_hard_never_lowers_stability():
    # FSRS-6 (py-fsrs 6.3.2, the pinned version; F2) keeps the short-term stability increase at least 1 for Hard,
    # Good and Easy; py-fsrs 6.2.0–6.3.1 did not for Hard and would halve this card's stability
    at = local_ms(2026, 5, 4, 12)
    card = review_state(20.0, at - 3600_000, at + DAY_MS)
    out = preview(StoredCard("q", card, 1), Settings(), at).outcomes
    assert out[HARD].after.stability == 20.0 and out[GOOD].after.stability == 20.0
    assert out[EASY].after.stability > 20.0 > out[AGAIN].after.stability


# --------------------------------------------------------------------------- F1: elapsed time in study days


def test_the_morning_reviewer_gets_the_stability_anki_gives(new_york):
    # F1: Again and Easy one evening, then Good every morning, ten minutes earlier each day. Counting whole
    # 24-hour periods, each morning was "0 days" after the last: S stayed under 1 day (0.47 … 0.73).
    # Real Anki (26.9.3) gave 3.08, 6.33, 9.44, 12.42, 15.31, 18.12; py-fsrs fed study days 3.0751 … 18.1201.
    with open_store() as store:
        answer(store, "q", local_ms(2026, 1, 5, 20, 0), AGAIN)
        easy = answer(store, "q", local_ms(2026, 1, 5, 20, 2), EASY)
        assert store.card("q").state.stability == pytest.approx(0.4244, abs=1e-4)
        assert easy.outcomes[EASY].label == "Easy · 2d"  # beyond Good's fuzzed FSRS interval (1 day), as in Anki
        stabilities = []
        for k in range(6):
            answer(store, "q", local_ms(2026, 1, 6 + k, 7, 30) - k * 10 * MINUTE_MS, GOOD)
            stabilities.append(store.card("q").state.stability)
    assert stabilities[0] == pytest.approx(3.0751, abs=1e-4)
    assert stabilities[1:5] == pytest.approx([6.33, 9.44, 12.42, 15.31], abs=0.005)
    assert stabilities[5] == pytest.approx(18.1201, abs=1e-4)


def test_elapsed_days_count_rollovers_not_hours(new_york):
    cases = {
        # 23:30 → 00:30: the date changed, the study day did not (0 days: FSRS's same-day formula)
        "same-day": (local_ms(2026, 5, 4, 23, 30), local_ms(2026, 5, 5, 0, 30), 0),
        # 03:59 → 04:01 crosses the rollover: one day, two minutes apart (24-hour periods counted 0)
        "across-rollover": (local_ms(2026, 5, 5, 3, 59), local_ms(2026, 5, 5, 4, 1), 1),
    }
    with open_store() as store:
        for qid, (first, second, days) in cases.items():
            assert study_days_between(first, second, 4) == days
            answer(store, qid, first, EASY)
            answer(store, qid, second, GOOD)
            expected = oracle_memory([(EASY, first), (GOOD, second)], "America/New_York")[-1]
            saved = store.card(qid).state
            assert (saved.state, saved.step, saved.stability, saved.difficulty) == expected
        assert store.card("same-day").state.stability != store.card("across-rollover").state.stability


# --------------------------------------------------------------------------- F3: dues in study days


@pytest.mark.parametrize(
    "zone,eve,hour_back",
    [
        ("America/New_York", (2026, 10, 31), (2026, 11, 1, 3, 30)),  # clocks go back at 02:00 on 1 November
        ("Europe/London", (2026, 10, 24), (2026, 10, 25, 3, 30)),  # and at 02:00 on 25 October
    ],
)
def test_fall_back_eve_answers_are_not_due_again_the_same_study_day(local_zone, zone, eve, hour_back):
    # F3: Good · 1d at 04:30 on the eve used to be due 24 h later, at 03:30 after the clocks went back, which is
    # still the same study day: the card came back ten minutes after it was answered
    local_zone(zone)
    year, month, day = eve
    shown_at = local_ms(year, month, day, 4, 30)
    card = review_state(1.2, local_ms(year, month, day - 1, 9), local_ms(year, month, day, 4))
    out = preview(StoredCard("q", card, 1), Settings(), shown_at).outcomes
    for rating in (HARD, GOOD, EASY):
        after = out[rating].after
        assert after.due_ms == local_ms(year, month, day + out[rating].days, 4)
        assert oracle_study_day(after.due_ms, zone) - oracle_study_day(shown_at, zone) == out[rating].days
        assert not is_due(after, shown_at + 10 * MINUTE_MS, 4)
        assert not is_due(after, local_ms(*hour_back), 4)  # after the clocks went back: still the eve's study day
        assert not is_due(after, after.due_ms - 1, 4) and is_due(after, after.due_ms, 4)


def test_spring_forward_eve_two_days_are_two_study_days(new_york):
    # F3: at 03:30 on 7 March (study day 6 March) "2d" used to fall on 9 March 04:30 EDT, three study days on
    shown_at = local_ms(2026, 3, 7, 3, 30)
    card = review_state(3.0, local_ms(2026, 3, 3, 9), local_ms(2026, 3, 6, 4))
    out = preview(StoredCard("q", card, 1), Settings(), shown_at).outcomes
    for rating in (HARD, GOOD, EASY):
        days = out[rating].days
        assert out[rating].after.due_ms == local_ms(2026, 3, 6 + days, 4)
        assert (
            oracle_study_day(out[rating].after.due_ms, "America/New_York")
            == oracle_study_day(shown_at, "America/New_York") + days
        )


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe"])
def test_every_study_day_of_a_year_starts_at_its_rollover(local_zone, zone):
    # Lord Howe Island moves its clocks by half an hour, at 02:00
    local_zone(zone)
    first = study_day(local_ms(2026, 1, 1, 12), 4)
    for rollover in (0, 1, 2, 3, 4, 12, 23):
        for day in range(first, first + 366):
            start = study_day_start_ms(day, rollover)
            assert study_day(start, rollover) == day and study_day(start - 1, rollover) == day - 1
            assert oracle_study_day(start, zone, rollover) == day


# --------------------------------------------------------------------------- B1, B2: due, reviewable, labels


def test_when_a_card_can_next_be_studied(new_york):
    # B2: at 02:00 a review card due "tomorrow" can be studied at 04:00, in two hours, not 21
    now = local_ms(2026, 12, 8, 2)
    review = review_state(5.0, local_ms(2026, 12, 7, 23), local_ms(2026, 12, 8, 4))
    assert not is_due(review, now, 4)
    assert reviewable_at_ms(review, 4) == local_ms(2026, 12, 8, 4)
    assert is_due(review, local_ms(2026, 12, 8, 4), 4)
    legacy = replace(review, due_ms=local_ms(2026, 12, 8, 23))  # a due instant inside its study day
    assert reviewable_at_ms(legacy, 4) == local_ms(2026, 12, 8, 4)
    learning = replace(review, state=1, step=1, due_ms=now + 9 * MINUTE_MS)
    assert reviewable_at_ms(learning, 4) == now + 9 * MINUTE_MS
    assert reviewable_at_ms(NEW_CARD, 4) is None


def test_a_card_due_tomorrow_reads_one_day_at_any_hour(new_york):
    review = review_state(5.0, local_ms(2026, 12, 7, 9), local_ms(2026, 12, 8, 4))
    for hour in (5, 12, 23):
        assert format_interval(until_due_ms(review, local_ms(2026, 12, 7, hour), 4)) == "1d"
    assert until_due_ms(review, local_ms(2026, 12, 8, 4, 1), 4) == 0
    learning = replace(review, state=1, step=1, due_ms=local_ms(2026, 12, 7, 9, 10))
    assert format_interval(until_due_ms(learning, local_ms(2026, 12, 7, 9, 1), 4)) == "9m"


# --------------------------------------------------------------------------- many weeks against py-fsrs

LEARNER_HOURS = [(3, 30), (4, 10), (6, 40), (7, 30), (9, 45), (13, 0), (22, 50), (23, 55)]


def simulate(zone_start, days, cards, seed):
    """A learner on many study days at drifting hours (some around the rollover, some skipped), answering what
    is due, then new cards (3 a day), with random ratings and desired retention changed now and then.

    Returns each card's answers as (rating, shown instant) and every review screen's three passing intervals.
    """
    rng = random.Random(seed)
    ids = [f"card-{i}" for i in range(cards)]
    history = {qid: [] for qid in ids}
    screens = []
    settings = Settings()
    year, month, day = zone_start
    with open_store() as store:
        for offset in range(days):
            if rng.random() < 0.15:
                continue
            if rng.random() < 0.1:
                settings = Settings(desired_retention=rng.choice([0.8, 0.9, 0.95]))
            at = local_ms(year, month, day + offset, *rng.choice(LEARNER_HOURS))
            end, introduced = at + 40 * MINUTE_MS, 0
            while at < end:
                states = {qid: store.card(qid) for qid in ids}
                due = [qid for qid in ids if is_due(states[qid].state, at, 4)]
                fresh = [qid for qid in ids if states[qid].state.new] if introduced < 3 else []
                if not due and not fresh:  # wait for the next learning step, if it comes in this session
                    at = min([reviewable_at_ms(states[qid].state, 4) or end for qid in ids] + [end])
                    continue
                qid = (due or fresh)[0]
                introduced += not due
                shown = preview(states[qid], settings, at)
                if shown.before.state == REVIEW and not shown.before.new:
                    screens.append(tuple(shown.outcomes[r].days for r in (HARD, GOOD, EASY)))
                rating = rng.choices(list(Rating), weights=[15, 10, 65, 10])[0]
                commit(store, shown, rating, "review", at + 4000)
                assert store.card(qid).state == shown.outcomes[rating].after  # the button is what is saved
                history[qid].append((rating, at))
                at += rng.randint(5, 90) * 1000
        logs = {qid: store.reviews(qid) for qid in ids}
    return history, screens, logs


@pytest.mark.parametrize(
    "zone,seed", [("America/New_York", 1), ("Europe/London", 2), ("UTC", 3), ("America/New_York", 4)]
)
def test_weeks_of_answers_give_the_memory_state_py_fsrs_gives_with_study_days(local_zone, zone, seed):
    local_zone(zone)
    history, screens, logs = simulate((2026, 10, 12), days=60, cards=20, seed=seed)  # across the autumn changes
    answers = 0
    for qid, answered in history.items():
        expected = oracle_memory(answered, zone)
        saved = [(r.after.state, r.after.step, r.after.stability, r.after.difficulty) for r in logs[qid]]
        assert saved == expected, qid  # bit for bit
        answers += len(answered)
        for review, (_, shown_ms) in zip(logs[qid], answered, strict=True):
            if review.after.state == REVIEW:  # due from the start of a later study day
                assert review.after.due_ms == study_day_start_ms(study_day(review.after.due_ms, 4), 4)
                assert study_day(review.after.due_ms, 4) > study_day(shown_ms, 4)
    assert answers > 100 and len(screens) > 30
    assert all(hard < good < easy for hard, good, easy in screens)  # no review screen ties


def test_show_and_list_count_a_review_card_in_study_days(new_york):
    # the button said "Good · 1d"; at 23:00 the card is due at the next rollover, five hours away: still "1d"
    from dlquiz.activities.queue import due_labels
    from dlquiz.listing import schedule_line

    with open_store() as store:
        store.commit_answer(
            "q", 0, NEW_CARD, review_state(5.0, local_ms(2026, 12, 7, 9), local_ms(2026, 12, 8, 4)), 3, "review", 0
        )
        assert due_labels(store, ["q"], at_ms=local_ms(2026, 12, 7, 23)) == {"q": "in 1d"}
        assert due_labels(store, ["q"], at_ms=local_ms(2026, 12, 8, 4)) == {"q": "due"}
    line = schedule_line("q", at_ms=local_ms(2026, 12, 7, 23))
    assert line == "review card · due in 1d (Tue 08 Dec 2026) · 4 reviews, 0 lapses"


def test_the_installed_fsrs_is_the_pinned_version_the_replays_proved():
    """F2: 6.0 crashes, 6.1 and 6.2 schedule differently, 6.3.0/6.3.1 differ on 455 of 1,843 replayed answers."""
    from importlib.metadata import version
    from pathlib import Path

    project = (Path(__file__).parents[1] / "pyproject.toml").read_text()  # tomllib is 3.11+; dlquiz runs on 3.10
    assert '"fsrs==6.3.2",' in project
    assert version("fsrs") == "6.3.2"

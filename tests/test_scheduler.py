"""The answering protocol: four outcomes computed once, deterministic fuzz, ordered buttons, stale refusal."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from localtime import local_ms

from dlquiz.errors import UserError
from dlquiz.model import LEARNING, NEW_CARD, RELEARNING, REVIEW, CardState, StoredCard
from dlquiz.scheduler import (
    AGAIN,
    DAY_MS,
    EASY,
    GOOD,
    HARD,
    MINUTE_MS,
    Settings,
    commit,
    day_start_ms,
    format_interval,
    is_due,
    load_settings,
    next_day_start_ms,
    parse_setting,
    preview,
)
from dlquiz.store import StaleCardError, open_store

T0 = 1_790_000_000_000  # a fixed instant (UTC epoch ms)
DEFAULT = Settings()


def review_card(stability=20.0, difficulty=5.0, elapsed_days=20, reps=5, lapses=1):
    return CardState(
        new=False,
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=difficulty,
        due_ms=T0,
        last_review_ms=T0 - elapsed_days * DAY_MS,
        reps=reps,
        lapses=lapses,
    )


def test_new_card_outcomes_follow_the_learning_steps():
    shown = preview(StoredCard("q", NEW_CARD, 0), DEFAULT, T0)
    out = shown.outcomes
    # default learning steps are 1 min and 10 min; Hard on the first step is their mean
    assert out[AGAIN].interval_ms == 1 * MINUTE_MS
    assert out[HARD].interval_ms == 5.5 * MINUTE_MS
    assert out[GOOD].interval_ms == 10 * MINUTE_MS
    assert [out[r].after.state for r in (AGAIN, HARD, GOOD, EASY)] == [LEARNING, LEARNING, LEARNING, REVIEW]
    # Easy graduates with FSRS-6's default initial stability w₃ = 8.2956 days; at 90 % desired retention the
    # interval equals the stability, 8 days, then fuzzed within ±1.775 days -> 6..10 days
    assert out[EASY].after.stability == pytest.approx(8.2956)
    assert 6 <= out[EASY].days <= 10 and out[EASY].interval_ms == out[EASY].days * DAY_MS
    for outcome in out.values():
        assert outcome.after.reps == 1 and outcome.after.lapses == 0 and not outcome.after.new
        assert outcome.after.last_review_ms == T0
    for rating in (AGAIN, HARD, GOOD):  # a learning step is due at its exact instant
        assert out[rating].after.due_ms == T0 + out[rating].interval_ms and out[rating].days is None
    # a review card is due from the start of the study day its days lead to
    assert out[EASY].after.due_ms == day_start_ms(T0 + out[EASY].days * DAY_MS, 4)
    assert out[GOOD].label == "Good · 10m" and out[AGAIN].label == "Again · 1m"
    assert out[EASY].label == f"Easy · {out[EASY].days}d"


def test_failing_a_review_card_is_a_lapse_and_relearns():
    shown = preview(StoredCard("q", review_card(lapses=1), 5), DEFAULT, T0)
    again = shown.outcomes[AGAIN]
    assert again.after.state == RELEARNING and again.after.lapses == 2 and again.after.reps == 6
    assert again.interval_ms == 10 * MINUTE_MS  # the default relearning step
    assert shown.outcomes[GOOD].after.lapses == 1
    assert shown.outcomes[GOOD].after.state == REVIEW


def test_fuzz_is_deterministic_per_card_and_reps():
    card = StoredCard("adam", review_card(), 7)
    first, second = preview(card, DEFAULT, T0), preview(card, DEFAULT, T0)
    assert first == second
    goods = {
        preview(StoredCard(f"card-{i}", review_card(), 7), DEFAULT, T0).outcomes[GOOD].interval_ms for i in range(40)
    }
    assert len(goods) > 1, "fuzz should spread cards with equal memory state"
    shifted = {
        preview(StoredCard("adam", review_card(reps=r), 7), DEFAULT, T0).outcomes[GOOD].interval_ms for r in range(40)
    }
    assert len(shifted) > 1, "the fuzz draw should change with reps"


def test_interval_shown_is_the_interval_saved():
    with open_store() as store:
        store.commit_answer("q", 0, NEW_CARD, review_card(), GOOD, "review", T0 - 1)
        shown = preview(store.card("q"), DEFAULT, T0)
        commit(store, shown, EASY, "review", answered_ms=T0 + 4000)
        saved = store.card("q").state
        days = shown.outcomes[EASY].days
        assert shown.outcomes[EASY].label == "Easy · " + format_interval(days * DAY_MS)
        assert saved.due_ms == day_start_ms(T0 + days * DAY_MS, 4)  # T0 is far from a clock change
        assert saved == shown.outcomes[EASY].after
        log = store.reviews("q")[-1]
        assert log.rating == EASY and log.duration_ms == 4000 and log.before == shown.before


@hsettings(max_examples=300, deadline=None)
@given(
    stability=st.floats(0.001, 1e6),
    difficulty=st.floats(1, 10),
    elapsed=st.integers(0, 4000),
    scheduled=st.integers(1, 4000),
    reps=st.integers(1, 200),
    qid=st.text("abcdefgh-", min_size=1, max_size=12),
    retention=st.floats(0.70, 0.99),
    state=st.sampled_from([REVIEW, RELEARNING, LEARNING]),
    step=st.integers(0, 1),
)
def test_no_two_buttons_ever_offer_the_same_interval(
    stability, difficulty, elapsed, scheduled, reps, qid, retention, state, step
):
    # Anki keeps Again < Hard < Good < Easy (B3, F4); only the maximum interval (36,500 days) can make two meet
    card = replace(
        review_card(stability, difficulty, elapsed, reps),
        due_ms=T0 - elapsed * DAY_MS + scheduled * DAY_MS,
        state=state,
        step=None if state == REVIEW else step,
    )
    out = preview(StoredCard(qid, card, 3), Settings(desired_retention=retention), T0).outcomes
    spans = [out[r].interval_ms for r in (AGAIN, HARD, GOOD, EASY)]
    assert spans[0] < spans[1]
    assert spans[1] < spans[2] < spans[3] or out[EASY].days == 36_500
    for outcome in out.values():
        if outcome.days is not None:  # the label says the whole days the card is given
            assert outcome.label.endswith(format_interval(outcome.days * DAY_MS))
            assert 1 <= outcome.days <= 36_500
    if state == REVIEW:
        assert all(out[r].days is not None for r in (HARD, GOOD, EASY))


def test_stale_answer_is_refused_and_not_merged():
    with open_store() as a, open_store() as b:
        shown_a = preview(a.card("q"), DEFAULT, T0)
        shown_b = preview(b.card("q"), DEFAULT, T0)
        commit(b, shown_b, EASY, "review", T0 + 1000)
        with pytest.raises(StaleCardError, match="another dlquiz session"):
            commit(a, shown_a, AGAIN, "review", T0 + 2000)
        assert a.card("q").state == shown_b.outcomes[EASY].after
        assert [r.rating for r in a.reviews("q")] == [EASY]


def test_undo_is_exact_and_reanswering_gives_the_same_buttons():
    with open_store() as store:
        commit(store, preview(store.card("q"), DEFAULT, T0), GOOD, "review", T0)
        before = store.card("q")
        shown = preview(before, DEFAULT, T0 + 10 * MINUTE_MS)
        rid = commit(store, shown, GOOD, "review", T0 + 11 * MINUTE_MS)
        restored = store.undo(rid)
        assert restored.state == before.state
        again = preview(restored, DEFAULT, T0 + 10 * MINUTE_MS)
        assert again.outcomes == shown.outcomes  # same reps, same fuzz: same intervals


def test_study_day_rolls_over_at_the_local_hour(new_york):
    assert day_start_ms(local_ms(2026, 3, 10, 3, 30), 4) == local_ms(2026, 3, 9, 4)
    assert day_start_ms(local_ms(2026, 3, 10, 4, 30), 4) == local_ms(2026, 3, 10, 4)
    assert day_start_ms(local_ms(2026, 3, 10, 0, 10), 0) == local_ms(2026, 3, 10, 0)
    # across the spring daylight-saving change (8 March 2026) the next day still starts at 04:00 local
    assert next_day_start_ms(local_ms(2026, 3, 7, 12), 4) == local_ms(2026, 3, 8, 4)
    assert next_day_start_ms(local_ms(2026, 3, 8, 12), 4) == local_ms(2026, 3, 9, 4)
    # the clocks jump at 02:00 on the 8th, so the study day of the 7th is 23 hours long
    assert next_day_start_ms(local_ms(2026, 3, 7, 12), 4) - local_ms(2026, 3, 7, 4) == 23 * 3600 * 1000


def test_study_day_starts_at_the_rollover_on_daylight_saving_days(new_york):
    # spring forward (8 March 2026, 02:00 → 03:00): at 04:30 the new study day began half an hour ago
    assert day_start_ms(local_ms(2026, 3, 8, 4, 30), 4) == local_ms(2026, 3, 8, 4)
    assert day_start_ms(local_ms(2026, 3, 8, 3, 30), 4) == local_ms(2026, 3, 7, 4)
    # fall back (1 November 2026, 02:00 → 01:00): at 03:30 it is still the study day of the 31st
    assert day_start_ms(local_ms(2026, 11, 1, 3, 30), 4) == local_ms(2026, 10, 31, 4)
    assert day_start_ms(local_ms(2026, 11, 1, 4, 30), 4) == local_ms(2026, 11, 1, 4)
    assert next_day_start_ms(local_ms(2026, 11, 1, 3, 30), 4) == local_ms(2026, 11, 1, 4)
    # for any rollover hour, every quarter hour around both changes lies in a day of 23, 24 or 25 hours
    # that starts at or before it (a rollover at 01:00 meets the repeated hour of 1 November)
    for first in (local_ms(2026, 3, 7, 0), local_ms(2026, 10, 31, 0)):
        for rollover in range(24):
            for quarter in range(3 * 24 * 4):
                at = first + quarter * 15 * MINUTE_MS
                start, end = day_start_ms(at, rollover), next_day_start_ms(at, rollover)
                assert start <= at < end and (end - start) // 3600_000 in (23, 24, 25)


def test_due_review_cards_count_until_the_end_of_the_study_day(new_york):
    now = local_ms(2026, 5, 1, 9)
    tonight = replace(review_card(), due_ms=local_ms(2026, 5, 1, 23))
    after_rollover = replace(review_card(), due_ms=local_ms(2026, 5, 2, 5))
    assert is_due(tonight, now, 4)
    assert not is_due(after_rollover, now, 4)
    assert not is_due(NEW_CARD, now, 4)


def test_a_learning_card_is_due_at_its_instant_not_twenty_minutes_early(new_york):
    # B1: learn-ahead is the queue's choice when nothing else is left; the card itself is not due yet
    now = local_ms(2026, 12, 7, 9, 1)
    learning = replace(review_card(), state=LEARNING, step=1, due_ms=local_ms(2026, 12, 7, 9, 10))
    assert not is_due(learning, now, 4)
    assert not is_due(learning, learning.due_ms - 1, 4)
    assert is_due(learning, learning.due_ms, 4)
    relearning = replace(learning, state=RELEARNING, step=0)
    assert not is_due(relearning, now, 4) and is_due(relearning, relearning.due_ms + 1, 4)


@pytest.mark.parametrize(
    "name,text,value",
    [("desired_retention", "0.85", 0.85), ("new_per_day", "0", 0), ("rollover_hour", "23", 23)],
)
def test_settings_accept_values_in_range(name, text, value):
    assert parse_setting(name, text) == value


@pytest.mark.parametrize(
    "name,text",
    [
        ("desired_retention", "0.5"),
        ("desired_retention", "1"),
        ("desired_retention", "high"),
        ("new_per_day", "-1"),
        ("new_per_day", "2.5"),
        ("rollover_hour", "24"),
        ("colour", "red"),
    ],
)
def test_settings_reject_bad_values(name, text):
    with pytest.raises(UserError):
        parse_setting(name, text)


def test_load_settings_defaults_and_stored_values():
    assert load_settings({}) == Settings(0.9, 20, 4)
    assert load_settings({"new_per_day": "5", "rollover_hour": "nonsense"}) == Settings(0.9, 5, 4)


def test_desired_retention_changes_intervals():
    card = StoredCard("q", review_card(stability=50, elapsed_days=50), 1)
    strict = preview(card, Settings(desired_retention=0.97), T0).outcomes[GOOD].interval_ms
    relaxed = preview(card, Settings(desired_retention=0.80), T0).outcomes[GOOD].interval_ms
    assert strict < relaxed


@pytest.mark.parametrize(
    "ms,text",
    [
        (30_000, "<1m"),
        (MINUTE_MS, "1m"),
        (5.5 * MINUTE_MS, "6m"),
        (3 * 3600_000, "3h"),
        (3 * DAY_MS, "3d"),
        (45 * DAY_MS, "1.5mo"),
        (730 * DAY_MS, "2y"),
    ],
)
def test_format_interval(ms, text):
    assert format_interval(ms) == text


@pytest.mark.parametrize(
    "interval,text", [(60 * MINUTE_MS, "1h"), (DAY_MS, "1d"), (30 * DAY_MS, "1mo"), (365 * DAY_MS, "1y")]
)
def test_an_interval_reads_the_same_a_moment_later(interval, text):
    # the button shows the whole interval; 'dlquiz show' a few seconds later shows a little less
    assert format_interval(interval) == text
    assert format_interval(interval - 5000) == text

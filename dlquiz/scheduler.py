"""Scheduling with FSRS (the ``fsrs`` package), following Anki's answering protocol.

When a card is shown, :func:`preview` computes the four outcomes of answering it (Again, Hard, Good,
Easy) once, from the card's stored state and version. The fuzz that spreads review intervals is seeded
from the card's id and its number of reps, so the interval written on a button is exactly the one saved,
and the outcomes are kept in order (Hard ≤ Good ≤ Easy). :func:`commit` then saves the chosen outcome in
one transaction that is refused (StaleCardError) if the card changed since it was shown.

py-fsrs keeps the memory model (state, step, stability, difficulty, due); dlquiz adds what it lacks: a
``new`` flag, reps and lapses. All instants are UTC epoch milliseconds; the study day is local and
starts at the rollover hour (04:00 by default), as in Anki.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from dlquiz.errors import UserError
from dlquiz.settings import SETTING_HELP, Settings, load_settings, parse_setting  # noqa: F401 (re-exported)
from dlquiz.store import LEARNING, RELEARNING, REVIEW, CardState, Store, StoredCard

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
STATE_NAMES = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
LEARN_AHEAD_MS = 20 * MINUTE_MS  # a learning card due within this is shown now (Anki's default)


def now_ms() -> int:
    return int(time.time() * 1000)


def to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def to_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


# --------------------------------------------------------------------------- the study day


def day_start_ms(at_ms: int, rollover_hour: int) -> int:
    """Start of the local study day containing ``at_ms`` (the day starts at ``rollover_hour`` local time).

    The local clock is read first and the day chosen by its hour: subtracting the rollover hours from
    the instant instead would pick the wrong day for an hour on the days the clocks change.
    """
    local = time.localtime(at_ms / 1000)
    back = 1 if local.tm_hour < rollover_hour else 0  # before the rollover: still the previous day
    # mktime normalises a day of 0 to the last day of the previous month
    day = (local.tm_year, local.tm_mon, local.tm_mday - back, rollover_hour, 0, 0, 0, 0)
    start = time.mktime(day + (-1,))
    if start > at_ms / 1000:  # the rollover hour happened twice (clocks went back): the day began at the first
        start = min(time.mktime(day + (0,)), time.mktime(day + (1,)))
    return int(start * 1000)


def next_day_start_ms(at_ms: int, rollover_hour: int) -> int:
    """Start of the study day after the one containing ``at_ms``."""
    start = day_start_ms(at_ms, rollover_hour)
    # 26 h later is always inside the next day, even across a daylight-saving change
    return day_start_ms(start + 26 * HOUR_MS, rollover_hour)


def is_due(card: CardState, at_ms: int, rollover_hour: int) -> bool:
    """Due now: a review card due today (by the study day), a learning card due within 20 minutes."""
    if card.new or card.due_ms is None:
        return False
    if card.state == REVIEW:
        return card.due_ms < next_day_start_ms(at_ms, rollover_hour)
    return card.due_ms <= at_ms + LEARN_AHEAD_MS


def kind(card: CardState) -> str:
    """new, learning, review or relearning."""
    return "new" if card.new else STATE_NAMES[card.state]


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    rating: int
    after: CardState
    interval_ms: int  # from the moment the card was shown to its new due time

    @property
    def label(self) -> str:
        """'Good · 3d'."""
        return f"{RATING_NAMES[self.rating]} · {format_interval(self.interval_ms)}"


@dataclass(frozen=True)
class Preview:
    """A card as shown: the state and version it was read at, and its four possible outcomes."""

    question_id: str
    version: int
    before: CardState
    shown_ms: int
    outcomes: dict[int, Outcome]


def format_interval(ms: int) -> str:
    """A short human interval: 1m, 6m, 2h, 3d, 1.5mo, 1.2y.

    The unit is chosen after rounding, so 23 h 59 m reads 1d like 24 h does: a button's interval and the
    due time shown a moment later read the same.
    """
    minutes = ms / MINUTE_MS
    if minutes < 1:
        return "<1m"
    if round(minutes) < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if round(hours) < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if round(days) < 30:
        return f"{round(days)}d"
    if round(days) < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _fsrs_scheduler(settings: Settings):
    from fsrs import Scheduler  # imported here: the first card of a review is shown before it is needed

    return Scheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)


def fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    """The interval range FSRS spreads a review interval of ``days`` over (py-fsrs's fuzz ranges)."""
    from fsrs.scheduler import FUZZ_RANGES

    delta = 1.0
    for band in FUZZ_RANGES:
        delta += band["factor"] * max(min(float(days), band["end"]) - band["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    return min(low, high), high


def fuzz_fraction(question_id: str, reps: int) -> float:
    """The fuzz draw in [0, 1) for a card at a given number of reps: the same every time it is asked."""
    return random.Random(f"{question_id}:{reps}").random()


def preview(card: StoredCard, settings: Settings, shown_ms: int | None = None) -> Preview:
    """The four outcomes of answering ``card`` now, computed once."""
    from fsrs import Card, Rating, State

    shown_ms = now_ms() if shown_ms is None else shown_ms
    before = card.state
    scheduler = _fsrs_scheduler(settings)
    fsrs_card = Card(
        card_id=1,
        state=State(before.state),
        step=before.step,
        stability=before.stability,
        difficulty=before.difficulty,
        due=to_datetime(before.due_ms if before.due_ms is not None else shown_ms),
        last_review=to_datetime(before.last_review_ms) if before.last_review_ms is not None else None,
    )
    shown = to_datetime(shown_ms)
    u = fuzz_fraction(card.question_id, before.reps)
    outcomes: dict[int, Outcome] = {}
    for rating in RATINGS:
        result, _ = scheduler.review_card(fsrs_card, Rating(rating), review_datetime=shown)
        due_ms = to_ms(result.due)
        if result.state == State.Review:
            days = round((due_ms - shown_ms) / DAY_MS)
            if days >= 3:  # py-fsrs fuzzes intervals of 2.5 days and more
                low, high = fuzz_range(days, scheduler.maximum_interval)
                days = low + math.floor(u * (high - low + 1))
            due_ms = shown_ms + days * DAY_MS
        previous = outcomes.get(rating - 1)
        if rating > HARD and previous is not None and due_ms < previous.after.due_ms:
            due_ms = previous.after.due_ms  # keep Hard ≤ Good ≤ Easy after the fuzz
        lapsed = before.state == REVIEW and rating == AGAIN
        after = CardState(
            new=False,
            state=int(result.state),
            step=result.step,
            stability=result.stability,
            difficulty=result.difficulty,
            due_ms=due_ms,
            last_review_ms=shown_ms,
            reps=before.reps + 1,
            lapses=before.lapses + (1 if lapsed else 0),
        )
        outcomes[rating] = Outcome(rating, after, due_ms - shown_ms)
    return Preview(card.question_id, card.version, before, shown_ms, outcomes)


def commit(store: Store, shown: Preview, rating: int, mode: str, answered_ms: int | None = None) -> int:
    """Save the outcome chosen for a shown card; StaleCardError if the card changed since it was shown."""
    if rating not in shown.outcomes:
        raise UserError(f"rating must be 1–4, not {rating}")
    answered_ms = now_ms() if answered_ms is None else answered_ms
    return store.commit_answer(
        shown.question_id,
        shown.version,
        shown.before,
        shown.outcomes[rating].after,
        rating,
        mode,
        answered_ms,
        max(0, answered_ms - shown.shown_ms),
    )

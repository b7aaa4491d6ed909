"""Scheduling with FSRS (the ``fsrs`` package) by the rules of Anki's v3 scheduler with FSRS on.

py-fsrs computes the memory model (state, step, stability, difficulty); this module feeds it and turns
its result into due times the way Anki does:

- **Elapsed time in study days.** A study day is local and starts at the rollover hour (04:00 by
  default). The time since the last review is the number of rollovers crossed since then, not a count
  of whole 24-hour periods: py-fsrs is given a last review that many days before the moment the card is
  shown, so stability, difficulty and retrievability all see study days. Answers on the same study day
  count 0. The real instants are stored unchanged.
- **Review dues are study days.** A card given N days is due from the start of the study day N days
  after the one it was answered on, and stays due until answered. Its ``due_ms`` is that day's rollover
  instant, found on the local calendar, so a daylight-saving change never moves it. A learning or
  relearning card is due at its exact instant.
- **Strictly increasing review intervals.** Hard ≥ 1 day, Good ≥ Hard + 1, Easy ≥ Good + 1, each fuzzed
  inside its bounds (Anki's fuzz ranges) and never past the maximum interval.
- **Cards without steps.** ``steps=False`` schedules a card with no (re)learning steps, as Anki users set
  up long cards: every answer gives a review interval in days, Again included (FSRS's interval, at least
  a day, unfuzzed). The coding exercises of ``dlquiz implement`` use it; the bank's cards keep the steps.

When a card is shown, :func:`preview` computes the four outcomes (Again, Hard, Good, Easy) once, from the
card's stored state and version. The fuzz draw is seeded from the card's id and its number of reps, so
the interval written on a button is exactly the one saved, and :func:`replay` gets the same outcomes
again from the log. :func:`commit` saves the chosen outcome in one transaction that is refused
(StaleCardError) if the card changed since it was shown.

All instants are UTC epoch milliseconds.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from dlquiz.errors import UserError
from dlquiz.model import NEW_CARD, CardKind, CardState, Rating, StoredCard
from dlquiz.settings import SETTING_HELP, Settings, load_settings, parse_setting  # noqa: F401 (re-exported)

if TYPE_CHECKING:  # the store is passed in; the scheduler never imports it (the store's rebuild step uses it)
    from dlquiz.store import Store

# the old names, kept while other modules still import them
AGAIN, HARD, GOOD, EASY = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY
RATINGS: tuple[int, ...] = tuple(Rating)
RATING_NAMES = {rating: rating.label for rating in Rating}
STATE_NAMES = {kind: kind.label for kind in CardKind if kind != CardKind.NEW}

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
# Anki's default learn-ahead limit. It is the queue's business, not "due": when nothing else is left, a
# learning card due within this much is shown early rather than making the learner wait.
LEARN_AHEAD_MS = 20 * MINUTE_MS


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
    return study_day_start_ms(study_day(at_ms, rollover_hour), rollover_hour)


def next_day_start_ms(at_ms: int, rollover_hour: int) -> int:
    """Start of the study day after the one containing ``at_ms``."""
    return study_day_start_ms(study_day(at_ms, rollover_hour) + 1, rollover_hour)


def study_day(at_ms: int, rollover_hour: int) -> int:
    """The local study day containing ``at_ms``, numbered by the ordinal of the date that names it."""
    local = time.localtime(at_ms / 1000)
    ordinal = date(local.tm_year, local.tm_mon, local.tm_mday).toordinal()
    return ordinal - (1 if local.tm_hour < rollover_hour else 0)


def study_day_start_ms(day: int, rollover_hour: int) -> int:
    """The first instant of study day ``day`` (a date ordinal), found on the local calendar: the earlier
    one when the rollover hour happens twice (clocks going back), the moment the clocks jump when it does
    not happen at all (clocks going forward)."""
    named = date.fromordinal(day)
    wall = (named.year, named.month, named.day, rollover_hour, 0, 0, 0, 0)
    inside = []
    for isdst in (-1, 0, 1):  # the wall-clock rollover as mktime reads it, as standard time, as summer time
        start = int(time.mktime(wall + (isdst,)) * 1000)
        if study_day(start, rollover_hour) == day:
            if study_day(start - 1, rollover_hour) == day - 1:
                return start
            inside.append(start)
    return min(inside, default=start)


def study_days_between(earlier_ms: int, later_ms: int, rollover_hour: int) -> int:
    """How many rollovers lie between two instants (0 on the same study day, never negative)."""
    return max(0, study_day(later_ms, rollover_hour) - study_day(earlier_ms, rollover_hour))


def is_due(card: CardState, at_ms: int, rollover_hour: int) -> bool:
    """Due now: a review card whose due study day has come, a learning card whose due instant has passed.

    There is no learn-ahead here: showing a learning card early when nothing else is left is the queue's
    choice (see LEARN_AHEAD_MS), and the card is not due before its time.
    """
    if card.new or card.due_ms is None:
        return False
    if card.state == CardKind.REVIEW:
        return study_day(card.due_ms, rollover_hour) <= study_day(at_ms, rollover_hour)
    return card.due_ms <= at_ms


def reviewable_at_ms(card: CardState, rollover_hour: int) -> int | None:
    """When the card can next be studied: the due instant of a learning or relearning card, the start of
    the due study day of a review card; None for a new card (it waits for the daily allowance)."""
    if card.new or card.due_ms is None:
        return None
    if card.state == CardKind.REVIEW:
        return day_start_ms(card.due_ms, rollover_hour)
    return card.due_ms


def until_due_ms(card: CardState, at_ms: int, rollover_hour: int) -> int:
    """How long until the card is due, as a grade button counts it: whole study days for a review card
    (one day means tomorrow's study day, whatever the hour), the time left for a learning card; 0 when due."""
    if card.new or card.due_ms is None or is_due(card, at_ms, rollover_hour):
        return 0
    if card.state == CardKind.REVIEW:
        return study_days_between(at_ms, card.due_ms, rollover_hour) * DAY_MS
    return card.due_ms - at_ms


def card_kind(card: CardState) -> CardKind:
    return CardKind.NEW if card.new else CardKind(card.state)


def kind(card: CardState) -> str:
    """new, learning, review or relearning."""
    return card_kind(card).label


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    rating: Rating
    after: CardState
    # the interval the button offers: a learning step (from the moment the card was shown to its due
    # instant), or ``days`` whole days for a review outcome, which is due at the start of that study day
    interval_ms: int
    days: int | None = None

    @property
    def label(self) -> str:
        """'Good · 3d'."""
        return f"{Rating(self.rating).label} · {format_interval(self.interval_ms)}"


@dataclass(frozen=True)
class Preview:
    """A card as shown: the state and version it was read at, and its four possible outcomes."""

    question_id: str
    version: int
    before: CardState
    shown_ms: int
    outcomes: dict[int, Outcome]  # by rating (Rating members, equal to their numbers)


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


# --------------------------------------------------------------------------- fuzz (Anki's rules)

# (start, end, factor): each day of the interval inside a band widens the fuzz by ``factor`` days
FUZZ_BANDS = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05))


def round_half_up(x: float) -> int:
    """Round a non-negative number with halves away from zero, as Rust's ``f32::round`` does (Python's
    ``round`` sends halves to the even neighbour: round(2.5) == 2)."""
    return math.floor(x + 0.5)


def fuzz_delta(interval: float) -> float:
    """How far, in days, fuzz may move an interval either way: none below 2.5 days, else 1 day plus a
    share of the interval's days in each band."""
    if interval < 2.5:
        return 0.0
    return 1.0 + sum(factor * max(min(interval, end) - start, 0.0) for start, end, factor in FUZZ_BANDS)


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole days a fuzzed ``interval`` may take, inside [minimum, maximum]; a range squeezed to one
    day above 2 is widened by a day where the maximum allows, so the fuzz still spreads cards."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = fuzz_delta(interval)
    lower = min(max(round_half_up(interval - delta), minimum), maximum)
    upper = min(max(round_half_up(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def fuzzed_interval(interval: float, minimum: int, maximum: int, u: float) -> int:
    """The interval in whole days for the fuzz draw ``u`` in [0, 1): uniform over :func:`fuzz_bounds`.

    ``minimum`` is raised to 1 and capped at ``maximum``, as Anki constrains every passing interval.
    """
    maximum = max(maximum, 1)
    minimum = min(max(minimum, 1), maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + u * (1 + upper - lower))


def minimum_after_previous(interval: float, previous: int, maximum: int) -> int:
    """The least a review interval may be, given the interval the card had (Anki's guard against fuzz
    moving intervals backwards): one more day when the interval grew, the same when the previous
    interval is still inside the fuzz range, and no limit when the interval shrank."""
    if round_half_up(interval) > previous:
        return previous + 1
    if previous <= fuzz_bounds(interval, 1, maximum)[1]:
        return previous
    return 0


def fuzz_fraction(question_id: str, reps: int) -> float:
    """The fuzz draw in [0, 1) for a card at a given number of reps: the same every time it is asked."""
    return random.Random(f"{question_id}:{reps}").random()


# --------------------------------------------------------------------------- answering


def _fsrs_scheduler(settings: Settings, steps: bool = True):
    from fsrs import Scheduler  # imported here: the first card of a review is shown before it is needed

    if steps:  # py-fsrs's default steps, Anki's: learning 1m 10m, relearning 10m
        return Scheduler(desired_retention=settings.desired_retention, enable_fuzzing=False)
    return Scheduler(
        desired_retention=settings.desired_retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )


def fsrs_interval(stability: float, desired_retention: float, decay: float) -> float:
    """FSRS's interval in days, not rounded, at which recall falls to ``desired_retention``.

    ``decay`` is the last parameter w₂₀; written as py-fsrs writes it, so that rounding this gives
    exactly py-fsrs's own interval.
    """
    factor = 0.9 ** (1 / -decay) - 1
    return (stability / factor) * ((desired_retention ** (1 / -decay)) - 1)


def _outcomes(
    question_id: str, before: CardState, shown_ms: int, settings: Settings, scheduler, ratings=RATINGS
) -> dict[int, Outcome]:
    """The outcomes of the given ratings (each passing interval depends on the lower ones, computed too)."""
    from fsrs import Card, State
    from fsrs import Rating as FsrsRating

    rollover = settings.rollover_hour
    shown = to_datetime(shown_ms)
    last_review = None
    if before.last_review_ms is not None:  # py-fsrs counts whole days: it is given study days
        last_review = shown - timedelta(days=study_days_between(before.last_review_ms, shown_ms, rollover))
    fsrs_card = Card(
        card_id=1,
        state=State(before.state),
        step=before.step,
        stability=before.stability,
        difficulty=before.difficulty,
        due=shown,
        last_review=last_review,
    )
    wanted = {Rating(r) for r in ratings}
    needed = wanted | {r for r in (Rating.HARD, Rating.GOOD) if r < max(wanted)}
    results = {r: scheduler.review_card(fsrs_card, FsrsRating(int(r)), review_datetime=shown)[0] for r in needed}
    maximum = scheduler.maximum_interval
    u = fuzz_fraction(question_id, before.reps)

    def interval(rating: Rating) -> float:
        stability = results[rating].stability
        return fsrs_interval(stability, settings.desired_retention, scheduler.parameters[20])

    graduates = {r for r, result in results.items() if result.state == State.Review}
    days: dict[Rating, int] = {}
    if Rating.AGAIN in graduates:  # only without steps: FSRS's interval after the lapse, in whole days
        days[Rating.AGAIN] = min(max(round_half_up(interval(Rating.AGAIN)), 1), maximum)
    if before.state == CardKind.REVIEW and not before.new:
        previous = 0
        if before.last_review_ms is not None and before.due_ms is not None:
            previous = study_days_between(before.last_review_ms, before.due_ms, rollover)
        least = 1
        for rating in sorted(graduates - {Rating.AGAIN}):
            days[rating] = fuzzed_interval(
                interval(rating), max(minimum_after_previous(interval(rating), previous, maximum), least), maximum, u
            )
            least = days[rating] + 1
    else:  # learning and relearning: an answer that leaves the steps starts from the rounded FSRS interval
        least = 1  # (Hard leaves the steps only for a card past the last step, which steps never leave)
        for rating in (Rating.HARD, Rating.GOOD):
            if rating in graduates:
                days[rating] = fuzzed_interval(max(round_half_up(interval(rating)), 1), least, maximum, u)
                least = days[rating] + 1
        if Rating.EASY in graduates:
            # Easy lies beyond Good even when Good stays in the steps (then beyond Good's FSRS interval, fuzzed)
            good = days.get(Rating.GOOD, fuzzed_interval(interval(Rating.GOOD), least, maximum, u))
            days[Rating.EASY] = fuzzed_interval(max(round_half_up(interval(Rating.EASY)), 1), good + 1, maximum, u)

    answer_day = study_day(shown_ms, rollover)
    outcomes: dict[int, Outcome] = {}
    for rating in sorted(wanted):
        result = results[rating]
        if rating in days:
            due_ms = study_day_start_ms(answer_day + days[rating], rollover)
            span = days[rating] * DAY_MS
        else:
            due_ms = to_ms(result.due)
            span = due_ms - shown_ms
        lapsed = before.state == CardKind.REVIEW and not before.new and rating == Rating.AGAIN
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
        outcomes[rating] = Outcome(rating, after, span, days.get(rating))
    return outcomes


def preview(card: StoredCard, settings: Settings, shown_ms: int | None = None, *, steps: bool = True) -> Preview:
    """The four outcomes of answering ``card`` now, computed once (``steps=False``: a card without
    (re)learning steps, see the module's notes)."""
    shown_ms = now_ms() if shown_ms is None else shown_ms
    outcomes = _outcomes(card.question_id, card.state, shown_ms, settings, _fsrs_scheduler(settings, steps))
    return Preview(card.question_id, card.version, card.state, shown_ms, outcomes)


def replay(
    question_id: str, answers: Iterable[tuple[int, int]], settings: Settings, *, steps: bool = True
) -> list[tuple[CardState, CardState]]:
    """A card's state before and after each of its answers, from new, by the rules above (with the same
    ``steps`` as :func:`preview` was given for it).

    ``answers`` are (rating, instant the card was shown) in order. ValueError for a rating outside 1–4.
    """
    scheduler = _fsrs_scheduler(settings, steps)
    state = NEW_CARD
    states = []
    for rating, shown_ms in answers:
        rating = Rating(rating)  # ValueError outside 1–4
        after = _outcomes(question_id, state, shown_ms, settings, scheduler, (rating,))[rating].after
        states.append((state, after))
        state = after
    return states


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

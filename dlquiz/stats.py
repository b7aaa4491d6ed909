"""What `dlquiz stats` reports, computed from the store: counts by state, due forecast, retention, streak.

The log can hold a million answers, so the log is read by two SQL aggregates (answers per study day,
and the recent answers to review cards through the index on answer time); the per-card
figures come from the cards table, which holds at most one row per question.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import asdict, dataclass
from datetime import date

from dlquiz.model import Bank
from dlquiz.scheduler import DAY_MS, MINUTE_MS, is_due, kind, load_settings, next_day_start_ms, now_ms
from dlquiz.store import REVIEW, Store

FORECAST_DAYS = 7
RETENTION_WINDOW_DAYS = 30
QUARTER_HOUR_MS = 15 * MINUTE_MS
MATURE_DAYS = 21  # a card whose memory stability reaches three weeks counts as mature (Anki's threshold)


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    items: int
    seen: int  # answered at least once
    mature: int


@dataclass(frozen=True)
class Stats:
    items: int
    counts: dict[str, int]  # new, learning, review, relearning: the bank's items by state
    due_now: int
    forecast: list[int]  # cards due per study day: today (overdue included), tomorrow, ...
    reviews: int  # answers in the log (undone ones left out)
    reviews_today: int
    retention: float | None  # share of answers to review cards in the last 30 days that were not Again
    retention_answers: int
    streak: int  # study days in a row with at least one answer, up to today (or yesterday)
    topics: list[TopicMastery]

    def to_dict(self) -> dict:
        return asdict(self)


def study_day_number(at_ms: int, rollover_hour: int) -> int:
    """A running number of the local study day containing ``at_ms`` (the date's ordinal).

    The local clock of that instant decides, so an answer keeps its day when the clocks change later.
    """
    local = time.localtime(at_ms / 1000)
    ordinal = date(local.tm_year, local.tm_mon, local.tm_mday).toordinal()
    return ordinal - (1 if local.tm_hour < rollover_hour else 0)


def streak_length(days: set[int], today: int) -> int:
    """Days in a row ending today, or ending yesterday when nothing was answered yet today."""
    day = today if today in days else today - 1
    length = 0
    while day in days:
        length += 1
        day -= 1
    return length


def compute_stats(store: Store, bank: Bank, at_ms: int | None = None) -> Stats:
    at = now_ms() if at_ms is None else at_ms
    settings = load_settings(store.settings())
    rollover = settings.rollover_hour
    cards = store.cards()

    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0}
    boundaries = [next_day_start_ms(at, rollover)]
    for _ in range(FORECAST_DAYS - 1):
        boundaries.append(next_day_start_ms(boundaries[-1], rollover))
    forecast = [0] * FORECAST_DAYS
    due_now = 0
    topics: dict[str, list[int]] = {}
    for item in bank:
        card = cards.get(item.id)
        state = card.state if card else None
        tally = topics.setdefault(item.topic, [0, 0, 0])
        tally[0] += 1
        if state is None or state.new:
            counts["new"] += 1
            continue
        counts[kind(state)] += 1
        tally[1] += 1
        if state.state == REVIEW and (state.stability or 0) >= MATURE_DAYS:
            tally[2] += 1
        due_now += is_due(state, at, rollover)
        day = bisect.bisect_right(boundaries, state.due_ms)
        if day < FORECAST_DAYS:
            forecast[day] += 1

    today = study_day_number(at, rollover)
    db = store.db
    # answers per quarter hour (UTC), then each quarter hour to its local study day: local offsets and the
    # rollover fall on quarter hours, and an offset read now would misplace answers given before a DST change
    per_day: dict[int, int] = {}
    for quarter, n in db.execute(
        "SELECT answered_at_ms / ?, count(*) FROM reviews WHERE undone = 0 GROUP BY 1", (QUARTER_HOUR_MS,)
    ):
        day = study_day_number(quarter * QUARTER_HOUR_MS, rollover)
        per_day[day] = per_day.get(day, 0) + n
    answers, recalled = db.execute(
        "SELECT count(*), coalesce(sum(rating > 1), 0) FROM reviews WHERE answered_at_ms >= ? AND undone = 0 AND before_kind = ?",
        (at - RETENTION_WINDOW_DAYS * DAY_MS, REVIEW),
    ).fetchone()
    return Stats(
        items=len(bank),
        counts=counts,
        due_now=due_now,
        forecast=forecast,
        reviews=sum(per_day.values()),
        reviews_today=per_day.get(today, 0),
        retention=recalled / answers if answers else None,
        retention_answers=answers,
        streak=streak_length(set(per_day), today),
        topics=[TopicMastery(t, *tally) for t, tally in topics.items()],
    )

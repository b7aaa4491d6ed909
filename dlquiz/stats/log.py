"""Read-only queries over the review log for the statistics.

The log can hold a million answers, so each query reads a covering index or a bounded window of rows,
and groups in SQL: answers are counted per quarter hour of UTC (local offsets and the rollover hour fall
on quarter hours), and each quarter hour is then given its local study day in Python, by the clock of
that moment, so answers keep their day across a daylight-saving change.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlquiz.model import CardKind
from dlquiz.stats.days import QUARTER_HOUR_MS, study_day_number
from dlquiz.store import Store


@dataclass(frozen=True)
class DayTotal:
    answers: int
    duration_ms: int


NO_ANSWERS = DayTotal(0, 0)


@dataclass(frozen=True)
class ReviewAnswer:
    """An answer given to a card in the review state, with the interval it had been scheduled for."""

    question_id: str
    rating: int
    answered_at_ms: int
    interval_days: int  # study days from its previous answer to the day it was due


def answer_count(store: Store) -> int:
    """Answers in the log, undone ones left out."""
    return store.db.execute("SELECT count(*) FROM reviews WHERE undone = 0").fetchone()[0]


def day_totals(store: Store, since_ms: int, rollover_hour: int) -> dict[int, DayTotal]:
    """Answers and time spent per study day, for answers given at or after ``since_ms``."""
    totals: dict[int, list[int]] = {}
    rows = store.db.execute(
        "SELECT answered_at_ms / ?, count(*), coalesce(sum(duration_ms), 0) FROM reviews "
        "WHERE answered_at_ms >= ? AND undone = 0 GROUP BY 1",
        (QUARTER_HOUR_MS, since_ms),
    )
    for quarter, n, duration in rows:
        day = study_day_number(quarter * QUARTER_HOUR_MS, rollover_hour)
        total = totals.setdefault(day, [0, 0])
        total[0] += n
        total[1] += duration
    return {day: DayTotal(n, ms) for day, (n, ms) in totals.items()}


def review_answers_since(store: Store, since_ms: int, rollover_hour: int) -> list[ReviewAnswer]:
    """Answers at or after ``since_ms`` to cards that were in the review state (Anki's "review" entries)."""
    rows = store.db.execute(
        "SELECT question_id, rating, answered_at_ms, json_extract(before, '$.due_ms'), "
        "json_extract(before, '$.last_review_ms') FROM reviews "
        "WHERE answered_at_ms >= ? AND undone = 0 AND before_kind = ?",
        (since_ms, int(CardKind.REVIEW)),
    )
    answers = []
    for qid, rating, at, due, last in rows:
        interval = 0
        if due is not None and last is not None:
            interval = study_day_number(due, rollover_hour) - study_day_number(last, rollover_hour)
        answers.append(ReviewAnswer(qid, rating, at, interval))
    return answers

"""A plan toward the interview day: new cards a day, and the reviews that will follow.

The number of new cards a day is what it takes to have met every item by the day before the interview.
The expected reviews a day come from playing the schedule forward with dlquiz's own scheduler: every
card, and every new card as the plan introduces it, is answered Good each time it comes due, until the
interview day. Real days bring some Again answers (about 1 − desired retention of them), so this is the
lower end of the work, which the help text says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from dlquiz.model import NEW_CARD, CardState, Rating, StoredCard
from dlquiz.settings import Settings
from dlquiz.stats.days import moment_in_day, study_date, study_day_number

HOUR_MS = 3_600_000
MAX_ANSWERS_PER_CARD = 400  # a safety stop for the play-forward loop, far above any real schedule


@dataclass(frozen=True)
class Plan:
    interview: date
    days_left: int  # study days from today up to (not including) the interview day
    unseen: int  # items never studied
    new_per_day: int  # new cards a day to have met every item by the day before the interview
    at_your_pace: date | None  # the day the last item is met at the configured new cards a day (None: never)
    daily_reviews: float  # expected answers a day until then, if every card is recalled when due


def _answers_until(qid: str, card: CardState, start_ms: int, end_day: int, settings: Settings) -> int:
    """Answers the card gets from ``start_ms`` until study day ``end_day`` (excluded), answered Good when due."""
    from dlquiz.scheduler import preview

    rollover = settings.rollover_hour
    at, answers, version = start_ms, 0, 1
    while answers < MAX_ANSWERS_PER_CARD:
        if study_day_number(at, rollover) >= end_day:
            break
        after = preview(StoredCard(qid, card, version), settings, at).outcomes[Rating.GOOD].after
        answers += 1
        card, version = after, version + 1
        due = after.due_ms if after.due_ms is not None else at
        # a card due later today comes back then; one due on a later day is answered that morning
        due_day = study_day_number(due, rollover)
        at = max(due, at + 1) if due_day == study_day_number(at, rollover) else moment_in_day(due_day, rollover)
    return answers


def make_plan(
    cards: dict[str, CardState],
    item_ids: list[str],
    settings: Settings,
    interview: date,
    at_ms: int,
) -> Plan:
    """The plan from now (``at_ms``) to the ``interview`` day for the items ``item_ids``."""
    rollover = settings.rollover_hour
    today = study_day_number(at_ms, rollover)
    end = interview.toordinal()
    days_left = max(0, end - today)
    unseen_ids = [qid for qid in item_ids if qid not in cards or cards[qid].new]
    per_day = math.ceil(len(unseen_ids) / days_left) if days_left and unseen_ids else 0
    pace = settings.new_per_day
    at_your_pace = study_date(today + math.ceil(len(unseen_ids) / pace) - 1) if pace and unseen_ids else None
    if not unseen_ids:
        at_your_pace = study_date(today)

    answers = 0
    if days_left:
        for qid in item_ids:
            card = cards.get(qid)
            if card is None or card.new:
                continue
            start = card.due_ms if card.due_ms is not None else at_ms
            start_day = study_day_number(start, rollover)
            if start_day < today:  # overdue: answered this morning, or now if the morning has passed
                start = max(at_ms, moment_in_day(today, rollover))
            elif start_day > today:
                start = moment_in_day(start_day, rollover)
            answers += _answers_until(qid, card, max(start, at_ms), end, settings)
        for i, qid in enumerate(unseen_ids):
            day = today + i // per_day
            start = max(at_ms, moment_in_day(day, rollover)) if day == today else moment_in_day(day, rollover)
            answers += _answers_until(qid, NEW_CARD, start, end, settings)
    return Plan(
        interview=interview,
        days_left=days_left,
        unseen=len(unseen_ids),
        new_per_day=per_day,
        at_your_pace=at_your_pace,
        daily_reviews=answers / days_left if days_left else 0.0,
    )

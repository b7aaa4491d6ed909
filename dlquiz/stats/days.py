"""Study days: the local day that starts at the rollover hour (04:00 by default), as Anki counts days.

A study day is numbered by its date's ordinal (``date.toordinal``), so day arithmetic is integer
arithmetic and a number turns back into a calendar date with ``date.fromordinal``. The local clock of
each instant decides its day, so an answer keeps its day when the clocks change later.
"""

from __future__ import annotations

import os
import time
from datetime import date
from functools import lru_cache

QUARTER_HOUR_MS = 15 * 60_000
HOURS_AFTER_ROLLOVER = 5


def study_day_number(at_ms: int, rollover_hour: int) -> int:
    """The number of the local study day containing ``at_ms``: the scheduler's ``study_day``, remembered per
    quarter hour because the statistics ask it for up to a hundred thousand instants."""
    zone = (os.environ.get("TZ"), time.tzname, time.timezone)  # the cache must not outlive a change of zone
    return _quarter_day(at_ms // QUARTER_HOUR_MS, rollover_hour, zone)


@lru_cache(maxsize=1 << 16)
def _quarter_day(quarter: int, rollover_hour: int, _zone: object) -> int:
    """The study day of a quarter hour of UTC. Every time zone's offset, and every change of it, falls on a
    quarter hour, and so does the rollover, so the whole quarter hour lies in one study day."""
    from dlquiz.scheduler import study_day

    return study_day(quarter * QUARTER_HOUR_MS, rollover_hour)


def moment_in_day(day: int, rollover_hour: int) -> int:
    """Epoch ms of a moment well inside study day ``day``: 5 h after it starts (09:00 by default)."""
    from dlquiz.scheduler import study_day_start_ms

    return study_day_start_ms(day, rollover_hour) + HOURS_AFTER_ROLLOVER * 3_600_000


def study_date(day: int) -> date:
    """The calendar date a study day is named after."""
    return date.fromordinal(day)


def streak_length(days: set[int], today: int) -> int:
    """Days in a row ending today, or ending yesterday when nothing was answered yet today."""
    day = today if today in days else today - 1
    length = 0
    while day in days:
        length += 1
        day -= 1
    return length


def longest_streak(days: set[int]) -> int:
    """The longest run of consecutive study days with at least one answer."""
    best = 0
    for day in days:
        if day - 1 in days:
            continue  # not the start of a run
        length = 1
        while day + length in days:
            length += 1
        best = max(best, length)
    return best

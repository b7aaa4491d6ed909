"""An independent replay of a card's answers in a clean py-fsrs, fed elapsed time in study days.

This is the oracle the scheduler is checked against: it shares no code with dlquiz. The study day is
found with zoneinfo (not the C library's local time that dlquiz reads): the local date of the instant,
minus one before the rollover hour. py-fsrs counts whole days between ``last_review`` and the review,
so it is given a last review exactly that many study days before the review.
"""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def oracle_study_day(ms: int, zone: str, rollover_hour: int = 4) -> int:
    local = datetime.fromtimestamp(ms / 1000, ZoneInfo(zone))
    day = local.date() - timedelta(days=1 if local.hour < rollover_hour else 0)
    return day.toordinal()


def oracle_memory(answers, zone: str, desired_retention: float = 0.9, rollover_hour: int = 4):
    """(state, step, stability, difficulty) after each (rating, shown instant in ms), from a new card."""
    from fsrs import Card, Rating, Scheduler

    scheduler = Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
    card = Card(card_id=1)
    last = None
    memory = []
    for rating, shown_ms in answers:
        now = datetime.fromtimestamp(shown_ms / 1000, timezone.utc)
        if last is not None:
            days = max(0, oracle_study_day(shown_ms, zone, rollover_hour) - oracle_study_day(last, zone, rollover_hour))
            card.last_review = now - timedelta(days=days)
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=now)
        memory.append((int(card.state), card.step, card.stability, card.difficulty))
        last = shown_ms
    return memory

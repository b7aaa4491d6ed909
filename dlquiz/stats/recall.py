"""Probability of recall: FSRS retrievability of a card on a given study day.

FSRS-6 models the chance of recalling a card t days after its last review, with stability S, as

    R(t, S) = (1 + F·t/S)^(−w₂₀),    F = 0.9^(−1/w₂₀) − 1,

so that R(S, S) = 0.9: stability is the time for recall to fall to 90 %. t counts study days crossed since
the last review, as Anki counts them (and as dlquiz's scheduler feeds FSRS). A card never studied has no
memory of the answer yet, and counts as not recalled (0).
"""

from __future__ import annotations

from functools import cache

from dlquiz.model import CardState
from dlquiz.stats.days import study_day_number


@cache
def decay() -> float:
    """w₂₀, the power-law decay of FSRS-6, as the scheduler is configured (py-fsrs's default parameters)."""
    from fsrs import Scheduler

    return float(Scheduler().parameters[20])


def retrievability(elapsed_days: float, stability: float) -> float:
    """R(t, S) of FSRS-6 for ``elapsed_days`` ≥ 0 and ``stability`` > 0."""
    w20 = decay()
    factor = 0.9 ** (-1 / w20) - 1
    return (1 + factor * max(0.0, elapsed_days) / stability) ** -w20


def recall_on(card: CardState | None, day: int, rollover_hour: int) -> float:
    """The chance of recalling ``card`` on study day ``day`` with no review in between (0 if never studied)."""
    if card is None or card.new or not card.stability or card.last_review_ms is None:
        return 0.0
    elapsed = day - study_day_number(card.last_review_ms, rollover_hour)
    return retrievability(elapsed, card.stability)

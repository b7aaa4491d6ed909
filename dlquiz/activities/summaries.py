"""What an activity reports when it ends (imported only then: the first card does not wait for it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dlquiz.activities.vocabulary import SessionKind
from dlquiz.model import Rating
from dlquiz.wording import percent


@dataclass(frozen=True)
class TopicScore:
    topic: str
    asked: int
    right: int

    @property
    def percent(self) -> int:
        return percent(self.right, self.asked)


@dataclass(frozen=True)
class CardSummary:
    """How a review, quiz or exercise session went."""

    kind: SessionKind
    answered: int
    ratings: dict[Rating, int]
    right: int
    left: int  # cards still waiting when the session ended
    skipped: int  # answers refused because another session changed the card
    seconds: float
    scores: list[TopicScore] = field(default_factory=list)
    planned: int = 0  # quizzes and exercises: how many were asked for
    without_answer: int = 0  # exercises: solutions shown without an answer
    stopped: bool = False  # ended before the queue was empty (q, end of input, Ctrl-C)
    scheduled: int = 0  # answers that reached the schedule
    practice: int = 0  # answers that did not (practice)
    leeches: tuple[str, ...] = ()
    empty_at_start: bool = False  # reviews: there was nothing to review
    next_ms: int | None = None  # reviews: when the next card can be reviewed, if none is left now
    at_ms: int = 0  # when the session ended (for next_ms)
    new_held_back: int = 0  # reviews with --no-new: new cards today's limit would have shown
    coding_due: int = 0  # reviews: coding exercises (dlquiz implement) due now
    new_off: bool = False  # reviews: unstudied cards wait, but new_per_day is 0, so none will come
    beyond_limit: int = 0  # reviews that stopped at -n: cards ready now that a plain review would show

    @property
    def percent(self) -> int:
        """Answers right, as a whole percentage of those answered."""
        return percent(self.right, self.answered)


@dataclass(frozen=True)
class MockRow:
    item_id: str
    seconds: float
    over: bool
    points: str  # '2/4', or '—' when not scored


@dataclass(frozen=True)
class MockSummary:
    rows: tuple[MockRow, ...]
    path: Path | None  # where the transcript is; None when nothing was answered
    saved: bool
    problem: str | None = None  # why it could not be saved
    transcript: str = ""  # the text, for the screen when it could not be saved
    scheduled: int = 0


@dataclass(frozen=True)
class NoSummary:
    """Activities with nothing to report at the end (a derivation walk)."""


Summary = CardSummary | MockSummary | NoSummary


def scores_by_topic(results: list[tuple[str, bool]]) -> list[TopicScore]:
    """(topic, right?) pairs → one score per topic in first-seen order."""
    asked: dict[str, int] = {}
    right: dict[str, int] = {}
    for topic, correct in results:
        asked[topic] = asked.get(topic, 0) + 1
        right[topic] = right.get(topic, 0) + bool(correct)
    return [TopicScore(t, asked[t], right[t]) for t in asked]

"""The small typed vocabulary every activity speaks: inputs (actions), outputs (events) and summaries.

An action is what the learner asked for, whatever key they pressed; the interface maps keys to actions
with one key map (:mod:`dlquiz.ui.keys`), so a key means the same thing in every session. An event is
what an action did, for the interface to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from dlquiz.model import Item, Rating

if TYPE_CHECKING:
    from dlquiz.activities.views import View


class Extra(str, Enum):
    """The optional parts of an item that can be opened during a session."""

    DERIVATION = "derivation"
    CODE = "code"
    DEMO = "demo"

    @property
    def noun(self) -> str:
        return {"derivation": "derivation", "code": "reference code", "demo": "demo"}[self.value]

    def present(self, item: Item) -> bool:
        return bool({"derivation": item.derivation, "code": item.code, "demo": item.demo}[self.value])


class Prompt(Enum):
    """How the interface reads the next input for a view."""

    KEY = "key"  # one key press (one line when piped)
    KEY_OR_TEXT = "key or text"  # Enter alone, or a typed line (an attempt)
    TEXT = "text"  # a typed line; Enter alone is the view's empty answer
    LINES = "lines"  # lines until an empty one (a spoken answer, typed)


# --------------------------------------------------------------------------- actions (inputs)


@dataclass(frozen=True)
class Reveal:
    """Show the answer (a flashcard) or the next step (a derivation), after an optional typed attempt."""

    attempt: str = ""


@dataclass(frozen=True)
class Grade:
    rating: Rating


@dataclass(frozen=True)
class Pick:
    """Choose option ``number`` (1-based) of a multiple-choice question."""

    number: int


@dataclass(frozen=True)
class Answer:
    """A typed answer: a number for an exercise, the spoken answer or the points made in a mock."""

    text: str


@dataclass(frozen=True)
class Draft:
    """What is typed so far of an answer not yet finished; kept if the session ends now."""

    text: str


@dataclass(frozen=True)
class Hint:
    """A nudge: an exercise's hint, the reason of the next derivation step, a flashcard's first words."""


@dataclass(frozen=True)
class Skip:
    """No answer: show the solution (an exercise)."""


@dataclass(frozen=True)
class Next:
    """Go on after a verdict."""


@dataclass(frozen=True)
class Undo:
    """Take back the last answer (or suspend, or bury) of this session and show that card again."""


@dataclass(frozen=True)
class Quit:
    """End the session (inside a derivation walk: end the walk)."""


@dataclass(frozen=True)
class Show:
    """Open the derivation, the reference code or the demo of the card on screen."""

    extra: Extra


@dataclass(frozen=True)
class Suspend:
    """Keep this card out of reviews until it is unsuspended."""


@dataclass(frozen=True)
class Bury:
    """Keep this card out of reviews until the next study day."""


Action = Reveal | Grade | Pick | Answer | Draft | Hint | Skip | Next | Undo | Quit | Show | Suspend | Bury


# --------------------------------------------------------------------------- events (outputs)


@dataclass(frozen=True)
class Saved:
    """An answer was saved; ``label`` is the button's text ('Good · 3d'), ``scheduled`` False for practice."""

    item_id: str
    rating: Rating
    label: str
    scheduled: bool


@dataclass(frozen=True)
class Undone:
    item_id: str
    what: str  # 'Again', 'suspend', 'bury', ...


@dataclass(frozen=True)
class Refused:
    """The action could not be done here; the message says why (the screen stays as it is)."""

    message: str


@dataclass(frozen=True)
class Notice:
    message: str


@dataclass(frozen=True)
class HintShown:
    text: str


@dataclass(frozen=True)
class ExtraRequested:
    """Open an optional part of the item (the interface renders code and runs demos)."""

    extra: Extra
    item: Item


class MarkKind(str, Enum):
    SUSPENDED = "suspended"
    BURIED = "buried"
    LEECH = "leech"


@dataclass(frozen=True)
class Marked:
    """A card was suspended, buried, or suspended as a leech (``lapses`` lapses)."""

    item_id: str
    kind: MarkKind
    lapses: int = 0
    until_ms: int | None = None


@dataclass(frozen=True)
class StepShown:
    """A derivation step was revealed: step ``number`` of ``total``, with the attempt typed before it."""

    number: int
    total: int
    statement: str
    why: str
    attempt: str = ""


@dataclass(frozen=True)
class AnswerTimed:
    """A mock answer was given in ``seconds``, against ``limit`` seconds."""

    seconds: float
    limit: int


@dataclass(frozen=True)
class TranscriptProblem:
    """The transcript could not be written just now; it is kept in memory and tried again."""

    message: str


Event = (
    Saved
    | Undone
    | Refused
    | Notice
    | HintShown
    | ExtraRequested
    | Marked
    | StepShown
    | AnswerTimed
    | TranscriptProblem
)


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class TopicScore:
    topic: str
    asked: int
    right: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0


class SessionKind(str, Enum):
    REVIEW = "review"
    QUIZ = "quiz"
    EXERCISE = "exercise"
    MOCK = "mock"
    STEPS = "steps"


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


class Activity(Protocol):
    def view(self) -> View | None:
        """What is on screen now; None when the activity is over."""

    def handle(self, action: Action) -> list[Event]:
        """Take one input; returns what happened."""

    def finish(self) -> Summary:
        """End the activity (however it ended: done, q, end of input, a signal) and report."""


def scores_by_topic(results: list[tuple[str, bool]]) -> list[TopicScore]:
    """(topic, right?) pairs → one score per topic in first-seen order."""
    asked: dict[str, int] = {}
    right: dict[str, int] = {}
    for topic, correct in results:
        asked[topic] = asked.get(topic, 0) + 1
        right[topic] = right.get(topic, 0) + bool(correct)
    return [TopicScore(t, asked[t], right[t]) for t in asked]

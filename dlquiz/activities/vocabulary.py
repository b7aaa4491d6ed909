"""The small typed vocabulary every activity speaks: inputs (actions), outputs (events) and summaries.

An action is what the learner asked for, whatever key they pressed; the interface maps keys to actions
with one key map (:mod:`dlquiz.ui.keys`), so a key means the same thing in every session. An event is
what an action did, for the interface to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from dlquiz.model import Item, Rating

if TYPE_CHECKING:
    from dlquiz.activities.summaries import Summary
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


class _Command:
    """An input that carries no data (Undo(), Quit(), ...): immutable, and equal to any other of its kind.

    Plain classes rather than dataclasses: the first card of a review is shown before anything else is
    paid for, and a dataclass costs a few compiled methods each at import time.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


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


class Hint(_Command):
    """A nudge: an exercise's hint, the reason of the next derivation step, a flashcard's first words."""


class Skip(_Command):
    """No answer: show the solution (an exercise)."""


class Next(_Command):
    """Go on after a verdict."""


class Undo(_Command):
    """Take back the last answer (or suspend, or bury) of this session and show that card again."""


class Quit(_Command):
    """End the session (inside a derivation walk: end the walk)."""


@dataclass(frozen=True)
class Show:
    """Open the derivation, the reference code or the demo of the card on screen."""

    extra: Extra


class Suspend(_Command):
    """Keep this card out of reviews until it is unsuspended."""


class Bury(_Command):
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


Event = Saved | Undone | Refused | HintShown | ExtraRequested | Marked | StepShown | AnswerTimed | TranscriptProblem


# --------------------------------------------------------------------------- what activities are


class SessionKind(str, Enum):
    REVIEW = "review"
    QUIZ = "quiz"
    EXERCISE = "exercise"
    MOCK = "mock"
    STEPS = "steps"


class Activity(Protocol):
    def view(self) -> View | None:
        """What is on screen now; None when the activity is over."""

    def handle(self, action: Action) -> list[Event]:
        """Take one input; returns what happened."""

    def finish(self) -> Summary:
        """End the activity (however it ended: done, q, end of input, a signal) and report."""

"""What an activity has on screen: one frozen dataclass per kind of screen.

Every view carries ``screen``, a number that changes when a new card or question begins (the interface
starts a fresh screen then, and otherwise adds to the one it has), the ``prompt`` that says how to read
the next input, and ``accepts``, the kinds of action that mean something now: the interface turns a key
into the first of its actions the view accepts, and says so when none fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from dlquiz.activities.vocabulary import (
    Answer,
    Bury,
    Draft,
    Extra,
    Grade,
    Hint,
    Next,
    Pick,
    Prompt,
    Quit,
    Reveal,
    SessionKind,
    Show,
    Skip,
    Suspend,
    Undo,
)
from dlquiz.model import Item, Rating, Step

if TYPE_CHECKING:
    from dlquiz.activities.compare import AttemptMatch


@dataclass(frozen=True)
class Progress:
    """Where the session is. Reviews count what is due; quizzes and exercises count right answers."""

    kind: SessionKind
    position: int  # 1-based number of the card on screen
    total: int
    due: int = 0  # reviews: due now (learning cards past due, review cards due today), the card on screen included
    new: int = 0
    waiting: int = 0  # reviews: learning cards not due yet, back later in the session
    right: int = 0  # quizzes and exercises


class Stage(Enum):
    QUESTION = "question"  # asked, waiting for an attempt or a pick
    ANSWER = "answer"  # the answer is on screen, waiting for a grade or for Next


@dataclass(frozen=True)
class Button:
    rating: Rating
    label: str  # 'Good · 3d' (scheduled) or 'Good' (practice)


@dataclass(frozen=True)
class CardBase:
    screen: int
    item: Item
    progress: Progress
    scheduled: bool  # whether the answer reaches the schedule (else: practice)
    stage: Stage


# What each kind of screen accepts (the key map picks the first of a key's actions found here).
ON_QUESTION = frozenset({Reveal, Hint, Undo, Quit, Suspend, Bury})  # a flashcard before its answer
ON_GRADE = frozenset({Grade, Show, Undo, Quit, Suspend, Bury})  # its answer, waiting for a grade
ON_PICK = frozenset({Pick, Hint, Undo, Quit, Suspend, Bury})  # a multiple-choice question
ON_EXERCISE = frozenset({Answer, Skip, Hint, Undo, Quit})  # an exercise waiting for a number
ON_VERDICT = frozenset({Next, Show, Undo, Quit})  # an auto-graded answer, waiting to go on
ON_STEP = frozenset({Reveal, Hint, Quit})  # a derivation step waiting to be revealed
ON_MOCK_ANSWER = frozenset({Answer, Draft, Quit, Undo, Hint})
ON_MOCK_SCORE = frozenset({Answer, Undo, Quit})


@dataclass(frozen=True)
class FlashcardView(CardBase):
    """An open question; after Reveal, the answer with the four grade buttons."""

    attempt: str = ""
    match: AttemptMatch | None = None  # the attempt beside the key points
    buttons: tuple[Button, ...] = ()
    extras: tuple[Extra, ...] = ()  # what d, c, r open on this card
    early_ms: int | None = None  # a learning card shown before it is due (learn-ahead): ms until due

    @property
    def prompt(self) -> Prompt:
        return Prompt.KEY_OR_TEXT if self.stage is Stage.QUESTION else Prompt.KEY

    @property
    def accepts(self) -> frozenset[type]:
        return ON_QUESTION if self.stage is Stage.QUESTION else ON_GRADE


@dataclass(frozen=True)
class ChoiceView(CardBase):
    """A multiple-choice question; after a pick, the verdict and why."""

    stem: str = ""
    options: tuple[str, ...] = ()
    picked: int | None = None  # 1-based, after the pick
    right: int = 0  # 1-based number of the right option (shown only after the pick)
    extras: tuple[Extra, ...] = ()

    prompt = Prompt.KEY

    @property
    def accepts(self) -> frozenset[type]:
        return ON_PICK if self.stage is Stage.QUESTION else ON_VERDICT


@dataclass(frozen=True)
class ExerciseView(CardBase):
    """A numeric exercise; after an answer (or none), the verdict, the solution and the worked steps."""

    task: str = ""
    answer_format: str = ""  # what to type and how precise it must be
    hint: str | None = None
    correct: bool = False
    message: str = ""  # the verdict
    solution: str = ""  # 'σ(z) = 0.5, σ′(z) = 0.25'
    gave_up: bool = False
    steps: tuple[Step, ...] = ()
    extras: tuple[Extra, ...] = ()

    @property
    def prompt(self) -> Prompt:
        return Prompt.TEXT if self.stage is Stage.QUESTION else Prompt.KEY

    @property
    def accepts(self) -> frozenset[type]:
        return ON_EXERCISE if self.stage is Stage.QUESTION else ON_VERDICT


@dataclass(frozen=True)
class RevealedStep:
    number: int
    step: Step
    attempt: str = ""


@dataclass(frozen=True)
class StepsView:
    """A derivation walked one step at a time: each step can be attempted before it is revealed."""

    screen: int
    title: str
    total: int
    revealed: tuple[RevealedStep, ...]  # the steps shown so far (the last one is new)
    hints: tuple[str, ...] = ()  # hints asked for the next step

    prompt = Prompt.KEY_OR_TEXT
    accepts = ON_STEP

    @property
    def next_number(self) -> int:
        return len(self.revealed) + 1


@dataclass(frozen=True)
class MockQuestionView:
    """A mock-interview question, answered against the clock."""

    screen: int
    item: Item
    number: int
    total: int
    limit_seconds: int
    started: float  # when the clock started, in seconds on the interview's clock (time.monotonic)
    draft: str = ""

    prompt = Prompt.LINES
    accepts = ON_MOCK_ANSWER


@dataclass(frozen=True)
class MockScoreView:
    """A mock answer beside the model answer: which key points were made?"""

    screen: int
    item: Item
    number: int
    total: int
    typed: str
    seconds: float
    over: bool
    match: AttemptMatch
    scheduled: bool
    covered: tuple[int, ...] | None = None

    prompt = Prompt.KEY_OR_TEXT
    accepts = ON_MOCK_SCORE


View = FlashcardView | ChoiceView | ExerciseView | StepsView | MockQuestionView | MockScoreView

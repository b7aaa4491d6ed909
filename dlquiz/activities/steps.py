"""One card in one form, as a small state machine: flashcard, multiple choice, numeric exercise; and a
derivation walked one step at a time.

A step knows what its form means (a pick is graded, an exercise answer is checked, Enter alone on an
exercise shows the solution, a hint after which an exercise is right grades Hard) and asks its session
to ``commit`` the rating; the session decides whether that reaches the schedule. The same
:class:`ExerciseStep` serves ``dlquiz exercise`` and the exercise form of ``dlquiz quiz``, so an exercise
obeys the same keys and rules in both.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dlquiz.activities.desk import Entry, ShownCard
from dlquiz.activities.views import (
    ChoiceView,
    ExerciseView,
    FlashcardView,
    Progress,
    RevealedStep,
    Stage,
    StepsView,
    View,
)
from dlquiz.activities.vocabulary import (
    Action,
    Answer,
    Event,
    Extra,
    Grade,
    Hint,
    HintShown,
    Next,
    Pick,
    Quit,
    Refused,
    Reveal,
    Skip,
    StepShown,
)
from dlquiz.model import Form, Rating, Step

if TYPE_CHECKING:
    from dlquiz.activities.summaries import NoSummary
    from dlquiz.exercises import Exercise, Verdict

# commit(rating, correct, without_answer) -> True when the card is done with (saved, practised or refused
# as stale); False when the state file was busy and the card must be answered again.
Commit = Callable[[Rating, bool, bool], bool]


@dataclass
class StepResult:
    events: list[Event] = field(default_factory=list)
    done: bool = False  # the card is finished: show the next one


class DerivationWalk:
    """Steps revealed one at a time; before each, the learner may type an attempt or ask for a hint
    (the reason the step holds). q ends the walk early."""

    def __init__(self, steps: Sequence[Step], title: str = "Derivation"):
        self.steps = tuple(steps)
        self.title = title
        self.revealed: list[RevealedStep] = []
        self.hints: list[str] = []

    @property
    def finished(self) -> bool:
        return len(self.revealed) >= len(self.steps)

    def view(self, screen: int) -> StepsView:
        return StepsView(screen, self.title, len(self.steps), tuple(self.revealed), tuple(self.hints))

    def handle(self, action: Action) -> StepResult:
        if isinstance(action, Quit):
            return StepResult(done=True)
        number = len(self.revealed) + 1
        step = self.steps[number - 1]
        if isinstance(action, Hint):
            self.hints.append(step.why)
            return StepResult([HintShown(f"step {number}: {step.why}")])
        if isinstance(action, Reveal):
            self.revealed.append(RevealedStep(number, step, action.attempt.strip()))
            self.hints = []
            shown = StepShown(number, len(self.steps), step.step, step.why, action.attempt.strip())
            return StepResult([shown], done=self.finished)
        return StepResult([Refused("Enter reveals the next step; q stops")])


class CardStep:
    """What every form shares: the entry, the card as shown, the stage, and the derivation walk."""

    def __init__(self, entry: Entry, shown: ShownCard):
        self.entry = entry
        self.shown = shown
        self.stage = Stage.QUESTION
        self.walk: DerivationWalk | None = None
        self.committed = False  # its answer is saved (or kept as practice): undo takes it back

    @property
    def extras(self) -> tuple[Extra, ...]:
        return tuple(extra for extra in Extra if extra.present(self.entry.item))

    def open_walk(self) -> None:
        self.walk = DerivationWalk(self.entry.item.derivation)

    def view(self, screen: int, progress: Progress, early_ms: int | None) -> View:
        if self.walk is not None:
            return self.walk.view(screen)
        return self.card_view(screen, progress, early_ms)

    def handle(self, action: Action, commit: Commit) -> StepResult:
        if self.walk is not None:
            result = self.walk.handle(action)
            if result.done:
                self.walk = None
            return StepResult(result.events)
        return self.handle_card(action, commit)

    def rate(self, commit: Commit, rating: Rating, correct: bool, without_answer: bool = False) -> bool:
        self.committed = commit(rating, correct, without_answer)
        return self.committed

    # for each form
    def card_view(self, screen: int, progress: Progress, early_ms: int | None) -> View:
        raise NotImplementedError

    def handle_card(self, action: Action, commit: Commit) -> StepResult:
        raise NotImplementedError


class FlashcardStep(CardStep):
    def __init__(self, entry: Entry, shown: ShownCard):
        super().__init__(entry, shown)
        self.attempt = ""

    def card_view(self, screen: int, progress: Progress, early_ms: int | None) -> View:
        item = self.entry.item
        revealed = self.stage is Stage.ANSWER
        match = None
        if revealed and self.attempt:
            from dlquiz.activities.compare import match_attempt  # only once an attempt is typed

            match = match_attempt(self.attempt, item.key_points)
        return FlashcardView(
            screen,
            item,
            progress,
            self.shown.scheduled,
            self.stage,
            attempt=self.attempt,
            match=match,
            buttons=self.shown.buttons() if revealed else (),
            extras=self.extras,
            early_ms=early_ms,
        )

    def handle_card(self, action: Action, commit: Commit) -> StepResult:
        item = self.entry.item
        if self.stage is Stage.QUESTION:
            if isinstance(action, Reveal):
                self.attempt = action.attempt.strip()
                self.stage = Stage.ANSWER
                return StepResult()
            if isinstance(action, Hint):
                words = " ".join(item.key_points[0].split()[:4])
                return StepResult([HintShown(f"{len(item.key_points)} key points; the first begins “{words} …”")])
        elif isinstance(action, Grade):
            return StepResult(done=self.rate(commit, action.rating, action.rating != Rating.AGAIN))
        return StepResult([Refused("that does nothing here")])


class ChoiceStep(CardStep):
    def __init__(self, entry: Entry, shown: ShownCard):
        super().__init__(entry, shown)
        choices = entry.item.choices
        assert choices is not None, f"{entry.item.id} has no choices"
        options = [choices.correct, *choices.wrong]
        random.Random(entry.seed).shuffle(options)
        self.options = tuple(options)
        self.right = options.index(choices.correct) + 1
        self.stem = choices.stem or entry.item.question
        self.picked: int | None = None

    def card_view(self, screen: int, progress: Progress, early_ms: int | None) -> View:  # noqa: ARG002
        return ChoiceView(
            screen,
            self.entry.item,
            progress,
            self.shown.scheduled,
            self.stage,
            stem=self.stem,
            options=self.options,
            picked=self.picked,
            right=self.right,
            extras=self.extras,
        )

    def handle_card(self, action: Action, commit: Commit) -> StepResult:
        if self.stage is Stage.QUESTION:
            if isinstance(action, Pick):
                if not 1 <= action.number <= len(self.options):
                    return StepResult([Refused(f"pick a number from 1 to {len(self.options)}")])
                correct = action.number == self.right
                if self.rate(commit, Rating.GOOD if correct else Rating.AGAIN, correct):
                    self.picked = action.number
                    self.stage = Stage.ANSWER
                return StepResult()
            if isinstance(action, Hint):
                return StepResult([Refused("no hint for a multiple-choice question")])
        elif isinstance(action, Next):
            return StepResult(done=True)
        return StepResult([Refused("that does nothing here")])


class ExerciseStep(CardStep):
    """A numeric exercise: right → Good (Hard after a hint), wrong → Again, Enter alone → the solution
    (Again). An answer that cannot be read as the expected numbers is not graded: the step asks again."""

    def __init__(self, entry: Entry, shown: ShownCard):
        super().__init__(entry, shown)
        self._exercise: Exercise | None = None
        self.hint_used = False
        self.verdict: Verdict | None = None
        self.gave_up = False

    @property
    def exercise(self) -> Exercise:
        if self._exercise is None:  # numpy and the generator are imported only now
            import numpy as np

            from dlquiz.exercises import generate

            link = self.entry.item.exercise
            assert link is not None, f"{self.entry.item.id} has no exercise"
            self._exercise = generate(link, np.random.default_rng(self.entry.seed))
        return self._exercise

    def card_view(self, screen: int, progress: Progress, early_ms: int | None) -> View:  # noqa: ARG002
        from dlquiz.exercises import expected_format, fmt, tolerance_text

        ex = self.exercise
        values = [fmt(v) + (f" {ex.unit}" if ex.unit else "") for v in ex.answer]
        if ex.labels:
            values = [f"{label} = {v}" for label, v in zip(ex.labels, values, strict=True)]
        return ExerciseView(
            screen,
            self.entry.item,
            progress,
            self.shown.scheduled,
            self.stage,
            task=ex.prompt,
            answer_format=f"Type {expected_format(ex)}; {tolerance_text(ex)}.",
            hint=ex.hint,
            correct=bool(self.verdict and self.verdict.correct),
            message=self.verdict.message if self.verdict else "",
            solution=", ".join(values),
            gave_up=self.gave_up,
            steps=ex.steps,
            extras=self.extras,
        )

    def handle_card(self, action: Action, commit: Commit) -> StepResult:
        from dlquiz.exercises import check_answer

        if self.stage is Stage.QUESTION:
            if isinstance(action, Hint):
                if not self.exercise.hint:
                    return StepResult([Refused("no hint for this one; Enter alone shows the solution")])
                self.hint_used = True
                return StepResult([HintShown(self.exercise.hint)])
            if isinstance(action, Skip):
                if self.rate(commit, Rating.AGAIN, False, without_answer=True):
                    self.gave_up = True
                    self.stage = Stage.ANSWER
                return StepResult()
            if isinstance(action, Answer):
                try:
                    verdict = check_answer(self.exercise, action.text)
                except ArithmeticError:  # e.g. 1e200/1e-200: a finite-looking input whose value is not
                    return StepResult([Refused(f"Could not read that: '{action.text.strip()}' is not a finite number")])
                if not verdict.readable:
                    return StepResult([Refused(verdict.message)])
                rating = (Rating.HARD if self.hint_used else Rating.GOOD) if verdict.correct else Rating.AGAIN
                if self.rate(commit, rating, verdict.correct):
                    self.verdict = verdict
                    self.stage = Stage.ANSWER
                return StepResult()
        elif isinstance(action, Next):
            return StepResult(done=True)
        return StepResult([Refused("that does nothing here")])


def make_step(entry: Entry, shown: ShownCard) -> CardStep:
    kind = {Form.FLASHCARD: FlashcardStep, Form.CHOICE: ChoiceStep, Form.EXERCISE: ExerciseStep}[entry.form]
    return kind(entry, shown)


class WalkActivity:
    """`dlquiz show --steps`: a derivation walked on its own, as an activity."""

    def __init__(self, steps: Sequence[Step], title: str = "Derivation"):
        self.walk = DerivationWalk(steps, title)
        self.over = False

    def view(self) -> StepsView | None:
        return None if self.over else self.walk.view(1)

    def handle(self, action: Action) -> list[Event]:
        result = self.walk.handle(action)
        self.over = self.over or result.done
        return result.events

    def finish(self) -> NoSummary:
        from dlquiz.activities.summaries import NoSummary

        self.over = True
        return NoSummary()

"""A session over cards: the one loop of review, quiz and exercise, as an activity.

:class:`CardSession` takes the next card from its queue (a subclass says which), shows it in its form
(:mod:`.steps`), and handles what every card session shares: quit, undo (the undone card comes back
first), suspend, bury, and opening the derivation, code or demo. Every answer is saved (or kept as
practice) through the :class:`~dlquiz.activities.desk.Desk` before the next card is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlquiz.activities.desk import AnswerMode, Desk, Entry
from dlquiz.activities.steps import CardStep, make_step
from dlquiz.activities.views import Progress, View
from dlquiz.activities.vocabulary import (
    Action,
    Bury,
    Event,
    Extra,
    ExtraRequested,
    Marked,
    Quit,
    Refused,
    SessionKind,
    Show,
    Suspend,
    Undo,
    Undone,
)
from dlquiz.model import Rating

if TYPE_CHECKING:
    from dlquiz.activities.summaries import CardSummary


class CardSession:
    """Cards one at a time; subclasses supply the queue (:meth:`pull`), the counts and the log mode."""

    kind = SessionKind.QUIZ

    def __init__(self, desk: Desk):
        self.desk = desk
        self.step: CardStep | None = None
        self.front: list[Entry] = []  # shown before the queue: an undone card, then the one it displaced
        self.screen = 0
        self.quit = False
        self.started_ms = desk.clock()
        self._progress: Progress | None = None
        self._early_ms: int | None = None
        self._events: list[Event] = []

    # ---- for subclasses

    def pull(self) -> Entry | None:
        """The next card of the queue, or None when it is empty."""
        raise NotImplementedError

    def count(self, entry: Entry) -> Progress:
        """The progress line for ``entry``, just put on screen."""
        raise NotImplementedError

    def early_ms(self, entry: Entry) -> int | None:  # noqa: ARG002
        """Reviews: ms until a learning card shown early is due."""
        return None

    def mode(self, entry: Entry) -> AnswerMode:
        return AnswerMode(entry.form.value)

    # ---- the activity

    def view(self) -> View | None:
        if self.quit:
            return None
        if self.step is None:
            entry = self.front.pop(0) if self.front else self.pull()
            if entry is None:
                return None
            self.step = make_step(entry, self.desk.show(entry))
            self.screen += 1
            self._progress = self.count(entry)
            self._early_ms = self.early_ms(entry)
        assert self._progress is not None
        return self.step.view(self.screen, self._progress, self._early_ms)

    def handle(self, action: Action) -> list[Event]:
        view = self.view()
        if isinstance(action, Undo) and view is None and not self.quit:
            return self._undo()  # the last card answered emptied the queue: it can still be taken back
        if view is None or self.step is None:
            return [Refused("the session is over")]
        if type(action) not in view.accepts:
            return [Refused("that does nothing here")]
        if self.step.walk is None:
            if isinstance(action, Quit):
                self.quit = True
                return []
            if isinstance(action, Undo):
                return self._undo()
            if isinstance(action, (Suspend, Bury)):
                return self._mark(action)
            if isinstance(action, Show):
                return self._show(action.extra)
        self._events = []
        result = self.step.handle(action, self._commit)
        if result.done:
            self.step = None
        return self._events + result.events

    def _commit(self, rating: Rating, correct: bool, without_answer: bool) -> bool:
        assert self.step is not None
        step = self.step
        events, done = self.desk.answer(step.entry, step.shown, rating, self.mode(step.entry), correct, without_answer)
        self._events.extend(events)
        return done

    def _undo(self) -> list[Event]:
        done, events = self.desk.undo()
        if done is None:
            return events
        if self.step is not None and not self.step.committed:
            self.front.insert(0, self.step.entry)  # the card on screen waits behind the undone one
        self.step = None
        self.front.insert(0, done.entry)
        return [Undone(done.entry.item.id, done.what)]

    def _mark(self, action: Suspend | Bury) -> list[Event]:
        assert self.step is not None
        entry = self.step.entry
        events = self.desk.suspend(entry) if isinstance(action, Suspend) else self.desk.bury(entry)
        if any(isinstance(e, Marked) for e in events):
            self.step = None
        return events

    def _show(self, extra: Extra) -> list[Event]:
        assert self.step is not None
        item = self.step.entry.item
        if not extra.present(item):
            return [Refused(f"this card has no {extra.noun}")]
        if extra is Extra.DERIVATION:
            self.step.open_walk()
            return []
        return [ExtraRequested(extra, item)]

    # ---- the end

    def summary(self, **extra) -> CardSummary:
        from dlquiz.activities.summaries import CardSummary, scores_by_topic

        answers = self.desk.answers
        ratings = {r: 0 for r in Rating}
        for done in answers:
            assert done.rating is not None
            ratings[done.rating] += 1
        return CardSummary(
            kind=self.kind,
            answered=len(answers),
            ratings=ratings,
            right=sum(d.correct for d in answers),
            skipped=self.desk.skipped,
            seconds=max(0, self.desk.clock() - self.started_ms) / 1000,
            scores=scores_by_topic([(d.entry.item.topic, d.correct) for d in answers]),
            without_answer=sum(d.without_answer for d in answers),
            scheduled=sum(d.scheduled for d in answers),
            practice=sum(not d.scheduled for d in answers),
            leeches=tuple(self.desk.leeches),
            at_ms=self.desk.clock(),
            **extra,
        )

"""Answering cards: which answers reach the schedule, saving them, undo, suspend, bury and leeches.

Every session answers its cards through one :class:`Desk`, so the rules are the same everywhere:

- **Which answers count** (:class:`Policy`). A review schedules every answer. A quiz, an exercise or a
  mock interview schedules an answer only for a card that is already being studied (answered before, not
  suspended), once per session; on a new card it is practice. This is what Anki's filtered decks do with
  rescheduling on: studying outside the daily review may move a card you are learning, but it never
  introduces new cards, so practice never spends the daily new-card allowance (the review does that).
  ``--no-schedule`` makes everything practice.
- **Leeches**, as Anki's defaults: a card that reaches 8 lapses is suspended and reported, and again at
  every 4 more lapses (12, 16, ...) after it has been unsuspended.
- **Undo** takes back the last answer, suspend or bury of the session exactly (the card's earlier state
  and mark), and the session shows that card again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property

from dlquiz.activities.views import Button
from dlquiz.activities.vocabulary import Event, Marked, MarkKind, Refused, Saved
from dlquiz.model import Form, Item, Rating, StoredCard
from dlquiz.scheduler import Preview, Settings, commit, next_day_start_ms, preview
from dlquiz.store import NO_MARK, CardMark, NotSavedError, StaleCardError, Store

LEECH_LAPSES = 8  # Anki's leech threshold
LEECH_AGAIN_EVERY = 4  # and then every half threshold


class Policy(Enum):
    """Which answers reach the schedule (see the module docstring)."""

    EVERY = "every"  # reviews
    STUDIED = "studied"  # quiz, exercise, mock: cards already being studied, once per session
    NONE = "none"  # --no-schedule: practice only


class AnswerMode(str, Enum):
    """What the review log records as the answer's mode."""

    REVIEW = "review"
    FLASHCARD = "flashcard"
    CHOICE = "choice"
    EXERCISE = "exercise"
    MOCK = "mock"


@dataclass(frozen=True)
class Entry:
    """A card to ask: the item, the form it is asked in, and a seed for its options or numbers."""

    item: Item
    form: Form = Form.FLASHCARD
    seed: int = 0


@dataclass
class ShownCard:
    """A card as shown: its state and mark when shown, and whether its answer will be scheduled.

    The four outcomes are computed on first use (so the question is on screen before the FSRS code is
    imported) and then kept: they depend only on the state read and the moment it was shown.
    """

    item: Item
    stored: StoredCard
    mark: CardMark
    shown_ms: int
    scheduled: bool
    settings: Settings

    @cached_property
    def preview(self) -> Preview:
        return preview(self.stored, self.settings, self.shown_ms)

    def buttons(self) -> tuple[Button, ...]:
        if not self.scheduled:
            return tuple(Button(r, r.label) for r in Rating)
        return tuple(Button(r, self.preview.outcomes[r].label) for r in Rating)


@dataclass(frozen=True)
class Done:
    """One thing the session did that undo can take back: an answer, or a suspend or bury."""

    entry: Entry
    what: str  # 'Good', 'suspend', 'bury'
    rating: Rating | None = None  # None for a suspend or bury
    correct: bool = False
    scheduled: bool = False
    review_id: int | None = None
    marks_before: dict[str, CardMark] | None = None  # marks to restore (a suspend, bury or leech)
    without_answer: bool = False


@dataclass
class Desk:
    store: Store
    settings: Settings
    policy: Policy
    clock: Callable[[], int]
    done: list[Done] = field(default_factory=list)
    skipped: int = 0  # answers refused because another session changed the card
    leeches: list[str] = field(default_factory=list)
    _counted: set[str] = field(default_factory=set)

    def show(self, entry: Entry) -> ShownCard:
        qid = entry.item.id
        stored = self.store.card(qid)
        mark = self.store.marks().get(qid, NO_MARK)
        if self.policy is Policy.EVERY:
            scheduled = True
        elif self.policy is Policy.NONE:
            scheduled = False
        else:
            scheduled = not stored.state.new and not mark.suspended and qid not in self._counted
        return ShownCard(entry.item, stored, mark, self.clock(), scheduled, self.settings)

    @property
    def answers(self) -> list[Done]:
        return [d for d in self.done if d.rating is not None]

    # ---- answering

    def answer(
        self,
        entry: Entry,
        shown: ShownCard,
        rating: Rating,
        mode: AnswerMode,
        correct: bool,
        without_answer: bool = False,
    ) -> tuple[list[Event], bool]:
        """Save ``rating`` for the card shown (or keep it as practice). Returns the events and whether the
        card is done: False when the state file was busy, so the card stays on screen to answer again."""
        qid = entry.item.id
        done = Done(entry, rating.label, rating, correct, shown.scheduled, without_answer=without_answer)
        if not shown.scheduled:
            self.done.append(done)
            return [Saved(qid, rating, rating.label, False)], True
        try:
            review_id = commit(self.store, shown.preview, rating, mode.value, self.clock())
        except StaleCardError as exc:
            self.skipped += 1  # the card is dropped: this answer can never be saved
            return [Refused(str(exc))], True
        except NotSavedError as exc:  # busy, disk full, read-only, moved aside: the card stays to answer again
            return [Refused(f"not saved: {exc}")], False
        outcome = shown.preview.outcomes[rating]
        events: list[Event] = [Saved(qid, rating, outcome.label, True)]
        marks_before = None
        lapses, before = outcome.after.lapses, shown.stored.state.lapses
        if lapses > before and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_AGAIN_EVERY == 0:
            try:
                marks_before = self.store.set_marks({qid: replace(shown.mark, suspended=True, leech=True)})
                events.append(Marked(qid, MarkKind.LEECH, lapses))
                self.leeches.append(qid)
            except NotSavedError as exc:
                events.append(Refused(f"{qid} has {lapses} lapses but could not be suspended as a leech: {exc}"))
        self._counted.add(qid)
        self.done.append(replace(done, review_id=review_id, marks_before=marks_before))
        return events, True

    # ---- suspend and bury

    def suspend(self, entry: Entry) -> list[Event]:
        return self._mark(entry, MarkKind.SUSPENDED)

    def bury(self, entry: Entry) -> list[Event]:
        return self._mark(entry, MarkKind.BURIED)

    def _mark(self, entry: Entry, kind: MarkKind) -> list[Event]:
        qid = entry.item.id
        mark = self.store.marks().get(qid, NO_MARK)
        until = None
        if kind is MarkKind.SUSPENDED:
            new = replace(mark, suspended=True)
        else:
            until = next_day_start_ms(self.clock(), self.settings.rollover_hour)
            new = replace(mark, buried_until_ms=until)
        try:
            before = self.store.set_marks({qid: new})
        except NotSavedError as exc:
            return [Refused(str(exc))]
        what = "suspend" if kind is MarkKind.SUSPENDED else "bury"
        self.done.append(Done(entry, what, marks_before=before))
        return [Marked(qid, kind, until_ms=until)]

    # ---- undo

    def undo(self) -> tuple[Done | None, list[Event]]:
        """Take back the last thing done; (None, why) when there is nothing or it cannot be undone."""
        if not self.done:
            return None, [Refused("nothing to undo yet in this session")]
        last = self.done[-1]
        try:
            if last.review_id is not None:
                self.store.undo(last.review_id)
            if last.marks_before is not None:
                self.store.set_marks(last.marks_before)
        except NotSavedError as exc:  # another session answered the card since, or the file cannot be written
            return None, [Refused(str(exc))]
        self.done.pop()
        if last.scheduled:
            self._counted.discard(last.entry.item.id)
        if last.entry.item.id in self.leeches and last.marks_before is not None and last.rating is not None:
            self.leeches.remove(last.entry.item.id)
        return last, []

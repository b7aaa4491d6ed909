"""Review and quiz sessions as pure logic over the bank, the store and the scheduler. Nothing here prints.

A :class:`Session` holds a queue of cards. :meth:`Session.next_card` reads the card's state afresh and
computes its four outcomes once; :meth:`Session.answer` commits the chosen one before anything else is
shown; :meth:`Session.undo` restores the last answered card exactly and puts it back in front.

- ``dlquiz review``: the cards that are due (earliest first), then new cards up to the daily limit,
  counting the new cards already introduced today. A card that is still learning and due again within
  the learn-ahead window comes back at the end of the session.
- ``dlquiz quiz``: a chosen slice of the bank in one form per card (flashcard, choice, exercise);
  choices and exercises are graded automatically (right → Good, wrong → Again) and feed the scheduler.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from dlquiz.errors import UserError
from dlquiz.model import Bank, Item
from dlquiz.scheduler import (
    AGAIN,
    GOOD,
    LEARN_AHEAD_MS,
    RATINGS,
    Outcome,
    Preview,
    Settings,
    commit,
    day_start_ms,
    format_interval,
    is_due,
    load_settings,
    now_ms,
    preview,
)
from dlquiz.store import REVIEW, StaleCardError, Store, StoredCard

FLASHCARD, CHOICE, EXERCISE, MIXED = "flashcard", "choice", "exercise", "mixed"
QUIZ_MODES = (FLASHCARD, CHOICE, EXERCISE, MIXED)


@dataclass(frozen=True)
class Entry:
    """One card in a session's queue: the item, the form it is asked in, and why it is in the queue."""

    item: Item
    form: str = FLASHCARD  # flashcard | choice | exercise
    reason: str = "new"  # new | due | again (a learning card back in the same session) | quiz


class Shown:
    """The card on screen: its entry, its state when shown, and the four outcomes for that moment.

    The outcomes are computed on first use and then kept, so the first card can be drawn before the
    FSRS code is even imported; they are the same whenever they are computed, as they depend only on
    the state read and the moment the card was shown.
    """

    def __init__(self, entry: Entry, card: StoredCard, settings: Settings, shown_ms: int):
        self.entry = entry
        self.card = card
        self.settings = settings
        self.shown_ms = shown_ms

    @cached_property
    def preview(self) -> Preview:
        return preview(self.card, self.settings, self.shown_ms)

    @property
    def item(self) -> Item:
        return self.entry.item

    def outcome(self, rating: int) -> Outcome:
        return self.preview.outcomes[rating]


@dataclass(frozen=True)
class Answered:
    entry: Entry
    review_id: int
    rating: int
    correct: bool  # auto-graded forms: the verdict; self-graded: anything but Again
    requeued: bool


@dataclass(frozen=True)
class Progress:
    position: int  # 1-based number of the card on screen (or next)
    total: int
    due: int  # due cards still to answer, the one on screen included
    new: int
    right: int | None = None  # quizzes: right answers so far (reviews: None)

    def __str__(self) -> str:
        if self.right is not None:
            return f"{self.position}/{self.total} · {self.right} right so far"
        return f"{self.position}/{self.total} · {self.due} due · {self.new} new"


@dataclass(frozen=True)
class TopicScore:
    topic: str
    asked: int
    right: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0


@dataclass(frozen=True)
class Summary:
    answered: int
    ratings: dict[int, int]
    right: int
    left: int  # cards still in the queue when the session ended
    skipped: int  # answers refused because another session changed the card
    seconds: float
    scores: list[TopicScore]


@dataclass
class Session:
    """A queue of cards answered one at a time; every answer is saved before the next card is read."""

    store: Store
    settings: Settings
    pending: deque[Entry]
    mode: str = "review"  # written to the log for flashcard answers
    requeue_learning: bool = True
    clock: Callable[[], int] = now_ms
    current: Shown | None = None
    done: list[Answered] = field(default_factory=list)
    skipped: int = 0
    started_ms: int = 0
    next_due_ms: int | None = None  # reviews: when the earliest card not in the queue comes due

    def __post_init__(self) -> None:
        self.started_ms = self.clock()

    # ---- moving through the queue

    def next_card(self) -> Shown | None:
        """The next card with its four outcomes (computed here, once), or None when the queue is empty."""
        if self.current is not None:
            return self.current
        while self.pending:
            entry = self.pending.popleft()
            card = self.store.card(entry.item.id)
            if entry.reason == "new" and not self._may_introduce(card):
                continue
            self.current = Shown(entry, card, self.settings, self.clock())
            return self.current
        return None

    def _may_introduce(self, card: StoredCard) -> bool:
        """A queued new card is shown only if it is still new and today's limit is not yet reached:
        another session (a quiz, a second review) may have introduced new cards since the queue was made."""
        if not card.state.new:
            return False
        at = self.clock()
        if self.store.new_cards_since(day_start_ms(at, self.settings.rollover_hour)) < self.settings.new_per_day:
            return True
        self.pending = deque(e for e in self.pending if e.reason != "new")  # the rest waits for tomorrow
        return False

    def answer(self, rating: int, correct: bool | None = None) -> Outcome:
        """Commit ``rating`` for the card on screen; StaleCardError (card dropped) if it changed meanwhile."""
        shown = self.current
        if shown is None:
            raise UserError("no card is on screen")
        if rating not in RATINGS:
            raise UserError(f"rating must be 1–4, not {rating}")
        mode = self.mode if shown.entry.form == FLASHCARD else shown.entry.form
        try:
            review_id = commit(self.store, shown.preview, rating, mode, self.clock())
        except StaleCardError:
            self.current = None  # the card is dropped: its answer can never be saved
            self.skipped += 1
            raise
        # any other failure (the file busy in another process) leaves the card on screen to answer again
        self.current = None
        outcome = shown.outcome(rating)
        requeued = (
            self.requeue_learning
            and outcome.after.state != REVIEW
            and outcome.after.due_ms <= self.clock() + LEARN_AHEAD_MS
        )
        if requeued:
            self.pending.append(Entry(shown.item, shown.entry.form, "again"))
        self.done.append(
            Answered(shown.entry, review_id, rating, rating != AGAIN if correct is None else correct, requeued)
        )
        return outcome

    def undo(self) -> Answered | None:
        """Undo the last answer of this session: the card gets its exact earlier state and is shown next.

        Returns the undone answer, None if there is nothing to undo; StaleCardError if another session
        answered that card since (the answer then stays).
        """
        if not self.done:
            return None
        last = self.done[-1]
        self.store.undo(last.review_id)
        self.done.pop()
        if self.current is not None:
            self.pending.appendleft(self.current.entry)
            self.current = None
        if last.requeued:  # its copy may be the card that was on screen, so look after putting that back
            for i in range(len(self.pending) - 1, -1, -1):
                if self.pending[i].item.id == last.entry.item.id and self.pending[i].reason == "again":
                    del self.pending[i]
                    break
        self.pending.appendleft(last.entry)
        return last

    # ---- where the session is

    def progress(self) -> Progress:
        waiting = list(self.pending) + ([self.current.entry] if self.current else [])
        new = sum(1 for e in waiting if e.reason == "new")
        due = sum(1 for e in waiting if e.reason in ("due", "again"))
        right = None if self.requeue_learning else sum(a.correct for a in self.done)
        past = len(self.done) + self.skipped
        return Progress(past + 1, past + len(waiting), due, new, right)

    def summary(self) -> Summary:
        ratings = {r: 0 for r in RATINGS}
        for a in self.done:
            ratings[a.rating] += 1
        left = len(self.pending) + (1 if self.current else 0)
        seconds = max(0, self.clock() - self.started_ms) / 1000
        return Summary(
            len(self.done),
            ratings,
            sum(a.correct for a in self.done),
            left,
            self.skipped,
            seconds,
            scores_by_topic((a.entry.item.topic, a.correct) for a in self.done),
        )


def scores_by_topic(results: Iterable[tuple[str, bool]]) -> list[TopicScore]:
    """(topic, right?) pairs → one score per topic in first-seen order."""
    asked: dict[str, int] = {}
    right: dict[str, int] = {}
    for topic, correct in results:
        asked[topic] = asked.get(topic, 0) + 1
        right[topic] = right.get(topic, 0) + bool(correct)
    return [TopicScore(t, asked[t], right[t]) for t in asked]


# --------------------------------------------------------------------------- review


def review_queue(
    bank: Bank, cards: dict[str, StoredCard], settings: Settings, at_ms: int, introduced_today: int
) -> list[Entry]:
    """Due cards (earliest due first), then new cards in bank order up to what is left of today's limit."""
    due = [
        (cards[item.id].state.due_ms, i, item)
        for i, item in enumerate(bank)
        if item.id in cards and is_due(cards[item.id].state, at_ms, settings.rollover_hour)
    ]
    due.sort(key=lambda t: (t[0], t[1]))
    allowance = max(0, settings.new_per_day - introduced_today)
    fresh = [item for item in bank if item.id not in cards or cards[item.id].state.new][:allowance]
    return [Entry(item, FLASHCARD, "due") for _, _, item in due] + [Entry(item, FLASHCARD, "new") for item in fresh]


def start_review(store: Store, bank: Bank, clock=now_ms) -> Session:
    settings = load_settings(store.settings())
    at = clock()
    introduced = store.new_cards_since(day_start_ms(at, settings.rollover_hour))
    cards = store.cards()
    queue = review_queue(bank, cards, settings, at, introduced)
    queued = {entry.item.id for entry in queue}
    later = [cards[i].state.due_ms for i in bank.ids() if i in cards and not cards[i].state.new and i not in queued]
    return Session(store, settings, deque(queue), "review", True, clock, next_due_ms=min(later, default=None))


# --------------------------------------------------------------------------- quiz


def forms_of(item: Item) -> list[str]:
    """The forms an item can be asked in."""
    return [FLASHCARD] + ([CHOICE] if item.choices else []) + ([EXERCISE] if item.exercise else [])


def select_quiz(
    bank: Bank,
    mode: str = MIXED,
    topic: str | None = None,
    tag: str | None = None,
    difficulty: str | None = None,
    n: int = 10,
    rng: random.Random | None = None,
) -> list[Entry]:
    """Up to ``n`` items of the slice, shuffled, each in a form it has (``mixed`` picks among them)."""
    if mode not in QUIZ_MODES:
        raise UserError(f"mode must be one of {', '.join(QUIZ_MODES)}, not '{mode}'")
    if n < 1:
        raise UserError("-n must be at least 1")
    rng = rng or random.Random()
    items = bank.filter(topic=topic, tag=tag, difficulty=difficulty)
    if not items:
        raise UserError("no items match these filters; 'dlquiz list' shows topics, tags and levels")
    if mode != MIXED:
        items = [item for item in items if mode in forms_of(item)]
        if not items:
            raise UserError(f"none of the matching items has the {mode} form; try --mode mixed or other filters")
    rng.shuffle(items)
    return [Entry(item, rng.choice(forms_of(item)) if mode == MIXED else mode, "quiz") for item in items[:n]]


def start_quiz(store: Store, entries: list[Entry], clock=now_ms) -> Session:
    return Session(store, load_settings(store.settings()), deque(entries), "flashcard", False, clock)


def choice_options(item: Item, rng: random.Random) -> tuple[list[str], int]:
    """The item's options shuffled, and the index of the right one."""
    options = [item.choices.correct, *item.choices.wrong]
    rng.shuffle(options)
    return options, options.index(item.choices.correct)


def grade_choice(options: list[str], right: int, picked: int) -> tuple[int, bool]:
    """(rating, correct) for picking option ``picked`` (0-based)."""
    if not 0 <= picked < len(options):
        raise UserError(f"pick a number from 1 to {len(options)}")
    return (GOOD, True) if picked == right else (AGAIN, False)


def make_exercise(item: Item, seed: int | None = None):
    """A fresh numeric exercise for the item (imports numpy and the exercise code only now)."""
    import numpy as np

    from dlquiz.exercises import generate

    return generate(item.exercise, np.random.default_rng(seed))


def grade_exercise(exercise, text: str):
    """(rating, verdict): a right answer rates Good, a wrong one Again."""
    from dlquiz.exercises import check_answer

    verdict = check_answer(exercise, text)
    return (GOOD if verdict.correct else AGAIN), verdict


# --------------------------------------------------------------------------- for other commands


def due_labels(store: Store, ids: Iterable[str], at_ms: int | None = None) -> dict[str, str]:
    """A short due label per id: 'new', 'due', or when it comes due ('in 3d'); for a due column.

    A review card counts study days, as its grade button did ('in 1d' is tomorrow's study day); a
    learning card, the time left ('in 9m').
    """
    from dlquiz.scheduler import until_due_ms

    at = now_ms() if at_ms is None else at_ms
    settings = load_settings(store.settings())
    cards = store.cards()
    labels = {}
    for qid in ids:
        card = cards.get(qid)
        if card is None or card.state.new:
            labels[qid] = "new"
        elif is_due(card.state, at, settings.rollover_hour):
            labels[qid] = "due"
        else:
            labels[qid] = "in " + format_interval(until_due_ms(card.state, at, settings.rollover_hour))
    return labels

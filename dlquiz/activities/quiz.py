"""`dlquiz quiz` and `dlquiz exercise`: a chosen list of cards, each in one form, then a score.

Choices and exercises are graded for you (right → Good, wrong → Again; an exercise right after a hint →
Hard). Whether an answer reaches the schedule follows :class:`~dlquiz.activities.desk.Policy`: only for
cards already being studied, once per session, unless ``--no-schedule`` makes it all practice. Practice
never introduces a new card, so it never spends the daily new-card allowance.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dlquiz.activities.cards import CardSession
from dlquiz.activities.desk import AnswerMode, Desk, Entry, Policy
from dlquiz.activities.views import Progress
from dlquiz.activities.vocabulary import SessionKind
from dlquiz.errors import NothingSelected, UserError
from dlquiz.model import Bank, Form, Item, QuizMode
from dlquiz.scheduler import load_settings, now_ms
from dlquiz.store import Store

if TYPE_CHECKING:
    from dlquiz.activities.summaries import CardSummary


def forms_of(item: Item) -> list[Form]:
    """The forms an item can be asked in."""
    return [Form.FLASHCARD] + ([Form.CHOICE] if item.choices else []) + ([Form.EXERCISE] if item.exercise else [])


def select_quiz(
    bank: Bank,
    mode: QuizMode = QuizMode.MIXED,
    topic: str | None = None,
    tag: str | None = None,
    difficulty: str | None = None,
    n: int = 10,
    rng: random.Random | None = None,
) -> list[Entry]:
    """Up to ``n`` items of the slice, shuffled, each in a form it has (``mixed`` picks among them).

    The filters give the same errors as ``dlquiz list`` (an unknown topic or tag is named, with the
    closest ones).
    """
    from dlquiz.listing import selected_items

    if n < 1:
        raise UserError("-n must be at least 1")
    rng = rng or random.Random()
    items = selected_items(bank, topic, tag, difficulty)
    if mode is not QuizMode.MIXED:
        items = [item for item in items if Form(mode.value) in forms_of(item)]
        if not items:
            raise NothingSelected(
                f"none of the matching items has the {mode.value} form; try --mode mixed or other filters"
            )
    items = list(items)
    rng.shuffle(items)
    entries = []
    for item in items[:n]:
        form = rng.choice(forms_of(item)) if mode is QuizMode.MIXED else Form(mode.value)
        entries.append(Entry(item, form, rng.randrange(2**32)))
    return entries


class QuizActivity(CardSession):
    """A fixed list of entries, each asked once (an undone one again)."""

    def __init__(self, desk: Desk, entries: Sequence[Entry], kind: SessionKind = SessionKind.QUIZ):
        super().__init__(desk)
        self.kind = kind
        self.pending = deque(entries)
        self.planned = len(entries)

    def pull(self) -> Entry | None:
        return self.pending.popleft() if self.pending else None

    def _left(self) -> int:
        on_screen = self.step is not None and not self.step.committed
        return len(self.pending) + len(self.front) + on_screen

    def count(self, entry: Entry) -> Progress:  # noqa: ARG002
        past = len(self.desk.answers) + self.desk.skipped
        right = sum(d.correct for d in self.desk.answers)
        return Progress(self.kind, past + 1, past + self._left(), right=right)

    def mode(self, entry: Entry) -> AnswerMode:
        return AnswerMode.EXERCISE if self.kind is SessionKind.EXERCISE else AnswerMode(entry.form.value)

    def finish(self) -> CardSummary:
        left = self._left()
        return self.summary(left=left, planned=self.planned, stopped=left > 0)


def start_quiz(
    store: Store,
    entries: Sequence[Entry],
    *,
    schedule: bool = True,
    kind: SessionKind = SessionKind.QUIZ,
    clock: Callable[[], int] = now_ms,
) -> QuizActivity:
    policy = Policy.STUDIED if schedule else Policy.NONE
    return QuizActivity(Desk(store, load_settings(store.settings()), policy, clock), entries, kind)


def exercise_entries(
    bank: Bank,
    item_id: str | None,
    topic: str | None,
    count: int | None,
    seed: int | None,
    tag: str | None = None,
    difficulty: str | None = None,
) -> list[Entry]:
    """`dlquiz exercise`: ``count`` times one item's exercise, or ``count`` (default 5) items with an
    exercise at random, of the items the filters select (the same filters as review, quiz and mock).
    With ``seed`` the run repeats: the items are drawn with it, and exercise i takes its numbers from
    ``numpy.random.default_rng(seed + i)`` (the first from ``default_rng(seed)``)."""
    import numpy as np

    from dlquiz.exercises import exercise_queue

    rng = np.random.default_rng(seed)
    pool: Bank | list[Item] = bank
    if topic is not None or tag is not None or difficulty is not None:
        if item_id is not None:
            raise UserError("give an item ID or filters (--topic, --tag, --difficulty), not both")
        from dlquiz.listing import filters_given, selected_items

        pool = selected_items(bank, topic, tag, difficulty)  # unknown filters: the same errors as everywhere
        if not any(item.exercise for item in pool):
            named = " ".join(f"{option} {value}" for option, value in filters_given(bank, topic, tag, difficulty))
            raise NothingSelected(
                f"no item that {named} selects has a numeric exercise ({len(pool)} selected; "
                "'dlquiz list' marks exercises with E)"
            )
    items = exercise_queue(pool, item_id, None, count, rng)
    first = seed if seed is not None else int(rng.integers(2**62))
    return [Entry(item, Form.EXERCISE, first + i) for i, item in enumerate(items)]

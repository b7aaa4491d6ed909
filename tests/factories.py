"""Small builders shared by the session and activity tests: a settable clock, items, banks, card states."""

from __future__ import annotations

from dlquiz.model import Bank, CardKind, CardState, Choices, Item, Rating, Step
from dlquiz.scheduler import DAY_MS, MINUTE_MS
from dlquiz.store import Store

T0 = 1_790_000_000_000  # Mon 21 Sep 2026, 15:33 UTC


class Clock:
    """A clock the test moves by hand (epoch milliseconds)."""

    def __init__(self, at: int = T0):
        self.at = at

    def __call__(self) -> int:
        return self.at

    def advance(self, ms: int) -> None:
        self.at += ms


def item(qid, topic="basics", difficulty="easy", choices=False, exercise=None, tags=(), derivation=False, **fields):
    return Item(
        id=qid,
        topic=topic,
        difficulty=difficulty,
        question=f"Question {qid}?",
        answer=f"Answer {qid}.",
        key_points=fields.pop("key_points", ("the first point", "the second point")),
        tags=tuple(tags),
        choices=Choices("right", ("wrong 1", "wrong 2", "wrong 3")) if choices else None,
        exercise=exercise,
        derivation=(Step("a = 1", "a starts at one"), Step("2a = 2", "twice a is two")) if derivation else (),
        **fields,
    )


def bank_of(*items: Item) -> Bank:
    return Bank(tuple(items))


def review_state(due_ms: int, reps: int = 3, lapses: int = 0, interval_days: int = 10) -> CardState:
    """A card in the review state, due at ``due_ms``, last reviewed ``interval_days`` before with a stability
    of as many days (so it is due when its recall probability falls to the desired retention)."""
    return CardState(
        new=False,
        state=CardKind.REVIEW,
        step=None,
        stability=float(interval_days),
        difficulty=5.0,
        due_ms=due_ms,
        last_review_ms=due_ms - interval_days * DAY_MS,
        reps=reps,
        lapses=lapses,
    )


def answered(reps: int = 1, due_ms: int = 1_000_000, state: int = CardKind.REVIEW) -> CardState:
    """A card answered ``reps`` times, with fixed memory values: for tests of what the state file keeps."""
    return CardState(
        new=False,
        state=state,
        step=None,
        stability=3.5,
        difficulty=5.25,
        due_ms=due_ms,
        last_review_ms=500_000,
        reps=reps,
        lapses=0,
    )


def learning_state(due_ms: int) -> CardState:
    """A card at its second learning step (10 minutes), due at ``due_ms``."""
    return CardState(
        new=False,
        state=CardKind.LEARNING,
        step=1,
        stability=2.3,
        difficulty=5.0,
        due_ms=due_ms,
        last_review_ms=due_ms - 10 * MINUTE_MS,
        reps=1,
        lapses=0,
    )


def on_screen(activity) -> str | None:
    """The id of the item an activity shows now (None when it is done)."""
    view = activity.view()
    return None if view is None else view.item.id


def seed(store: Store, qid: str, state: CardState, at: int = T0 - DAY_MS) -> None:
    """Give a card a saved state, as if it had been answered at ``at``."""
    card = store.card(qid)
    store.commit_answer(qid, card.version, card.state, state, Rating.GOOD, "review", at)

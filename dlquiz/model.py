"""The data model: the bank's items (with their derivation steps and choices), the loaded bank, the
engine's closed sets, and a card's scheduling state.

Plain frozen dataclasses and enums that import nothing from the rest of dlquiz, so every part of the
program (the loader, the store, the scheduler, the engine, the interface, the exercise and demo
packages) can share them without cycles.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from enum import Enum, IntEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step of a worked derivation: the equation or statement, and why it holds."""

    step: str
    why: str


@dataclass(frozen=True)
class Choices:
    """The multiple-choice form of an item: one right option and its distractors.

    ``stem`` is the question the options answer when the item's open question asks for more than
    one option can hold (the open question "Explain Adam" offered with four update rules); None means
    the item's question is the stem.
    """

    correct: str
    wrong: tuple[str, ...]
    stem: str | None = None  # the question the options answer, when the open question does not fit them


@dataclass(frozen=True)
class Item:
    """One question-and-answer item of the bank."""

    id: str
    topic: str
    difficulty: str  # a Difficulty value, kept as the plain string (an f-string of a Difficulty is its name)
    question: str
    answer: str
    key_points: tuple[str, ...]
    tags: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    derivation: tuple[Step, ...] = ()
    code: tuple[str, ...] = ()
    demo: str | None = None
    choices: Choices | None = None
    exercise: str | None = None
    implement: str | None = None  # a coding exercise of `dlquiz implement` (its id)
    see_also: tuple[str, ...] = ()
    source: str = ""
    line: int = 0

    def features(self) -> list[str]:
        """The optional parts this item has, in display order."""
        has = {
            "code": bool(self.code),
            "demo": self.demo is not None,
            "derivation": bool(self.derivation),
            "choices": self.choices is not None,
            "exercise": self.exercise is not None,
            "implement": self.implement is not None,
        }
        return [name for name, present in has.items() if present]

    def to_dict(self) -> dict[str, Any]:
        """The item as plain data for ``--json``: every field it has, in declaration order, leaving out
        the optional ones it does not have; ``source`` as ``file:line``."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = _plain(getattr(self, f.name))
            if f.name not in ("source", "line") and value not in (None, [], ""):
                out[f.name] = value
        out["source"] = f"{self.source}:{self.line}"
        return out


def _plain(value: Any) -> Any:
    """Dataclasses as dicts without their unset (None) parts, tuples as lists: what JSON holds."""
    if isinstance(value, (Step, Choices)):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Bank:
    """The loaded bank: items in file order, with look-up by id."""

    items: tuple[Item, ...]

    @cached_property
    def _by_id(self) -> Mapping[str, Item]:
        # Built on first use and read-only: the bank stays immutable, as the frozen dataclass promises
        # (cached_property writes the instance's __dict__ directly, which frozen allows).
        return MappingProxyType({item.id: item for item in self.items})

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def get(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    def topics(self) -> list[str]:
        return list(dict.fromkeys(item.topic for item in self.items))

    def tags(self) -> list[str]:
        return sorted({tag for item in self.items for tag in item.tags})

    def filter(
        self,
        topic: str | None = None,
        tag: str | None = None,
        difficulty: str | None = None,
    ) -> list[Item]:
        """Items matching every filter given (None matches everything)."""
        return [
            item
            for item in self.items
            if (topic is None or item.topic == topic)
            and (tag is None or tag in item.tags)
            and (difficulty is None or item.difficulty == difficulty)
        ]


# --------------------------------------------------------------------------- the engine's closed sets
# IntEnum and str-valued Enum members compare equal to the ints and strings they replace, so the log
# and the state file keep the same values.


class Rating(IntEnum):
    """The four answers to a card, as Anki numbers them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class CardKind(IntEnum):
    """What a card is now: never answered, or its FSRS state (py-fsrs's numbers)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Difficulty(str, Enum):
    """How hard an item is, as the bank states it."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Form(str, Enum):
    """The form a card is asked in."""

    FLASHCARD = "flashcard"
    CHOICE = "choice"
    EXERCISE = "exercise"


class QuizMode(str, Enum):
    """What ``dlquiz quiz --mode`` accepts: one form for every card, or a mix."""

    FLASHCARD = "flashcard"
    CHOICE = "choice"
    EXERCISE = "exercise"
    MIXED = "mixed"


# --------------------------------------------------------------------------- a card's scheduling state

# FSRS states (the numbers py-fsrs uses); a card that was never answered is Learning at step 0 with no
# stability yet, and dlquiz marks it new.
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # plain ints, as stored; equal to the CardKind members


@dataclass(frozen=True)
class CardState:
    """Everything the scheduler knows about one card; the ``before``/``after`` of a logged answer."""

    new: bool = True
    state: int = LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due_ms: int | None = None
    last_review_ms: int | None = None
    reps: int = 0
    lapses: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CardState:
        return cls(**json.loads(text))


NEW_CARD = CardState()
NEW = 0  # the kind of a card never answered; otherwise its kind is its FSRS state


def kind_number(card: CardState) -> int:
    return NEW if card.new else card.state


@dataclass(frozen=True)
class StoredCard:
    """A card's state and the version it was read at (0: no row yet, the card was never answered)."""

    question_id: str
    state: CardState
    version: int

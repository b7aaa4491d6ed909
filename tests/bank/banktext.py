"""What a learner reads of one item, as one string, for the tests that recompute quoted numbers."""

from __future__ import annotations

import re
from functools import cache

from dlquiz.bank import load_bank
from dlquiz.bank.lookup import get_item
from dlquiz.model import Bank


class Shown(str):
    """Item text in which ``phrase in shown`` also fails when a number is cut short (0.25 in 0.256)."""

    def __contains__(self, phrase: object) -> bool:
        return re.search(re.escape(str(phrase)) + r"(?!\d)", self) is not None


@cache
def builtin_bank() -> Bank:
    return load_bank()


def item_text(item_id: str) -> Shown:
    """Question, answer, key points, pitfalls, derivation and choices, each run of whitespace one space
    (so line breaks in the YAML never matter)."""
    item = get_item(builtin_bank(), item_id)
    parts = [item.question, item.answer, *item.key_points, *item.pitfalls]
    parts += [f"{step.step} {step.why}" for step in item.derivation]
    if item.choices:
        parts += [item.choices.correct, *item.choices.wrong]
    return Shown(" ".join(" ".join(parts).split()))


def says(text: str, phrase: str) -> bool:
    """Whether ``text`` contains ``phrase`` not followed by a further digit."""
    return phrase in Shown(text)

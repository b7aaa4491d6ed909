"""Full-text search over the bank: every word must match somewhere; best matches first."""

from __future__ import annotations

import re

from dlquiz.model import Item

# How much a hit counts, by where it is: the question and id say what an item is about, tags are
# curated, the answer is long and mentions many things in passing.
WEIGHTS = {"id": 4.0, "question": 3.0, "tags": 3.0, "key_points": 1.5, "answer": 1.0}


def _fields(item: Item) -> dict[str, str]:
    return {
        "id": item.id.replace("-", " "),
        "question": item.question,
        "tags": " ".join(item.tags).replace("-", " "),
        "key_points": " ".join(item.key_points),
        "answer": item.answer,
    }


def search(items: list[Item] | tuple[Item, ...], text: str) -> list[tuple[float, Item]]:
    """Items in which every word of ``text`` occurs (case-insensitive), scored and sorted best first.

    A word scores its weight for each field it occurs in, a whole-word hit counting double a
    partial one (``norm`` in ``normalization``); ties keep bank order.
    """
    words = [w for w in re.split(r"\s+", text.casefold().strip()) if w]
    if not words:
        return []
    patterns = [(w, re.compile(r"\b" + re.escape(w) + r"\b")) for w in words]
    scored = []
    for index, item in enumerate(items):
        fields = {name: value.casefold() for name, value in _fields(item).items()}
        total = 0.0
        for word, whole in patterns:
            hit = 0.0
            for name, value in fields.items():
                if word in value:
                    hit += WEIGHTS[name] * (2.0 if whole.search(value) else 1.0)
            if hit == 0.0:
                break
            total += hit
        else:
            scored.append((total, index, item))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(score, item) for score, _, item in scored]

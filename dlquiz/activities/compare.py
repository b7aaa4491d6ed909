"""A typed attempt set beside an item's key points: which key-point words the attempt uses.

This is a reading aid, not a grade: the learner still grades themselves. Each key point's content words
(not 'the', 'of', 'is', ...) are looked for in the attempt, loosely (case, plurals and -ing/-ed endings,
British and American -ise/-ize spellings), and the words found are marked in both texts, so a glance
shows which points the attempt touched. A point counts as touched when at least half its content words
appear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Letters of any script (Greek σ, β), digits, and the sub/superscripts and primes of terminal maths.
_WORD = re.compile(r"[^\W_][\w′'²³¹⁰-⁹₀-₉ᵢⱼₖₜ]*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "without",
        "you",
        "your",
        "not",
        "no",
        "only",
        "also",
        "more",
        "most",
        "less",
        "same",
        "each",
        "per",
    ]
)
TOUCHED = 0.5  # share of a point's content words the attempt must use


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class PointMatch:
    """One key point: its words found in the attempt (as spans of the point), of how many."""

    text: str
    spans: tuple[Span, ...]
    total: int

    @property
    def found(self) -> int:
        return len(self.spans)

    @property
    def touched(self) -> bool:
        return self.total > 0 and self.found / self.total >= TOUCHED


@dataclass(frozen=True)
class AttemptMatch:
    """The attempt with its words that appear in some key point, and each key point's match."""

    attempt: str
    spans: tuple[Span, ...]
    points: tuple[PointMatch, ...]

    def touched(self) -> tuple[int, ...]:
        """1-based numbers of the key points the attempt touched."""
        return tuple(n for n, point in enumerate(self.points, 1) if point.touched)


def _stem(word: str) -> str:
    word = word.lower().replace("'", "").replace("isation", "ization").replace("ise", "ize")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def _content(word: str) -> bool:
    lowered = word.lower()
    if lowered in _STOP:
        return False
    return len(word) >= 3 or not word.isascii() or any(ch.isdigit() for ch in word)


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 7 and long.startswith(short)


def _words(text: str) -> list[tuple[str, Span]]:
    return [(_stem(m.group()), Span(m.start(), m.end())) for m in _WORD.finditer(text) if _content(m.group())]


def match_attempt(attempt: str, key_points: Sequence[str]) -> AttemptMatch:
    """Which words of ``attempt`` appear in which of ``key_points``."""
    typed = _words(attempt)
    used: set[Span] = set()
    points = []
    for point in key_points:
        words = _words(point)
        found = []
        for stem, span in words:
            hits = [typed_span for typed_stem, typed_span in typed if _same(stem, typed_stem)]
            if hits:
                found.append(span)
                used.update(hits)
        points.append(PointMatch(point, tuple(found), len(words)))
    return AttemptMatch(attempt, tuple(sorted(used, key=lambda s: s.start)), tuple(points))

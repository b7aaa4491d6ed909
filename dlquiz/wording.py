"""The words of messages: counting ('1 item', '2 items', '3 matches': the one plural helper) and the one
"did you mean" every message uses for a mistyped name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from dlquiz.errors import visible


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word for that many: ``'1 item'``, ``'0 items'``, ``'3 matches'`` (with ``many``)."""
    return f"{n} {noun(n, word, many)}"


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage (0 of nothing is 0%)."""
    return round(100 * part / whole) if whole else 0


def noun(n: int, word: str, many: str | None = None) -> str:
    """The word for ``n`` of it, without the number: the singular for exactly 1, else ``many`` (default
    ``word`` + s)."""
    return word if n == 1 else (many or word + "s")


CUTOFF = 0.6  # difflib's own default for a close match
NEAR_BEST = 0.85  # a second suggestion must be nearly as close as the best one


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates the user may have meant, ignoring case: those close in spelling (difflib's
    ratio at least 0.6, and near the best one's, so 'atention' gives 'attention' and not also
    'activations'), then those that contain ``word``. Empty when nothing is close."""
    pool = list(dict.fromkeys(candidates))
    key = word.casefold()
    scored = []
    for candidate in pool:
        matcher = difflib.SequenceMatcher(None, key, candidate.casefold())
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            ratio = matcher.ratio()
            if ratio >= CUTOFF:
                scored.append((-ratio, candidate))
    scored.sort()
    near = [candidate for score, candidate in scored if -score >= -scored[0][0] * NEAR_BEST]
    if len(key) >= 3:
        near += [c for c in pool if key in c.casefold() and c not in near]
    return near[:n]


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """``"; did you mean 'a' or 'b'?"`` for a mistyped ``word``, or ``""`` when nothing is close."""
    return suggestion(closest(word, candidates, n))


def suggestion(names: Sequence[str]) -> str:
    """``"; did you mean 'a' or 'b'?"`` offering ``names``, or ``""`` when there are none."""
    if not names:
        return ""
    quoted = [f"'{visible(name)}'" for name in names]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {listed}?"

"""Finding what the user named (an item id, a topic, a tag, a field, a link) and, when it is not there,
the one "did you mean" every message uses."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from dlquiz.errors import UserError, visible
from dlquiz.model import Bank, Difficulty, Item

SHOWN = 40  # characters of a mistyped value quoted in a message (a pasted paragraph is cut)
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
    near = closest(word, candidates, n)
    if not near:
        return ""
    quoted = [f"'{visible(c)}'" for c in near]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {listed}?"


def get_item(bank: Bank, item_id: str) -> Item:
    """The item with this id (any case), or a UserError that suggests the closest ids."""
    item = bank.get(item_id) or bank.get(item_id.strip().lower())
    if item is not None:
        return item
    hint = did_you_mean(item_id.strip().lower(), bank.ids()) or "; 'dlquiz list' shows every id"
    raise UserError(f"no item with id '{visible(item_id, SHOWN)}'{hint}")


def check_topic(bank: Bank, topic: str) -> str:
    """The bank's spelling of ``topic`` (any case), or a UserError naming it with a suggestion."""
    wanted = topic.strip().lower()
    topics = bank.topics()
    if wanted in topics:
        return wanted
    hint = did_you_mean(wanted, topics) or f"; the topics are {', '.join(topics)}"
    raise UserError(f"no topic '{visible(topic, SHOWN)}'{hint}")


def check_tag(bank: Bank, tag: str) -> str:
    """The bank's spelling of ``tag`` (any case), or a UserError naming it with a suggestion."""
    wanted = tag.strip().lower()
    tags = bank.tags()
    if wanted in tags:
        return wanted
    hint = (
        did_you_mean(wanted, tags)
        or f"; none of the bank's {len(tags)} tags is close ('dlquiz list --tags' lists them)"
    )
    raise UserError(f"no tag '{visible(tag, SHOWN)}'{hint}")


def check_difficulty(difficulty: str) -> str:
    """``difficulty`` as the bank writes it (easy, medium, hard), or a UserError."""
    wanted = difficulty.strip().lower()
    levels = [level.value for level in Difficulty]
    if wanted in levels:
        return wanted
    hint = did_you_mean(wanted, levels) or "; use easy, medium or hard"
    raise UserError(f"no difficulty '{visible(difficulty, SHOWN)}'{hint}")

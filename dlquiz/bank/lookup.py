"""Finding what the user named in the bank (an item id, a topic, a tag, a difficulty) and, when it is not
there, saying what they may have meant (:func:`dlquiz.wording.did_you_mean`)."""

from __future__ import annotations

from collections.abc import Sequence

from dlquiz.errors import UserError, visible
from dlquiz.model import Bank, Difficulty, Item
from dlquiz.wording import did_you_mean

SHOWN = 40  # characters of a mistyped value quoted in a message (a pasted paragraph is cut)


def get_item(bank: Bank, item_id: str) -> Item:
    """The item with this id (any case), or a UserError that suggests the closest ids."""
    item = bank.get(item_id) or bank.get(item_id.strip().lower())
    if item is not None:
        return item
    hint = did_you_mean(item_id.strip().lower(), bank.ids()) or "; 'dlquiz list' shows every id"
    raise UserError(f"no item with id '{visible(item_id, SHOWN)}'{hint}")


def check_topic(bank: Bank, topic: str) -> str:
    """The bank's spelling of ``topic`` (any case), or a UserError naming it with a suggestion."""
    topics = bank.topics()
    return _one_of("topic", topic, topics, f"; the topics are {', '.join(topics)}")


def check_tag(bank: Bank, tag: str) -> str:
    """The bank's spelling of ``tag`` (any case), or a UserError naming it with a suggestion."""
    tags = bank.tags()
    return _one_of(
        "tag", tag, tags, f"; none of the bank's {len(tags)} tags is close ('dlquiz list --tags' lists them)"
    )


def check_difficulty(difficulty: str) -> str:
    """``difficulty`` as the bank writes it (easy, medium, hard), or a UserError."""
    return _one_of("difficulty", difficulty, [level.value for level in Difficulty], "; use easy, medium or hard")


def _one_of(what: str, given: str, known: Sequence[str], otherwise: str) -> str:
    """``given`` as ``known`` spells it (any case, outer spaces ignored), or a UserError that names it and
    suggests the closest, else says ``otherwise``."""
    wanted = given.strip().lower()
    if wanted in known:
        return wanted
    raise UserError(f"no {what} '{visible(given, SHOWN)}'{did_you_mean(wanted, known) or otherwise}")

"""Finding what the user named in the bank (an item id, a topic, a tag, a difficulty) and, when it is not
there, saying what they may have meant (:func:`dlquiz.wording.did_you_mean`)."""

from __future__ import annotations

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

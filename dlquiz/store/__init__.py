"""The learner's state: one SQLite file with the cards, the review log, the card marks and the settings.

This module is the state's public face: every caller outside this package imports from ``dlquiz.store``.
Its parts depend one way, from the bottom up (a part never imports this face):

- :mod:`~dlquiz.store.errors`: what can go wrong, as errors a user can act on (StateError, NotSavedError);
- :mod:`~dlquiz.store.schema`: the file's application id and its migrations (:mod:`~dlquiz.store.rebuild`
  replays every card's log under the scheduler's rules, for step 4);
- :mod:`~dlquiz.store.check`: checks before dlquiz trusts a file (header, schema, every page and value);
- :mod:`~dlquiz.store.marks`, :mod:`~dlquiz.store.write`, :mod:`~dlquiz.store.database`: the open file
  (:class:`Store`) and its one-transaction writes;
- :mod:`~dlquiz.store.move`: moving the file aside as one step (``reset``), and finishing a move a crash
  interrupted;
- :mod:`~dlquiz.store.opening`: opening for writing or for reading, checked;
- :mod:`~dlquiz.store.recovery`: copying what can be read from a damaged file into a new one.

A file that is not a dlquiz database, is damaged, or comes from a newer dlquiz is never written to: opening
it raises a StateError naming it, and every error a write can meet is a NotSavedError.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from dlquiz.store.database import Review, Store
from dlquiz.store.errors import (
    DamagedStateError,
    DiskFullError,
    NotSavedError,
    ReadOnlyStateError,
    StaleCardError,
    StateBusyError,
    StateError,
    StateMovedError,
    translate,
)
from dlquiz.store.marks import NO_MARK, CardMark
from dlquiz.store.move import finish_interrupted_move, move_aside, rescue_orphaned_log, settings_kept_in
from dlquiz.store.opening import open_state
from dlquiz.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    from dlquiz.store.recovery import RepairReport

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "NO_MARK",
    "SCHEMA_VERSION",
    "CardMark",
    "DamagedStateError",
    "DiskFullError",
    "NotSavedError",
    "ReadOnlyStateError",
    "Review",
    "StaleCardError",
    "StateBusyError",
    "StateError",
    "StateMovedError",
    "Store",
    "finish_interrupted_move",
    "migrate",
    "move_aside",
    "open_store",
    "repair",
    "rescue_orphaned_log",
    "settings_kept_in",
    "stored_question_ids",
    "translate",
]


def open_store(path: str | os.PathLike | None = None, *, readonly: bool = False) -> Store:
    """Open the state file (default: the user's), checked, creating or migrating it when needed.

    ``readonly=True`` is for commands that only read (stats, list, show): it never creates, adopts or
    changes a file, works in a read-only home, and gives an empty store when there is no history yet.
    Raises a StateError (a UserError) if the file cannot be used; see :mod:`dlquiz.store.opening`.
    """
    return open_state(path, readonly=readonly)


def stored_question_ids(path: str | os.PathLike | None = None) -> list[str]:
    """The question ids that have a card in the state file, read without writing; [] when there is none.

    The file is opened read-only: never created, migrated or written, so ``check`` can look at it in a
    read-only home; a damaged or foreign file is refused as everywhere (a StateError).
    """
    with open_store(path, readonly=True) as store:
        return list(store.cards())


def repair(path: Path | None = None) -> RepairReport | None:
    """Recover the damaged state file at ``path`` (default: the user's) into a new one, keeping the damaged one;
    None if it is sound. See :mod:`dlquiz.store.recovery` (imported here, not by every command that opens the
    state)."""
    from dlquiz.store.recovery import repair as recover

    return recover(path)

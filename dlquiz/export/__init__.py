"""Exporting the bank and the learner's history to other tools (``dlquiz export``).

The text formats are re-exported here (``from dlquiz.export import export, FORMATS``); the parts:

- :mod:`~dlquiz.export.text`: Markdown, CSV and Anki's tab-separated notes, each items in, text out;
- :mod:`~dlquiz.export.anki_notes`: an item as an Anki note (fields as HTML, GUID, deck, tags);
- :mod:`~dlquiz.export.anki_history`: the scheduling state and review log in Anki's terms (card queue, due,
  FSRS memory state, revlog rows);
- :mod:`~dlquiz.export.anki_package`: the ``.apkg`` file (a deck per topic, a note type of its own, and the
  history when asked), written in one step.
"""

from __future__ import annotations

from dlquiz.export.text import FORMATS, TEXT_FORMATS, export, to_anki, to_csv, to_markdown

__all__ = ["FORMATS", "TEXT_FORMATS", "export", "to_anki", "to_csv", "to_markdown"]

"""``dlquiz export --format apkg``: an Anki package (.apkg) with a deck per topic and a note type of its own.

genanki (pure Python) writes the notes, the note type and the decks into a collection file of Anki's
long-stable schema 11, which every Anki since 2.1 imports (desktop, AnkiDroid, AnkiMobile). With
``history``, dlquiz then fills in what genanki does not model: each card's scheduling columns and FSRS
memory state, and every answer as a review-log row (see :mod:`dlquiz.export.anki_history`); Anki imports them
when "Import any learning progress" is ticked.

IDs are stable: the note type's and each deck's are derived from their names, and each note's GUID is
``dlquiz-<id>`` (as in the text export), so importing a newer export updates the notes in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.export.anki_history import History, anki_schedule, revlog_rows
from dlquiz.export.anki_notes import FIELD_NAMES, ROOT_DECK, deck_name, field_values, guid, note_fields, tags
from dlquiz.model import Item

NOTE_TYPE_NAME = "dlquiz"


def stable_id(name: str) -> int:
    """A positive 31-bit id from a name, the same on every machine and in every export."""
    return (1 << 30) | int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") & ((1 << 30) - 1)


# --------------------------------------------------------------------------- the note type

FRONT = """\
<div class="meta">{{Topic}} · {{Difficulty}}</div>
<div class="question">{{Question}}</div>
"""

BACK = """\
{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
{{#Key points}}<h3>Key points</h3><div class="points">{{Key points}}</div>{{/Key points}}
{{#Pitfalls}}<h3>Pitfalls</h3><div class="pitfalls">{{Pitfalls}}</div>{{/Pitfalls}}
{{#Derivation}}<details><summary>Derivation</summary>{{Derivation}}</details>{{/Derivation}}
{{#Code}}<details><summary>Reference code (NumPy)</summary>{{Code}}</details>{{/Code}}
<div class="id">{{Id}}</div>
"""

# Readable on a desktop and on a phone, in light and night mode: one text column, math in a font with
# wide Unicode coverage, code that scrolls sideways instead of wrapping.
CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: #1d1d1f; background: #fdfdfd;
  max-width: 42em; margin: 0 auto; padding: 0 0.6em;
}
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1e1e1e; }
.meta, .id { font-size: 0.75em; color: #888; letter-spacing: 0.02em; }
.id { margin-top: 1.5em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.question { font-weight: 600; margin: 0.4em 0 0.8em; }
h3 { font-size: 0.95em; margin: 1.1em 0 0.3em; }
ul, ol { padding-left: 1.4em; margin: 0.3em 0; }
li { margin: 0.2em 0; }
.pitfalls li::marker { color: #c0392b; }
.derivation .step { font-weight: 600; }
.derivation .why { color: #666; font-size: 0.92em; }
.nightMode .derivation .why, .night_mode .derivation .why { color: #aaa; }
details { margin: 0.9em 0; }
summary { cursor: pointer; font-weight: 600; }
code, pre {
  font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.85em;
}
code { background: rgba(127, 127, 127, 0.14); padding: 0 0.2em; border-radius: 3px; }
pre {
  background: rgba(127, 127, 127, 0.10); padding: 0.6em; border-radius: 4px;
  overflow-x: auto; white-space: pre; line-height: 1.35;
}
pre code { background: none; padding: 0; font-size: 1em; }
.code-name { margin-top: 0.6em; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; }
.code-name .where { color: #888; }
"""


def _note_type():
    import genanki

    return genanki.Model(
        stable_id(f"{NOTE_TYPE_NAME} note type v1"),
        NOTE_TYPE_NAME,
        fields=[{"name": name} for name in FIELD_NAMES],
        templates=[{"name": "Question → Answer", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
        sort_field_index=0,
    )


# --------------------------------------------------------------------------- writing the package


@dataclass(frozen=True)
class PackageSummary:
    notes: int
    decks: int
    cards_with_history: int = 0
    revlog_rows: int = 0


def _collection_config(cursor: sqlite3.Cursor, history: History | None, now_ms: int) -> None:
    """Day 0 is the export's study day; the scheduler is v2, so Anki need not upgrade the package's cards."""
    rollover = history.clock.rollover_hour if history else 4
    crt_s = (history.clock.today_start_ms if history else now_ms) // 1000
    conf = json.loads(cursor.execute("SELECT conf FROM col").fetchone()[0])
    conf.update(
        {
            "schedVer": 2,
            "rollover": rollover,
            "creationOffset": -time.localtime(crt_s).tm_gmtoff // 60,  # minutes west of UTC
        }
    )
    cursor.execute("UPDATE col SET crt = ?, mod = ?, conf = ?", (crt_s, now_ms, json.dumps(conf)))


def _write_history(cursor: sqlite3.Cursor, history: History, positions: dict[str, int]) -> tuple[int, int]:
    """Each exported card's scheduling and memory state, and every answer of theirs as a revlog row."""
    card_ids = dict(cursor.execute("SELECT notes.guid, cards.id FROM cards JOIN notes ON notes.id = cards.nid"))
    by_item = {question_id: card_ids[f"dlquiz-{question_id}"] for question_id in positions}
    scheduled = 0
    for question_id, card in history.cards.items():
        if question_id not in by_item:
            continue  # a card of an item not in this export (filtered out, or gone from the bank)
        s = anki_schedule(card, history.clock, history.memory, positions[question_id])
        cursor.execute(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?, "
            "data = ? WHERE id = ?",
            (s.type, s.queue, s.due, s.ivl, s.factor, s.reps, s.lapses, s.left, s.data, by_item[question_id]),
        )
        scheduled += s.type != 0
    rows = [row for row in revlog_rows(history.reviews, history.clock, history.resets) if row.question_id in by_item]
    cursor.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
        [(r.id, by_item[r.question_id], r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type) for r in rows],
    )
    return scheduled, len(rows)


def write_package(
    items: Sequence[Item],
    path: str | os.PathLike,
    history: History | None = None,
    *,
    now_ms: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PackageSummary:
    """Write ``items`` as an .apkg at ``path`` (atomically); with ``history``, their scheduling and log too."""
    import genanki

    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    model = _note_type()
    decks: dict[str, genanki.Deck] = {ROOT_DECK: genanki.Deck(stable_id(ROOT_DECK), ROOT_DECK)}
    positions: dict[str, int] = {}
    for n, item in enumerate(items, 1):
        name = deck_name(item)
        if name not in decks:
            decks[name] = genanki.Deck(stable_id(name), name, description=f"dlquiz questions on {item.topic}")
        decks[name].add_note(
            genanki.Note(model=model, fields=field_values(note_fields(item)), tags=tags(item), guid=guid(item), due=n)
        )
        positions[item.id] = n
        if progress:
            progress(n, len(items))
    for deck in decks.values():
        deck.add_model(model)  # the root deck has no notes, and genanki writes note types per deck

    target = Path(path).expanduser()
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    summary = PackageSummary(len(positions), len(decks))
    try:
        with tempfile.TemporaryDirectory(prefix="dlquiz-apkg-") as tmp:
            db_path = Path(tmp) / "collection.anki2"
            db = sqlite3.connect(db_path)
            try:
                cursor = db.cursor()
                genanki.Package(list(decks.values())).write_to_db(
                    cursor, now_ms / 1000, iter(range(now_ms, now_ms + 10 * len(items) + 10))
                )
                _collection_config(cursor, history, now_ms)
                if history is not None:
                    scheduled, logged = _write_history(cursor, history, positions)
                    summary = PackageSummary(len(positions), len(decks), scheduled, logged)
                db.commit()
            finally:
                db.close()
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                archive.writestr("media", "{}")
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    return summary

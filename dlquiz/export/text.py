"""The text exports: a Markdown study sheet, CSV for spreadsheets, a tab-separated file of Anki notes.

Each text exporter takes items and returns text; writing it somewhere is the caller's business. The
Anki package (``apkg``) is a binary file, written by :func:`dlquiz.export.anki_package.write_package`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from dlquiz.model import Item

FORMATS = ("markdown", "csv", "anki", "apkg")
TEXT_FORMATS = ("markdown", "csv", "anki")


def to_markdown(items: Iterable[Item]) -> str:
    """One document: a section per topic, then per item the question, answer, key points,
    pitfalls and derivation."""
    out: list[str] = ["# dlquiz question bank", ""]
    topic = None
    for item in items:
        if item.topic != topic:
            topic = item.topic
            out += [f"## {topic}", ""]
        out += [f"### {item.id} ({item.difficulty})", "", f"**Q:** {item.question}", "", item.answer.rstrip(), ""]
        out += ["**Key points**", ""] + [f"- {point}" for point in item.key_points] + [""]
        if item.pitfalls:
            out += ["**Pitfalls**", ""] + [f"- {pitfall}" for pitfall in item.pitfalls] + [""]
        if item.derivation:
            out += ["**Derivation**", ""]
            out += [f"{n}. `{step.step}` — {step.why}" for n, step in enumerate(item.derivation, 1)] + [""]
    return "\n".join(out)


def to_csv(items: Iterable[Item]) -> str:
    """One row per item; list fields are joined with ' | '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "topic", "difficulty", "tags", "question", "answer", "key_points", "pitfalls"])
    for item in items:
        writer.writerow(
            [
                item.id,
                item.topic,
                item.difficulty,
                " ".join(item.tags),
                item.question,
                item.answer,
                " | ".join(item.key_points),
                " | ".join(item.pitfalls),
            ]
        )
    return buffer.getvalue()


def to_anki(items: Iterable[Item]) -> str:
    """A tab-separated note file for Anki's File ▸ Import (see :mod:`dlquiz.export.anki_notes`)."""
    from dlquiz.export.anki_notes import to_anki_text

    return to_anki_text(items)


EXPORTERS: dict[str, Callable[[Iterable[Item]], str]] = {"markdown": to_markdown, "csv": to_csv, "anki": to_anki}


def export(items: Iterable[Item], fmt: str) -> str:
    return EXPORTERS[fmt](items)

"""Exporting items to other tools: a Markdown study sheet, CSV for spreadsheets, a note file for Anki.

Each exporter takes items and returns text; writing it somewhere is the caller's business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from dlquiz.model import Item

FORMATS = ("markdown", "csv", "anki")


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
    """A tab-separated note file that Anki's File ▸ Import reads as Basic notes.

    Columns: the item id (so re-importing updates notes instead of duplicating them), the front
    (question), the back (answer and key points) and the tags. Markdown becomes HTML through
    markdown-it-py, which rich already depends on.
    """
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark").render

    def cell(html: str) -> str:
        # One note per line: line breaks become <br>, which also keeps code blocks (<pre>) intact.
        return html.strip().replace("\t", "    ").replace("\n", "<br>")

    lines = ["#separator:tab", "#html:true", "#guid column:1", "#tags column:4"]
    for item in items:
        back = (
            render(item.answer)
            + "<p><b>Key points</b></p><ul>"
            + "".join(
                f"<li>{render(point).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
                for point in item.key_points
            )
            + "</ul>"
        )
        tags = " ".join(["dlquiz", f"dlquiz::{item.topic}", f"dlquiz::{item.difficulty}", *item.tags])
        lines.append("\t".join([f"dlquiz-{item.id}", cell(render(item.question)), cell(back), tags]))
    return "\n".join(lines) + "\n"


EXPORTERS: dict[str, Callable[[Iterable[Item]], str]] = {"markdown": to_markdown, "csv": to_csv, "anki": to_anki}


def export(items: Iterable[Item], fmt: str) -> str:
    return EXPORTERS[fmt](items)

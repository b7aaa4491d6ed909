"""Exports other tools read: Markdown, CSV and Anki's tab-separated note file."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.export import to_anki, to_csv, to_markdown


def test_csv_round_trips_every_item():
    items = list(load_bank())
    rows = list(csv.DictReader(io.StringIO(to_csv(items))))
    assert [row["id"] for row in rows] == [item.id for item in items]
    first = rows[0]
    assert first["answer"] == items[0].answer
    assert first["key_points"].split(" | ") == list(items[0].key_points)


def test_markdown_has_a_section_per_topic_and_every_question():
    items = list(load_bank())
    text = to_markdown(items)
    for topic in {item.topic for item in items}:
        assert f"\n## {topic}\n" in text
    for item in items:
        assert f"### {item.id} ({item.difficulty})" in text


def test_anki_file_has_one_note_per_item_with_stable_guid_and_html():
    items = load_bank().filter(topic="optimizers")
    lines = to_anki(items).splitlines()
    header = [line for line in lines if line.startswith("#")]
    notes = [line.split("\t") for line in lines if not line.startswith("#")]
    assert "#separator:tab" in header and "#html:true" in header
    assert len(notes) == len(items)
    for (guid, front, back, tags), item in zip(notes, items):
        assert guid == f"dlquiz-{item.id}"
        assert front.startswith("<p>") and "\n" not in back
        assert "<li>" in back and "dlquiz::optimizers" in tags.split()


def test_export_command_writes_the_file_atomically(tmp_path):
    target = tmp_path / "sheet.md"
    result = CliRunner().invoke(app, ["export", "--topic", "attention", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# dlquiz question bank")
    assert not list(tmp_path.glob(".*partial"))  # no partial file left behind


def test_export_rejects_unknown_format_and_unwritable_path(tmp_path):
    assert CliRunner().invoke(app, ["export", "--format", "pdf"]).exit_code == 2
    result = CliRunner().invoke(app, ["export", "-o", str(tmp_path / "missing-dir" / "x.md")])
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_anki_keeps_line_breaks_inside_code_blocks():
    item = load_bank().get("bug-softmax-overflow")
    (note,) = [line for line in to_anki([item]).splitlines() if not line.startswith("#")]
    front = note.split("\t")[1]
    assert "<pre>" in front and "<br>" in front.split("<pre>")[1]

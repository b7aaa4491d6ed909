"""The mock interview: question choice, self-scoring input, and a transcript that is never lost."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.errors import UserError
from dlquiz.mock import MockAnswer, MockInterview, parse_covered, pick_questions, transcript_markdown


def test_parse_covered_accepts_the_forms_the_prompt_offers():
    assert parse_covered("1 3", 4) == (1, 3)
    assert parse_covered("3,1, 3", 4) == (1, 3)
    assert parse_covered("a", 3) == (1, 2, 3)
    assert parse_covered("ALL", 2) == (1, 2)
    assert parse_covered("   ", 5) == ()
    with pytest.raises(ValueError, match="1 to 4"):
        parse_covered("5", 4)
    with pytest.raises(ValueError, match="numbers"):
        parse_covered("yes", 4)


def test_pick_questions_is_repeatable_distinct_and_warms_up():
    bank = load_bank()
    first = pick_questions(list(bank), 8, seed=7)
    assert first == pick_questions(list(bank), 8, seed=7)
    assert len({item.id for item in first}) == 8
    order = ["easy", "medium", "hard"]
    assert [order.index(i.difficulty) for i in first] == sorted(order.index(i.difficulty) for i in first)
    generative = bank.filter(topic="generative")
    assert len(pick_questions(generative, 500)) == len(generative)
    with pytest.raises(UserError):
        pick_questions([], 3)


def test_mock_filters_ignore_case_like_every_other_command(tmp_path):
    result = CliRunner().invoke(
        app,
        ["mock", "-n", "1", "--topic", "Generative", "--seed", "1", "-o", str(tmp_path / "t.md")],
        input="an answer\n\n\n",
    )
    assert result.exit_code == 0, result.output
    assert "an answer" in (tmp_path / "t.md").read_text(encoding="utf-8")


def test_transcript_marks_points_made_and_overtime():
    item = load_bank().get("adam")
    interview = MockInterview([item], 60, datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))
    interview.answers.append(MockAnswer(item, "moving averages", 75.0, covered=(1,)))
    text = transcript_markdown(interview)
    assert text.startswith("# Mock interview, 2026-01-02 03:04")
    assert "moving averages" in text and item.answer.splitlines()[0] in text
    assert f"- [x] {item.key_points[0]}" in text and f"- [ ] {item.key_points[1]}" in text
    assert "1:15 (0:15 over time)" in text
    assert f"key points made: {100 / len(item.key_points):.0f}%" in text


def test_mock_command_saves_the_transcript(tmp_path):
    out = tmp_path / "t.md"
    result = CliRunner().invoke(
        app,
        ["mock", "-n", "2", "--topic", "generative", "--seed", "3", "-o", str(out)],
        input="first answer\n\nsecond answer\nmore\n\n1\nnonsense\na\n",
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "first answer" in text
    assert "second answer\\\nmore" in text  # B11: a Markdown hard break keeps the typed lines apart
    assert text.count("- [x]") >= 1 + 2  # point 1 of the first, all points (≥2) of the second
    assert "type the numbers" in result.stdout  # 'nonsense' was answered with a hint, not a crash


def test_mock_ended_early_keeps_what_was_answered(tmp_path):
    out = tmp_path / "t.md"
    result = CliRunner().invoke(app, ["mock", "-n", "3", "--seed", "1", "-o", str(out)], input="only one answer\n\n")
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "1 of 3 questions asked, 1 answered" in text and "only one answer" in text


def test_mock_defaults_to_the_data_directory(_isolated_home):
    result = CliRunner().invoke(app, ["mock", "-n", "1", "--seed", "2"], input="an answer\n\n\n")
    assert result.exit_code == 0, result.output
    saved = list((_isolated_home / "transcripts").glob("mock-*.md"))
    assert len(saved) == 1 and "an answer" in saved[0].read_text(encoding="utf-8")

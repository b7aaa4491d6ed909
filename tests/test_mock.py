"""The mock interview: question choice, self-scoring input, and a transcript that is never lost."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from dlquiz.activities.interview import MockAnswer, MockInterview, parse_covered, pick_questions, transcript_markdown
from dlquiz.bank import load_bank
from dlquiz.cli import app
from dlquiz.errors import UserError


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


# --------------------------------------------------------------------------- the interview as an activity


class Ticks:
    """A monotonic clock the test moves by hand (seconds)."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def interview_of(n, store, policy=None, clock=None, write=None, path=None):
    from dlquiz.activities.desk import Desk, Policy
    from dlquiz.activities.mock import MockActivity
    from dlquiz.scheduler import Settings

    items = list(load_bank())[:n]
    interview = MockInterview(items, 60, datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))
    desk = Desk(store, Settings(), policy or Policy.STUDIED, lambda: 1_790_000_000_000)
    kwargs = {"write": write} if write else {}
    return MockActivity(interview, path, desk, clock=clock or Ticks(), **kwargs), items


def test_the_transcript_is_written_as_each_line_is_typed(tmp_path, store):
    from dlquiz.activities.vocabulary import Answer, AnswerTimed, Draft

    path = tmp_path / "t.md"
    ticks = Ticks()
    mock, items = interview_of(2, store, clock=ticks, path=path)
    assert mock.handle(Draft("")) == [] and not path.exists()  # nothing typed, nothing written
    mock.handle(Draft("first line"))
    assert "first line" in path.read_text(encoding="utf-8") and "still being typed" in path.read_text(encoding="utf-8")
    ticks.now += 75
    assert mock.handle(Answer("first line\nsecond line")) == [AnswerTimed(75, 60)]
    text = path.read_text(encoding="utf-8")
    assert "first line\\\nsecond line" in text and "1:15 (0:15 over time)" in text
    assert mock.view().number == 2


@pytest.mark.parametrize("ending", ["quit", "finish"])
def test_ending_mid_answer_keeps_the_answer_being_typed(tmp_path, store, ending):
    from dlquiz.activities.vocabulary import Answer, Draft, Quit

    path = tmp_path / "t.md"
    mock, items = interview_of(3, store, path=path)
    mock.handle(Answer("one"))
    mock.handle(Draft("two, half"))
    if ending == "quit":
        mock.handle(Quit())
    summary = mock.finish()  # what the driver calls on q, end of input, Ctrl-C, SIGTERM and SIGHUP alike
    assert summary.saved and summary.path == path and [r.item_id for r in summary.rows] == [i.id for i in items[:2]]
    text = path.read_text(encoding="utf-8")
    assert "2 of 3 questions asked, 2 answered" in text and "two, half" in text and "answer cut short" in text


def test_a_disk_that_refuses_the_transcript_loses_nothing(tmp_path, store):
    from dlquiz.activities.vocabulary import Answer, TranscriptProblem

    def full(path, text):
        raise OSError(28, "No space left on device")

    mock, _ = interview_of(2, store, write=full, path=tmp_path / "t.md")
    events = mock.handle(Answer("my answer"))
    assert [type(e) for e in events][-1] is TranscriptProblem
    assert not any(isinstance(e, TranscriptProblem) for e in mock.handle(Answer("second")))  # said once
    summary = mock.finish()
    assert not summary.saved and "No space left" in summary.problem
    assert "my answer" in summary.transcript and "second" in summary.transcript  # for the screen


def test_self_scores_reach_the_schedule_of_cards_already_studied(tmp_path, store):
    from dlquiz.activities.vocabulary import Answer, Refused, Undo
    from dlquiz.model import CardState

    later = CardState(new=False, state=2, step=None, stability=10.0, difficulty=5.0, due_ms=1, last_review_ms=0, reps=3)
    first = load_bank().ids()[0]
    store.commit_answer(first, 0, CardState(), later, 3, "review", 0)  # studied; the second card is new
    mock, items = interview_of(2, store, path=tmp_path / "t.md")
    mock.handle(Answer("a"))
    mock.handle(Answer("b"))
    score = mock.view()
    assert score.number == 1 and score.scheduled
    assert mock.handle(Answer("9")) == [Refused(f"key points are numbered 1 to {len(items[0].key_points)}")]
    mock.handle(Answer("1"))  # one point of several: fewer than half → Again
    assert mock.view().scheduled is False  # a new card: practice
    mock.handle(Undo())
    assert [r.undone for r in store.reviews(items[0].id, include_undone=True)][1:] == [True]
    mock.handle(Answer("a"))  # every point → Good
    mock.handle(Answer(""))
    assert [(r.question_id, r.rating, r.mode) for r in store.reviews()][1:] == [(items[0].id, 3, "mock")]
    assert mock.view() is None and mock.finish().scheduled == 1


def test_rating_for_a_self_score():
    from dlquiz.activities.interview import rating_for
    from dlquiz.model import Rating

    assert rating_for((1, 2, 3, 4), 4) is Rating.GOOD
    assert rating_for((1, 3), 4) is Rating.HARD
    assert rating_for((2,), 4) is Rating.AGAIN
    assert rating_for((), 3) is Rating.AGAIN


def test_typed_lines_stay_lines_in_markdown():
    from dlquiz.activities.interview import typed_markdown

    assert typed_markdown("one\ntwo\n\nthree") == "one\\\ntwo\n\nthree"
    assert typed_markdown("points:\n- a\n- b") == "points:\n- a\n- b"  # a list needs no breaks


# --------------------------------------------------------------------------- refused before it starts (T4)


@pytest.mark.parametrize("target", [".", "/", "", "{dir}", "{dir}/", "{long}", "{dir}/missing/t.md"])
def test_an_unusable_output_is_refused_before_the_interview(tmp_path, target):
    target = target.format(dir=tmp_path, long="x" * 300 + ".md")
    result = CliRunner().invoke(app, ["mock", "-n", "1", "-o", target], input="an answer\n\n\n")
    assert result.exit_code == 2, result.output
    assert "Question 1" not in result.output and "Traceback" not in result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("minutes", "says"),
    [
        ("inf", "inf is not a finite number"),  # every float option is checked for this where it is read
        ("nan", "nan is not a finite number"),
        ("1e309", "inf is not a finite number"),
        ("-1", "--minutes must be a number from 0.5 to 120"),
        ("0.1", "--minutes must be a number from 0.5 to 120"),
        ("121", "--minutes must be a number from 0.5 to 120"),
    ],
)
def test_an_impossible_time_per_question_is_refused(minutes, says):
    result = CliRunner().invoke(app, ["mock", "-n", "1", "--minutes", minutes], input="x\n\n")
    assert result.exit_code == 2 and says in result.stderr


# --------------------------------------------------------------------------- signals in a real process (F2)


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_terminated_interview_keeps_every_typed_answer(tmp_path, name, code):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "t.md"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlquiz", "mock", "-n", "3", "--seed", "4", "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        proc.stdin.write(b"first answer\n\nsecond answer, half typed\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while "half typed" not in (out.read_text(encoding="utf-8") if out.exists() else ""):
            assert time.monotonic() < deadline and proc.poll() is None, "the draft never reached the transcript"
            time.sleep(0.05)
        proc.send_signal(getattr(signal, name))
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code, err.decode()
    assert b"Traceback" not in err
    text = out.read_text(encoding="utf-8")
    assert "first answer" in text and "second answer, half typed" in text and "answer cut short" in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]

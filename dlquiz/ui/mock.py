"""The mock interview screen: questions against a clock, then your answers beside the model ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.columns import Columns
from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlquiz.mock import MockAnswer, MockInterview, clock_text, parse_covered, transcript_markdown
from dlquiz.ui.items import bullets, question_panel
from dlquiz.ui.keys import read_text
from dlquiz.writing import write_text

SIDE_BY_SIDE = 110  # narrower than this, the two answers are stacked


def read_answer(prompt: str = "  > ") -> str:
    """Lines until an empty one (or the end of input after some text)."""
    lines: list[str] = []
    while True:
        try:
            line = read_text(prompt=prompt)
        except EOFError:
            if lines:
                break
            raise
        if not line.strip():
            break
        lines.append(line)
    return "\n".join(lines)


def ask_questions(console: Console, interview: MockInterview, clock: Callable[[], float]) -> None:
    total = len(interview.items)
    limit = clock_text(interview.seconds_per_question)
    for number, item in enumerate(interview.items, 1):
        console.print()
        console.rule(Text(f"Question {number} of {total} · {limit} to answer", style="heading"), align="left")
        console.print(question_panel(item))
        console.print(Text("Answer as you would aloud; an empty line ends your answer.", style="muted"))
        start = clock()
        typed = read_answer()
        seconds = clock() - start
        interview.answers.append(MockAnswer(item, typed, seconds))
        over = seconds - interview.seconds_per_question
        note = f"{clock_text(seconds)}" + (f", {clock_text(over)} over time" if over > 0 else "")
        console.print(Text(f"  ⏱ {note}", style="bad" if over > 0 else "muted"))


def _answers_view(console: Console, answer: MockAnswer):
    yours = Panel(Text(answer.typed or "(no answer)"), title="Your answer", title_align="left", border_style="yellow")
    model = Panel(Markdown(answer.item.answer), title="Model answer", title_align="left", border_style="green")
    if console.width >= SIDE_BY_SIDE:
        return Columns([yours, model], equal=True, expand=True)
    return Group(yours, model)


def score_answers(console: Console, interview: MockInterview) -> None:
    console.print()
    console.rule(Text("Self-scoring: which key points did you make?", style="heading"), align="left")
    for number, answer in enumerate(interview.answers, 1):
        item = answer.item
        console.print()
        console.print(question_panel(item))
        console.print(_answers_view(console, answer))
        console.print(bullets("", "key", item.key_points, numbered=True))
        while True:
            text = read_text(prompt="  points made (e.g. 1 3 · a all · Enter none): ")
            try:
                answer.covered = parse_covered(text, len(item.key_points))
                break
            except ValueError as exc:
                console.print(Text(f"  {exc}", style="muted"))


def summary_table(interview: MockInterview) -> Table:
    table = Table(title="Mock interview", title_justify="left", show_edge=False)
    table.add_column("#", justify="right")
    table.add_column("id", style="id", overflow="fold")
    table.add_column("time", justify="right")
    table.add_column("points", justify="right")
    for number, answer in enumerate(interview.answers, 1):
        over = answer.seconds > interview.seconds_per_question
        points = "—" if answer.covered is None else f"{len(answer.covered)}/{len(answer.item.key_points)}"
        table.add_row(
            str(number), answer.item.id, Text(clock_text(answer.seconds), style="bad" if over else ""), points
        )
    return table


def run_mock(
    console: Console, interview: MockInterview, transcript: Path, clock: Callable[[], float] = time.monotonic
) -> int:
    """Run the interview; the transcript is written however it ends. Returns the exit status."""
    status = 0
    try:
        ask_questions(console, interview, clock)
        score_answers(console, interview)
    except EOFError:
        pass
    except KeyboardInterrupt:
        status = 130
    console.print()
    if interview.answers:
        console.print(summary_table(interview))
        path = write_text(transcript, transcript_markdown(interview))
        console.print(Text(f"Transcript saved to {path}", style="muted"))
    else:
        console.print(Text("No question answered; nothing saved.", style="muted"))
    return status

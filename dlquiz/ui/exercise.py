"""`dlquiz exercise`: numeric exercises one after another, graded, each followed by its worked steps."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from dlquiz.exercises import Exercise, Verdict, check_answer, fmt, generate, tolerance_text
from dlquiz.ui.keys import read_line

ANSWER_PROMPT = "answer› "
QUIT = ("q", "quit", "exit")
HINT = ("?", "h", "hint")


@dataclass
class Score:
    planned: int
    answered: int = 0  # graded or given up on (Enter alone)
    right: int = 0
    skipped: int = 0  # solution shown without an answer
    stopped: bool = False  # ended early: q, end of input or Ctrl-C
    interrupted: bool = False  # Ctrl-C


class _Stop(Exception):
    def __init__(self, interrupted: bool = False):
        self.interrupted = interrupted


def _ask(console: Console, exercise: Exercise, read: Callable[[str], str]) -> Verdict | None:
    """Read answer lines until one can be graded; None when the learner asks for the solution."""
    echo = not sys.stdin.isatty()
    while True:
        try:
            text = read(ANSWER_PROMPT)
        except EOFError:
            console.print()
            raise _Stop() from None
        except KeyboardInterrupt:
            console.print()
            raise _Stop(interrupted=True) from None
        if echo:
            console.print(Text(text), soft_wrap=True)
        answer = text.strip()
        if answer.lower() in QUIT:
            raise _Stop()
        if not answer:
            return None
        if answer.lower() in HINT:
            console.print(
                Text(
                    "Hint: " + (exercise.hint or "no hint for this one; Enter alone shows the solution"), style="muted"
                )
            )
            continue
        verdict = check_answer(exercise, answer)
        if verdict.readable:
            return verdict
        console.print(Text(verdict.message, style="bad"))


def show_exercise(console: Console, exercise: Exercise, heading: str) -> None:
    """The prompt and what to type."""
    console.print(Text(heading, style="heading"))
    console.print(Text(exercise.prompt))
    n = len(exercise.answer)
    what = ", ".join(exercise.labels) if exercise.labels else ("one number" if n == 1 else f"{n} numbers")
    if n > 1:
        what += " (separated by commas or spaces)"
    unit = f" ({exercise.unit})" if exercise.unit else ""
    console.print(Text(f"Answer: {what}{unit}, {tolerance_text(exercise)}", style="muted"))
    console.print(Text("? hint · Enter alone shows the solution · q quits", style="muted"))


def _hanging(console: Console, prefix: str, body: Text) -> None:
    """``prefix`` then ``body``, wrapped so that continuation lines start under the body."""
    lines = body.wrap(console, max(20, console.width - len(prefix)))
    for k, line in enumerate(lines):
        console.print(Text(prefix if k == 0 else " " * len(prefix), style="muted") + line)


def show_steps(console: Console, exercise: Exercise) -> None:
    """The worked solution, each step with its reason beneath."""
    console.print(Text("Worked solution", style="heading"))
    total = len(exercise.steps)
    for number, step in enumerate(exercise.steps, 1):
        prefix = f" {number}/{total} "
        _hanging(console, prefix, Text(step.step, style="bold"))
        _hanging(console, " " * len(prefix), Text(step.why, style="muted"))


def show_result(console: Console, exercise: Exercise, verdict: Verdict | None) -> None:
    """Right or wrong (and by how much), then the worked steps."""
    if verdict is None:
        values = [fmt(v) for v in exercise.answer]
        if exercise.labels:
            values = [f"{label} = {v}" for label, v in zip(exercise.labels, values)]
        console.print(Text("Solution: " + ", ".join(values), style="bold"))
    else:
        console.print(
            Text(("✓ " if verdict.correct else "✗ ") + verdict.message, style="good" if verdict.correct else "bad")
        )
    show_steps(console, exercise)


def run_exercises(console: Console, items: list, rng, read: Callable[[str], str] = read_line) -> Score:
    """Ask each item's exercise in turn; stops cleanly at q, end of input or Ctrl-C."""
    score = Score(planned=len(items))
    for number, item in enumerate(items, 1):
        exercise = generate(item.exercise, rng)
        if number > 1:
            console.print()
        show_exercise(console, exercise, f"Exercise {number}/{len(items)} · {item.id} ({item.topic})")
        try:
            verdict = _ask(console, exercise, read)
        except _Stop as stop:
            score.stopped = True
            score.interrupted = stop.interrupted
            break
        score.answered += 1
        score.right += bool(verdict and verdict.correct)
        score.skipped += verdict is None
        show_result(console, exercise, verdict)
    show_score(console, score)
    return score


def show_score(console: Console, score: Score) -> None:
    console.print()
    if score.answered == 0:
        console.print(Text("No exercise answered.", style="muted"))
        return
    percent = round(100 * score.right / score.answered)
    line = Text(f"Score: {score.right}/{score.answered} right ({percent}%)", style="heading")
    if score.skipped:
        line.append(f" · {score.skipped} without an answer", style="muted")
    if score.stopped and score.answered < score.planned:
        line.append(f" · stopped after {score.answered} of {score.planned}", style="muted")
    console.print(line)


def run_exercise_command(console: Console, bank, item_id, topic, count, seed) -> int:
    """The whole command; returns the exit status (130 after Ctrl-C)."""
    import numpy as np

    from dlquiz.exercises import exercise_queue

    rng = np.random.default_rng(seed)
    items = exercise_queue(bank, item_id, topic, count, rng)
    score = run_exercises(console, items, rng)
    return 130 if score.interrupted else 0

"""How a numeric exercise looks (in `dlquiz exercise` and in a quiz alike), and the exercise score."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.text import Text

from dlquiz.activities.summaries import CardSummary
from dlquiz.activities.views import ExerciseView, Stage
from dlquiz.ui.items import ItemPanel, step_row
from dlquiz.ui.screen import EXTRA_KEYS, fitted, indented, keys_lines, note, progress_text


def task_panel(view: ExerciseView) -> Panel:
    return ItemPanel(Text(view.task), view.item)


def verdict_part(view: ExerciseView) -> list[RenderableType]:
    if view.gave_up:
        parts: list[RenderableType] = [indented("Solution: " + view.solution, "bold")]
    else:
        mark = "✓ " if view.correct else "✗ "
        parts = [indented(mark + view.message, "good" if view.correct else "bad")]
    if view.steps:
        parts.append(indented("Worked solution", "heading"))
        total = len(view.steps)
        for number, step in enumerate(view.steps, 1):
            parts.append(step_row(number, total, step.step, "bold"))
            parts.append(step_row(0, total, step.why, "muted"))
    return parts


def question_keys(screen, view: ExerciseView) -> list[Text]:
    pairs = [("?", "hint"), ("Enter", "alone shows the solution"), ("u", "undo"), ("q", "quit")]
    if not view.hint:
        pairs = pairs[1:]
    return keys_lines(pairs, screen.console.width)


def render(screen, view: ExerciseView, previous) -> None:
    if view == previous and not screen.dirty:
        return
    screen.dirty = False
    same = previous is not None and getattr(previous, "screen", None) == view.screen
    if view.stage is Stage.QUESTION:
        if not same:
            screen.fresh(progress_text(view))
            screen.print(task_panel(view))
            screen.print(indented(view.answer_format))
            for line in question_keys(screen, view):
                screen.print(line)
        return
    came_from_question = same and isinstance(previous, ExerciseView) and previous.stage is Stage.QUESTION
    if same and not came_from_question:  # back from the derivation, code or demo: the keys again, under them
        for line in verdict_foot(screen, view):
            screen.print(line)
        return
    if screen.terminal:
        repaint(screen, view)
        return
    if not same:
        screen.fresh(progress_text(view))
        screen.print(task_panel(view))
    for part in verdict_part(view):
        screen.print(part)


def verdict_foot(screen, view: ExerciseView) -> list[Text]:
    pairs = [("Enter", "next"), *(EXTRA_KEYS[e] for e in view.extras), ("u", "undo"), ("q", "quit")]
    return [Text(""), *keys_lines(pairs, screen.console.width)]


def repaint(screen, view: ExerciseView) -> None:
    fitted(screen, progress_text(view), [task_panel(view)], verdict_part(view), verdict_foot(screen, view))


def prompt_text(view: ExerciseView) -> str:
    return "answer" if view.stage is Stage.QUESTION else "next"


def key_help(view: ExerciseView) -> str:
    if view.stage is Stage.QUESTION:
        return "type your number, then Enter (Enter alone shows the solution)"
    return "press Enter for the next one"


def render_score(console: Console, summary: CardSummary) -> None:
    console.print()
    if summary.answered == 0:
        console.print(Text("No exercise answered.", style="muted"))
        return
    line = Text(f"Score: {summary.right}/{summary.answered} right ({summary.percent}%)", style="heading")
    if summary.without_answer:
        line.append(f" · {summary.without_answer} without an answer", style="muted")
    if summary.stopped and summary.answered < summary.planned:
        line.append(f" · stopped after {summary.answered} of {summary.planned}", style="muted")
    console.print(line)
    if summary.skipped:
        note(console, f"{summary.skipped} not saved: another session had changed the card")
    note(console, f"{summary.scheduled} of {summary.answered} counted toward your schedule; the rest was practice")

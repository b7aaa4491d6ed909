"""A derivation walked one step at a time: try each step (type it, or ask for a hint), then reveal it.

Used by ``d`` in a review and by ``dlquiz show --steps``. In a terminal the prompt line is replaced by the
step it reveals, so the steps read as one derivation, not as a column of prompts.
"""

from __future__ import annotations

import math

from rich.text import Text

from dlquiz.activities.views import StepsView
from dlquiz.activities.vocabulary import StepShown
from dlquiz.ui import keys
from dlquiz.ui.items import step_row


def render(screen, view: StepsView, previous) -> None:
    if isinstance(previous, StepsView) and previous.screen == view.screen:
        return
    screen.print()
    screen.print(Text(view.title, style="heading") + Text(" · try each step before you reveal it", style="muted"))


def render_step(screen, event: StepShown) -> None:
    if screen.terminal:  # the prompt (and the attempt typed on it) gives way to the step
        rows = max(1, math.ceil((screen.prompt_cells + len(event.attempt) + 1) / max(1, screen.console.width)))
        screen.end_line()
        keys.write("\x1b[1A\r\x1b[2K" * rows)
    screen.print(step_row(event.number, event.total, event.statement, "bold"))
    if event.attempt:
        screen.print(step_row(0, event.total, "your try: " + event.attempt, "italic"))
    screen.print(step_row(0, event.total, event.why, "muted"))


def prompt_text(view: StepsView) -> str:
    return f"step {view.next_number}/{view.total}: Enter reveals · type your try · ? hint · q↵ stop"


def key_help(view: StepsView) -> str:  # noqa: ARG001
    return "press Enter for the next step, or type your try first"

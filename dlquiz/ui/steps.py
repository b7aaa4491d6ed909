"""Revealing worked steps one at a time: the statement first, then why it holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.text import Text

from dlquiz.model import Step
from dlquiz.ui.items import step_row


def reveal_steps(console: Console, steps: Sequence[Step], wait: Callable[[], bool], title: str = "Derivation") -> int:
    """Show each step's statement, then (after ``wait()``) its reason, then the next step.

    ``wait`` blocks until the user asks for more; it returns False to stop early. Returns how many
    steps were shown in full.
    """
    total = len(steps)
    console.print(Text(title, style="heading"))
    for number, step in enumerate(steps, 1):
        console.print(step_row(number, total, step.step, "bold"))
        if not wait():
            return number - 1
        console.print(step_row(0, total, step.why, "muted"))
        if number < total and not wait():
            return number
    return total

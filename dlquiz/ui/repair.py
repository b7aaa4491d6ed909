"""What ``dlquiz repair`` recovered and what it could not, on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from dlquiz.wording import noun

if TYPE_CHECKING:
    from dlquiz.store import RepairReport


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {noun(n, one, many)}"  # thousands grouped: a repaired log can hold many answers


def render_repair(console: Console, report: RepairReport) -> None:
    console.print(Text("Repaired the state file. What was wrong: ", style="heading") + Text(report.problem))
    recovered = [
        _count(report.settings, "setting"),
        _count(report.reviews, "answer") + " of the log",
        _count(report.cards, "card") + " as they were",
    ]
    if report.cards_rebuilt:
        recovered.append(_count(report.cards_rebuilt, "card") + " rebuilt from the log")
    console.print(Text("  recovered: ", style="good") + Text(", ".join(recovered)))
    lost = []
    if report.reviews_lost:
        lost.append(_count(report.reviews_lost, "answer") + " of the log (unreadable)")
    if report.bad_rows:
        lost.append(_count(report.bad_rows, "row") + " with values dlquiz cannot use")
    lost += report.unreadable
    line = ", ".join(lost) if lost else "nothing: everything readable was recovered"
    console.print(Text("  not recovered: ", style="bad" if lost else "muted") + Text(line))
    console.print(Text(f"  new state file: {report.new}", style="muted"))
    console.print(Text(f"  the damaged file is kept as {report.old}", style="muted"))

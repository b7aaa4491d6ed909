"""The report of `dlquiz check`."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from dlquiz.bank.checking import Report
from dlquiz.wording import plural


def render_report(console: Console, report: Report) -> None:
    for problem in report.problems:
        line = Text("✗ ", style="bad")
        line.append(str(problem))
        console.print(line, soft_wrap=True)
    if report.orphans:
        n = len(report.orphans)
        shown = ", ".join(report.orphans[:5]) + (f" and {n - 5} more" if n > 5 else "")
        console.print(
            Text(
                f"note: the state file has cards for {plural(n, 'id')} that no item has ({shown}); "
                "their history is kept and returns if the items do",
                style="muted",
            ),
            soft_wrap=True,
        )
    elif report.state_note:
        console.print(
            Text(f"note: cards not compared with the bank: {report.state_note}", style="muted"), soft_wrap=True
        )
    summary = f"{report.items} items in {report.files} files, {report.links_run} links run"
    if report.ok:
        console.print(Text("✓ ", style="good") + Text(f"bank is valid: {summary}"))
    else:
        n = len(report.problems)
        console.print(Text(f"{plural(n, 'problem')} found", style="bad") + Text(f" · {summary}"))

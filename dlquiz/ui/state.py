"""The learner's state on screen: settings (``dlquiz config``) and statistics (``dlquiz stats``)."""

from __future__ import annotations

from dataclasses import asdict

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dlquiz.errors import UserError
from dlquiz.scheduler import SETTING_HELP, Settings


def render_settings(console: Console, settings: Settings, only: str | None = None) -> None:
    values = asdict(settings)
    if only is not None and only not in values:
        raise UserError(f"unknown setting '{only}'; the settings are {', '.join(values)}")
    defaults = asdict(Settings())
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("setting", style="id", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("meaning", overflow="fold")
    for name, value in values.items():
        if only is not None and name != only:
            continue
        shown = Text(str(value))
        if value != defaults[name]:
            shown.append(f" (default {defaults[name]})", style="muted")
        table.add_row(name, shown, SETTING_HELP[name])
    console.print(table)
    if only is None:
        console.print(Text("Change one with: dlquiz config NAME VALUE", style="muted"))


def _percent(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def render_stats(console: Console, stats) -> None:
    """Counts by state, the due forecast, retention, streak and per-topic mastery."""
    from dlquiz.stats import FORECAST_DAYS, MATURE_DAYS, RETENTION_WINDOW_DAYS

    counts = stats.counts
    line = Text(f"{stats.items} cards: ", style="heading")
    line.append(" · ".join(f"{n} {name}" for name, n in counts.items()))
    console.print(line)
    console.print(Text(f"Due now: {stats.due_now}", style="heading"))
    console.print()
    days = ["today", "tomorrow"] + [f"+{d}d" for d in range(2, FORECAST_DAYS)]
    forecast = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title="Due forecast (cards per study day)", title_justify="left"
    )
    for day in days:
        forecast.add_column(day, justify="right")
    forecast.add_row(*(str(n) for n in stats.forecast))
    console.print(forecast)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="muted")
    facts.add_column()
    facts.add_row("answers", f"{stats.reviews} in all, {stats.reviews_today} today")
    facts.add_row(
        "retention",
        f"{_percent(stats.retention)} of {stats.retention_answers} review answers in the last {RETENTION_WINDOW_DAYS} days were recalled",
    )
    facts.add_row("streak", f"{stats.streak} day{'s' if stats.streak != 1 else ''}")
    console.print(facts)
    console.print()
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=f"By topic (mature: stability ≥ {MATURE_DAYS} days)",
        title_justify="left",
    )
    table.add_column("topic", style="topic")
    for name in ("items", "seen", "mature"):
        table.add_column(name, justify="right")
    table.add_column("mastery", justify="right")
    for topic in stats.topics:
        table.add_row(
            topic.topic,
            str(topic.items),
            str(topic.seen),
            str(topic.mature),
            _percent(topic.mature / topic.items if topic.items else None),
        )
    console.print(table)

"""The two consoles dlquiz writes to. rich honours NO_COLOR and TERM=dumb by itself."""

from __future__ import annotations

from functools import cache

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "id": "bold cyan",
        "topic": "magenta",
        "easy": "green",
        "medium": "yellow",
        "hard": "red",
        "muted": "dim",
        "good": "bold green",
        "bad": "bold red",
        "heading": "bold",
        "key": "bold cyan",
        "heat1": "color(22)",  # the calendar heatmap's four levels, darker to brighter green
        "heat2": "color(28)",
        "heat3": "color(34)",
        "heat4": "color(46)",
    }
)


def make_console(**kwargs) -> Console:
    """A Console with dlquiz's style names (id, muted, heading, ...); tests pass width=, record=, file=."""
    kwargs.setdefault("highlight", False)
    return Console(theme=THEME, **kwargs)


@cache
def console() -> Console:
    """Standard output."""
    return Console(theme=THEME, highlight=False)


@cache
def err_console() -> Console:
    """Standard error, for messages about what went wrong."""
    return Console(theme=THEME, stderr=True, highlight=False)

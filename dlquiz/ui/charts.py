"""Small terminal charts: a calendar heatmap and horizontal bars.

Each level of a chart has its own glyph as well as its own colour, so the charts read the same without
colour (NO_COLOR, a pipe) as with it.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from rich.text import Text

HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")  # no answers, then four levels
HEAT_STYLES = ("muted", "heat1", "heat2", "heat3", "heat4")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def heat_levels(counts: list[int]) -> list[int]:
    """Upper bounds of levels 1–4 for these day counts: quarters of the busiest day, so it is always level 4."""
    peak = max(counts, default=0)
    return [max(1, math.ceil(peak * q / 4)) for q in (1, 2, 3, 4)]


def heat_level(n: int, bounds: list[int]) -> int:
    if n <= 0:
        return 0
    return next((i + 1 for i, bound in enumerate(bounds) if n <= bound), 4)


def heatmap(days: dict[date, int], last: date, weeks: int) -> list[Text]:
    """A calendar of ``weeks`` columns ending with the week of ``last``: one row per weekday, one glyph per day.

    Returns the lines: a month header, seven weekday rows and a legend.
    """
    start = last - timedelta(days=last.weekday()) - timedelta(weeks=weeks - 1)  # a Monday
    shown = [days.get(start + timedelta(days=i), 0) for i in range((last - start).days + 1)]
    bounds = heat_levels(shown)
    header = Text("     ")
    month_at = {}
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        sunday = monday + timedelta(days=6)
        if week == 0 or sunday.month != (monday - timedelta(days=1)).month:
            month_at[week] = sunday.strftime("%b")
    column = 0  # the next free column of the header
    for week in range(weeks):
        if week < column:
            continue
        name = month_at.get(week)
        if name is not None and all(w not in month_at for w in range(week + 1, week + len(name) + 1)):
            header.append(name + " ", style="muted")  # a month is named only where the next one leaves room
            column = week + len(name) + 1
        else:
            header.append(" ")
            column = week + 1
    lines = [header]
    for weekday in range(7):
        row = Text(f"{WEEKDAYS[weekday]:<4} ", style="muted")
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=weekday)
            if day > last:
                break
            level = heat_level(days.get(day, 0), bounds)
            row.append(HEAT_GLYPHS[level], style=HEAT_STYLES[level])
        lines.append(row)
    legend = Text("     ", style="muted")
    low = 1
    for level, bound in enumerate(bounds, start=1):
        if bound < low:
            continue
        legend.append(HEAT_GLYPHS[level], style=HEAT_STYLES[level])
        legend.append(f" {low}–{bound}  " if bound > low else f" {low}  ", style="muted")
        low = bound + 1
    legend.append(HEAT_GLYPHS[0], style=HEAT_STYLES[0])
    legend.append(" none", style="muted")
    lines.append(legend)
    return lines


def bar(parts: list[tuple[int, str, str]], scale: float) -> Text:
    """A horizontal bar made of segments (count, glyph, style), each ``count × scale`` cells long.

    A segment with a count above zero gets at least one cell, so a small number is never invisible.
    """
    line = Text()
    for count, glyph, style in parts:
        if count > 0:
            line.append(glyph * max(1, round(count * scale)), style=style)
    return line

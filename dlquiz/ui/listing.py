"""Tables of items: `dlquiz list` and `dlquiz search`."""

from __future__ import annotations

import re

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dlquiz.model import Item

# One letter per optional part, so the table stays narrow at 80 columns.
FEATURE_MARKS = (("code", "C"), ("demo", "D"), ("derivation", "∂"), ("choices", "M"), ("exercise", "E"))
LEGEND = "C code · D demo · ∂ derivation · M multiple choice · E exercise"


def feature_marks(item: Item) -> str:
    has = set(item.features())
    return " ".join(mark if name in has else "·" for name, mark in FEATURE_MARKS)


def _style_codes(console: Console, style: str) -> tuple[str, str]:
    """The escape codes that open and close ``style`` on this console ('' when colour is off)."""
    if console.no_color or console.color_system is None or not style:
        return "", ""
    with console.capture() as captured:
        console.print(Text("\0", style=style), end="", soft_wrap=True)
    before, _, after = captured.get().partition("\0")
    return before, after


def aligned_lines(
    console: Console, header: list[str], rows: list[list[str]], styles: list[str | None], shrink: int | None = None
) -> list[str]:
    """Rows as aligned text lines (with colour codes when the console has colour).

    A rich Table measures every cell of every row, which takes seconds for ten thousand items; these
    lines cost a string join each. When the columns are wider than the console, column ``shrink``
    (else the widest) is cut with an ellipsis.
    """
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    gap = 2
    excess = sum(widths) + gap * (len(widths) - 1) - console.width
    if excess > 0:
        cut = shrink if shrink is not None else widths.index(max(widths))
        widths[cut] = max(len(header[cut]) + 1, widths[cut] - excess)

    def fit(text: str, width: int) -> str:
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"

    codes = [_style_codes(console, s or "") for s in styles]
    head_on, head_off = _style_codes(console, "bold")
    lines = [head_on + (" " * gap).join(fit(h, w) for h, w in zip(header, widths)).rstrip() + head_off]
    lines.append((" " * gap).join("─" * w for w in widths))
    for row in rows:
        cells = [on + fit(cell, w) + off for cell, w, (on, off) in zip(row, widths, codes)]
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def render_list(console: Console, items: list[Item], extra: dict[str, dict[str, str]] | None = None) -> None:
    """The `dlquiz list` table; ``extra`` maps a column name to {item id: cell} (e.g. a due column)."""
    if not items:
        console.print("[muted]No items match.[/]")
        return
    header = ["id", "topic", "level", "has", *(extra or {})]
    rows = [
        [
            item.id,
            item.topic,
            item.difficulty,
            feature_marks(item),
            *(column.get(item.id, "") for column in (extra or {}).values()),
        ]
        for item in items
    ]
    styles = ["id", "topic", None, None, *([None] * len(extra or {}))]
    lines = aligned_lines(console, header, rows, styles, shrink=1)  # ids stay whole; topics may be cut
    console.file.write("\n".join(lines) + "\n")
    console.print(f"[muted]{len(items)} items · {LEGEND}[/]")


def question_line(item: Item) -> str:
    """The question as one line of prose: a code block becomes '[code]'."""
    text = re.sub(r"```.*?(```|$)", " [code] ", item.question, flags=re.DOTALL)
    return " ".join(text.replace("`", "").split())


def render_search(console: Console, query: str, results: list[tuple[float, Item]], total: int | None = None) -> None:
    """The best matches; ``total`` is how many matched in all, when only some are shown."""
    if not results:
        console.print(Text(f"Nothing matches '{query}'. Try fewer or shorter words.", style="muted"))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", style="id", no_wrap=True)
    table.add_column("question", overflow="fold")
    for _, item in results:
        table.add_row(item.id, Text(question_line(item)))
    console.print(table)
    total = len(results) if total is None else total
    counted = (
        f"{len(results)} of {total} matches" if total > len(results) else f"{total} match{'es' if total != 1 else ''}"
    )
    console.print(Text(f"{counted} · dlquiz show ID for the answer", style="muted"))

"""Tables of items: `dlquiz list` and `dlquiz search`."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dlquiz.bank import Item

# One letter per optional part, so the table stays narrow at 80 columns.
FEATURE_MARKS = (("code", "C"), ("demo", "D"), ("derivation", "∂"), ("choices", "M"), ("exercise", "E"))
LEGEND = "C code · D demo · ∂ derivation · M multiple choice · E exercise"


def feature_marks(item: Item) -> str:
    has = set(item.features())
    return " ".join(mark if name in has else "·" for name, mark in FEATURE_MARKS)


def items_table(items: list[Item], extra: dict[str, dict[str, str]] | None = None) -> Table:
    """One row per item; ``extra`` maps a column name to {item id: cell} (e.g. a due column)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("id", style="id", no_wrap=True, overflow="fold")
    table.add_column("topic", style="topic", no_wrap=True)
    table.add_column("level", no_wrap=True)
    table.add_column("has", no_wrap=True)
    for name in extra or {}:
        table.add_column(name, no_wrap=True)
    for item in items:
        cells = [item.id, item.topic, Text(item.difficulty, style=item.difficulty), feature_marks(item)]
        cells.extend(column.get(item.id, "") for column in (extra or {}).values())
        table.add_row(*cells)
    return table


def render_list(console: Console, items: list[Item], extra: dict[str, dict[str, str]] | None = None) -> None:
    if not items:
        console.print("[muted]No items match.[/]")
        return
    console.print(items_table(items, extra))
    console.print(f"[muted]{len(items)} items · {LEGEND}[/]")


def render_search(console: Console, query: str, results: list[tuple[float, Item]]) -> None:
    if not results:
        console.print(f"[muted]Nothing matches '{query}'. Try fewer or shorter words.[/]")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", style="id", no_wrap=True)
    table.add_column("question", overflow="fold")
    for _, item in results:
        table.add_row(item.id, item.question)
    console.print(table)
    console.print(f"[muted]{len(results)} match{'es' if len(results) != 1 else ''} · dlquiz show ID for the answer[/]")

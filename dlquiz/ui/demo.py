"""How a demo looks: what it shows, its inputs, then tables, plots, heat maps, and last the reference code."""

from __future__ import annotations

import math
from dataclasses import replace

from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from dlquiz.demos import DemoResult, Heatmap, Plot, Table, run_demo
from dlquiz.errors import UserError
from dlquiz.model import Item
from dlquiz.ui.items import code_blocks

# One colour (xterm-256 index) and one colourless marker per plot series, in order.
SERIES_COLORS = (12, 9, 10, 11, 13, 14, 208, 250)
SERIES_MARKERS = ("•", "+", "x", "o", "*", "#", "=", "~")
SHADES = " ░▒▓█"


def show_demo(
    console: Console,
    item: Item,
    settings=(),
    seed: int | None = None,
    *,
    in_session: bool = False,
    code: bool = False,
) -> None:
    """Run the item's demo with the user's settings and render it (UserError if the item has none).

    The reference code comes last, and in full only with ``code`` (``dlquiz demo ID --code``); otherwise
    it is named, with the way to see it. ``in_session``: shown from a review, where the code has its own
    key (c) and --set does not apply, so no hint about either is given.
    """
    if not item.demo:
        raise UserError(f"item '{item.id}' has no demo; 'dlquiz show {item.id}' shows what it has")
    result = run_demo(item.demo, settings, seed)
    render_demo(console, result, item, full_code=code and not in_session, settable=not in_session)


def render_demo(
    console: Console, result: DemoResult, item: Item | None = None, *, full_code: bool = False, settable: bool = True
) -> None:
    """Everything about one demo run, in the order: summary, inputs, results, notes, then the code."""
    color = _has_color(console)
    console.rule(Text(result.title, style="heading"), align="left")
    console.print(Text(result.summary))
    console.print()
    console.print(inputs_table(result, settable))
    for table in result.tables:
        console.print()
        console.print(results_table(table))
    for plot in result.plots:
        console.print()
        console.print(plot_block(plot, console.width, color))
    for heatmap in result.heatmaps:
        console.print()
        console.print(heatmap_table(heatmap, color))
    if result.notes:
        console.print()
        notes = RichTable.grid(padding=(0, 1))
        notes.add_column(width=3, justify="right")
        notes.add_column(ratio=1)
        for note in result.notes:
            notes.add_row(Text("→", style="key"), Text(note))
        console.print(notes)
    if result.code and item is not None:
        console.print()
        if full_code:
            console.print(Text("Reference code", style="heading"))
            for block in code_blocks(replace(item, code=tuple(result.code))):
                console.print(block)
        else:
            named = Text("Reference code: ", style="heading") + Text(", ".join(result.code), style="muted")
            if settable:  # run from the command line, where --code prints it
                named.append(f"  (dlquiz demo {item.id} --code prints it)", style="muted")
            console.print(named)


def _has_color(console: Console) -> bool:
    return not console.no_color and console.color_system is not None


def fmt(value) -> str:
    """A table cell as text: integers exactly, floats to 4 significant digits (scientific when tiny or huge)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return str(v)
    if v == 0:
        return "0"
    if abs(v) >= 1e5 or abs(v) < 1e-3:
        return f"{v:.3e}"
    return f"{v:.4g}"


def inputs_table(result: DemoResult, settable: bool = True) -> Group:
    table = RichTable(header_style="bold")
    table.add_column("input")
    table.add_column("value", overflow="fold")
    for name, value in result.parameters.items():
        table.add_row(Text(name, style="key"), Text(fmt(value)))
    for name, value in result.inputs.items():
        table.add_row(Text(name), Text(fmt(value)))
    hint = Text("change a setting with --set name=value", style="muted") if result.parameters and settable else Text("")
    return Group(Text("Inputs", style="heading"), table, hint)


def results_table(table: Table) -> Group:
    out = RichTable(header_style="bold")
    for i, column in enumerate(table.columns):
        cells = [row[i] for row in table.rows if i < len(row) and row[i] is not None]
        numeric = bool(cells) and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells)
        out.add_column(Text(column), justify="right" if numeric and i > 0 else "left", overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(fmt(cell)) for cell in row))  # Text, not markup: "[y log p]" must not read as a style tag
    return Group(Text(table.title, style="heading"), out)


def _finite_points(xs, ys, log_y: bool) -> tuple[list[float], list[float]]:
    """The plottable points; on a log axis y is replaced by log10(y) (and y ≤ 0 is dropped)."""
    keep = [
        (x, y) for x, y in zip(xs, ys, strict=True) if math.isfinite(x) and math.isfinite(y) and (y > 0 or not log_y)
    ]
    return [p[0] for p in keep], [math.log10(p[1]) if log_y else p[1] for p in keep]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick positions (steps of 1, 2 or 5 × 10ᵏ) covering [low, high]."""
    if not high > low:
        return [low]
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    t = first
    while t <= high + 1e-9 * step:
        ticks.append(0.0 if abs(t) < step * 1e-9 else t)
        t += step
    return ticks


def tick_label(value: float) -> str:
    return f"{value:.4g}"


def log_tick_label(exponent: float) -> str:
    """The label of a tick at log10(y) = exponent: '1e-6', '100', '0.01', or a plain value between decades."""
    if abs(exponent - round(exponent)) < 1e-9:
        k = round(exponent)
        return f"1e{k}" if abs(k) >= 3 else f"{10.0**k:g}"
    return f"{10**exponent:.2g}"


def _axis_ticks(low: float, high: float, log: bool, count: int) -> tuple[list[float], list[str]]:
    if log and high - low >= 1:
        step = max(1, math.ceil((math.floor(high) - math.ceil(low) + 1) / count))
        positions = [float(k) for k in range(math.ceil(low), math.floor(high) + 1, step)]
        return positions, [log_tick_label(p) for p in positions]
    positions = nice_ticks(low, high, count)
    return positions, [log_tick_label(p) if log else tick_label(p) for p in positions]


def plot_block(plot: Plot, width: int, color: bool) -> Group:
    """A line plot drawn by plotext to fit ``width`` columns, with its legend and axis names in rich."""
    import plotext as plt

    fig = plt.figure
    fig.clear()
    fig.theme("simple" if color else "colorless")
    height = max(10, min(20, width // 5))
    fig.plot_size(max(30, width - 1), height)
    legend = Text()
    drawn = 0
    all_x, all_y = [], []
    for i, (name, (xs, ys)) in enumerate(plot.series.items()):
        xs, ys = _finite_points(xs, ys, plot.log_y)
        if not xs:
            continue
        all_x += xs
        all_y += ys
        k = i % len(SERIES_COLORS)
        marker = plt.marker("hd", pixel=SERIES_COLORS[k]) if color else SERIES_MARKERS[k]
        signal = fig.signal(xs, ys, marker=marker)
        if len(xs) > 1 and name not in plot.scatter:
            signal.lines()
        fig.draw(signal)
        drawn += 1
        legend.append("  ")
        legend.append(
            "━━ " if color else f"{SERIES_MARKERS[k]}{SERIES_MARKERS[k]} ",
            style=f"color({SERIES_COLORS[k]})" if color else "",
        )
        legend.append(name)
    heading = Text(plot.title, style="heading")
    ylabel = "" if plot.ylabel == "y" else plot.ylabel  # "y: y" says nothing
    xlabel = "" if plot.xlabel == "x" else plot.xlabel
    y_part = (
        (f"y: {ylabel}" if ylabel else "y") + (" (log scale)" if plot.log_y else "") if ylabel or plot.log_y else ""
    )
    axes = ", ".join(part for part in (y_part, f"x: {xlabel}" if xlabel else "") if part)
    if axes:
        heading.append(f"   {axes}", style="muted")
    if not drawn:
        return Group(heading, Text("  (nothing finite to plot)", style="muted"))
    # explicit ticks on both axes (plotext mislabels an axis left automatic when the other is set)
    for axis, values, log, count in (
        ("x", all_x, False, max(3, width // 14)),
        ("y", all_y, plot.log_y, max(3, height // 3)),
    ):
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        positions, labels = _axis_ticks(low, high, log, count)
        fig.ruler(axis).lim(low, high)
        fig.ruler(axis).ticks(positions, labels)
    drawing = Text.from_ansi(fig.build().string(colorless=not color), no_wrap=True, overflow="crop")
    return Group(heading, drawing, legend)


def _shade_style(t: float) -> str:
    """Background from dark to light for t in [0, 1] (xterm grey ramp), with readable text."""
    level = 232 + round(t * 23)
    return f"{'black' if t > 0.55 else 'white'} on color({level})"


def heatmap_table(heatmap: Heatmap, color: bool) -> Group:
    """The matrix as a table whose cells are shaded by value (characters when there is no colour)."""
    values = [v for row in heatmap.matrix for v in row if math.isfinite(v)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    span = (high - low) or 1.0
    cell_width = max((len(fmt(v)) for row in heatmap.matrix for v in row), default=1)
    cell_width = max(cell_width, *(len(label) for label in heatmap.col_labels)) if heatmap.col_labels else cell_width
    table = RichTable(header_style="bold", padding=(0, 0), collapse_padding=True)
    table.add_column("")
    for label in heatmap.col_labels:
        table.add_column(Text(f" {label:>{cell_width}} "), justify="left", no_wrap=True)
    for label, row in zip(heatmap.row_labels, heatmap.matrix, strict=True):
        cells = []
        for v in row:
            t = (v - low) / span if math.isfinite(v) else 0.0
            if color:  # the whole cell shaded, so the grid reads as an image
                cells.append(Text(f" {fmt(v):>{cell_width}} ", style=_shade_style(t)))
            else:
                cells.append(
                    Text(f"{SHADES[min(4, int(t * 5))]}{fmt(v):>{cell_width}} ")
                )  # the shade replaces the left pad
        table.add_row(Text(f" {label} "), *cells)
    scale = (
        f"shading from {fmt(low)} (dark) to {fmt(high)} (light)"
        if color
        else f"shading from '{SHADES[0]}' = {fmt(low)} to '{SHADES[4]}' = {fmt(high)}"
    )
    return Group(Text(heatmap.title, style="heading"), table, Text(scale, style="muted"))

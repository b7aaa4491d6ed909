"""What a demo returns: plain data (tables, plots, heat maps, notes) that the interface renders.

The topic modules import these from here, not from the package: the package runs the demos, so a topic
module that imported it would close an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = float | int | str | bool | None


@dataclass(frozen=True)
class Table:
    """A small table of results: ``rows`` are lists of cells, one per column (read, never changed)."""

    title: str
    columns: list[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Plot:
    """Line plot: ``series`` maps a legend name to (xs, ys), plain lists of floats of equal length.

    Series named in ``scatter`` are drawn as separate points instead of a connected line.
    """

    title: str
    series: dict[str, tuple[list[float], list[float]]]
    xlabel: str = ""
    ylabel: str = ""
    log_y: bool = False
    scatter: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heatmap:
    """A matrix of numbers shown as a shaded grid (attention weights, a confusion matrix, a kernel)."""

    title: str
    matrix: list[list[float]]
    row_labels: list[str]
    col_labels: list[str]


@dataclass
class DemoResult:
    """Everything a demo shows, as plain data.

    title     short name of the demo
    summary   one line: what it demonstrates
    code      links into dlquiz.reference (``module.name``) whose source is shown
    inputs    the fixed inputs, described (name -> value or short text)
    tables, plots, heatmaps, notes   the results, in that order
    parameters  the settable parameters and the values this run used; filled in by ``run_demo``
    """

    title: str
    summary: str
    code: list[str] = field(default_factory=list)
    inputs: dict[str, Cell] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    heatmaps: list[Heatmap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parameters: dict[str, Cell] = field(default_factory=dict)

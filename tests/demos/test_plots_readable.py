"""Demo plots say only what can be seen: every legend entry is drawn where a reader can see it, values
sit under labelled ticks, and a note's claim about a curve is visible in some plot (newcomer B8, B9, W-1).

Plots are rendered without colour, where each series has its own marker, as a piped run shows them.
"""

from __future__ import annotations

import io
import math
import warnings
from itertools import pairwise

import pytest
from rich.console import Console

from dlquiz.bank import load_bank
from dlquiz.demos import run_demo
from dlquiz.errors import UserError
from dlquiz.ui.demo import SERIES_MARKERS, _axis_ticks, _finite_points, plot_block

DEMOS = sorted({item.demo for item in load_bank() if item.demo})


def drawing(plot, width: int = 80) -> str:
    """The plot area as printed at ``width`` columns: without the heading line and the legend line."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(plot_block(plot, width, False))
    lines = console.file.getvalue().split("\n")
    legend = max(i for i, line in enumerate(lines) if line.strip())
    return "\n".join(lines[1:legend])


def hidden_series(plot, width: int = 80) -> list[str]:
    """Legend names whose marker shows fewer times than the series has distinct points (at most 3)."""
    body = drawing(plot, width)
    hidden = []
    for index, (name, (xs, ys)) in enumerate(plot.series.items()):
        xs, ys = _finite_points(xs, ys, plot.log_y)
        distinct = len({(round(x, 6), round(y, 6)) for x, y in zip(xs, ys, strict=True)})
        if xs and body.count(SERIES_MARKERS[index % len(SERIES_MARKERS)]) < min(3, distinct):
            hidden.append(name)
    return hidden


@pytest.mark.parametrize("link", DEMOS)
def test_every_legend_entry_is_visible_in_its_plot(link):
    result = run_demo(link, [], seed=0)
    assert {plot.title: hidden_series(plot) for plot in result.plots if hidden_series(plot)} == {}


def test_the_visibility_check_catches_an_overdrawn_curve():
    from dlquiz.demos import Plot

    xs = [float(t) for t in range(30)]
    same = [0.9**t for t in xs]
    plot = Plot("two equal curves", {"first": (xs, same), "second": (xs, list(same))}, log_y=True)
    assert hidden_series(plot) == ["first"]


def test_vanishing_gradient_values_sit_under_labelled_ticks():
    """On a log axis no curve runs more than half a tick interval (there: decades) above the top labelled
    tick, on a linear one less than a full interval (B8: the ReLU and residual curves sat almost three
    decades above the top label, 0.1)."""
    for plot in run_demo("gradients.gradient_norms_per_layer", [], seed=0).plots:
        ys = [y for xs_, ys_ in plot.series.values() for y in _finite_points(xs_, ys_, plot.log_y)[1]]
        positions, _ = _axis_ticks(min(ys), max(ys), plot.log_y, 5)
        step = positions[1] - positions[0]
        assert max(ys) - positions[-1] <= (step / 2 if plot.log_y else step), plot.title


def test_learning_rate_demo_shows_the_oscillation_its_note_names():
    result = run_demo("optimizers.learning_rates", [], seed=0)
    assert any("flips sign" in note for note in result.notes)
    signed = [plot for plot in result.plots if not plot.log_y]
    assert signed, "the sign of xₜ is visible only on a plot of xₜ itself"
    _, xs = signed[0].series["η = 1.9/L"]
    assert all(a * b < 0 for a, b in pairwise(xs))  # it flips sign at every step


def test_learning_rate_rejects_a_start_that_would_overflow():
    with pytest.raises(UserError, match="'x0' must be between"):
        run_demo("optimizers.learning_rates", ["x0=1e308", "steps=1000"], seed=0)
    with pytest.raises(UserError, match="'x0'"):
        run_demo("optimizers.learning_rates", ["x0=1e-300"], seed=0)


@pytest.mark.parametrize(
    "settings", [["x0=1e6", "steps=1000"], ["x0=-1e-6", "steps=1000"], ["x0=1e6", "curvature=1000"]]
)
def test_learning_rate_table_stays_finite_at_the_limits(settings):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow or invalid-value warning fails the test
        result = run_demo("optimizers.learning_rates", settings, seed=0)
    numbers = [v for row in result.tables[0].rows for v in row if isinstance(v, float)]
    assert numbers and all(math.isfinite(v) for v in numbers)

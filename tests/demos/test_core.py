"""run_demo's settings parsing and errors, the plain-data contract, and rendering at 80 columns."""

import math
import sys

import pytest
from rich.cells import cell_len
from rich.console import Console

from dlquiz.demos import (
    DemoResult,
    Heatmap,
    Plot,
    Table,
    all_demos,
    parameters,
    resolve_settings,
    run_demo,
)
from dlquiz.errors import UserError
from dlquiz.model import Item
from dlquiz.ui.console import THEME
from dlquiz.ui.demo import fmt, render_demo, show_demo

DEMOS = all_demos()
PLAIN = (float, int, str, bool, type(None))


def test_there_are_at_least_45_demos():
    assert len(DEMOS) >= 45, [link for link, _ in DEMOS]


def _cells(result: DemoResult):
    for table in result.tables:
        for row in table.rows:
            assert len(row) == len(table.columns), table.title
            yield from row
    for plot in result.plots:
        for xs, ys in plot.series.values():
            assert len(xs) == len(ys), plot.title
            yield from xs
            yield from ys
    for heatmap in result.heatmaps:
        assert len(heatmap.matrix) == len(heatmap.row_labels)
        for row in heatmap.matrix:
            assert len(row) == len(heatmap.col_labels)
            yield from row
    yield from result.inputs.values()


def _spelled(name: str) -> str:
    """A name as typed: subscript digits as digits, case and punctuation ignored (x₀ → x0)."""
    plain = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")).casefold()
    return "".join(ch for ch in plain if ch.isalnum())


@pytest.mark.parametrize("link, fn", DEMOS, ids=[link for link, _ in DEMOS])
def test_every_demo_runs_with_its_defaults_and_returns_plain_data(link, fn):
    parameters(fn)  # follows the convention, or raises TypeError
    result = run_demo(link, settings={}, seed=0)
    assert isinstance(result, DemoResult)
    assert result.title and result.summary and "\n" not in result.summary
    assert result.tables or result.plots or result.heatmaps
    for cell in _cells(result):
        assert type(cell) in PLAIN, (link, type(cell))
    listed = {_spelled(name) for name in result.parameters}
    twice = [name for name in result.inputs if _spelled(name) in listed]  # x₀ beside the setting x0: once only
    assert not twice, f"settable inputs are listed once, as parameters: {twice}"
    for code in result.code:
        from dlquiz.bank.links import problem as link_problem

        assert link_problem("code", code) is None, code


def test_demos_package_does_not_import_numpy():
    import subprocess

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dlquiz.demos, dlquiz.ui.demo, sys; print('numpy' in sys.modules, 'plotext' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "False"]


# --------------------------------------------------------------------------- settings


def test_settings_are_parsed_to_the_annotated_types():
    kwargs = resolve_settings(_sample_demo, ["steps=7", "rate=0.5", "flag=yes", "name=adam"])
    assert kwargs == {"steps": 7, "rate": 0.5, "flag": True, "name": "adam", "seed": 0}
    assert type(kwargs["rate"]) is float and type(kwargs["steps"]) is int
    assert resolve_settings(_sample_demo, {"flag": "off"})["flag"] is False


def test_seed_applies_only_when_the_demo_takes_one():
    assert resolve_settings(_sample_demo, [], seed=5)["seed"] == 5
    assert resolve_settings(_sample_demo, ["seed=3"], seed=5)["seed"] == 5
    assert resolve_settings(_sample_demo, ["seed=3"])["seed"] == 3


def test_run_demo_applies_settings_and_records_them():
    result = run_demo("optimizers.learning_rates", ["steps=5", "curvature=2"])
    assert result.parameters["steps"] == 5 and result.parameters["curvature"] == 2.0
    # five steps from x0 = 1 at eta = 2.1/L: |x_5| = 1.1**5
    row = next(r for r in result.tables[0].rows if r[0] == "2.1/L")
    assert row[-1] == pytest.approx(1.1**5)


@pytest.mark.parametrize(
    "settings, expected",
    [
        (["nope=1"], "no setting 'nope'"),
        (["steps=abc"], "must be an int"),
        (["steps"], "name=value"),
        (["rate=nan"], "finite float"),
        (["flag=maybe"], "true or false"),
    ],
)
def test_bad_settings_raise_user_errors_that_list_the_valid_ones(settings, expected):
    with pytest.raises(UserError) as err:
        resolve_settings(_sample_demo, settings)
    assert expected in str(err.value)
    if "nope" in settings[0]:
        assert "steps: int = 10" in str(err.value) and "rate: float = 0.1" in str(err.value)


def test_out_of_range_setting_is_a_user_error_listing_the_settings():
    with pytest.raises(UserError) as err:
        run_demo("optimizers.learning_rates", ["steps=0"])
    assert "steps" in str(err.value) and "curvature: float = 1.0" in str(err.value)


def test_unknown_demo_link_is_a_user_error():
    with pytest.raises(UserError):
        run_demo("optimizers.no_such_demo")


def test_a_function_breaking_the_convention_is_rejected():
    def bad(steps=3):  # positional, unannotated
        return None

    with pytest.raises(TypeError):
        parameters(bad)


def _sample_demo(
    *, steps: int = 10, rate: float = 0.1, flag: bool = False, name: str = "sgd", seed: int = 0
) -> DemoResult:
    return DemoResult("t", "s")


# --------------------------------------------------------------------------- rendering


def _item(demo):
    return Item(
        id="some-item",
        topic="optimizers",
        difficulty="easy",
        question="Q?",
        answer="A.",
        key_points=("a", "b"),
        demo=demo,
    )


def _console(width=80):
    return Console(width=width, record=True, theme=THEME, color_system=None, no_color=True)


def test_show_demo_renders_at_80_columns():
    console = _console()
    show_demo(console, _item("optimizers.learning_rates"), settings=[], seed=None, code=True)
    text = console.export_text()
    assert "Learning rate too small, right, too large" in text
    assert "factor 1 − ηL" in text  # a table header
    assert "def step" in text  # the reference code
    assert "|xₜ| per step" in text  # the plot heading
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert text.index("|xₜ| per step") < text.index("def step")  # the result first, then the code behind it


def test_show_demo_names_its_code_unless_asked_for_it():
    console = _console()
    show_demo(console, _item("optimizers.learning_rates"), settings=[], seed=None)
    text = console.export_text()
    assert "def step" not in text
    assert "Reference code: optimizers.SGD" in text and "--code prints it" in text


@pytest.mark.parametrize("width", [80, 120])
def test_every_kind_of_result_renders_within_the_width(width):
    result = DemoResult(
        "A title",
        "What it shows.",
        inputs={"x": 1.5},
        tables=[Table("T", ["a", "b"], [["row", 1e-7], ["nan", math.nan]])],
        plots=[
            Plot(
                "P",
                {"one": ([0.0, 1.0, 2.0], [1.0, 10.0, 100.0]), "two": ([0.0, 1.0], [math.inf, 5.0])},
                "x",
                "y",
                log_y=True,
            )
        ],
        heatmaps=[Heatmap("H", [[0.0, 1.0], [0.5, 0.25]], ["r1", "r2"], ["c1", "c2"])],
        notes=["a note"],
    )
    console = _console(width)
    render_demo(console, result)
    text = console.export_text()
    for part in ("A title", "What it shows.", "P", "one", "two", "c1", "r2", "a note", "1.000e-07"):
        assert part in text
    assert max(cell_len(line) for line in text.splitlines()) <= width


def test_show_demo_without_a_demo_is_a_user_error():
    with pytest.raises(UserError) as err:
        show_demo(_console(), _item(None))
    assert "has no demo" in str(err.value)


def test_plots_are_coloured_only_without_no_color(monkeypatch):
    import io

    def terminal_output():
        buffer = io.StringIO()
        show_demo(
            Console(file=buffer, width=80, theme=THEME, color_system="256", force_terminal=True),
            _item("activations.sigmoid_saturation"),
        )
        return buffer.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = terminal_output()
    assert _has_colour_codes(coloured) and "━━ " in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = terminal_output()
    assert not _has_colour_codes(plain)
    assert "•• σ(x)" in plain and "++ σ′(x)" in plain  # series told apart by markers instead


def _has_colour_codes(text):
    import re

    params = re.findall(r"\x1b\[([0-9;]*)m", text)
    colour = re.compile(r"^(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)$")
    return any(colour.match(p) for group in params for p in group.split(";"))


def test_number_format():
    assert (
        fmt(0.25) == "0.25" and fmt(3) == "3" and fmt(1e-7) == "1.000e-07" and fmt(None) == "—" and fmt(True) == "True"
    )


def test_gradient_errors_helper_flags_a_wrong_gradient():
    import numpy as np

    from dlquiz.demos._util import gradient_errors

    w = np.array([1.0, -2.0, 0.5])
    errors = gradient_errors(lambda w: np.sum(w**3), {"w": w}, {"w": 3 * w**2})
    assert errors["w"] < 1e-8
    assert gradient_errors(lambda w: np.sum(w**3), {"w": w}, {"w": 2 * w})["w"] > 0.1
    assert np.array_equal(w, [1.0, -2.0, 0.5])  # the input is left unchanged


def test_reference_code_lists_only_functions_the_demo_calls():
    # the "Reference code" section must show code that ran: each listed name appears in the demo's source
    # (or in a module helper it calls by name)
    import inspect
    import re

    from dlquiz.demos import all_demos

    for link, fn in all_demos():
        module = inspect.getmodule(fn)
        source = inspect.getsource(fn)
        for called in set(re.findall(r"\b(_?[a-z][a-z0-9_]*)\(", source)):
            helper = getattr(module, called, None)
            if inspect.isfunction(helper) and helper.__module__ == module.__name__ and helper is not fn:
                source += inspect.getsource(helper)
        for code in run_demo(link, seed=0).code:
            assert code.split(".")[1] in source, f"{link} lists {code} but never calls it"


def test_brackets_in_demo_text_are_shown_not_read_as_markup():
    # a header such as "naive −[y log p]" once lost everything from "[" on: rich took it for a style tag
    from dlquiz.demos import DemoResult, Table
    from dlquiz.ui.console import make_console
    from dlquiz.ui.demo import render_demo

    console = make_console(width=80, record=True, no_color=True)
    result = DemoResult(
        "t",
        "s",
        inputs={"[b]name": "[bold]value"},
        tables=[Table("T", ["naive −[y log p]", "v"], [["[red]cell", 1.0]])],
    )
    with console.capture() as captured:
        render_demo(console, result)
    text = captured.get()
    for shown in ("naive −[y log p]", "[red]cell", "[b]name", "[bold]value"):
        assert shown in text

"""Live demos: small functions that run the reference code on concrete inputs and return data.

A demo is a plain function with keyword-only, annotated, defaulted parameters (int, float, bool or
str; a random demo takes ``seed: int = 0``) that returns a :class:`DemoResult`. The result holds only
plain Python values (floats, lists, strings), so the interface can render it without numpy.

``run_demo`` resolves a bank link such as ``adaptive.bias_correction``, parses the user's
``name=value`` settings against the function's signature and calls it. This package itself must stay
free of numpy: the topic modules (``dlquiz.demos.activations`` ...) import it when they are run.
"""

from __future__ import annotations

import inspect
import math
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from dlquiz.demos._result import Cell, DemoResult, Heatmap, Plot, Table
from dlquiz.errors import UserError

__all__ = [
    "Cell",
    "DemoResult",
    "Heatmap",
    "Parameter",
    "Plot",
    "Table",
    "all_demos",
    "parameters",
    "parse_value",
    "plain_result",
    "resolve_settings",
    "run_demo",
]


@dataclass(frozen=True)
class Parameter:
    """One settable input of a demo: its name, type and default."""

    name: str
    type: type
    default: Cell

    def describe(self) -> str:
        return f"{self.name}: {self.type.__name__} = {self.default!r}"


ALLOWED_TYPES = (int, float, bool, str)
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parameters(fn: Callable) -> list[Parameter]:
    """The settable parameters of a demo function, in signature order.

    Raises TypeError if the function breaks the demo convention (a bug in the demo, not the user's).
    """
    hints = typing.get_type_hints(fn)
    out = []
    for p in inspect.signature(fn).parameters.values():
        kind = hints.get(p.name)
        if (
            p.kind is not inspect.Parameter.KEYWORD_ONLY
            or p.default is inspect.Parameter.empty
            or kind not in ALLOWED_TYPES
        ):
            raise TypeError(
                f"demo {fn.__qualname__}: parameter '{p.name}' must be keyword-only, "
                "annotated int/float/bool/str and defaulted"
            )
        out.append(Parameter(p.name, kind, p.default))
    return out


def parse_value(param: Parameter, text: str) -> Cell:
    """Convert the text of a ``name=value`` setting to the parameter's type, or raise UserError."""
    raw = text.strip()
    try:
        if param.type is bool:
            low = raw.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError
        if param.type is int:
            whole = int(raw)
            if param.name == "seed" and whole < 0:
                raise ValueError
            return whole
        if param.type is float:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
            return value
    except ValueError:
        hint = (
            "true or false"
            if param.type is bool
            else f"a finite {param.type.__name__}"
            if param.type is float
            else "a whole number, 0 or more"
            if param.name == "seed"
            else f"an {param.type.__name__}"
        )
        raise UserError(f"setting '{param.name}={text}': the value must be {hint}") from None
    return raw


def _pairs(settings: Mapping[str, str] | Iterable[str]) -> list[tuple[str, str]]:
    if isinstance(settings, Mapping):
        return [(str(k), str(v)) for k, v in settings.items()]
    pairs = []
    for entry in settings:
        name, sep, value = str(entry).partition("=")
        if not sep or not name.strip():
            raise UserError(f"setting '{entry}' must be written name=value")
        pairs.append((name.strip(), value))
    return pairs


def _valid_names(params: list[Parameter]) -> str:
    if not params:
        return "this demo takes no settings"
    return "valid settings: " + ", ".join(p.describe() for p in params)


def resolve_settings(
    fn: Callable, settings: Mapping[str, str] | Iterable[str] = (), seed: int | None = None
) -> dict[str, Cell]:
    """The keyword arguments to call a demo with: defaults, then the user's settings, then ``seed``."""
    params = parameters(fn)
    by_name = {p.name: p for p in params}
    values: dict[str, Cell] = {p.name: p.default for p in params}
    for name, text in _pairs(settings):
        if name not in by_name:
            raise UserError(f"the demo has no setting '{name}'; {_valid_names(params)}")
        values[name] = parse_value(by_name[name], text)
    if seed is not None and "seed" in by_name:
        if int(seed) < 0:
            raise UserError(f"--seed must be a whole number, 0 or more (not {seed})")
        values["seed"] = int(seed)
    return values


def all_demos() -> list[tuple[str, Callable]]:
    """Every demo as (link, function), as ``dlquiz.bank.links`` registers them (each topic module's ``__all__``).

    Imports every topic module (and so numpy); for tests, benchmarks and listings, not for start-up paths.
    """
    from dlquiz.bank import links

    return [(link, links.load("demo", link)) for link in links.registered("demo")]


def run_demo(link: str, settings: Mapping[str, str] | Iterable[str] = (), seed: int | None = None) -> DemoResult:
    """Run the demo a bank link names (``module.function``) with the given settings.

    ``settings`` is a mapping name -> text or a list of ``"name=value"`` strings; each is parsed to the
    parameter's type. ``seed`` is applied to demos that take one (it overrides a ``seed=`` setting).
    A bad name or value raises UserError listing the valid settings.
    """
    import warnings

    from dlquiz.bank import links

    fn = links.load("demo", link)
    kwargs = resolve_settings(fn, settings, seed)
    with warnings.catch_warnings(record=True) as caught:  # NumPy's overflow warnings become one note
        warnings.simplefilter("always", RuntimeWarning)
        try:
            result = fn(**kwargs)
        except UserError as exc:
            raise UserError(f"{exc}; {_valid_names(parameters(fn))}") from None
        except (OverflowError, FloatingPointError, ZeroDivisionError) as exc:
            raise UserError(f"{_beyond(kwargs, fn)} ({exc.args[-1] if exc.args else type(exc).__name__})") from None
    result.parameters = dict(kwargs)
    result = plain_result(result)
    too_wide = [p.title for p in result.plots if not _drawable(p)]
    if too_wide:
        raise UserError(f"{_beyond(kwargs, fn)} ('{too_wide[0]}' spans more than a 64-bit float can: no axis fits it)")
    warned = sorted({str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)})
    if warned:
        result.notes.append(
            f"NumPy: {'; '.join(warned)}: with these settings some values leave the range of 64-bit floats "
            "(about ±1.8e308) and show as inf or nan"
        )
    return result


def _drawable(plot: Plot) -> bool:
    """Whether an axis can span the plot's finite points (two finite values ±1e308 apart overflow any axis;
    infinite and undefined points are left out of a plot, as a diverging loss is)."""
    points = [
        (x, y)
        for xs, ys in plot.series.values()
        for x, y in zip(xs, ys, strict=True)
        if math.isfinite(x) and math.isfinite(y)
    ]
    for values in ([x for x, _ in points], [y for _, y in points]):
        if values and not math.isfinite(max(values) - min(values)):
            return False
    return True


def _beyond(kwargs: dict, fn: Callable) -> str:
    """'these settings are too large for this demo …', naming the settings that differ from the defaults."""
    changed = [f"{p.name}={kwargs[p.name]!r}" for p in parameters(fn) if kwargs[p.name] != p.default]
    which = f" ({', '.join(changed)})" if changed else ""
    return (
        f"the settings{which} push this demo's numbers past what 64-bit floats can hold; "
        "try values closer to the defaults"
    )


def _plain(value):
    """A NumPy scalar or array (duck-typed: ``.tolist()``) as Python values; everything else unchanged."""
    if type(value) in (str, bool, int, float) or value is None:  # np.float64 subclasses float: not plain
        return value
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def plain_result(result: DemoResult) -> DemoResult:
    """The result with every number a plain Python value, so rendering and tests never meet numpy types."""
    result.inputs = {k: _plain(v) for k, v in result.inputs.items()}
    result.tables = [
        Table(t.title, list(t.columns), [[_plain(c) for c in row] for row in t.rows]) for t in result.tables
    ]
    result.plots = [
        Plot(
            p.title,
            {k: (_plain(list(xs)), _plain(list(ys))) for k, (xs, ys) in p.series.items()},
            p.xlabel,
            p.ylabel,
            p.log_y,
            tuple(p.scatter),
        )
        for p in result.plots
    ]
    result.heatmaps = [
        Heatmap(h.title, _plain(list(h.matrix)), list(h.row_labels), list(h.col_labels)) for h in result.heatmaps
    ]
    return result

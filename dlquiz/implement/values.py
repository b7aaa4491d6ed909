"""How values are written in a grading report: small arrays in full, large ones by shape and a corner.

A failed check shows what was given, what was expected and what came back; the checks are ordered so
that the first to fail is usually a small one (a 2×3 array of short numbers), which this prints whole.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlquiz.implement.child import UNSUPPORTED
from dlquiz.wording import plural

FULL_LIMIT = 24  # arrays with at most this many entries are printed in full
PRECISION = 4


def is_unsupported(value: Any) -> bool:
    return isinstance(value, dict) and UNSUPPORTED in value


def kind_of(value: Any) -> str:
    """'an array of shape (2, 3) and dtype float64', 'a float', 'a tuple of 2 values', 'None'."""
    if value is None:
        return "None"
    if is_unsupported(value):
        return value[UNSUPPORTED]
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a 0-d array of dtype {value.dtype}"
        return f"an array of shape {shape_text(value.shape)} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} scalar"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float, complex, str)):
        return f"{'an' if type(value).__name__[0] in 'aeiou' else 'a'} {type(value).__name__}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {plural(len(value), 'value')}"
    if isinstance(value, dict):
        return f"a dict with keys {', '.join(map(str, value))}"
    return f"a {type(value).__name__}"


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def number(value: Any) -> str:
    """A float in at most PRECISION significant digits, integers without a point."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    value = float(value)
    if np.isnan(value) or np.isinf(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value)) + "."
    return f"{value:.{PRECISION}g}"


def array_text(array: np.ndarray, limit: int = FULL_LIMIT) -> str:
    """The array in full when small, else its shape, range and first entries."""
    if array.dtype.kind == "b" or array.size <= limit:
        if array.size > limit:
            return f"bool array of shape {shape_text(array.shape)}, {int(array.sum())} True"
        return np.array2string(
            array,
            precision=PRECISION,
            separator=", ",
            max_line_width=70,
            floatmode="maxprec_equal",
            suppress_small=False,
        )
    flat = array.ravel()
    finite = flat[np.isfinite(flat)] if array.dtype.kind in "fc" else flat
    span = f", values {number(finite.min())} … {number(finite.max())}" if finite.size else ", no finite values"
    head = ", ".join(number(v) for v in flat[:4])
    return f"array of shape {shape_text(array.shape)}{span}; starts {head}, …"


def show(value: Any, limit: int = FULL_LIMIT) -> str:
    """A value as a person reads it in a report."""
    if is_unsupported(value):
        return value[UNSUPPORTED]
    if isinstance(value, np.ndarray):
        return number(value[()]) if value.ndim == 0 else array_text(value, limit)
    if isinstance(value, (float, np.floating, np.integer)) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(show(v, limit) for v in value) + "]"
    if isinstance(value, dict) and "__target__" in value:
        return f"a test function ({value['__target__']})"
    if isinstance(value, np.random.Generator):
        return "np.random.default_rng(…)"
    return repr(value)


def index_text(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"

"""Small helpers the demo modules share: turning arrays into plain lists and checking settings."""

from __future__ import annotations

import numpy as np

from dlquiz.errors import UserError


def floats(a) -> list:
    """An array (any shape) as nested lists of Python floats."""
    return np.asarray(a, dtype=float).tolist()


def num(x) -> float:
    """A 0-d array or NumPy scalar as a Python float."""
    return float(np.asarray(x, dtype=float))


def series(xs, ys) -> tuple[list[float], list[float]]:
    """One plot series as two plain lists."""
    return floats(np.ravel(xs)), floats(np.ravel(ys))


def steps_axis(n: int, start: int = 0) -> list[float]:
    return [float(i) for i in range(start, start + n)]


def need(ok: bool, message: str) -> None:
    """Reject a setting the demo cannot use (the caller adds the list of valid settings)."""
    if not ok:
        raise UserError(message)


def in_range(name: str, value, low, high) -> None:
    need(low <= value <= high, f"'{name}' must be between {low} and {high} (got {value})")


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def matrix_text(a, digits: int = 3) -> str:
    """A small array written on one line, e.g. ``[[1.0, -0.5], [0.25, 2.0]]``, for a table cell."""
    return np.array2string(np.round(np.asarray(a, dtype=float), digits) + 0.0, precision=digits, separator=", ", suppress_small=True, max_line_width=10_000).replace("\n", "")


def rounded(a, digits: int = 4) -> str:
    """A small array as a short list, rounded, without negative zeros: '[0.0, 1.2346]'."""
    return str((np.round(np.asarray(a, dtype=float), digits) + 0.0).tolist())

"""Naming the mistake behind a wrong answer.

Each exercise lists its classic mistakes as :class:`Mistake`\\ s: a function with the learner's
signature that computes what the mistaken code returns (softmax without the max subtraction, batch
norm with the unbiased variance, Adam without bias correction). When a check fails, the grader runs
each one on the same inputs; if one of them returns what the learner's code returned (and the right
answer differs from it), its hint is shown. When none matches, :func:`diagnose` looks at the numbers
themselves: NaN where the answer is finite, a constant factor, a flipped sign, a transpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Mistake:
    """A classic mistake in ``function``: ``wrong`` computes what the mistaken code returns."""

    function: str
    hint: str
    wrong: Callable[..., Any]


def _floats(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def diagnose(expected: Any, got: Any) -> str | None:
    """A hint read from the numbers alone, or None."""
    e, g = _floats(expected), _floats(got)
    if e is None or g is None:
        return None
    if e.shape != g.shape:
        if e.ndim == 2 and g.shape == e.shape[::-1] and np.allclose(g.T, e, rtol=1e-6, atol=1e-8):
            return "These are the right numbers, transposed."
        return None
    finite = np.isfinite(e)
    if (~np.isfinite(g) & finite).any():
        return (
            "NaN or inf came back where the answer is finite: an overflow (e^x of a large x is inf, and inf/inf "
            "is NaN), a log of 0, or a division by zero."
        )
    if not finite.all():
        return None
    if np.allclose(g, -e, rtol=1e-6, atol=1e-8) and np.abs(e).max() > 1e-8:
        return "Right size, wrong sign: the sign is flipped (a − b where b − a is meant?)."
    nonzero = np.abs(e) > 1e-8
    if nonzero.sum() >= 2 and np.allclose(g[~nonzero], 0.0, atol=1e-8):
        ratios = g[nonzero] / e[nonzero]
        factor = float(np.median(ratios))
        if np.allclose(ratios, factor, rtol=1e-5) and not np.isclose(factor, 1.0):
            return f"Every entry is off by the same factor {factor:.6g}: a missing or extra constant (a 1/N, a 2)?"
    if e.size >= 2:
        shift = float(np.median(g - e))
        if abs(shift) > 1e-8 and np.allclose(g - e, shift, rtol=1e-6, atol=1e-8):
            return f"Every entry is off by the same amount {shift:.6g}: a constant added or left out?"
    if e.ndim == 2 and e.shape[0] == e.shape[1] and np.allclose(g, e.T, rtol=1e-6, atol=1e-8):
        return "These are the right numbers, transposed."
    return None


# (exception type, words in its message, hint): the usual cause of an exception in this kind of code
_ERROR_HINTS = (
    (
        "ValueError",
        "could not be broadcast",
        "The shapes do not broadcast: a max or sum over an axis needs keepdims=True to line up with the array it "
        "came from (or it is taken over the wrong axis).",
    ),
    (
        "ValueError",
        "matmul",
        "A matrix product with mismatched inner sizes, (a, b) @ (b, c): a transpose missing, or one too many?",
    ),
    ("ValueError", "cannot reshape", "A reshape to a size that does not hold the same number of entries."),
    ("IndexError", "out of bounds", "An index past the end: an off-by-one in a range, or in an output size?"),
    ("NameError", "'np'", "Add import numpy as np at the top of the file."),
    ("ZeroDivisionError", "", "A division by zero: which input makes the denominator 0?"),
    ("TypeError", "NoneType", "Something is None: a helper that forgot to return its result?"),
    ("AttributeError", "'list' object", "A list where an array is expected: np.asarray(...) turns it into one."),
    ("MemoryError", "", "An array too large for the memory limit: is an intermediate far bigger than the inputs?"),
    ("RecursionError", "", "The function calls itself without end."),
    ("UnicodeDecodeError", "utf-8", "Save the file as UTF-8."),
)


def error_hint(kind: str, message: str) -> str | None:
    """The usual cause of an exception of this kind and message, or None."""
    for name, words, hint in _ERROR_HINTS:
        if kind == name and words in message:
            return hint
    return None

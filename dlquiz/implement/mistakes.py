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

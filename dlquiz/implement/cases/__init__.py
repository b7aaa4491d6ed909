"""The checks of every exercise, one module per topic; each module has ``SPECS``: exercise id → Spec.

A case module builds its checks from a NumPy Generator (seeded per exercise, so a learner sees the same
inputs on every run) with the reference implementations in :mod:`dlquiz.reference`, and lists the
classic mistakes as functions that compute what the mistaken code returns. The first checks of an
exercise are small and readable (a failure message prints them whole); edge cases and larger random
inputs follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dlquiz.implement.checks import Case
from dlquiz.implement.mistakes import Mistake


@dataclass(frozen=True)
class Spec:
    cases: Callable[..., list[Case]]  # (rng: np.random.Generator) -> the checks
    mistakes: tuple[Mistake, ...] = ()


def rounded(array, decimals: int = 1):
    """Random inputs rounded to a few decimals, so a failure message prints short numbers."""
    import numpy as np

    return np.round(array, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0

"""Drawing rounded random inputs and writing them into prompts (shared by the topic modules)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dlquiz.exercises._base import fmt


def draw(rng, low: float, high: float, decimals: int = 1, avoid: Iterable[float] = (0.0,)) -> float:
    """A uniform number in [low, high], rounded to ``decimals``, never one of ``avoid``."""
    avoid = tuple(avoid)
    while True:
        x = round(float(rng.uniform(low, high)), decimals) + 0.0  # + 0.0 turns −0.0 into 0.0
        if x not in avoid:
            return x


def draws(rng, n: int, low: float, high: float, decimals: int = 1, avoid: Iterable[float] = (0.0,)) -> list[float]:
    """``n`` numbers from :func:`draw`."""
    avoid = tuple(avoid)
    return [draw(rng, low, high, decimals, avoid) for _ in range(n)]


def integer(rng, low: int, high: int) -> int:
    """A uniform integer in [low, high], both included."""
    return int(rng.integers(low, high + 1))


def choice(rng, options: Sequence):
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


def vec(values: Iterable[float]) -> str:
    """A vector for a prompt: (0.5, −1.2, 3)."""
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def matrix(rows: Iterable[Iterable[float]], indent: str = "    ") -> str:
    """A small matrix, one row per line, columns right-aligned."""
    cells = [[fmt(v) for v in row] for row in rows]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(indent + "[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells)


def short(x: float) -> str:
    """An intermediate number in a worked step: 5 significant digits."""
    return fmt(x, 5)


def par(x: float) -> str:
    """A number inside a formula: negative ones in parentheses, e.g. 2 × (−0.5)."""
    text = fmt(x)
    return f"({text})" if x < 0 else text


def dot_terms(a: Iterable[float], b: Iterable[float]) -> str:
    """The products of a dot product written out: 1.5×0.2 + (−1)×0.3."""
    return " + ".join(f"{par(u)}×{par(v)}" for u, v in zip(a, b, strict=True))

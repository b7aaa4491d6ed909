"""What every exercise generator builds on: the Exercise it returns, its worked steps, numbers as text.

The topic modules import these from here, not from the package: the package generates exercises by
importing the topic modules, so a topic module that imported the package would close an import cycle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from dlquiz.model import Step

DEFAULT_TOLERANCE = 0.01


@dataclass(frozen=True)
class Exercise:
    """One numeric exercise, ready to ask.

    prompt      the task in Unicode math, with the concrete inputs
    answer      the exact value(s), one float per number the learner types
    tolerance   relative tolerance of the check (see the module docstring); 0 = exact
    steps       the worked solution with its intermediate numbers
    hint        an optional nudge (the formula to use)
    unit        an optional unit of the answer ("parameters", "°", ...)
    labels      optional names of the answer's numbers, e.g. ("P", "R", "F1")
    inputs      the rounded inputs the prompt shows, by name (for tests and tools)
    """

    prompt: str
    answer: tuple[float, ...]
    tolerance: float = DEFAULT_TOLERANCE
    steps: tuple[Step, ...] = ()
    hint: str | None = None
    unit: str | None = None
    labels: tuple[str, ...] = ()
    inputs: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        answer = tuple(float(a) for a in self.answer)
        object.__setattr__(self, "answer", answer)
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "labels", tuple(self.labels))
        if not answer:
            raise ValueError("an exercise needs at least one answer value")
        if not all(math.isfinite(a) for a in answer):
            raise ValueError(f"the answer {answer} is not finite")
        if self.labels and len(self.labels) != len(answer):
            raise ValueError(f"{len(self.labels)} labels for {len(answer)} answer values")
        if self.tolerance < 0:
            raise ValueError("the tolerance cannot be negative")

    def label(self, index: int) -> str:
        """The name of answer number ``index`` (its label, else its position)."""
        return self.labels[index] if self.labels else f"#{index + 1}"


def fmt(x: float, digits: int = 6) -> str:
    """A number for display: integers as integers, else ``digits`` significant digits, Unicode minus."""
    x = float(x)
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        text = str(int(x))
    else:
        text = f"{x:.{digits}g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def steps(*pairs: Sequence[str]) -> tuple[Step, ...]:
    """Worked steps from (statement, why) pairs."""
    return tuple(Step(statement, why) for statement, why in pairs)

"""Numeric exercises: random inputs, a prompt, the exact answer, a tolerance and the worked steps.

A *generator* is a function ``name(rng: np.random.Generator) -> Exercise`` in one of this package's
topic modules (``activations``, ``optimizers``, ...); a bank item links one as
``exercise: module.name``. Generators round their random inputs to a few decimals *before* computing
the answer with ``dlquiz.reference``, so the numbers printed in the prompt give exactly the answer.

Grading (:func:`check_answer`): a typed value v is right for the exact value a when

    |v − a| ≤ tolerance · |a|          (a ≠ 0)
    |v|     ≤ tolerance · 0.01         (a = 0, or |a| < 1e−12: zero up to rounding)

so ``tolerance`` is a relative tolerance (0.01 = within 1 %) however small a is (typing 0 for
2.7e−5 is wrong: the size of a vanished gradient is the point), and only an exact zero gets an
absolute one; ``tolerance = 0`` asks for the exact value (counts, sizes).

This module imports no numpy: the topic modules do, and only when an exercise is generated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dlquiz.exercises._base import DEFAULT_TOLERANCE, Exercise, fmt, steps
from dlquiz.wording import plural

MAX_EXERCISES = 1000  # in one run (-n): a count beyond it is a typo, not a plan
ZERO_SCALE = 0.01  # an exact zero is graded with the absolute tolerance tolerance · ZERO_SCALE
TINY = 1e-12  # exact answers smaller than this are zero up to floating-point rounding

__all__ = [
    "DEFAULT_TOLERANCE",
    "Exercise",
    "steps",
    "Verdict",
    "generate",
    "check_answer",
    "parse_numbers",
    "fmt",
    "is_close",
    "tolerance_text",
    "expected_format",
    "all_links",
    "exercise_items",
]


@dataclass(frozen=True)
class Verdict:
    """The result of checking a typed answer.

    ``values`` is None when the text could not be read as the expected numbers: then ``correct`` is
    False but the answer was not graded, and ``message`` says what format is expected (ask again).
    """

    correct: bool
    message: str
    values: tuple[float, ...] | None

    @property
    def readable(self) -> bool:
        return self.values is not None


# --------------------------------------------------------------------------- numbers as text


def fmt_signed(x: float, digits: int = 3) -> str:
    """A difference with its sign, to ``digits`` significant digits, not in e-notation between 1 and 10¹⁵
    (above that, a difference of 309 digits says nothing more than 1e308 does)."""
    if not math.isfinite(x):
        return ("+" if x > 0 else "−") + "∞" if math.isinf(x) else "undefined"
    if abs(x) < 1e15:
        digits = max(digits, len(str(int(abs(x)))))
    return ("+" if x > 0 else "") + fmt(x, digits)


_TIMES_TEN = re.compile(r"\s*[x×*·]\s*10\s*\^\s*")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_TIMES_TEN_SUPERSCRIPT = re.compile(r"\s*[x×*·]\s*10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SPACED_SLASH = re.compile(r"\s*/\s*")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SEPARATORS = re.compile(r"[,;\s]+")


def _normalize(text: str) -> str:
    text = text.strip().replace("−", "-").replace("–", "-").replace("\u202f", " ")
    text = _TIMES_TEN_SUPERSCRIPT.sub(lambda m: "e" + m.group(1).translate(_SUPERSCRIPT), text)
    text = _TIMES_TEN.sub("e", text)
    text = _SPACED_SLASH.sub("/", text)
    text = text.lstrip("=≈~ ").rstrip(". ")
    if len(text) >= 2 and text[0] + text[-1] in ("[]", "()", "{}"):
        text = text[1:-1].strip()
    return text


def _number(token: str, allow_percent: bool) -> float:
    """One token as a finite float: 0.25, .25, 2.5e-1, 1/4, 25% (ValueError with a reason otherwise)."""
    if token.endswith("%"):
        if not allow_percent:
            raise ValueError(f"'{token}': a percentage only fits answers between 0 and 1; type the plain number")
        return _number(token[:-1], False) / 100
    if "/" in token:
        top, _, bottom = token.partition("/")
        denominator = _number(bottom, False)
        if denominator == 0:
            raise ValueError(f"'{token}' divides by zero")
        value = _number(top, False) / denominator
        if not math.isfinite(value):  # 1e200/1e-200, 1/1e-320: each part finite, the quotient not
            raise ValueError(f"'{token}' is not a finite number (the division overflows)")
        return value
    try:
        value = float(token)
    except ValueError:
        raise ValueError(f"cannot read '{token}' as a number") from None
    if not math.isfinite(value):
        raise ValueError(f"'{token}' is not a finite number")
    return value


def parse_numbers(text: str, count: int = 1, allow_percent: bool = False) -> tuple[float, ...]:
    """The numbers in a typed answer; ValueError with the reason when it cannot be read.

    Accepts 0.25, .25, 2.5e-1, 2.5×10^-1, 2.5×10⁻¹, 1/4, 25% (if ``allow_percent``), a Unicode minus, and a
    list separated by commas, semicolons or spaces, optionally in brackets. A single answer may use
    thousands separators (132,096).
    """
    text = _normalize(text)
    if not text:
        raise ValueError("the answer is empty")
    if count == 1 and _THOUSANDS.match(text):
        text = text.replace(",", "")
    if count == 1 and _DECIMAL_COMMA.match(text):
        raise ValueError(
            f"'{text}' looks like a decimal comma; write the decimal point as a dot ({text.replace(',', '.')})"
        )
    tokens = [t for t in _SEPARATORS.split(text) if t]
    values = tuple(_number(token, allow_percent) for token in tokens)
    if len(values) != count:
        raise ValueError(f"expected {plural(count, 'number')}, found {len(values)}")
    return values


# --------------------------------------------------------------------------- checking


def is_close(given: float, exact: float, tolerance: float) -> bool:
    """Whether ``given`` is right for ``exact`` (relative tolerance; absolute only for a zero answer)."""
    scale = abs(exact) if abs(exact) >= TINY else ZERO_SCALE
    return abs(given - exact) <= tolerance * scale * (1 + 1e-9)


def tolerance_text(exercise: Exercise) -> str:
    """How precise an answer must be, in words."""
    if exercise.tolerance == 0:
        return "exact"
    percent = exercise.tolerance * 100
    return f"within {percent:g}%"


def expected_format(exercise: Exercise) -> str:
    """What to type, in words, for a format message or a prompt footer."""
    n = len(exercise.answer)
    example = "0.25, .25, 2.5e-1 or 1/4"
    if n == 1:
        return f"one number, e.g. {example}"
    names = ", ".join(exercise.labels) if exercise.labels else f"{n} values"
    return f"{n} numbers in this order: {names}; separate them with commas, spaces or ; (each e.g. {example})"


def _off_by(given: float, exact: float, tolerance: float = 0.0) -> str:
    """'off by +0.0027 (+1.05%)': the relative error with as many decimals as it takes to read as outside
    the tolerance it failed (1.0486% is not shown as '+1%' beside 'within 1%')."""
    diff = given - exact
    if exact == 0:
        return f"off by {fmt_signed(diff)}"
    percent = 100 * diff / abs(exact)
    if not math.isfinite(percent) or abs(percent) >= 1e4:  # a hundred times off or more: say how many times
        ratio = given / exact
        return f"off by {fmt_signed(diff)}" + (f" ({fmt(ratio, 3)} times the answer)" if math.isfinite(ratio) else "")
    shown = f"{percent:+.0f}" if abs(percent) >= 10 else f"{percent:+.2g}"
    decimals = 0
    while abs(float(shown)) <= 100 * tolerance and decimals < 6:
        decimals += 1
        shown = f"{percent:+.{decimals}f}"
    return f"off by {fmt_signed(diff)} ({shown.replace('-', '−')}%)"


def check_answer(exercise: Exercise, text: str) -> Verdict:
    """Grade a typed answer against the exact one; a malformed answer is not graded (values None)."""
    answer = exercise.answer
    allow_percent = all(0 <= a <= 1 for a in answer)
    try:
        values = parse_numbers(text, len(answer), allow_percent)
    except ValueError as exc:
        return Verdict(False, f"Could not read that: {exc}. Type {expected_format(exercise)}.", None)
    right = [is_close(v, a, exercise.tolerance) for v, a in zip(values, answer, strict=True)]
    unit = f" {exercise.unit}" if exercise.unit else ""
    if len(answer) == 1:
        given, exact = values[0], answer[0]
        if right[0]:
            return Verdict(True, f"Right: {fmt(given)}{unit} (exact {fmt(exact)}).", values)
        off = _off_by(given, exact, exercise.tolerance)
        return Verdict(False, f"Not quite: {fmt(given)} is {off}; the answer is {fmt(exact)}{unit}.", values)
    lines = []
    for index, (given, exact, ok) in enumerate(zip(values, answer, right, strict=True)):
        verdict = "right" if ok else _off_by(given, exact, exercise.tolerance)
        lines.append(f"  {exercise.label(index)} = {fmt(given)}: {verdict} (exact {fmt(exact)})")
    if all(right):
        return Verdict(True, "Right, all of them:\n" + "\n".join(lines), values)
    wrong = right.count(False)
    head = f"Not quite: {wrong} of {len(answer)} {'is' if wrong == 1 else 'are'} wrong:"
    return Verdict(False, head + "\n" + "\n".join(lines), values)


# --------------------------------------------------------------------------- generators and the bank


def generate(link: str, rng) -> Exercise:
    """Run the generator a link names (``module.name`` in dlquiz.exercises) with ``rng``."""
    from dlquiz.bank import links

    generator = links.load("exercise", link)
    exercise = generator(rng)
    if not isinstance(exercise, Exercise):
        raise TypeError(f"'{link}' returned {type(exercise).__name__}, not an Exercise")
    return exercise


def all_links() -> list[str]:
    """Every generator of every topic module, as ``module.name`` links (read from the sources, not imported)."""
    from dlquiz.bank import links

    return links.registered("exercise")


def exercise_items(items: Iterable, topic: str | None = None) -> list:
    """The bank items that link an exercise, optionally of one topic."""
    return [item for item in items if item.exercise and (topic is None or item.topic == topic)]


def exercise_queue(
    bank, item_id: str | None = None, topic: str | None = None, count: int | None = None, rng=None
) -> list:
    """The items to practise, in order: ``count`` times the item ``item_id``, or ``count`` (default 5)
    distinct items that link an exercise, drawn at random (optionally of one topic)."""
    from dlquiz.bank.lookup import check_topic, get_item
    from dlquiz.errors import UserError

    if count is not None and count > MAX_EXERCISES:
        raise UserError(f"-n must be at most {MAX_EXERCISES} (one run's worth), not {count}")
    if item_id is not None:
        if topic is not None:
            raise UserError("give an item ID or --topic, not both")
        item = get_item(bank, item_id)
        if not item.exercise:
            near = [i.id for i in exercise_items(bank, item.topic)][:4]
            hint = f"; in {item.topic}, try {', '.join(near)}" if near else ""
            raise UserError(f"'{item.id}' has no numeric exercise{hint}")
        return [item] * (count or 1)
    if topic is not None:
        topic = check_topic(bank, topic)
    items = exercise_items(bank, topic)
    if not items:
        where = f" in topic '{topic}'" if topic else ""
        raise UserError(f"no item{where} has a numeric exercise")
    order = rng.permutation(len(items)) if rng is not None else range(len(items))
    return [items[int(i)] for i in order][: count or 5]

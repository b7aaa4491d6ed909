"""Keep formulas in one piece when rich wraps text.

rich breaks a line at any whitespace, the no-break spaces included (its word pattern is ``\\s*\\S+\\s*``,
and ``\\s`` matches U+00A0), so "∂L/∂w = 12" could end a line with "∂L/∂w" and start the next with
"= 12". Before layout, :func:`glue` replaces each space that lies inside a formula with ``GLUE``, a
private-use character one cell wide that is not whitespace, so rich sees the formula as one word;
:class:`Unglued` turns every ``GLUE`` back into a space in the rendered segments. The bank keeps plain
spaces: searching, exporting and editing never meet the placeholder.

A space lies inside a formula when it

- borders a binary operator or relation written between spaces ("a = b", "1 − p", "x ~ N(0, 1)");
- follows a function name or a big operator that applies to what comes next ("log p", "Σᵢ wᵢ");
- lies inside a bracket whose content reads as mathematics rather than prose ("max(z, 0)",
  "[0.090, 0.245]", "(i = 1, …, dₖ)"): no word of four or more letters apart from a few function names,
  and short enough to stay on one line.

Inline code is kept whole when it is short; fenced code blocks are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

GLUE = "\ue000"  # one cell wide, not whitespace to rich's wrapper, never typed by a person

# Operators and relations that, written with a space on each side, join the terms beside them.
OPERATORS = "=≠≈≡≤≥<>⇒⇔→←+−±∓×·⊙⊗∈∉⊂∝~|‖/÷"
# Function names and big operators whose argument follows after a space: "log p", "Σᵢ wᵢxᵢ".
_APPLIES = r"(?:log|ln|exp|sin|cos|tanh|sign|[ΣΠ][^\s(),;:]*)"
# Words of four or more letters that still read as mathematics inside a bracket.
_MATH_WORDS = {"tanh", "diag", "sign", "softmax", "relu", "sigmoid", "concat", "blockdiag", "logsumexp"}
RELATIONS = "=≠≈≡≤≥<>⇒⇔"  # where a long formula may break, before the relation
LONGEST_BRACKET = 40  # cells: a longer bracket is a parenthetical remark, free to wrap
LONG_FORMULA = 40  # cells: a longer formula may break before a relation outside brackets
LONGEST_CODE = 60  # cells: longer inline code may wrap at its spaces

_SPACE = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # a run of spaces, or one line break with the indentation around it
_OPERATOR_SPACES = re.compile(rf"(?<=\S){_SPACE}([{re.escape(OPERATORS)}]){_SPACE}(?=\S)")
_APPLICATION = re.compile(rf"(?<![\w]){_APPLIES}[ ](?=[\w(\[|√−ΣΠ∂‖])")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_WORD = re.compile(r"[A-Za-z]{4,}")
_WORDS = re.compile(r"\S+")


def glue(text: str) -> str:
    """``text`` with the spaces inside its formulas replaced by ``GLUE`` (code spans untouched).

    A formula longer than ``LONG_FORMULA`` cells keeps one kind of break point: the space before a
    relation outside any bracket, as in a displayed equation (``a + b`` / ``= c``), so that it can
    still fit a narrow terminal.
    """
    parts = _CODE.split(text)
    return "".join(_glue_code(part) if index % 2 else _relax(_glue_prose(part)) for index, part in enumerate(parts))


def _glue_code(code: str) -> str:
    """Inline code short enough for a line is kept whole too; a fenced block is left as it is."""
    if code.startswith("```") or len(code) > LONGEST_CODE:
        return code
    return code.replace(" ", GLUE)


def _glue_prose(text: str) -> str:
    text = _OPERATOR_SPACES.sub(lambda m: f"{GLUE}{m.group(1)}{GLUE}", text)
    text = _APPLICATION.sub(lambda m: m.group(0)[:-1] + GLUE, text)
    return _glue_brackets(text)


_OPEN, _CLOSE = "([{", ")]}"


def _glue_brackets(text: str) -> str:
    """Glue the spaces inside every bracket whose content reads as mathematics."""
    chars = list(text)
    stack: list[int] = []
    for index, char in enumerate(chars):
        if char in _OPEN:
            stack.append(index)
        elif char in _CLOSE and stack:
            start = stack.pop()
            if _CLOSE.index(char) != _OPEN.index(chars[start]):
                continue
            inside = "".join(chars[start + 1 : index])
            if _mathematical(inside):
                for position in range(start + 1, index):
                    if chars[position] == " ":
                        chars[position] = GLUE
    return "".join(chars)


def _relax(text: str) -> str:
    def relaxed(match: re.Match) -> str:
        word = match.group(0)
        return _open_relations(word) if len(word.replace("*", "")) > LONG_FORMULA else word  # ** is not shown

    return _WORDS.sub(relaxed, text)


def _open_relations(formula: str) -> str:
    """Turn back into a space each GLUE that comes just before a relation at bracket depth 0."""
    chars = list(formula)
    depth = 0
    for index, char in enumerate(chars):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif (
            char == GLUE
            and depth == 0
            and index + 2 < len(chars)
            and chars[index + 1] in RELATIONS
            and chars[index + 2] == GLUE
        ):
            chars[index] = " "
    return "".join(chars)


def _mathematical(inside: str) -> bool:
    if "\n" in inside or len(inside) > LONGEST_BRACKET:
        return False
    return all(word.lower() in _MATH_WORDS for word in _WORD.findall(inside))


def unglue(text: str) -> str:
    return text.replace(GLUE, " ")


def glued_words(text: str) -> Iterator[str]:
    """The words rich will see in ``text`` once glued: each is never broken across lines."""
    yield from glue(" ".join(text.split())).split()


class Unglued:
    """A renderable that lays out ``renderable`` (whose text was glued) and shows each GLUE as a space."""

    def __init__(self, renderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            if segment.text and GLUE in segment.text:
                yield Segment(unglue(segment.text), segment.style, segment.control)
            else:
                yield segment

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement.get(console, options, self.renderable)

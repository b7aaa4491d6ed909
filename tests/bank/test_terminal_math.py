"""Terminal math: the bank writes sub- and superscripts as Unicode (or a plain ``^(…)`` form), never as
LaTeX braces, and no formula is cut in two when an item is shown at 80 columns.

The split detector below reads only the rendered lines, so it does not depend on how the renderer
keeps formulas whole; ``test_the_detector_catches_a_split_formula`` shows it failing on the output of
a renderer that does not.
"""

from __future__ import annotations

import io
import re
from itertools import pairwise

import pytest

from dlquiz.model import Choices, Item
from dlquiz.ui import formulas
from dlquiz.ui.console import make_console
from dlquiz.ui.items import question_panel, render_item

# --------------------------------------------------------------------------- what the bank may write

BRACES = re.compile(r"[_^]\{")
# One index after an underscore, where Unicode has a subscript for it: x_t is written xₜ, W_h is Wₕ.
# Names stay as they are (n_in, d_model, W_Q, p_data): they have no complete Unicode form.
SINGLE_INDEX = re.compile(r"(?<=[A-Za-zα-ωΑ-Ω\u0302′])_[0-9aehijklmnoprstuvx](?![a-z0-9_])")
# An exponent every character of which has a Unicode superscript: e^z is written eᶻ, e^(−z) e⁻ᶻ, u^(−1) u⁻¹.
# What has none (e^(zᵢ), 10000^(2i/d)) keeps the plain ^(…) form.
SUPERSCRIPTABLE = "0-9+−=a-pr-zABD-PRT-Wβγδθφχ"
PLAIN_POWER = re.compile(rf"\^(\([{SUPERSCRIPTABLE}]{{1,6}}\)|[{SUPERSCRIPTABLE}]{{1,3}}(?![A-Za-z0-9]))")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def readable_texts(item: Item) -> list[tuple[str, str]]:
    """(field, text) for everything a learner reads of an item, code removed."""
    texts = [("question", item.question), ("answer", item.answer)]
    texts += [("key_points", t) for t in item.key_points] + [("pitfalls", t) for t in item.pitfalls]
    texts += [("derivation", f"{s.step} {s.why}") for s in item.derivation]
    if item.choices:
        texts += [("choices", t) for t in (item.choices.correct, *item.choices.wrong, item.choices.stem or "")]
    return [(field, CODE.sub("", text)) for field, text in texts]


def test_no_latex_braces_anywhere_in_the_bank(bank):
    found = [
        (item.id, field, m.group(0))
        for item in bank
        for field, text in readable_texts(item)
        for m in BRACES.finditer(text)
    ]
    assert found == []


def test_single_indices_are_unicode_subscripts(bank):
    found = [
        (item.id, field, text[max(m.start() - 6, 0) : m.end() + 2])
        for item in bank
        for field, text in readable_texts(item)
        for m in SINGLE_INDEX.finditer(text)
    ]
    assert found == []


def test_powers_that_unicode_can_write_are_superscripts(bank):
    found = [
        (item.id, field, text[max(m.start() - 6, 0) : m.end() + 2])
        for item in bank
        for field, text in readable_texts(item)
        for m in PLAIN_POWER.finditer(text)
    ]
    assert found == []


def test_the_notation_checks_catch_latex_and_underscores():
    assert BRACES.search("m_t = (1 − β₁)·Σ_{i=1}^{t} β₁^{t−i}·gᵢ")
    assert BRACES.search("pos/10000^{2i/d}")
    assert SINGLE_INDEX.search("h_t = tanh(x_t·W_x + b)")
    assert not SINGLE_INDEX.search("Var(W) = 2/(n_in + n_out), d_model, W_Q, p_data, hₜ₋₁")
    assert PLAIN_POWER.search("σ(z) = 1/(1 + e^(−z))") and PLAIN_POWER.search("e^z/(1 + e^z)")
    assert not PLAIN_POWER.search("e⁻ᶻ, softmax = e^(zᵢ)/Σⱼ e^(zⱼ), pos/10000^(2i/d)")


# --------------------------------------------------------------------------- formulas stay whole

ARITHMETIC = set("+−±∓×·⊙/~|‖∈")
RELATIONS = set("=≠≈≤≥<>⇒⇔→←")
FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tanh", "sign"}
BIG = re.compile(r"^[ΣΠ][ᵢⱼₖₗₘₙₜₚ₀-₉₊₋₌]*$")  # a sum sign waiting for its summand
LEAD = re.compile(r"^\s*(?:│\s*)?(?P<marker>[•!]|\d+\.|\d+/\d+)?\s*")


def content(line: str) -> tuple[str, bool]:
    """A rendered line without panel borders, list markers and step numbers; and whether it had a marker
    (then it begins a new key point, pitfall or step, not a continuation)."""
    match = LEAD.match(line)
    return line[match.end() :].rstrip().rstrip("│").rstrip(), match.group("marker") is not None


SHORT_WORDS = {"is", "at", "of", "to", "in", "an", "as", "on", "or", "by", "if", "so", "it", "be", "we"}


def is_prose(token: str) -> bool:
    word = token.strip(",.;:()")
    if word in SHORT_WORDS:
        return True
    if re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z]+)+", word):  # k-means, element-wise
        return True
    return re.fullmatch(r"[A-Za-z][a-z]{2,}", word) is not None and word not in FUNCTIONS


def is_operator(token: str) -> bool:
    return token in ARITHMETIC or token in RELATIONS


def depth_change(token: str) -> int:
    return sum(token.count(c) for c in "([{") - sum(token.count(c) for c in ")]}")


def formula_tail(tokens: list[str]) -> list[str]:
    """The formula a line ends with: back to a prose word or a comma, semicolon or colon outside brackets.

    A word next to an operator is one of its operands ("= correct + …"), so it belongs to the formula.
    """
    out: list[str] = []
    depth = 0  # brackets closed to the right of the current token and not yet opened
    for token in reversed(tokens):
        operand = not out or is_operator(out[0])
        if depth == 0 and ((is_prose(token) and not operand) or (out and token[-1] in ",;:")):
            break
        out.insert(0, token)
        depth = max(depth - depth_change(token), 0)
    return out


def formula_head(tokens: list[str]) -> list[str]:
    """The formula a line starts with: up to a prose word or a comma, semicolon or colon outside brackets."""
    out: list[str] = []
    depth = 0
    for token in tokens:
        operand = bool(out) and is_operator(out[-1])
        if depth == 0 and is_prose(token) and not operand:
            break
        out.append(token)
        depth = max(depth + depth_change(token), 0)
        if depth == 0 and token[-1] in ",;:.":
            break
    return out


def open_math_bracket(line: str) -> str | None:
    """The text after the last bracket the line leaves open, if it is short and reads as mathematics."""
    stack = []
    for index, char in enumerate(line):
        if char in "([{":
            stack.append(index)
        elif char in ")]}" and stack:
            stack.pop()
    if not stack:
        return None
    rest = line[stack[-1] + 1 :]
    if rest.endswith(",") and len(rest) <= 20 and not re.search(r"[A-Za-z]{3,}", rest):
        return rest  # "N(0," or "max(z," or "[0.090,": the bracket's next term went to the next line
    return None


def splits(text: str, code: str = "") -> list[str]:
    """Every place where a rendered text breaks a formula across two lines (lines of ``code`` aside)."""
    lines = [content(line) for line in text.splitlines()]
    found = []
    for (line, _), (after, new_entry) in pairwise(lines):
        if not line.strip() or not after.strip() or new_entry or line.strip() in code or after.strip() in code:
            continue
        last, first = line.split()[-1], after.split()[0]
        where = f"{line[-30:]!r} ⏎ {after[:30]!r}"
        if last in ARITHMETIC | RELATIONS or last in FUNCTIONS or BIG.match(last):
            found.append(f"line ends with {last!r}: {where}")
        elif first in ARITHMETIC:
            found.append(f"line starts with {first!r}: {where}")
        elif first in RELATIONS:
            # a long formula may break before a relation, as a displayed equation does; a short one may not
            formula = formula_tail(line.split()) + formula_head(after.split())
            if len(" ".join(formula)) <= formulas.LONG_FORMULA:
                found.append(f"short formula split before {first!r}: {where}")
        elif (rest := open_math_bracket(line)) is not None:
            found.append(f"line ends inside a bracket after {rest!r}: {where}")
    return found


def rendered(item: Item, width: int = 80) -> str:
    console = make_console(width=width, file=io.StringIO(), color_system=None)
    render_item(console, item, code=False)  # the reference code is Python, wrapped by its own rules
    if item.choices:
        console.print(question_panel(item, choice=True))
    return console.file.getvalue()


def fenced_code(item: Item) -> str:
    return "\n".join(re.findall(r"```.*?```", f"{item.question}\n{item.answer}", re.DOTALL))


def test_no_formula_is_split_at_80_columns(bank):
    texts = {item.id: rendered(item) for item in bank}
    found = {item.id: splits(texts[item.id], fenced_code(item)) for item in bank}
    assert {k: v for k, v in found.items() if v} == {}
    assert [k for k, text in texts.items() if formulas.GLUE in text] == []  # the placeholder never reaches the screen


@pytest.mark.parametrize("width", [60, 120])
def test_no_formula_is_split_at_other_widths(bank, width):
    found = {item.id: splits(rendered(item, width), fenced_code(item)) for item in bank}
    assert {k: v for k, v in found.items() if v} == {}


# Formulas the content review saw cut at 80 columns (S1), and the other kinds the renderer keeps whole.
FORMULAS = (
    "∂L/∂w = 12",
    "h = 10⁻³",
    "η = 0.1",
    "dZ₂ = (p − y)/N",
    "N(0, σ²)",
    "max(z, 0)",
    "log p",
    "Σᵢ wᵢxᵢ",
    "1 ± ρ",
)


def layouts(formula: str, text_renderer) -> list[str]:
    """The formula, after words of every length, rendered at 40 columns: somewhere it meets the line end."""
    console = make_console(width=40, file=io.StringIO(), color_system=None)
    for filler in range(30, 41):
        console.print(text_renderer("z" * filler + " " + formula + " and more words after it"))
        console.print()
    return console.file.getvalue().split("\n\n")


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_detector_catches_a_split_formula(formula, monkeypatch):
    from dlquiz.ui import items

    monkeypatch.setattr(items, "glue", lambda text: text)  # a renderer that lets rich break at any space
    assert any(splits(layout) for layout in layouts(formula, items.prose))


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_renderer_never_splits_those_formulas(formula):
    from dlquiz.ui import items

    assert [splits(layout) for layout in layouts(formula, items.prose) if splits(layout)] == []
    assert all(formula in " ".join(layout.split()) for layout in layouts(formula, items.prose) if layout.strip())


def planted(answer: str) -> Item:
    return Item(
        id="planted",
        topic="planted",
        difficulty="easy",
        question="Where does the line break?",
        answer=answer,
        key_points=("one", "two"),
        choices=Choices("a", ("b", "c", "d")),
    )


def test_a_stem_replaces_the_question_in_the_choice_panel():
    item = planted("An answer.")
    item = Item(**{**item.__dict__, "choices": Choices("a", ("b", "c", "d"), stem="Which option is right?")})
    console = make_console(width=80, file=io.StringIO(), color_system=None)
    console.print(question_panel(item, choice=True))
    console.print(question_panel(item))
    text = console.file.getvalue()
    assert text.index("Which option is right?") < text.index("Where does the line break?")


# --------------------------------------------------------------------------- the glue itself


def test_glue_keeps_code_and_prose_apart():
    text = "Set `x = a + b`, θ ← θ − ηg, log p for (linear model, SVM, random forest).\n\n```python\ny = 1 + 2\n```"
    glued = formulas.glue(text)
    assert "```python\ny = 1 + 2\n```" in glued  # a code block is never touched
    assert f"`x{formulas.GLUE}={formulas.GLUE}a{formulas.GLUE}+{formulas.GLUE}b`" in glued  # short inline code: whole
    assert f"θ{formulas.GLUE}←{formulas.GLUE}θ{formulas.GLUE}−{formulas.GLUE}ηg" in glued
    assert f"log{formulas.GLUE}p" in glued
    assert "(linear model, SVM, random forest)" in glued  # a parenthetical remark may wrap
    assert formulas.unglue(glued) == text


def test_glue_never_invents_a_space():
    for text in ("Σₚ ‖gₚ‖²", "|b|/‖w‖", "(−1, 1)", "x = −1", "a ~ N(0, σ²)"):
        assert formulas.unglue(formulas.glue(text)) == text


def test_a_formula_split_across_yaml_lines_is_joined():
    glued = formulas.glue("so E[mₜ] =\n    (1 − β₁ᵗ)·E[g] holds")
    assert "E[mₜ]" + formulas.GLUE + "=" + formulas.GLUE + "(1" in glued


# --------------------------------------------------------------------------- the Python a learner reads


def python_texts(path):
    """(line, text) of every string literal and comment in a module, f-string fields removed."""
    import tokenize

    with open(path, encoding="utf-8") as handle:
        for token in tokenize.generate_tokens(handle.readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
            elif token.type == tokenize.STRING:
                prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()
                text = re.sub(r"\{[^{}]*\}", "", token.string) if "f" in prefix else token.string
                yield token.start[0], text


def test_no_latex_braces_in_demos_exercises_or_reference_docstrings():
    from pathlib import Path

    import dlquiz

    root = Path(dlquiz.__file__).parent
    found = [
        f"{path.relative_to(root)}:{line}: {text.strip()[:60]}"
        for package in ("demos", "exercises", "reference")
        for path in sorted((root / package).glob("*.py"))
        for line, text in python_texts(path)
        if BRACES.search(text)
    ]
    assert found == []

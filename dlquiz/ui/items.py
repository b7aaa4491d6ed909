"""How one item looks: the question, the answer, key points, pitfalls, derivation and code."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dlquiz.bank.links import sources as link_sources
from dlquiz.model import Item, Step
from dlquiz.ui.formulas import Unglued, glue

CODE_THEME = "ansi_dark"  # one look for code in questions, answers and the reference source

# Text that needs Markdown to read right: code, emphasis, lists, headings, paragraphs.
_MARKDOWN = re.compile(r"`|\*\*|__|^\s*(?:[-*+]|\d+\.)\s|^#|\n\s*\n", re.MULTILINE)


def prose(text: str):
    """Markdown for text that uses it, plain wrapped text otherwise; formulas never break across lines.

    rich.markdown (with markdown-it and pygments) costs tens of milliseconds to import; most questions
    are one plain sentence, so the first review card need not pay for it.
    """
    if _MARKDOWN.search(text):
        from rich.markdown import Markdown

        return Unglued(Markdown(glue(text), code_theme=CODE_THEME))
    return Unglued(Text(glue(" ".join(text.split()))))


def formula_text(text: str, style: str = "") -> Unglued:
    """One line of bank text (a key point, a pitfall, a derivation step) whose formulas stay whole.

    A Text, not markup: 'E[g²]' must not be read as a style.
    """
    return Unglued(Text(glue(text), style=style))


def item_header(item: Item, room: int | None = None) -> Text:
    """`id · topic · difficulty` as one line; within ``room`` cells, the difficulty and then the topic are left
    out rather than cut in the middle."""
    parts = [(item.id, "id"), (item.topic, "topic"), (item.difficulty, item.difficulty)]
    while len(parts) > 1 and room is not None and sum(len(t) for t, _ in parts) + 5 * (len(parts) - 1) > room:
        parts.pop()
    header = Text()
    for n, (text, style) in enumerate(parts):
        header.append("  ·  " if n else "")
        header.append(text, style=style)
    return header


class ItemPanel(Panel):
    """A panel titled with its item's header, fitted to the width it is drawn at (a narrow terminal drops the
    difficulty, then the topic, instead of cutting the title mid-word)."""

    def __init__(self, renderable, item: Item, **kwargs):
        super().__init__(renderable, title=item_header(item), title_align="left", border_style="cyan", **kwargs)
        self.item = item

    def __rich_console__(self, console, options):
        width = options.max_width if self.width is None else min(self.width, options.max_width)
        self.title = item_header(self.item, room=width - 6)  # the corner, a rule cell and a space on each side
        yield from super().__rich_console__(console, options)


def question_panel(item: Item, *, choice: bool = False) -> Panel:
    """The question boxed, id · topic · level on top and the tags underneath (a title would cut them).

    With ``choice``, the question the options answer: the choices' own stem when the item has one.
    """
    tags = Text(", ".join(item.tags), style="muted") if item.tags else None
    stem = item.choices.stem if choice and item.choices and item.choices.stem else None
    return ItemPanel(prose(stem or item.question), item, subtitle=tags, subtitle_align="right")


def bullets(marker: str, style: str, lines: tuple[str, ...] | list[str], *, numbered: bool = False) -> Table:
    """A bulleted (or numbered) list whose wrapped lines stay indented under their text."""
    markers = [f"{n}." for n in range(1, len(lines) + 1)] if numbered else [marker] * len(lines)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=max((len(m) for m in markers), default=1) + 2, justify="right", style=style, no_wrap=True)
    grid.add_column(overflow="fold")
    for mark, line in zip(markers, lines, strict=True):
        grid.add_row(mark, formula_text(line))
    return grid


def answer_block(item: Item) -> Group:
    """The model answer followed by its key points."""
    return Group(
        prose(item.answer), Text(""), Text("Key points", style="heading"), bullets("•", "key", item.key_points)
    )


def pitfalls_block(item: Item) -> Group:
    return Group(Text("Pitfalls", style="heading"), bullets("!", "bad", item.pitfalls))


def step_row(number: int, total: int, text: str, style: str) -> Table:
    """One line of a derivation, numbered "n/N" on its first line and hanging-indented after it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=len(f"{total}/{total}") + 2, justify="right", style="muted", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(f"{number}/{total}" if number else "", formula_text(text, style))
    return grid


def step_block(number: int, total: int, step: Step, with_why: bool = True) -> Group:
    """A derivation step: the statement in bold, and under it (indented alike) why it holds."""
    rows = [step_row(number, total, step.step, "bold")]
    if with_why:
        rows.append(step_row(0, total, step.why, "muted"))
    return Group(*rows)


def derivation_block(item: Item) -> Group:
    total = len(item.derivation)
    return Group(
        Text("Derivation", style="heading"), *(step_block(i, total, s) for i, s in enumerate(item.derivation, 1))
    )


def code_blocks(item: Item, links: tuple[str, ...] | None = None) -> list:
    """Each linked reference object's source, then the private helpers it calls (each once), syntax-
    highlighted, numbered with its lines in the file (so wrapped lines stay visibly inside the code),
    under its name and location."""
    from rich.syntax import Syntax

    blocks: list = []
    shown: set[str] = set()
    for link in item.code if links is None else links:
        for part in link_sources("code", link):
            if part.name in shown:
                continue
            shown.add(part.name)
            blocks.append(Text(f"{part.name}  ({part.path}:{part.line})", style="muted"))
            blocks.append(
                Syntax(part.text, "python", theme=CODE_THEME, line_numbers=True, start_line=part.line, word_wrap=True)
            )
            blocks.append(Text(""))
    return blocks


def render_code(console: Console, item: Item, *, first_only: bool = False) -> None:
    """The linked reference code; with ``first_only``, the first object in full and the others named."""
    if not item.code:
        console.print(Text("This item links no reference code.", style="muted"))
        return
    shown = item.code[:1] if first_only else item.code
    for block in code_blocks(item, shown):
        console.print(block)
    if len(shown) < len(item.code):
        rest = ", ".join(item.code[len(shown) :])
        console.print(Text(f"  also linked: {rest} (--all-code shows them)", style="muted"))


def render_item(
    console: Console,
    item: Item,
    *,
    code: bool = True,
    all_code: bool = False,
    derivation: bool = True,
    schedule: str | None = None,
    question: bool = True,
) -> None:
    """Everything `dlquiz show` prints for an item; ``schedule`` is its card's status line, if any."""
    if question:
        console.print(question_panel(item))
    if schedule:
        console.print(Text("  " + schedule, style="muted"))
    console.print(Padding(answer_block(item), (0, 1)))
    if item.pitfalls:
        console.print()
        console.print(Padding(pitfalls_block(item), (0, 1)))
    if item.derivation and derivation:
        console.print()
        console.print(Padding(derivation_block(item), (0, 1)))
    extras = []
    if item.demo:
        extras.append(f"demo: dlquiz demo {item.id}")
    if item.exercise:
        extras.append(f"exercise: dlquiz exercise {item.id}")
    if item.implement:
        extras.append(f"code it yourself: dlquiz implement {item.implement}")
    if item.see_also:
        extras.append("see also: " + ", ".join(item.see_also))
    if extras:
        console.print()
        for line in extras:  # a wrapped see-also list stays indented under its label
            console.print(Padding(Text(line, style="muted"), (0, 0, 0, 2)))
    if item.code and code:
        render_code_section(console, item, all_code=all_code)


def render_code_section(console: Console, item: Item, *, all_code: bool = False) -> None:
    console.print()
    console.print(Text(" Code", style="heading"))
    render_code(console, item, first_only=not all_code)

"""The pieces every session screen is made of: key and button lines that wrap between pieces, the
progress line of a card, messages two columns in, and a screen that fits the window (the head and foot
stay put, a long body is paged).

Shared by the card, exercise and mock screens, so each looks and behaves the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from dlquiz.activities.views import Button, CardBase
from dlquiz.activities.vocabulary import Extra, SessionKind
from dlquiz.model import Rating
from dlquiz.scheduler import format_interval
from dlquiz.wording import plural  # noqa: F401 (the ui's modules import it from here too)

if TYPE_CHECKING:
    from dlquiz.activities.compare import Span

RATING_STYLES = {Rating.AGAIN: "bad", Rating.HARD: "medium", Rating.GOOD: "good", Rating.EASY: "key"}
EXTRA_KEYS = {Extra.DERIVATION: ("d", "derivation"), Extra.CODE: ("c", "code"), Extra.DEMO: ("r", "demo")}


# --------------------------------------------------------------------------- small pieces


def flow(pieces: Sequence[Text], width: int, indent: int = 2, gap: str = "   ") -> list[Text]:
    """Pieces (buttons, keys) on as few lines as fit ``width``, never breaking inside a piece."""
    lines: list[Text] = []
    line = Text(" " * indent)
    for piece in pieces:
        if line.cell_len > indent and line.cell_len + len(gap) + piece.cell_len > width:
            lines.append(line)
            line = Text(" " * indent)
        if line.cell_len > indent:
            line.append(gap, style="muted")
        line.append_text(piece)
    lines.append(line)
    return lines


def key_piece(key: str, what: str) -> Text:
    return Text.assemble((key, "key"), (" " + what, "muted"))


def grade_lines(buttons: Iterable[Button], width: int) -> list[Text]:
    """'1 Again · 1m   2 Hard · 6m   3 Good · 10m   4 Easy · 7d', wrapped between buttons."""
    pieces = [Text.assemble((f"{b.rating.value} ", "key"), (b.label, RATING_STYLES[b.rating])) for b in buttons]
    return flow(pieces, width)


def keys_lines(pairs: Iterable[tuple[str, str]], width: int) -> list[Text]:
    return flow([key_piece(k, w) for k, w in pairs], width, gap=" · ")


def marked(text: str, spans: Sequence[Span], style: str = "good", *, brackets: bool = False) -> Text:
    """``text`` with its ``spans`` in ``style``; with ``brackets`` (output without styles, such as a pipe)
    each span is also put between [ and ], so the marks still show."""
    if not brackets:
        out = Text(text)
        for span in spans:
            out.stylize(style, span.start, span.end)
        return out
    out, at = Text(), 0
    for span in sorted(spans, key=lambda s: s.start):
        out.append(text[at : span.start])
        out.append(f"[{text[span.start : span.end]}]", style=style)
        at = span.end
    out.append(text[at:])
    return out


def hanging(label: Text, body: RenderableType) -> Table:
    """``label body`` with the body's wrapped lines indented under its first line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text("  ") + label, body)
    return grid


def progress_text(view: CardBase) -> Text:
    p = view.progress
    if p.kind is SessionKind.REVIEW:
        line = Text(f"{p.position}/{p.total} · {p.due} due · {p.new} new", style="muted")
        if p.waiting:
            line.append(f" · {p.waiting} learning", style="muted")
    elif p.kind is SessionKind.EXERCISE:
        line = Text(f"Exercise {p.position}/{p.total} · {view.item.id} ({view.item.topic})", style="heading")
    else:
        line = Text(f"{p.position}/{p.total} · {p.right} right so far", style="muted")
    if p.kind is not SessionKind.REVIEW:
        if view.scheduled:
            line.append(" · this answer counts toward your schedule", style="medium")
        else:
            line.append(" · practice: not scheduled", style="muted")
    early = getattr(view, "early_ms", None)
    if early:
        line.append(f" · due in {format_interval(early)}, shown early: nothing else is left", style="medium")
    return line


# --------------------------------------------------------------------------- a screen that fits


MIN_PAGE = 3  # the fewest lines of a paged body shown
ROOM_FOR_MOVABLE = 6  # movable parts stay in the foot only if more lines than this are left for the body


def _height(console: Console, thing: RenderableType) -> int:
    return len(console.render_lines(thing, console.options, pad=False))


def fitted(
    screen,
    progress: Text,
    head: Sequence[RenderableType],
    body: Sequence[RenderableType],
    foot: Sequence[RenderableType],
    more: str = "↓ j more · ↑ k back",
    movable: Sequence[RenderableType] = (),
) -> None:
    """A clean screen: ``head`` at the top, ``foot`` at the bottom, ``body`` between, paged if too long.

    ``movable`` goes at the top of the foot when there is room for it and a few lines of the body, else at
    the end of the body (paged with it): on a short terminal a long list must not push the top off.
    """
    console = screen.console
    used = screen.fresh(progress)
    for thing in head:
        console.print(thing)
        used += _height(console, thing)
    lines = [line for thing in body for line in console.render_lines(thing, console.options, pad=False)]
    room = console.height - used - sum(_height(console, f) for f in foot) - 1  # the prompt line
    moved = sum(_height(console, m) for m in movable)
    if room - moved > ROOM_FOR_MOVABLE or room - moved >= len(lines):
        foot, room = [*movable, *foot], room - moved
    else:
        lines += [line for thing in movable for line in console.render_lines(thing, console.options, pad=False)]
    screen.pageable = len(lines) > room
    if not screen.pageable:
        shown = lines
    else:
        rows = screen.page_rows = max(MIN_PAGE, room - 1)
        screen.offset = min(max(screen.offset, 0), len(lines) - rows)
        shown = lines[screen.offset : screen.offset + rows]
    for line in shown:
        console.print(Segments([*line, Segment.line()]), end="")
    if screen.pageable:
        first, last = screen.offset + 1, screen.offset + len(shown)
        keys_text = more if last < len(lines) else more.split(" · ")[-1]
        console.print(Text(f"  ── lines {first}–{last} of {len(lines)} · {keys_text} ──", style="muted"))
    for line in foot:
        console.print(line)


def note(console: Console, text: str, style: str = "muted") -> None:
    console.print(indented(text, style))


def indented(text: str, style: str = "muted") -> Padding:
    """A message two columns in, its wrapped lines too (not expanded, so no line is padded to the width)."""
    return Padding(Text(text, style=style), (0, 0, 0, 2), expand=False)

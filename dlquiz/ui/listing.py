"""Tables of items: `dlquiz list` and `dlquiz search`."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from dlquiz.model import Item
from dlquiz.wording import plural

# One letter per optional part, so the table stays narrow at 80 columns.
FEATURE_MARKS = (
    ("code", "C"),
    ("demo", "D"),
    ("derivation", "∂"),
    ("choices", "M"),
    ("exercise", "E"),
    ("implement", "I"),
)
LEGEND = "C code  D demo  ∂ derivation  M choices  E exercise  I implement"


def feature_marks(item: Item) -> str:
    has = set(item.features())
    return " ".join(mark if name in has else "·" for name, mark in FEATURE_MARKS)


def _style_codes(console: Console, style: str) -> tuple[str, str]:
    """The escape codes that open and close ``style`` on this console ('' when colour is off)."""
    if console.no_color or console.color_system is None or not style:
        return "", ""
    with console.capture() as captured:
        console.print(Text("\0", style=style), end="", soft_wrap=True)
    before, _, after = captured.get().partition("\0")
    return before, after


def aligned_lines(
    console: Console, header: list[str], rows: list[list[str]], styles: list[str | None], shrink: int | None = None
) -> list[str]:
    """Rows as aligned text lines (with colour codes when the console has colour).

    A rich Table measures every cell of every row, which takes seconds for ten thousand items; these
    lines cost a string join each. When the columns are wider than the console, column ``shrink``
    (else the widest) is cut with an ellipsis.
    """
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    gap = 2
    excess = sum(widths) + gap * (len(widths) - 1) - console.width
    if excess > 0:
        cut = shrink if shrink is not None else widths.index(max(widths))
        widths[cut] = max(len(header[cut]) + 1, widths[cut] - excess)

    def fit(text: str, width: int) -> str:
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"

    codes = [_style_codes(console, s or "") for s in styles]
    head_on, head_off = _style_codes(console, "bold")
    lines = [head_on + (" " * gap).join(fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip() + head_off]
    lines.append((" " * gap).join("─" * w for w in widths))
    for row in rows:
        cells = [on + fit(cell, w) + off for cell, w, (on, off) in zip(row, widths, codes, strict=True)]
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def render_list(console: Console, items: list[Item], extra: dict[str, dict[str, str]] | None = None) -> None:
    """The `dlquiz list` table; ``extra`` maps a column name to {item id: cell} (e.g. a due column)."""
    if not items:
        console.print("[muted]No items match.[/]")
        return
    header = ["id", "topic", "level", "has", *(extra or {})]
    rows = [
        [
            item.id,
            item.topic,
            item.difficulty,
            feature_marks(item),
            *(column.get(item.id, "") for column in (extra or {}).values()),
        ]
        for item in items
    ]
    styles = ["id", "topic", None, None, *([None] * len(extra or {}))]
    lines = aligned_lines(console, header, rows, styles, shrink=1)  # ids stay whole; topics may be cut
    console.file.write("\n".join(lines) + "\n")
    console.print(f"[muted]{plural(len(items), 'item')} · {LEGEND}[/]")


def render_tags(console: Console, counts: list[tuple[str, int]]) -> None:
    """`dlquiz list --tags`: each tag and its number of items, in columns down the page as ls sets them out
    (each column as wide as its own longest tag); one 'tag count' a line when piped, for grep and sort."""
    if not counts:
        console.print("[muted]No tags.[/]")
        return
    lines = _columns(counts, console.width) if console.is_terminal else [f"{tag} {n}" for tag, n in counts]
    console.file.write("\n".join(lines) + "\n")
    console.print(f"[muted]{plural(len(counts), 'tag')} · dlquiz list --tag TAG lists its items[/]")


def _columns(counts: list[tuple[str, int]], width: int, gap: int = 3) -> list[str]:
    """The most columns (filled top to bottom) whose widths fit in ``width``."""
    for wanted in range(len(counts), 0, -1):
        rows = -(-len(counts) // wanted)
        columns = [counts[i : i + rows] for i in range(0, len(counts), rows)]
        sizes = [(max(len(t) for t, _ in c), max(len(str(n)) for _, n in c)) for c in columns]
        if sum(a + 1 + b for a, b in sizes) + gap * (len(columns) - 1) <= width or wanted == 1:
            break
    cells = [
        [f"{tag.ljust(a)} {str(n).rjust(b)}" for tag, n in column]
        for column, (a, b) in zip(columns, sizes, strict=True)
    ]
    return [(" " * gap).join(c[r] for c in cells if r < len(c)).rstrip() for r in range(rows)]


def question_line(item: Item) -> str:
    """The question as one line of prose: a code block becomes '[code]'."""
    from dlquiz.search import one_line

    return one_line(item.question)


FIELD_LABELS = {
    "answer": "answer",
    "key_points": "key point",
    "pitfalls": "pitfall",
    "derivation": "derivation",
    "tags": "tags",
    "id": "id",
    "topic": "topic",
}


def highlighted(text: str, spans, style: str = "match") -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize(style, start, end)
    return out


def render_search(console: Console, query, hits, total: int | None = None) -> None:
    """The best matches, each as its id and topic, its question, and where it matched when that is elsewhere.

    ``hits`` are :class:`dlquiz.search.Hit`; ``total`` is how many matched in all, when only some are shown.
    """
    from dlquiz.search import highlights, snippet, terms_of, window

    width = max(40, console.width)
    for hit in hits:
        terms = hit.patterns or terms_of(query)
        line = Text()
        line.append(hit.item.id, style="id")
        line.append("  ")
        line.append(hit.item.topic, style="topic")
        console.print(line, no_wrap=True, overflow="ellipsis")
        question = question_line(hit.item)
        spans = highlights(question, terms)
        if spans:  # cut around the match, so it shows
            shown = window("question", question, spans, width - 2)
            console.print(Text("  ") + highlighted(shown.text, shown.spans), no_wrap=True, overflow="ellipsis")
            continue
        cut = question if len(question) <= width - 2 else question[: width - 3] + "…"
        console.print(Text("  " + cut), no_wrap=True, overflow="ellipsis")
        found = snippet(hit, query, width=width - 16)
        if found is not None:
            label = FIELD_LABELS.get(found.field, found.field)
            where = Text(f"    {label}: ", style="muted") + highlighted(found.text, found.spans)
            console.print(where, no_wrap=True, overflow="ellipsis")
    total = len(hits) if total is None else total
    counted = f"{len(hits)} of {total} matches" if total > len(hits) else plural(total, "match", "matches")
    console.print(Text(f"{counted} · dlquiz show ID for the answer", style="muted"))


def search_json(query, hits) -> list[dict]:
    """The matches as plain data for ``search --json``: id, topic, score, question, and the best snippet."""
    from dlquiz.search import snippet

    out = []
    for hit in hits:
        found = snippet(hit, query, width=160)
        out.append(
            {
                "id": hit.item.id,
                "topic": hit.item.topic,
                "difficulty": hit.item.difficulty,
                "score": round(hit.score, 2),
                "matched_in": list(hit.matched),
                "question": question_line(hit.item),
                "snippet": {"field": found.field, "text": found.text, "matches": [list(s) for s in found.spans]}
                if found
                else None,
            }
        )
    return out

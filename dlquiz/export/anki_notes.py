"""An item as an Anki note: its fields as HTML, its GUID, deck and tags, and the tab-separated note file.

The note file (``dlquiz export --format anki``) targets Anki's stock Basic note type (Front, Back), so
the back carries the answer, key points, pitfalls, derivation and code; the package
(:mod:`dlquiz.export.anki_package`) has a note type of its own with one field per part. Both give a note the
same GUID (``dlquiz-<id>``), so re-importing an edited bank updates notes instead of duplicating them.

Markdown becomes HTML through markdown-it-py (which rich already depends on). Line breaks that only
wrapped the YAML source become spaces, as they do in any Markdown viewer and in ``dlquiz show``; only
code keeps its lines. Each field is one line of HTML, so it fits in one cell of the note file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from dlquiz.model import Item

ROOT_DECK = "dlquiz"
GUID_PREFIX = "dlquiz-"  # never change it: Anki finds the notes it already has by this GUID


def guid(item: Item) -> str:
    return f"{GUID_PREFIX}{item.id}"


def deck_name(item: Item) -> str:
    """One deck per topic under a dlquiz deck: ``dlquiz::optimizers``."""
    return f"{ROOT_DECK}::{item.topic}"


def tags(item: Item) -> list[str]:
    """``dlquiz``, ``dlquiz::<topic>``, ``dlquiz::<difficulty>`` and the item's own tags."""
    own = [tag.replace(" ", "-") for tag in item.tags]  # a space would split an Anki tag in two
    return [ROOT_DECK, f"{ROOT_DECK}::{item.topic}", f"{ROOT_DECK}::{item.difficulty}", *own]


# --------------------------------------------------------------------------- Markdown to one-line HTML


@cache
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})  # the bank is text: '<x>' in it is shown, never parsed
    md.renderer.rules["softbreak"] = lambda *_: " "  # a wrapped source line is a space, not a break
    return md


_PRE = re.compile(r"(<pre[^>]*>.*?</pre>)", re.DOTALL)


def one_line(rendered: str) -> str:
    """HTML without newlines: between tags they are dropped, inside ``<pre>`` they become ``<br>``, elsewhere
    they are spaces.

    A tab would end a cell of the note file, so tabs become four spaces.
    """
    parts = _PRE.split(rendered.strip().replace("\t", "    "))
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # a <pre> block: its lines are the code's
            out.append(part.rstrip("\n").replace("\n</code></pre>", "</code></pre>").replace("\n", "<br>"))
        else:
            part = re.sub(r">\s*\n\s*<", "><", part)
            part = re.sub(r"^\s*\n\s*|\s*\n\s*$", "", part)  # next to a <pre>
            out.append(re.sub(r"\s*\n\s*", " ", part))
    return "".join(out)


def block_html(text: str) -> str:
    """Markdown with paragraphs, lists and code blocks, as one line of HTML."""
    return one_line(_markdown().render(text))


def inline_html(text: str) -> str:
    """Markdown of one line (a key point, a pitfall): emphasis and code, no paragraph around it."""
    return one_line(_markdown().renderInline(text))


def list_html(lines: Iterable[str], tag: str = "ul") -> str:
    items = "".join(f"<li>{inline_html(line)}</li>" for line in lines)
    return f"<{tag}>{items}</{tag}>" if items else ""


def derivation_html(item: Item) -> str:
    """The steps as a numbered list: each statement, and under it why it holds."""
    rows = "".join(
        f'<li><div class="step">{inline_html(step.step)}</div><div class="why">{inline_html(step.why)}</div></li>'
        for step in item.derivation
    )
    return f'<ol class="derivation">{rows}</ol>' if rows else ""


def code_html(item: Item) -> str:
    """Each linked reference function's source in a ``<pre>``, under its name and file, followed by the
    private helpers it calls (each once; see :func:`dlquiz.bank.links.sources`)."""
    from dlquiz.bank import links

    blocks = []
    shown: set[str] = set()
    for link in item.code:
        for part in links.sources("code", link):
            if part.name in shown:
                continue
            shown.add(part.name)
            blocks.append(
                f'<div class="code-name">{html.escape(part.name)} '
                f'<span class="where">{html.escape(part.path)}:{part.line}</span></div>'
                f'<pre><code class="language-python">{html.escape(part.text)}</code></pre>'
            )
    return one_line("\n".join(blocks))


@dataclass(frozen=True)
class NoteFields:
    """The parts of an item as HTML, one per field of dlquiz's note type (empty when the item has none)."""

    question: str
    answer: str
    key_points: str
    pitfalls: str
    derivation: str
    code: str
    topic: str
    difficulty: str
    id: str


# The note type's field names, in order. Never rename or reorder them: Anki matches an imported note type
# to the one it has by its id and fields, and a change makes it a different note type.
FIELD_NAMES = ("Question", "Answer", "Key points", "Pitfalls", "Derivation", "Code", "Topic", "Difficulty", "Id")


def note_fields(item: Item) -> NoteFields:
    return NoteFields(
        question=block_html(item.question),
        answer=block_html(item.answer),
        key_points=list_html(item.key_points),
        pitfalls=list_html(item.pitfalls),
        derivation=derivation_html(item),
        code=code_html(item) if item.code else "",
        topic=html.escape(item.topic),
        difficulty=html.escape(item.difficulty),
        id=html.escape(item.id),
    )


def field_values(fields: NoteFields) -> list[str]:
    """The fields in the note type's order (FIELD_NAMES)."""
    return [
        fields.question,
        fields.answer,
        fields.key_points,
        fields.pitfalls,
        fields.derivation,
        fields.code,
        fields.topic,
        fields.difficulty,
        fields.id,
    ]


def basic_back(fields: NoteFields) -> str:
    """The back of a Basic note: the answer, then each part the item has under its own heading."""
    parts = [fields.answer]
    for title, body in (
        ("Key points", fields.key_points),
        ("Pitfalls", fields.pitfalls),
        ("Derivation", fields.derivation),
        ("Reference code", fields.code),
    ):
        if body:
            parts.append(f"<p><b>{title}</b></p>{body}")
    return "".join(parts)


# --------------------------------------------------------------------------- the note file

# Columns of the note file, named in its #columns header. Anki maps Front and Back to the Basic note
# type's fields by these names; GUID, Tags and Deck are read by the #... column directives.
TEXT_COLUMNS = ("GUID", "Front", "Back", "Tags", "Deck")


def to_anki_text(items: Iterable[Item]) -> str:
    """A tab-separated note file that Anki's File ▸ Import reads without questions asked.

    The header names the note type (Basic), the columns, and which column holds the GUID, the tags and
    the deck (``dlquiz::<topic>``, created on import), so the notes land in the right place whatever
    deck and note type the user last used.
    """
    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        "#columns:" + "\t".join(TEXT_COLUMNS),
        f"#guid column:{TEXT_COLUMNS.index('GUID') + 1}",
        f"#tags column:{TEXT_COLUMNS.index('Tags') + 1}",
        f"#deck column:{TEXT_COLUMNS.index('Deck') + 1}",
    ]
    for item in items:
        fields = note_fields(item)
        lines.append(
            "\t".join([guid(item), fields.question, basic_back(fields), " ".join(tags(item)), deck_name(item)])
        )
    return "\n".join(lines) + "\n"

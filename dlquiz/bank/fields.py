"""The fields of a bank item, as a table: each field's name, how its YAML is read, and the rules it obeys.

``FIELDS`` drives the whole item parser: a field that is not in the table is unknown (with a "did you
mean"), a required one that is absent is missing, and each present one is read by its reader, then
checked by its rules, each failure recorded as a Problem with the file, line, item and field. The
derivation steps and the choices are records of their own (``STEP_FIELDS``, ``CHOICES_FIELDS``), read the
same way. The link fields (``code``, ``demo``, ``exercise``) come from ``links.KINDS``; whether a link
resolves is checked later, with the other items in view.

Every text value must be free of control characters (other than newline and tab: no ESC, so no escape
sequence can reach a terminal or an export) and no field may hold more than ``MAX_FIELD_CHARS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dlquiz.bank import links
from dlquiz.bank.problems import Problem
from dlquiz.bank.yamlfile import MAP, SEQ, STR
from dlquiz.errors import CONTROL_CHARACTERS, visible
from dlquiz.model import Choices, Difficulty, Item, Step
from dlquiz.wording import did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The most characters one field may hold (all its texts together). The longest built-in field is an
# answer of about 1,500 characters; 20,000 is some 250 lines at 80 columns, more than anyone reads in
# a card, yet it stops a pasted log or a 50 MB answer from being loaded, searched and printed.
MAX_FIELD_CHARS = 20_000

_PLAIN_SCALARS = {STR, *(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null"))}


@dataclass(frozen=True)
class ItemRefs:
    """What the cross-file checks need of one parsed item, even of one with other problems: its id (None
    when it has no usable one) and place, its links and its see_also ids, each with its line."""

    id: str | None
    source: str
    line: int
    links: tuple[tuple[str, str, int], ...]  # (kind, link, line)
    see_also: tuple[str, ...]
    see_also_line: int
    valid: bool  # parsed into an Item with no problem of its own


class Scope:
    """Where problems go while one item is read: its file, and its label (the id, or #line without one)."""

    def __init__(self, path: Path, name: str, problems: list[Problem], label: str):
        self.path = path
        self.name = name
        self.problems = problems
        self.label = label

    def problem(self, node: yaml.Node, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(self.name, line_of(node), message, self.label, field))


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


Reader = Callable[[Scope, yaml.Node, str], Any]  # (scope, node, field name) -> value, or None after a problem
Rule = Callable[[Any, Scope], "str | None"]  # (value, scope) -> what is wrong, or None


@dataclass(frozen=True)
class Field:
    """One field: how its YAML node is read, whether it must be there, and the rules its value obeys."""

    read: Reader
    required: bool = False
    rules: tuple[Rule, ...] = ()


# --------------------------------------------------------------------------- readers


def tag_ok(scope: Scope, node: yaml.Node, field: str | None) -> bool:
    allowed = _PLAIN_SCALARS if isinstance(node, yaml.ScalarNode) else {SEQ, MAP}
    if node.tag not in allowed:
        scope.problem(node, f"tag '{visible(node.tag, 60)}' is not allowed; use plain YAML values", field)
        return False
    return True


def read_text(scope: Scope, node: yaml.Node, field: str) -> str | None:
    if node.tag != STR and not tag_ok(scope, node, field):  # nearly every value is plain text: test that first
        return None
    if type(node) is not yaml.ScalarNode:
        scope.problem(node, "must be a text value, not a list or mapping", field)
        return None
    value = node.value.strip()
    if not value or (node.style is None and value in ("~", "null", "Null", "NULL")):
        scope.problem(node, "is empty", field)
        return None
    control = CONTROL_CHARACTERS.search(value)
    if control:
        shown = visible(_around(value, control.start()))
        scope.problem(
            node,
            f"contains the control character {visible(control.group())} (in '…{shown}…'); "
            "bank text may hold printable characters, tabs and newlines only",
            field,
        )
        return None
    return value


def _around(text: str, index: int, width: int = 12) -> str:
    return text[max(0, index - width) : index + width]


def read_texts(scope: Scope, node: yaml.Node, field: str) -> tuple[str, ...] | None:
    if not tag_ok(scope, node, field):
        return None
    if not isinstance(node, yaml.SequenceNode):
        scope.problem(node, "must be a list", field)
        return None
    values = []
    for child in node.value:
        value = read_text(scope, child, field)
        if value is None:
            return None
        values.append(value)
    return tuple(values)


def read_text_or_texts(scope: Scope, node: yaml.Node, field: str) -> tuple[str, ...] | None:
    """A list of texts, or one text standing for a list of one."""
    if isinstance(node, yaml.ScalarNode):
        value = read_text(scope, node, field)
        return None if value is None else (value,)
    return read_texts(scope, node, field)


def read_mapping(scope: Scope, node: yaml.Node, field: str | None) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
    """A mapping's entries by key (with the key node), reporting duplicate keys."""
    if not tag_ok(scope, node, field):
        return None
    if not isinstance(node, yaml.MappingNode):
        scope.problem(node, f"must be {'an item' if field is None else 'a mapping'} (key: value pairs)", field)
        return None
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            scope.problem(key_node, "keys must be plain names", field)
            return None
        key = key_node.value
        if key in entries:
            scope.problem(key_node, "is given twice", key if field is None else f"{field}.{key}")
            continue
        entries[key] = (key_node, value_node)
    return entries


def read_record(
    scope: Scope,
    entries: dict[str, tuple[yaml.Node, yaml.Node]],
    table: dict[str, Field],
    node: yaml.Node,
    prefix: str,
    done: tuple[str, ...] = (),
) -> dict[str, Any] | None:
    """Every field of ``table`` present in ``entries`` (except those ``done`` already), read and checked;
    None if anything was wrong.

    Unknown keys and missing required ones are problems too; ``prefix`` names the record in them
    (``choices.``), empty for an item's own fields.
    """
    before = len(scope.problems)
    for key, (key_node, _) in entries.items():
        if key not in table:
            hint = did_you_mean(key, table, 1) or f"; known fields: {', '.join(table)}"
            scope.problem(key_node, f"unknown field{hint}", prefix + key)
    values = {}
    for name, spec in table.items():
        if name in done:
            continue
        if name in entries:
            values[name] = read_field(scope, entries[name][1], prefix + name, spec)
        elif spec.required:
            scope.problem(node, "is required but missing", prefix + name)
    return values if len(scope.problems) == before else None


def read_field(scope: Scope, node: yaml.Node, name: str, spec: Field) -> Any:
    """One field read, measured and checked by its rules; None after any problem."""
    value = spec.read(scope, node, name)
    if value is None:
        return None
    size = len(value) if type(value) is str else _chars(value)
    if size > MAX_FIELD_CHARS:
        scope.problem(node, f"holds {size:,} characters; a field may hold at most {MAX_FIELD_CHARS:,}", name)
        return None
    for rule in spec.rules:
        wrong = rule(value, scope)
        if wrong:
            scope.problem(node, wrong, name)
            return None
    return value


def _chars(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if type(value) is tuple and all(type(part) is str for part in value):
        return sum(map(len, value))
    if isinstance(value, (Step, Choices)):
        return sum(_chars(part) for part in vars(value).values() if part is not None)
    return sum(_chars(part) for part in value)


def read_derivation(scope: Scope, node: yaml.Node, field: str) -> tuple[Step, ...] | None:
    if not tag_ok(scope, node, field):
        return None
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        scope.problem(node, "must be a non-empty list of {step, why} entries", field)
        return None
    steps = []
    for index, child in enumerate(node.value, start=1):
        where = f"{field}[{index}]"
        entries = read_mapping(scope, child, where)
        values = None if entries is None else read_record(scope, entries, STEP_FIELDS, child, f"{where}.")
        if values is None:
            return None
        steps.append(Step(**values))
    return tuple(steps)


def read_choices(scope: Scope, node: yaml.Node, field: str) -> Choices | None:
    entries = read_mapping(scope, node, field)
    values = None if entries is None else read_record(scope, entries, CHOICES_FIELDS, node, f"{field}.")
    if values is None:
        return None
    options = [values["correct"], *values["wrong"]]
    if len({o.casefold() for o in options}) != len(options):
        scope.problem(node, "options must all differ", field)
        return None
    return Choices(**values)


# --------------------------------------------------------------------------- rules


def valid_id(value: str, _scope: Scope) -> str | None:
    if ID_PATTERN.match(value):
        return None
    return f"'{visible(value, 60)}' is not a valid id (lower-case letters, digits and single hyphens)"


def names_the_file(value: str, scope: Scope) -> str | None:
    stem = scope.path.stem
    return None if value == stem else f"'{visible(value, 60)}' must equal the file's name '{stem}'"


def a_difficulty(value: str, _scope: Scope) -> str | None:
    levels = [level.value for level in Difficulty]
    return None if value in levels else f"must be easy, medium or hard (got '{visible(value, 60)}')"


def a_coding_exercise(value: str, _scope: Scope) -> str | None:
    """``implement`` names an exercise of ``dlquiz implement`` (read from its registry: metadata, no code)."""
    from dlquiz.implement.registry import EXERCISES

    ids = [exercise.id for exercise in EXERCISES]
    if value in ids:
        return None
    return f"'{visible(value, 60)}' is not a coding exercise{did_you_mean(value, ids)} ('dlquiz implement' lists them)"


def between(low: int, high: int, what: str = "entries") -> Rule:
    def rule(value: tuple[str, ...], _scope: Scope) -> str | None:
        return None if low <= len(value) <= high else f"needs {low} to {high} {what} (has {len(value)})"

    return rule


def valid_tags(value: tuple[str, ...], _scope: Scope) -> str | None:
    bad = [tag for tag in value if not ID_PATTERN.match(tag)]
    return f"tag '{visible(bad[0], 60)}' must be lower-case words joined by hyphens" if bad else None


# --------------------------------------------------------------------------- the tables

STEP_FIELDS: dict[str, Field] = {
    "step": Field(read_text, required=True),
    "why": Field(read_text, required=True),
}

CHOICES_FIELDS: dict[str, Field] = {
    "correct": Field(read_text, required=True),
    "wrong": Field(read_texts, required=True, rules=(between(1, 5, "wrong options"),)),
    "stem": Field(read_text),  # the question the options answer, when the item's open question does not fit
}

FIELDS: dict[str, Field] = {
    "id": Field(read_text, required=True, rules=(valid_id,)),
    "topic": Field(read_text, required=True, rules=(names_the_file,)),
    "difficulty": Field(read_text, required=True, rules=(a_difficulty,)),
    "question": Field(read_text, required=True),
    "answer": Field(read_text, required=True),
    "key_points": Field(read_texts, required=True, rules=(between(2, 6),)),
    "tags": Field(read_texts, rules=(valid_tags,)),
    "pitfalls": Field(read_texts),
    "derivation": Field(read_derivation),
    "choices": Field(read_choices),
    "see_also": Field(read_texts),
    "implement": Field(read_text, rules=(a_coding_exercise,)),
    **{kind.field: Field(read_text_or_texts if kind.many else read_text) for kind in links.KINDS.values()},
}


# --------------------------------------------------------------------------- one file


def parse_items(path: Path, name: str, root: yaml.Node, problems: list[Problem]) -> tuple[list[Item], list[ItemRefs]]:
    """The valid items of a file's root node, and the cross-check record of every item in it."""
    scope = Scope(path, name, problems, "")
    if root.tag != SEQ or not isinstance(root, yaml.SequenceNode):
        kind = "a mapping" if isinstance(root, yaml.MappingNode) else "a single value"
        scope.problem(root, f"the file holds {kind}; a bank file must be a YAML list of items (- id: ...)")
        return [], []
    items: list[Item] = []
    refs: list[ItemRefs] = []
    for node in root.value:
        parsed = _item(Scope(path, name, problems, f"#{line_of(node)}"), node, refs)
        if parsed is not None:
            items.append(parsed)
    return items, refs


def _item(scope: Scope, node: yaml.Node, refs: list[ItemRefs]) -> Item | None:
    before = len(scope.problems)
    entries = read_mapping(Scope(scope.path, scope.name, scope.problems, ""), node, None)
    if entries is None:
        return None
    item_id = None
    if "id" in entries:  # read first: every later problem of the item is labelled with it
        item_id = read_field(scope, entries["id"][1], "id", FIELDS["id"])
        scope.label = item_id or scope.label
    else:
        scope.problem(node, "is required but missing", "id")
    values = read_record(scope, entries, FIELDS, node, "", done=("id",))
    if values is not None:
        values.update({kind: links.current(kind, values[kind]) for kind in links.KINDS if kind in values})
    lines = {key: line_of(entries[key][1]) for key in (*links.KINDS, "see_also") if key in entries}
    start = line_of(node)
    raw = values if values is not None else _readable_refs(scope, entries)
    refs.append(
        ItemRefs(
            id=item_id,
            source=scope.name,
            line=start,
            links=tuple(
                (kind, link, lines.get(kind, start))
                for kind, spec in links.KINDS.items()
                for link in ((raw.get(kind) or ()) if spec.many else (raw.get(kind),))
                if link
            ),
            see_also=raw.get("see_also") or (),
            see_also_line=lines.get("see_also", start),
            valid=len(scope.problems) == before,
        )
    )
    if values is None or item_id is None or len(scope.problems) > before:
        return None
    return Item(id=item_id, **values, source=scope.name, line=start)


def _readable_refs(scope: Scope, entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Any]:
    """The link and see_also values of an item that has other problems, read again without recording
    anything, so they are still checked against the rest of the bank."""
    quiet = Scope(scope.path, scope.name, [], scope.label)
    wanted = [*links.KINDS, "see_also"]
    return {
        key: links.current(key, read_field(quiet, entries[key][1], key, FIELDS[key]))
        for key in wanted
        if key in entries
    }

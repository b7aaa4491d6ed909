"""Reading one bank file safely: a regular file of bounded size, UTF-8, plain YAML composed into nodes.

A bank file may come from anyone (a shared directory, a download), so reading one must never hang, run
out of memory or run code:

- only regular files are read, and at most ``MAX_FILE_BYTES`` of one (``dlquiz.bank.reading``);
- the YAML is composed into nodes, never constructed into objects, and no tag outside the plain YAML
  scalars, lists and mappings is accepted (the item fields check tags);
- anchors and aliases are refused: items never need them, and an alias repeats a node without copying
  it, so a small file could stand for gigabytes of text (alias amplification).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from dlquiz.bank.reading import NotRegularFile, TooLarge, UnreadableFile, read_regular
from dlquiz.errors import visible

# The largest file dlquiz reads as a bank file. The biggest built-in file is 42 kB; 4 MiB holds about
# 8,000 items of the length of the built-in ones, far more than a topic has, and still parses in well
# under a second. It stops a 50 MB answer before it is read.
MAX_FILE_BYTES = 4 * 1024 * 1024

if TYPE_CHECKING:  # both loaders have SafeLoader's interface; the stubs type the Python one
    from yaml import SafeLoader as _BaseLoader
else:  # the C parser is much faster; the pure-Python one behaves the same (PyYAML built without libyaml)
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


class FileProblem(Exception):
    """The file cannot be used at all; ``line`` 0 means the whole file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(_BaseLoader):
    """Composes nodes only. Every field of an item is text, so an untagged scalar is resolved as text
    without running YAML's implicit int/float/bool/null regexes (a third of the load time of a large
    bank). Explicit tags are kept as written, so ``!!python/...`` is still seen and rejected."""

    def resolve(self, kind, value, implicit):  # noqa: ARG002 (PyYAML's signature)
        if kind is yaml.ScalarNode:
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP


def read_bytes(path: Path) -> bytes:
    """The file's bytes; FileProblem if it is not a regular file, cannot be read, or is too large."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile as exc:
        raise FileProblem(0, f"the file {exc}; a bank file must be a plain file") from None
    except TooLarge as exc:
        raise FileProblem(0, f"the file {exc}; split it into several files") from None
    except UnreadableFile as exc:
        raise FileProblem(0, f"the file {exc}") from None


def decode(raw: bytes) -> str:
    """The file's text; FileProblem naming the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileProblem(
            line, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None


def compose(text: str) -> yaml.Node | None:
    """The document's root node (None for an empty document); FileProblem for bad YAML or any anchor."""
    if "&" in text:  # an anchor needs '&', and an alias needs an anchor: without one, skip the scan
        _refuse_anchors(text)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        begun = exc.context_mark
        if begun is not None and mark is not None and begun.line != mark.line:
            what += f" (it began at line {begun.line + 1})"
        raise FileProblem(mark.line + 1 if mark else 0, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere (raw ESC, NUL, ...)
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 0
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise FileProblem(
            line, f"the file holds the control character {visible(char)}; YAML allows printable characters only"
        ) from None
    except yaml.YAMLError as exc:
        raise FileProblem(0, f"YAML error: {exc}") from None


def _refuse_anchors(text: str) -> None:
    """FileProblem at the first anchor (&name) or alias (*name) in the text.

    Only the events are parsed (no nodes are built); a YAML syntax error is left for ``compose`` to
    report with its context.
    """
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            anchor = getattr(event, "anchor", None)  # an alias's name, or an anchor on a node
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                name = visible(str(anchor), 40)
                raise FileProblem(
                    event.start_mark.line + 1 if event.start_mark else 0,
                    f"YAML anchors and aliases (here &{name}) are not allowed in a bank file; write each value out",
                )
    except yaml.YAMLError:
        return

"""One bank file parsed into items, problems and cross-check records; from the cache when unchanged.

Parsing YAML is most of the time ``dlquiz list`` takes on a large bank, so each file's result is kept
in the cache (``dlquiz.bank.cache``: plain JSON) under a key made of the file's bytes (a BLAKE2 digest), its
topic and the code that parses it. The file is read (safely) on every load, so a file edited in the same
second, at the same size, is never mistaken for the old one. What is read back is checked as strictly
as what is parsed: every value has the type the model says, no text is longer than a field may be, and
(checked by ``dlquiz.bank.cache`` on the whole entry) none holds a control character; anything else counts
as no cache entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from dlquiz.bank import cache as disk
from dlquiz.bank.fields import MAX_FIELD_CHARS, ItemRefs, parse_items
from dlquiz.bank.links import KINDS
from dlquiz.bank.problems import Problem
from dlquiz.bank.yamlfile import FileProblem, compose, decode, read_bytes
from dlquiz.model import Choices, Item, Step

CACHE_FORMAT = 4  # bump when the cached form changes


@dataclass(frozen=True)
class Parsed:
    items: list[Item]
    refs: list[ItemRefs]
    problems: list[Problem]


def display(path: Path) -> str:
    """How a file is named in items and messages: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_file(path: Path, use_cache: bool = False) -> Parsed:
    name = display(path)
    try:
        raw = read_bytes(path)
    except FileProblem as problem:
        return Parsed([], [], [Problem(name, problem.line, problem.message)])
    if not use_cache:
        return _parse(path, name, raw)
    entry = "parse-" + hashlib.blake2b(str(path.resolve()).encode(), digest_size=12).hexdigest()
    key = {
        "format": CACHE_FORMAT,
        "code": _code_stamp(),
        "topic": path.stem,
        "bytes": hashlib.blake2b(raw, digest_size=20).hexdigest(),
    }
    stored = disk.read(entry, key)
    if stored is not None:
        try:
            return _decode(stored, name)
        except (ValueError, TypeError, KeyError):  # not what was written: parse afresh
            pass
    parsed = _parse(path, name, raw)
    disk.write(entry, key, _encode(parsed))
    return parsed


def _parse(path: Path, name: str, raw: bytes) -> Parsed:
    problems: list[Problem] = []
    try:
        root = compose(decode(raw))
    except FileProblem as problem:
        return Parsed([], [], [Problem(name, problem.line, problem.message)])
    if root is None:
        return Parsed([], [], [Problem(name, 1, "the file is empty; a bank file is a YAML list of items (- id: ...)")])
    items, refs = parse_items(path, name, root, problems)
    return Parsed(items, refs, problems)


@cache
def _code_stamp() -> list[list[Any]]:
    """The version and the files of the code that shapes a parse: a cached parse is only as good as they."""
    from dlquiz import __version__, errors, model
    from dlquiz.bank import fields, links, yamlfile

    stamps: list[list[Any]] = [[__version__]]
    for module in (errors, fields, links, model, yamlfile):
        info = Path(module.__file__ or "").stat()
        stamps.append([Path(module.__file__ or "").name, info.st_mtime_ns, info.st_size])
    return stamps


# --------------------------------------------------------------------------- the cached form


def _encode(parsed: Parsed) -> dict[str, Any]:
    items = [_plain(item) for item in parsed.items]
    refs = [
        [r.id, r.line, [list(link) for link in r.links], list(r.see_also), r.see_also_line, r.valid]
        for r in parsed.refs
    ]
    problems = [[p.line, p.message, p.item, p.field] for p in parsed.problems]
    return {"items": items, "refs": refs, "problems": problems}


_NONE = object()
_DEFAULTS = {cls: {f.name: f.default for f in fields(cls) if f.default is not MISSING} for cls in (Item, Step, Choices)}


def _plain(value: Any) -> Any:
    """An Item, Step or Choices as the dict ``asdict`` would give, without the fields that hold their
    default (a smaller file, read faster) and without ``source`` (given back on reading); shallow, so
    ten times faster than ``asdict``'s deep copy."""
    out = {}
    for name, field_value in vars(value).items():
        if name == "source" or field_value == _DEFAULTS[type(value)].get(name, _NONE):
            continue
        if type(field_value) is tuple:
            field_value = [_plain(v) if isinstance(v, Step) else v for v in field_value]
        elif isinstance(field_value, Choices):
            field_value = _plain(field_value)
        out[name] = field_value
    return out


def _decode(stored: Any, name: str) -> Parsed:
    """The parse read back; ValueError (or TypeError, KeyError) unless it is exactly what was written."""
    items = [_dataclass(Item, data, {"source": name}) for data in stored["items"]]
    refs = []
    for ref_id, line, ref_links, see_also, see_also_line, valid in stored["refs"]:
        checked = tuple((_kind(k), _text(link), _int(at)) for k, link, at in ref_links)
        refs.append(
            ItemRefs(_optional(ref_id), name, _int(line), checked, _texts(see_also), _int(see_also_line), _bool(valid))
        )
    problems = [
        Problem(name, _int(line), _text(message), _optional(item), _optional(field))
        for line, message, item, field in stored["problems"]
    ]
    return Parsed(items, refs, problems)


def _text(value: Any) -> str:
    # Control characters need no check here: cache.read refuses an entry that holds any.
    if type(value) is not str or len(value) > MAX_FIELD_CHARS:
        raise ValueError("not a text")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise ValueError("not a list")
    for text in value:
        if type(text) is not str or len(text) > MAX_FIELD_CHARS:
            raise ValueError("not a text")
    return tuple(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an int")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError("not a bool")
    return value


def _kind(value: Any) -> str:
    if value not in KINDS:
        raise ValueError("not a link kind")
    return value


def _steps(value: Any) -> tuple[Step, ...]:
    if type(value) is not list:
        raise ValueError("not a list")
    return tuple(_dataclass(Step, v) for v in value)


def _choices(value: Any) -> Choices | None:
    return None if value is None else _dataclass(Choices, value)


# An Item, Step or Choices field's annotation -> how its cached value is checked and rebuilt. The two
# commonest are checked inline in _dataclass (a function call per text costs a tenth of a large load).
TEXT, TEXTS = "str", "tuple[str, ...]"
_READ_BACK: dict[str, Callable[[Any], Any]] = {
    TEXT: _text,
    TEXTS: _texts,
    "str | None": _optional,
    "int": _int,
    "tuple[Step, ...]": _steps,
    "Choices | None": _choices,
}


@cache
def _annotations(cls: type) -> dict[str, str]:
    """Each field of ``cls`` -> its annotation; one without a check here (a new kind of field) makes
    every cached value of the class a miss, so the cache can never drop a field it does not know."""
    return {f.name: str(f.type) if str(f.type) in _READ_BACK else "" for f in fields(cls)}


@cache
def _defaults(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """The default of each field that has one, and the names of those that have none."""
    defaults = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    return defaults, frozenset(f.name for f in fields(cls) if f.default is MISSING)


def _dataclass(cls: Any, data: Any, given: dict[str, Any] | None = None) -> Any:
    """``cls`` rebuilt from its ``asdict`` form, every field checked by its annotation.

    The instance is filled in directly, as pickle does, rather than through the frozen dataclass's
    ``__init__`` (which sets each field through ``object.__setattr__``, a third of a large load):
    every field has been checked here, and a missing one without a default is refused.
    """
    annotations = _annotations(cls)
    if type(data) is not dict or not data.keys() <= annotations.keys():
        raise ValueError(f"not the fields of {cls.__name__}")
    defaults, required = _defaults(cls)
    values = dict(defaults)
    for name, value in data.items():
        kind = annotations[name]
        if kind == TEXT:
            if type(value) is not str or len(value) > MAX_FIELD_CHARS:
                raise ValueError("not a text")
        elif kind == TEXTS:
            if type(value) is not list:
                raise ValueError("not a list")
            for text in value:
                if type(text) is not str or len(text) > MAX_FIELD_CHARS:
                    raise ValueError("not a text")
            value = tuple(value)
        elif kind:
            value = _READ_BACK[kind](value)
        else:
            raise ValueError(f"a field of {cls.__name__} the cache does not know")
        values[name] = value
    if given:
        values.update(given)
    if not required <= values.keys():
        raise ValueError(f"a field of {cls.__name__} is missing")
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made

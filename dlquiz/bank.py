"""Load and validate the question bank: ``questions/*.yaml`` plus a user's own directory.

Every problem found is reported with the file, the line and the item id or field it concerns, and all
of them are collected before anything is raised, so ``dlquiz check`` can list them at once. Loading is
safe: documents are composed into nodes with PyYAML's (C)SafeLoader and any tag outside the plain
YAML scalars, lists and mappings (``!!python/object`` and friends) is an error, never code.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from dlquiz.errors import UserError
from dlquiz.model import Bank, Choices, Item, Step

try:  # the C parser is much faster; the pure-Python one behaves the same
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """Composes nodes only. Every field of an item is text, so an untagged scalar is resolved as
    text without running YAML's implicit int/float/bool/null regexes (a third of the load time of a
    large bank). Explicit tags are kept as written, so ``!!python/...`` is still seen and rejected.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


PACKAGE_DIR = Path(__file__).resolve().parent
DIFFICULTIES = ("easy", "medium", "hard")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_PATTERN = re.compile(r"^([a-z_][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
# kind of link -> the package it points into
LINK_PACKAGES = {"code": "reference", "demo": "demos", "exercise": "exercises"}

REQUIRED = ("id", "topic", "difficulty", "question", "answer", "key_points")
OPTIONAL = ("tags", "pitfalls", "derivation", "code", "demo", "choices", "exercise", "see_also")
FIELDS = REQUIRED + OPTIONAL

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_PLAIN_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the bank, located as precisely as the YAML allows."""

    file: str
    line: int
    message: str
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        about = []
        if self.item:
            about.append(f"item '{self.item}'")
        if self.field:
            about.append(f"field '{self.field}'")
        prefix = f"{where}: " + (" ".join(about) + ": " if about else "")
        return prefix + self.message


class BankError(UserError):
    """The bank has problems; ``problems`` lists every one of them."""

    SHOWN = 5  # a message is read, not scrolled: the first few, then a pointer to `dlquiz check`

    def __init__(self, problems: list[Problem], command: str = "dlquiz check"):
        self.problems = problems
        lines = [str(p) for p in problems]
        if len(lines) == 1:
            message = lines[0]
        else:
            message = f"the question bank has {len(lines)} problems:\n  " + "\n  ".join(lines[: self.SHOWN])
            if len(lines) > self.SHOWN:
                message += f"\n  ... and {len(lines) - self.SHOWN} more; '{command}' lists them all"
        super().__init__(message)


@dataclass(frozen=True)
class Entry:
    """What the cross-file checks need of one parsed item, even one with other problems: its id and
    place, its links and its see_also ids, each with the line it is on."""

    id: str
    source: str
    line: int
    links: tuple[tuple[str, str, int], ...]  # (kind, link, line)
    see_also: tuple[str, ...]
    see_also_line: int
    valid: bool  # parsed into an Item with no problem of its own


# --------------------------------------------------------------------------- locating files


def builtin_dir() -> Path:
    """The shipped questions: inside the package when installed, beside it in a checkout."""
    installed = PACKAGE_DIR / "questions"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "questions"


def user_dirs(bank_dir: str | os.PathLike | None = None) -> list[Path]:
    """The user's extra bank directories: ``--bank DIR`` if given, else ``$DLQUIZ_BANK``."""
    chosen = bank_dir if bank_dir is not None else os.environ.get("DLQUIZ_BANK")
    if not chosen:
        return []
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise UserError(f"bank directory {path} does not exist or is not a directory")
    return [path]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- parsing


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _FileParser:
    """Turns one YAML file into items, recording every problem instead of stopping at the first."""

    def __init__(self, path: Path):
        self.path = path
        self.name = _display(path)
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []

    def problem(self, line: int, message: str, item: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(self.name, line, message, item, field))

    def parse(self) -> list[Item]:
        """The file's valid items; every item with a usable id also lands in ``entries``."""
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self.problem(0, f"cannot read the file: {exc.strerror or exc}")
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem(
                line,
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
            )
            return []
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            what = " ".join(part for part in (exc.context, exc.problem) if part)
            begun = exc.context_mark
            if begun is not None and mark is not None and begun.line != mark.line:
                what += f" (it began at line {begun.line + 1})"
            self.problem(line, f"YAML syntax error: {what}")
            return []
        except yaml.YAMLError as exc:
            self.problem(0, f"YAML error: {exc}")
            return []
        if root is None:
            self.problem(1, "the file is empty; a bank file is a YAML list of items (- id: ...)")
            return []
        if root.tag != _SEQ or not isinstance(root, yaml.SequenceNode):
            kind = "a mapping" if isinstance(root, yaml.MappingNode) else "a single value"
            self.problem(_line(root), f"the file holds {kind}; a bank file must be a YAML list of items (- id: ...)")
            return []
        out = []
        for node in root.value:
            parsed = self._item(node)
            if parsed is not None:
                out.append(parsed)
        return out

    # -- scalar helpers

    def _tag_ok(self, node: yaml.Node, item: str | None, fld: str | None) -> bool:
        allowed = _PLAIN_SCALARS if isinstance(node, yaml.ScalarNode) else {_SEQ, _MAP}
        if node.tag not in allowed:
            self.problem(_line(node), f"tag {node.tag!r} is not allowed; use plain YAML values", item, fld)
            return False
        return True

    def _text(self, node: yaml.Node, item: str | None, fld: str) -> str | None:
        if not self._tag_ok(node, item, fld):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(_line(node), "must be a text value, not a list or mapping", item, fld)
            return None
        value = node.value.strip()
        if not value or (node.style is None and value in ("~", "null", "Null", "NULL")):
            self.problem(_line(node), "is empty", item, fld)
            return None
        return value

    def _text_list(
        self, node: yaml.Node, item: str | None, fld: str, allow_scalar: bool = False
    ) -> tuple[str, ...] | None:
        if allow_scalar and isinstance(node, yaml.ScalarNode):
            value = self._text(node, item, fld)
            return None if value is None else (value,)
        if not self._tag_ok(node, item, fld):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(_line(node), "must be a list", item, fld)
            return None
        values = []
        for child in node.value:
            value = self._text(child, item, fld)
            if value is None:
                return None
            values.append(value)
        return tuple(values)

    def _mapping(
        self, node: yaml.Node, item: str | None, fld: str | None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key (with the key node), reporting duplicate keys."""
        if not self._tag_ok(node, item, fld):
            return None
        if not isinstance(node, yaml.MappingNode):
            what = "an item" if fld is None else "a mapping"
            self.problem(_line(node), f"must be {what} (key: value pairs)", item, fld)
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(_line(key_node), "keys must be plain names", item, fld)
                return None
            key = key_node.value
            if key in entries:
                self.problem(_line(key_node), "is given twice", item, key if fld is None else f"{fld}.{key}")
                continue
            entries[key] = (key_node, value_node)
        return entries

    # -- one item

    def _item(self, node: yaml.Node) -> Item | None:
        entries = self._mapping(node, None, None)
        if entries is None:
            return None
        start = _line(node)
        item_id = None
        if "id" in entries:
            item_id = self._text(entries["id"][1], None, "id")
            if item_id is not None and not ID_PATTERN.match(item_id):
                self.problem(
                    _line(entries["id"][1]),
                    f"'{item_id}' is not a valid id (lower-case letters, digits and single hyphens)",
                    None,
                    "id",
                )
                item_id = None
        label = item_id or f"#{start}"
        before = len(self.problems)

        for key, (key_node, _) in entries.items():
            if key not in FIELDS:
                near = _closest(key, FIELDS)
                hint = f"; did you mean '{near}'?" if near else f"; known fields: {', '.join(FIELDS)}"
                self.problem(_line(key_node), f"unknown field{hint}", label, key)
        for key in REQUIRED:
            if key not in entries:
                self.problem(start, "is required but missing", label, key)

        values: dict = {}
        lines = {key: _line(value) for key, (_, value) in entries.items()}
        for key in ("topic", "difficulty", "question", "answer", "demo", "exercise"):
            if key in entries:
                values[key] = self._text(entries[key][1], label, key)
        for key in ("key_points", "tags", "pitfalls", "see_also"):
            if key in entries:
                values[key] = self._text_list(entries[key][1], label, key)
        if "code" in entries:
            values["code"] = self._text_list(entries["code"][1], label, "code", allow_scalar=True)
        if "derivation" in entries:
            values["derivation"] = self._derivation(entries["derivation"][1], label)
        if "choices" in entries:
            values["choices"] = self._choices(entries["choices"][1], label)

        difficulty = values.get("difficulty")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            self.problem(lines["difficulty"], f"must be easy, medium or hard (got '{difficulty}')", label, "difficulty")
        topic = values.get("topic")
        if topic is not None and topic != self.path.stem:
            self.problem(lines["topic"], f"'{topic}' must equal the file's name '{self.path.stem}'", label, "topic")
        key_points = values.get("key_points")
        if key_points is not None and not 2 <= len(key_points) <= 6:
            self.problem(lines["key_points"], f"needs 2 to 6 entries (has {len(key_points)})", label, "key_points")
        for tag in values.get("tags") or ():
            if not ID_PATTERN.match(tag):
                self.problem(lines["tags"], f"tag '{tag}' must be lower-case words joined by hyphens", label, "tags")

        if item_id is not None:
            links = tuple(
                (kind, link, lines.get(kind, start))
                for kind in LINK_PACKAGES
                for link in ((values.get(kind) or ()) if kind == "code" else (values.get(kind),))
                if link
            )
            valid = len(self.problems) == before
            self.entries.append(
                Entry(
                    item_id, self.name, start, links, values.get("see_also") or (), lines.get("see_also", start), valid
                )
            )
        if len(self.problems) > before or item_id is None:
            return None
        item = Item(
            id=item_id,
            topic=topic,
            difficulty=difficulty,
            question=values["question"],
            answer=values["answer"],
            key_points=key_points,
            tags=values.get("tags") or (),
            pitfalls=values.get("pitfalls") or (),
            derivation=values.get("derivation") or (),
            code=values.get("code") or (),
            demo=values.get("demo"),
            choices=values.get("choices"),
            exercise=values.get("exercise"),
            see_also=values.get("see_also") or (),
            source=self.name,
            line=start,
        )
        return item

    def _derivation(self, node: yaml.Node, label: str) -> tuple[Step, ...] | None:
        if not self._tag_ok(node, label, "derivation"):
            return None
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(_line(node), "must be a non-empty list of {step, why} entries", label, "derivation")
            return None
        steps = []
        for index, child in enumerate(node.value, start=1):
            where = f"derivation[{index}]"
            entries = self._mapping(child, label, where)
            if entries is None:
                return None
            extra = sorted(set(entries) - {"step", "why"})
            if extra:
                self.problem(
                    _line(child), f"unknown key(s) {', '.join(extra)}; a step has 'step' and 'why'", label, where
                )
                return None
            if "step" not in entries or "why" not in entries:
                self.problem(_line(child), "needs both 'step' and 'why'", label, where)
                return None
            step = self._text(entries["step"][1], label, f"{where}.step")
            why = self._text(entries["why"][1], label, f"{where}.why")
            if step is None or why is None:
                return None
            steps.append(Step(step, why))
        return tuple(steps)

    def _choices(self, node: yaml.Node, label: str) -> Choices | None:
        entries = self._mapping(node, label, "choices")
        if entries is None:
            return None
        extra = sorted(set(entries) - {"correct", "wrong", "stem"})
        if extra or "correct" not in entries or "wrong" not in entries:
            self.problem(
                _line(node),
                "needs 'correct' (text) and 'wrong' (a list of texts), and may have a 'stem' (text)",
                label,
                "choices",
            )
            return None
        correct = self._text(entries["correct"][1], label, "choices.correct")
        wrong = self._text_list(entries["wrong"][1], label, "choices.wrong")
        stem = self._text(entries["stem"][1], label, "choices.stem") if "stem" in entries else None
        if correct is None or wrong is None or ("stem" in entries and stem is None):
            return None
        if not 1 <= len(wrong) <= 5:
            self.problem(
                _line(entries["wrong"][1]), f"needs 1 to 5 wrong options (has {len(wrong)})", label, "choices.wrong"
            )
            return None
        options = [correct, *wrong]
        if len({o.casefold() for o in options}) != len(options):
            self.problem(_line(node), "options must all differ", label, "choices")
            return None
        return Choices(correct, wrong, stem)


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


# --------------------------------------------------------------------------- links


@cache
def _module_names(package: str, module: str) -> frozenset[str] | None:
    """Top-level names a module of ``dlquiz.<package>`` defines, read from its source without importing it.

    None when there is no such module. Reading the source keeps ``dlquiz list`` free of numpy and
    means a bank file can never make the tool import anything.
    """
    path = PACKAGE_DIR / package / f"{module}.py"
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (CACHE_FORMAT, str(path), stat.st_mtime_ns, stat.st_size)
    return _disk_cached(f"names-{package}-{module}", key, lambda: _top_level_names(path))


def _top_level_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return frozenset(names)


def link_problem(kind: str, link: str) -> str | None:
    """Why ``link`` (a ``code``, ``demo`` or ``exercise`` value) does not resolve, or None if it does."""
    package = LINK_PACKAGES[kind]
    match = LINK_PATTERN.match(link)
    if not match:
        return f"'{link}' must be written module.name and point into dlquiz.{package}"
    module, name = match.groups()
    names = _module_names(package, module)
    if names is None:
        return f"'{link}': dlquiz.{package} has no module '{module}'; links may only point into dlquiz.{package}"
    if name not in names:
        near = _closest(name, names)
        hint = f"; did you mean '{module}.{near}'?" if near else ""
        return f"'{link}': dlquiz.{package}.{module} has no '{name}'{hint}"
    return None


def import_link(kind: str, link: str):
    """The object a link names, imported (only call this for links that passed validation)."""
    import importlib

    problem = link_problem(kind, link)
    if problem:
        raise UserError(problem)
    module, name = link.split(".")
    return getattr(importlib.import_module(f"dlquiz.{LINK_PACKAGES[kind]}.{module}"), name)


# --------------------------------------------------------------------------- the whole bank


def bank_files(extra: Iterable[Path] = ()) -> list[Path]:
    files = sorted(builtin_dir().glob("*.yaml"), key=_topic_order)
    for directory in extra:
        files.extend(sorted(directory.glob("*.yaml")))
    return files


# Topic files in the order the curriculum teaches them; unknown topics follow alphabetically.
TOPIC_ORDER = (
    "foundations",
    "activations",
    "training-and-backprop",
    "losses",
    "optimizers",
    "regularization",
    "normalization",
    "initialization",
    "gradients",
    "cnn",
    "sequence",
    "attention",
    "evaluation",
    "generative",
    "representation-learning",
    "transformers-and-llms",
    "training-at-scale",
    "efficiency",
)


def _topic_order(path: Path) -> tuple[int, str]:
    stem = path.stem
    return (TOPIC_ORDER.index(stem) if stem in TOPIC_ORDER else len(TOPIC_ORDER), stem)


# Bump when the parsed form changes, so old caches are ignored.
CACHE_FORMAT = 3


def _disk_cached(name: str, key: tuple, compute):
    """``compute()``, or the result it gave before under the same ``key``, kept in the cache directory.

    The cache is only ever a copy: a missing, stale or unreadable entry means computing afresh, and
    failing to store one is ignored.
    """
    import pickle

    from dlquiz.paths import cache_dir

    directory = cache_dir()
    if directory is None:
        return compute()
    cache = directory / "bank" / f"{name}.pickle"
    try:
        with open(cache, "rb") as handle:
            cached_key, value = pickle.load(handle)
        if cached_key == key:
            return value
    except Exception:  # missing, old format, truncated: compute afresh
        pass
    value = compute()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError:
        pass
    return value


def _parse_file(path: Path, use_cache: bool) -> tuple[list[Item], list[Entry], list[Problem]]:
    """One file's items and problems, from the cache when the file is unchanged.

    Parsing YAML is most of the time `dlquiz list` takes on a large bank; an unchanged file (same
    size and modification time) is read back from the cache in a fraction of that.
    """
    parser = _FileParser(path)

    def parse() -> tuple[list[Item], list[Entry], list[Problem]]:
        return parser.parse(), parser.entries, parser.problems

    if not use_cache:
        return parse()
    import hashlib

    from dlquiz import __version__

    try:
        stat = path.stat()
    except OSError:
        return parse()
    key = (CACHE_FORMAT, __version__, parser.name, stat.st_mtime_ns, stat.st_size)
    # Items name their file as seen from the working directory, so each directory keeps its own entry.
    entry = hashlib.sha1(f"{path.resolve()}\0{parser.name}".encode()).hexdigest()
    return _disk_cached(entry, key, parse)


def validate_files(files: Iterable[Path], use_cache: bool = False) -> tuple[list[Item], list[Problem]]:
    """Parse and cross-check files; returns the valid items and every problem found, in file order.

    Links, duplicate ids and see_also are checked for every item that has a usable id, also for one
    with other problems, so fixing one problem never uncovers another that was there all along.
    Links are checked here rather than in the (cached) parse: the code they name can change while
    the YAML does not.
    """
    files = list(files)
    problems: list[Problem] = []
    items: list[Item] = []
    entries: list[Entry] = []
    for path in files:
        file_items, file_entries, file_problems = _parse_file(path, use_cache)
        items.extend(file_items)
        entries.extend(file_entries)
        problems.extend(file_problems)

    first: dict[str, Entry] = {}
    rejected: set[tuple[str, int]] = set()  # (source, line) of items that fail a cross-check
    for entry in entries:
        if entry.id in first:
            other = first[entry.id]
            problems.append(
                Problem(
                    entry.source,
                    entry.line,
                    f"duplicate id; first defined at {other.source}:{other.line}",
                    entry.id,
                    "id",
                )
            )
            rejected.add((entry.source, entry.line))
        else:
            first[entry.id] = entry
    for entry in entries:
        found = len(problems)
        for kind, link, line in entry.links:
            why = link_problem(kind, link)
            if why:
                problems.append(Problem(entry.source, line, why, entry.id, kind))
        for other in entry.see_also:
            if other not in first:
                near = _closest(other, first)
                hint = f"; did you mean '{near}'?" if near else ""
                problems.append(
                    Problem(
                        entry.source, entry.see_also_line, f"'{other}' is not an item id{hint}", entry.id, "see_also"
                    )
                )
        if len(problems) > found:
            rejected.add((entry.source, entry.line))

    order = {_display(path): index for index, path in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line))
    return [item for item in items if (item.source, item.line) not in rejected], problems


def load_bank(bank_dir: str | os.PathLike | None = None) -> Bank:
    """The built-in bank plus the user's (``bank_dir`` or ``$DLQUIZ_BANK``); raises BankError on any problem."""
    extra = user_dirs(bank_dir)
    items, problems = validate_files(bank_files(extra), use_cache=True)
    if problems:
        command = f"dlquiz --bank {extra[0]} check" if extra else "dlquiz check"
        raise BankError(problems, command)
    return Bank(tuple(items))


def suggest_ids(bank: Bank, wanted: str, n: int = 3) -> list[str]:
    """The ids closest to a mistyped one (by spelling, then by containing it)."""
    import difflib

    close = difflib.get_close_matches(wanted, bank.ids(), n=n, cutoff=0.5)
    contained = [i for i in bank.ids() if wanted in i and i not in close]
    return (close + contained)[:n]


def get_item(bank: Bank, item_id: str) -> Item:
    """The item with this id, or a UserError that suggests the closest ids."""
    item = bank.get(item_id) or bank.get(item_id.strip().lower())
    if item is not None:
        return item
    near = suggest_ids(bank, item_id)
    hint = f"; did you mean {', '.join(near)}?" if near else "; 'dlquiz list' shows every id"
    raise UserError(f"no item with id '{item_id}'{hint}")


def link_source(kind: str, link: str) -> tuple[str, int, str]:
    """(module path for display, first line, source text) of the object a link names.

    Read from the module's file with ``ast`` rather than imported, so showing code costs no numpy.
    """
    problem = link_problem(kind, link)
    if problem:
        raise UserError(problem)
    module, name = link.split(".")
    path = PACKAGE_DIR / LINK_PACKAGES[kind] / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if getattr(node, "name", None) == name or (
            isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets)
        ):
            start = node.lineno
            if getattr(node, "decorator_list", None):
                start = min(d.lineno for d in node.decorator_list)
            lines = text.splitlines()[start - 1 : node.end_lineno]
            return f"dlquiz/{LINK_PACKAGES[kind]}/{module}.py", start, "\n".join(lines)
    raise UserError(
        f"'{link}' is imported into dlquiz.{LINK_PACKAGES[kind]}.{module}, not defined there; link the module that defines it"
    )

"""Links from bank items into dlquiz's own code, and the one place that knows the linked packages.

An item names code as ``module.name``: ``code`` links into ``dlquiz.reference``, ``demo`` into
``dlquiz.demos``, ``exercise`` into ``dlquiz.exercises`` (the ``KINDS`` table; a new kind of link is
one entry there plus its field on ``Item``).

**The registration rule.** A link may name only what a module registers, so a bank file can reach
nothing else (not an imported ``dataclass``, not a package's ``__init__``, not a helper module):

1. the module is a file ``dlquiz/<package>/<module>.py`` whose name starts with a lower-case letter
   (``__init__`` and ``_helpers`` are never linkable);
2. the name is listed in the module's ``__all__``, a list or tuple of string literals assigned at the
   top level, read with ``ast`` (the module is not imported to check a link);
3. the module defines the name itself at the top level, with ``def`` or ``class`` (a name it imports
   or assigns is refused), and for kinds that are called (demos, exercise generators) it is a function
   annotated to return what that kind returns (``DemoResult``, ``Exercise``);
4. when a link is imported to be run, the imported module must still list it in ``__all__`` and the
   object must be the module's own (``__module__``), so not even a stale or planted cache can widen
   what runs.

Checking a link reads the module's source, never imports it: validating the bank costs no numpy and
a bank file can never make dlquiz import anything. The facts read from each module are cached (plain
JSON, keyed by the file's modification time and size) so ``dlquiz list`` does not parse 40 modules.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dlquiz.errors import UserError, visible
from dlquiz.wording import did_you_mean

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the dlquiz package (this module is in dlquiz/bank/)


@dataclass(frozen=True)
class LinkKind:
    """One kind of link: the item field that holds it and the package under ``dlquiz`` it points into."""

    field: str
    package: str
    what: str  # what it names, for messages
    many: bool = False  # the field holds a list of links (code) rather than one
    returns: str | None = None  # a function annotated to return this; None: any function or class

    @property
    def module_prefix(self) -> str:
        return f"dlquiz.{self.package}"


KINDS: dict[str, LinkKind] = {
    kind.field: kind
    for kind in (
        LinkKind("code", "reference", "reference function or class", many=True),
        LinkKind("demo", "demos", "demo", returns="DemoResult"),
        LinkKind("exercise", "exercises", "exercise generator", returns="Exercise"),
    )
}

# Demos that moved when their module was split by subject (optimizers -> adaptive, training -> backprop). A bank
# that still names the old place, a learner's own file say, keeps working: the loader reads the new name.
MOVED: dict[str, dict[str, str]] = {
    "demo": {
        **{
            f"optimizers.{name}": f"adaptive.{name}"
            for name in (
                "adagrad_decay",
                "rmsprop_scales",
                "bias_correction",
                "uncorrected_step_ratio",
                "adam_vs_adamw_decay",
                "adamw_frozen_decay",
                "rmsprop_eps_placement",
            )
        },
        **{
            f"training.{name}": f"backprop.{name}"
            for name in (
                "house_price_worked_example",
                "computational_graph",
                "backprop_vs_numerical",
                "dense_backward_check",
                "gradcheck_missing_transpose",
            )
        },
    }
}

MODULE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
LINK_PATTERN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
CACHE_FORMAT = 1


@dataclass(frozen=True)
class ModuleFacts:
    """What one module's source says about its names (read with ``ast``)."""

    listed: tuple[str, ...] | None  # the literal __all__, None when there is none
    functions: dict[str, str]  # top-level def name -> its return annotation as written ("" if none)
    classes: tuple[str, ...]

    def linkable(self, kind: LinkKind) -> list[str]:
        """The names a link of ``kind`` may name, in ``__all__`` order."""
        return [name for name in self.listed or () if self.defines(kind, name)]

    def defines(self, kind: LinkKind, name: str) -> bool:
        if name.startswith("_"):
            return False
        if kind.returns is not None:
            return self.functions.get(name) in (kind.returns, repr(kind.returns))
        return name in self.functions or name in self.classes


def _facts_of(path: Path) -> ModuleFacts:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    listed: tuple[str, ...] | None = None
    functions: dict[str, str] = {}
    classes: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[node.name] = ast.unparse(node.returns) if node.returns else ""
        elif isinstance(node, ast.ClassDef):
            classes.append(node.name)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            listed = _literal_names(node.value)
    return ModuleFacts(listed, functions, tuple(classes))


def _literal_names(value: ast.expr) -> tuple[str, ...] | None:
    """The strings of a list or tuple of string literals; None for anything computed."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return None
    names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return tuple(names) if len(names) == len(value.elts) else None


# --------------------------------------------------------------------------- the facts, cached


@cache
def _package(package: str) -> dict[str, ModuleFacts]:
    """Every linkable-named module of ``dlquiz.<package>`` and its facts, from the cache when unchanged."""
    from dlquiz.bank import cache as disk

    directory = PACKAGE_DIR / package
    stamps: dict[str, list[int]] = {}
    for path in sorted(directory.glob("*.py")):
        if MODULE_PATTERN.match(path.stem):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps[path.stem] = [info.st_mtime_ns, info.st_size]
    key = {"format": CACHE_FORMAT, "directory": str(directory)}
    stored = disk.read(f"links-{package}", key)
    old = stored if isinstance(stored, dict) else {}
    facts: dict[str, ModuleFacts] = {}
    fresh: dict[str, Any] = {}
    for module, stamp in stamps.items():
        entry = old.get(module)
        known = _decode(entry["facts"]) if isinstance(entry, dict) and entry.get("stamp") == stamp else None
        if known is None:
            known = _facts_of(directory / f"{module}.py")
        facts[module] = known
        fresh[module] = {"stamp": stamp, "facts": _encode(known)}
    if fresh != old:
        disk.write(f"links-{package}", key, fresh)
    return facts


def _encode(facts: ModuleFacts) -> dict[str, Any]:
    return {"listed": facts.listed, "functions": facts.functions, "classes": facts.classes}


def _decode(data: Any) -> ModuleFacts | None:
    """Facts read back from the cache, or None when they are not exactly the shape written."""
    if not isinstance(data, dict) or set(data) != {"listed", "functions", "classes"}:
        return None
    listed, functions, classes = data["listed"], data["functions"], data["classes"]
    if listed is not None and not (isinstance(listed, list) and all(isinstance(n, str) for n in listed)):
        return None
    if not isinstance(functions, dict) or not all(isinstance(v, str) for v in functions.values()):
        return None
    if not (isinstance(classes, list) and all(isinstance(n, str) for n in classes)):
        return None
    return ModuleFacts(None if listed is None else tuple(listed), dict(functions), tuple(classes))


# --------------------------------------------------------------------------- checking, listing, loading


def problem(kind: str, link: str) -> str | None:
    """Why ``link`` (the value of a ``code``, ``demo`` or ``exercise`` field) is not a registered
    target of that kind, or None when it is."""
    spec = KINDS[kind]
    where = spec.module_prefix
    match = LINK_PATTERN.match(link)
    if not match:
        return f"'{visible(link, 60)}' must be written module.name, naming a {spec.what} in {where}"
    module, name = match.groups()
    if not MODULE_PATTERN.match(module):
        return f"'{link}': only the topic modules of {where} can be linked, not __init__ or a _helper module"
    if name.startswith("_"):
        return f"'{link}': {name} is private to {where}.{module} and not linkable"
    modules = _package(spec.package)
    facts = modules.get(module)
    if facts is None:
        return f"'{link}': {where} has no module '{module}'{did_you_mean(module, modules)}"
    if facts.listed is None:
        return f"'{link}': {where}.{module} has no literal __all__, so nothing in it can be linked"
    if name not in facts.listed:
        hint = did_you_mean(name, facts.linkable(spec))
        return f"'{link}': '{name}' is not in {where}.{module}.__all__, the names a link may use{hint}"
    if not facts.defines(spec, name):
        kind_of = f"a function returning {spec.returns}" if spec.returns else "a function or class"
        return f"'{link}': {where}.{module}.{name} is not {kind_of} defined in that module"
    return None


def current(kind: str, value: Any) -> Any:
    """A link field's value (one link, or a tuple of them) with each moved link written as its new name."""
    moved = MOVED.get(kind, {})
    if isinstance(value, str):
        return moved.get(value, value)
    if isinstance(value, tuple):
        return tuple(moved.get(link, link) if isinstance(link, str) else link for link in value)
    return value


def registered(kind: str) -> list[str]:
    """Every link of ``kind`` there is (``module.name``), module by module; nothing is imported."""
    spec = KINDS[kind]
    return [f"{module}.{name}" for module, facts in _package(spec.package).items() for name in facts.linkable(spec)]


def load(kind: str, link: str) -> Any:
    """The object a link names, imported; UserError for a link that is not registered."""
    why = problem(kind, link)
    if why:
        raise UserError(why)
    spec = KINDS[kind]
    module_name, name = link.split(".")
    module = importlib.import_module(f"{spec.module_prefix}.{module_name}")
    target = getattr(module, name, None)
    if name not in getattr(module, "__all__", ()) or getattr(target, "__module__", None) != module.__name__:
        raise UserError(f"'{link}' is not a {spec.what} registered in {module.__name__}")
    return target


def source(kind: str, link: str) -> tuple[str, int, str]:
    """(module path for display, first line, source text) of what a link names, read without importing."""
    first = sources(kind, link)[0]
    return first.path, first.line, first.text


@dataclass(frozen=True)
class Source:
    """The source of one top-level function or class: ``name`` is ``module.name`` as a link writes it."""

    name: str
    path: str  # for display: dlquiz/<package>/<module>.py
    line: int  # its first line in the file (its first decorator's, if any)
    text: str


def sources(kind: str, link: str) -> list[Source]:
    """What a link names, then the module's private helpers it calls, read without importing.

    A learner reading ``batchnorm_backward`` wants the arithmetic, which lives in ``_normalize_backward``:
    after the linked object come the top-level ``_private`` functions and classes of the same module
    that it names, directly or through another such helper, each once, in the order they are reached
    (depth first, as a reader would follow the calls).
    """
    why = problem(kind, link)
    if why:
        raise UserError(why)
    spec = KINDS[kind]
    module, name = link.split(".")
    text = (PACKAGE_DIR / spec.package / f"{module}.py").read_text(encoding="utf-8")
    defined = {
        node.name: node
        for node in ast.parse(text).body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    if name not in defined:
        raise UserError(f"'{link}' is not defined in {spec.module_prefix}.{module}")  # the file changed under us
    lines = text.splitlines()
    path = f"dlquiz/{spec.package}/{module}.py"
    found: list[Source] = []
    seen: set[str] = set()

    def visit(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        seen.add(node.name)
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        found.append(Source(f"{module}.{node.name}", path, start, "\n".join(lines[start - 1 : node.end_lineno])))
        for used in _names_used(node):
            if used.startswith("_") and used in defined and used not in seen:
                visit(defined[used])

    visit(defined[name])
    return found


def _names_used(node: ast.AST) -> list[str]:
    """The bare names ``node`` reads, in the order they appear in the source (each once)."""
    names = [n for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    names.sort(key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in names))

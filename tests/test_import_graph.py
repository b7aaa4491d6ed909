"""The import graph of dlquiz has no cycle, counting every import: at the top of a module, inside a
function, and the targets of ``importlib.import_module``.

Edges are what the code names: ``import a.b``, ``from a import b`` (to the module ``a.b`` when it is
one, else to ``a``), ``from . import x`` resolved, and ``import_module`` with a literal target, or an
f-string whose literal start names a package (an edge to each of its modules). The one dynamic import
that names no package, in ``dlquiz.bank.links``, reaches the packages of ``links.KINDS``. Python also
imports a package before any module in it; that implicit step is not an edge here, because a module
that only lives in a package depends on nothing the package's ``__init__`` defines. Imports under
``if TYPE_CHECKING:`` are left out: they exist for annotations only and are never executed.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from dlquiz.bank import links

DLQUIZ = Path(__file__).resolve().parent.parent / "dlquiz"
MODEL_NAMES = {"Item", "Step", "Choices", "Bank", "Rating", "CardKind", "Difficulty", "Form", "QuizMode"}


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in DLQUIZ.rglob("*.py"):
        parts = list(path.relative_to(DLQUIZ.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str) -> str | None:
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _dynamic_targets(module: str, node: ast.Call) -> set[str]:
    (target,) = node.args[:1] or [None]
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        return {_resolve(target.value)} - {None}
    if isinstance(target, ast.JoinedStr) and target.values:
        first = target.values[0]
        prefix = first.value if isinstance(first, ast.Constant) else None
        if isinstance(first, ast.FormattedValue) and ast.unparse(first.value) == "__name__":
            prefix = module + "".join(str(v.value) for v in target.values[1:2] if isinstance(v, ast.Constant))
        if prefix and prefix.endswith(".") and prefix.rstrip(".") in modules() and prefix != "dlquiz.":
            return {m for m in modules() if m.startswith(prefix)}
    if module == "dlquiz.bank.links":
        return {m for kind in links.KINDS.values() for m in modules() if m.startswith(kind.module_prefix + ".")}
    raise AssertionError(f"{module}: import_module({ast.unparse(target) if target else ''}) names no package")


@cache
def imports(module: str) -> dict[str, list[str]]:
    """The modules ``module`` imports -> the names it takes from each (empty for a plain import)."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: dict[str, list[str]] = {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for child in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _resolve(alias.name)) is not None:
                    out.setdefault(target, [])
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                target = full if full in modules() else _resolve(base)
                if target is not None:
                    out.setdefault(target, []).append(alias.name)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            for target in _dynamic_targets(module, node):
                out.setdefault(target, [])
    out.pop(module, None)
    return out


def cycles() -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in imports(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(modules()):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    found = [sorted(c) for c in cycles()]
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_checker_finds_a_cycle_through_an_import_inside_a_function(monkeypatch):
    real = imports.__wrapped__

    def planted(module: str) -> dict[str, list[str]]:
        out = dict(real(module))
        if module == "dlquiz.model":  # model imports nothing; pretend it imports the loader in a function
            out["dlquiz.bank"] = ["load_bank"]
        return out

    monkeypatch.setattr(__import__(__name__), "imports", cache(planted))
    assert any("dlquiz.model" in c and "dlquiz.bank" in c for c in cycles())


def test_the_checker_follows_import_module_targets():
    assert "dlquiz.demos.optimizers" in imports("dlquiz.bank.links")
    assert "dlquiz.reference.activations" in imports("dlquiz.bank.links")


@pytest.mark.parametrize("module", sorted(modules()))
def test_nothing_takes_the_data_model_from_the_loader(module):
    taken = set(imports(module).get("dlquiz.bank", [])) & MODEL_NAMES
    assert not taken, f"{module} imports {sorted(taken)} from dlquiz.bank; they live in dlquiz.model"


def test_only_the_links_module_imports_code_by_name():
    """Links are resolved in one place: no other module calls import_module (the linked packages' own
    ``run_demo`` and ``generate`` go through ``links.load``)."""
    dynamic = set()
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        if any(getattr(c.func, "attr", getattr(c.func, "id", "")) in ("import_module", "__import__") for c in calls):
            dynamic.add(module)
    assert dynamic == {"dlquiz.bank.links"}


def test_code_outside_the_state_package_uses_its_public_face():
    """``dlquiz.store`` is the one way in to the state file: its parts (opening, checks, moves, repair, the
    schema) can change shape without a caller noticing. Tests may still reach a part to test it."""
    reaching_in = {
        module: sorted(target for target in imports(module) if target.startswith("dlquiz.store."))
        for module in modules()
        if module != "dlquiz.store" and not module.startswith("dlquiz.store.")
    }
    assert {module: parts for module, parts in reaching_in.items() if parts} == {}

"""The house rules of ARCHITECTURE.md (at the repository's root, section 1), checked on the code's imports
(including imports inside functions) and on the size of its modules.

The layers, from the bottom: ``dlquiz.reference`` (pure NumPy), the engine (every other module outside
``dlquiz.cli`` and ``dlquiz.ui``), the interface (``dlquiz.cli`` and ``dlquiz.ui``). Arrows point down
only. Each layer may use only the third-party packages listed here, so a new dependency is a decision
made in this file, not an accident.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dlquiz"

REFERENCE_MAY_USE = {"numpy"}
ENGINE_MAY_USE = REFERENCE_MAY_USE | {"yaml", "fsrs", "platformdirs", "markdown_it", "genanki"}
INTERFACE_MAY_USE = ENGINE_MAY_USE | {"typer", "rich", "plotext", "click"}
MAX_LINES = 500  # per module


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name, e.g. dlquiz.session
    target: str  # dotted name imported, e.g. dlquiz.store or numpy.linalg
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path) -> list[Import]:
    """Every import statement under the package ``root``, wherever it is (module level or in a function)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [Import(name, alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against this module's package
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # `from dlquiz import session` imports the module dlquiz.session
                found += [Import(name, f"{module}.{alias.name}", node.lineno) for alias in node.names]
                found.append(Import(name, module, node.lineno))
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "reference":
        return "reference"
    if len(parts) > 1 and parts[1] in ("cli", "ui", "__main__"):
        return "interface"
    return "engine"


def violations(root: Path) -> list[str]:
    """The imports that break a rule, as 'file:line: why' lines."""
    internal = {module_name(root, p) for p in root.rglob("*.py")}
    top = root.name
    bad = []
    for imp in imports_of(root):
        first = imp.target.split(".")[0]
        where = f"{imp.importer}:{imp.line}"
        own = layer(imp.importer)
        if first == top:
            target = imp.target
            while target not in internal and "." in target:  # `from dlquiz.x import name`: the module is dlquiz.x
                target = target.rsplit(".", 1)[0]
            if target == top:
                continue
            theirs = layer(target)
            if own == "reference" and theirs != "reference":
                bad.append(f"{where}: reference code imports {target} ({theirs})")
            if own == "engine" and theirs == "interface":
                bad.append(f"{where}: the engine imports {target} (interface)")
            if target.startswith(f"{top}.ui") and not imp.importer.startswith((f"{top}.cli", f"{top}.ui")):
                bad.append(f"{where}: only the CLI may import {target}")
            if imp.importer == f"{top}.model" and target != f"{top}.model":
                bad.append(f"{where}: the data model imports {target}; it must import nothing from {top}")
        elif first not in sys.stdlib_module_names and first != "__future__":
            allowed = {"reference": REFERENCE_MAY_USE, "engine": ENGINE_MAY_USE, "interface": INTERFACE_MAY_USE}[own]
            if first not in allowed:
                bad.append(f"{where}: {own} module imports {first}, which the {own} may not use")
    return sorted(set(bad))


def long_modules(root: Path, limit: int = MAX_LINES) -> list[str]:
    """The modules under ``root`` longer than ``limit`` lines, as 'path: N lines'."""
    found = []
    for path in sorted(root.rglob("*.py")):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append(f"{path.relative_to(root.parent).as_posix()}: {count} lines")
    return found


# --------------------------------------------------------------------------- the rules, on dlquiz itself


def test_every_arrow_points_down_and_each_layer_uses_only_its_libraries():
    assert violations(PACKAGE) == []


def test_no_module_is_over_500_lines():
    """A module past 500 lines is doing more than one job: split it along its seams (ARCHITECTURE.md)."""
    assert long_modules(PACKAGE) == []


# --------------------------------------------------------------------------- the checker catches what it should


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "dlquiz"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for directory in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    return root


CLEAN = {
    "model.py": "import enum\n",
    "reference/ops.py": "import numpy as np\nimport math\n",
    "session.py": "from dlquiz import model\nfrom dlquiz.reference import ops\nimport yaml\n",
    "ui/screen.py": "import rich\nfrom dlquiz.session import x\n",
    "cli/main.py": "import typer\nfrom dlquiz.ui import screen\n",
}


def test_a_clean_tree_passes(tmp_path):
    assert violations(_package(tmp_path, CLEAN)) == []


@pytest.mark.parametrize(
    ("planted", "why"),
    [
        ({"reference/ops.py": "import numpy\nfrom dlquiz import session\n"}, "reference code imports dlquiz.session"),
        ({"reference/ops.py": "def f():\n    import scipy\n"}, "reference module imports scipy"),
        ({"session.py": "def draw():\n    from rich.table import Table\n"}, "engine module imports rich"),
        ({"session.py": "def ask():\n    import typer\n"}, "engine module imports typer"),
        ({"session.py": "from dlquiz.ui.screen import draw\n"}, "the engine imports dlquiz.ui.screen"),
        ({"session.py": "from dlquiz.cli import main\n"}, "the engine imports dlquiz.cli"),
        ({"model.py": "from dlquiz.session import x\n"}, "the data model imports dlquiz.session"),
        ({"reference/ops.py": "from .. import session\n"}, "reference code imports dlquiz.session"),
    ],
)
def test_a_planted_wrong_way_import_is_caught(tmp_path, planted, why):
    root = _package(tmp_path, {**CLEAN, **planted})
    found = violations(root)
    assert any(why in line for line in found), found


def test_a_planted_long_module_is_caught_and_one_at_the_limit_is_not(tmp_path):
    root = _package(tmp_path, {**CLEAN, "session.py": "x = 1\n" * 501, "model.py": "x = 1\n" * 500})
    assert long_modules(root) == ["dlquiz/session.py: 501 lines"]

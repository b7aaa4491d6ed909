"""Automated mutants of the model solutions: one small change each, made with the ast module.

A mutant swaps an operator (+ and −, * and /, < and <=, ...), changes a number (n → n + 1, c → 2c),
flips a boolean, drops a unary minus, or swaps a NumPy reduction for its partner (max ↔ min,
sum ↔ mean, ...). Docstrings are left alone. The checks of an exercise should fail on nearly every
mutant; the ones that survive are listed, with why, in KNOWN_SURVIVORS of test_mutants.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

BINOPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.MatMult: ast.Mult,
}
COMPARES = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
NUMPY_SWAPS = {
    "max": "min",
    "min": "max",
    "sum": "mean",
    "mean": "sum",
    "maximum": "minimum",
    "minimum": "maximum",
    "argmax": "argmin",
    "exp": "expm1",
    "sqrt": "abs",
    "tanh": "sin",
}
OP_TEXT = {
    ast.Add: "+",
    ast.Sub: "−",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


@dataclass(frozen=True)
class Mutant:
    line: int
    change: str  # '+ → −', '0.5 → 1.0', 'np.max → np.min'
    source: str
    code: str = ""  # the original line that was changed, stripped

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.change}"


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _sites(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """(node, kind) for every place a mutation applies, in a fixed order."""
    skip = _docstring_nodes(tree)
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINOPS:
            sites.append((node, "binop"))
        elif isinstance(node, ast.Compare):
            sites.extend((node, f"compare{i}") for i, op in enumerate(node.ops) if type(op) in COMPARES)
        elif isinstance(node, ast.Constant) and id(node) not in skip:
            if isinstance(node.value, bool):
                sites.append((node, "bool"))
            elif isinstance(node.value, (int, float)):
                sites.append((node, "number"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sites.append((node, "usub"))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "np"
            and node.attr in NUMPY_SWAPS
        ):
            sites.append((node, "numpy"))
    return sites


def _mutate(node: ast.AST, kind: str) -> str:
    """Change ``node`` in place; returns what changed."""
    if kind == "binop":
        old = type(node.op)
        node.op = BINOPS[old]()
        return f"{OP_TEXT[old]} → {OP_TEXT[BINOPS[old]]}"
    if kind.startswith("compare"):
        i = int(kind[len("compare") :])
        old = type(node.ops[i])
        node.ops[i] = COMPARES[old]()
        return f"{OP_TEXT[old]} → {OP_TEXT[COMPARES[old]]}"
    if kind == "bool":
        node.value = not node.value
        return f"{not node.value} → {node.value}"
    if kind == "number":
        old = node.value
        node.value = old + 1 if isinstance(old, int) else (1.0 if old == 0 else old * 2)
        return f"{old!r} → {node.value!r}"
    if kind == "usub":
        return "−x → x"
    if kind == "numpy":
        old = node.attr
        node.attr = NUMPY_SWAPS[old]
        return f"np.{old} → np.{node.attr}"
    raise ValueError(kind)


class _DropMinus(ast.NodeTransformer):
    def __init__(self, target: ast.AST):
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        if node is self.target:
            return self.generic_visit(node).operand
        return self.generic_visit(node)


def count(source: str) -> int:
    """How many places of ``source`` a mutation applies to."""
    return len(_sites(ast.parse(source)))


def mutant_at(source: str, index: int) -> Mutant | None:
    """The mutant that changes place ``index`` (None when it would not compile)."""
    tree = ast.parse(source)
    node, kind = _sites(tree)[index]
    change = _mutate(node, kind)
    if kind == "usub":
        tree = _DropMinus(node).visit(tree)
    ast.fix_missing_locations(tree)
    try:
        text = ast.unparse(tree)
        compile(text, "<mutant>", "exec")
    except (SyntaxError, ValueError):
        return None
    line = getattr(node, "lineno", 0)
    return Mutant(line, change, text, source.splitlines()[line - 1].strip() if line else "")


def mutants(source: str) -> Iterator[Mutant]:
    """Every single-change mutant of ``source`` (those that still compile)."""
    for index in range(count(source)):
        found = mutant_at(source, index)
        if found is not None:
            yield found

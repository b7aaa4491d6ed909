"""The starter file of an exercise, its model solution, and the learner's working file.

Both come from one source, the model solution (``solutions/<stem>.py``): the starter keeps its module
docstring, its imports, and the signature and docstring of each function the learner writes (the task,
shapes, conventions and formula), with a body that raises NotImplementedError. Helpers of the solution
are left out of the starter. Nothing here ever overwrites a file the learner changed: that takes
:func:`replace_with_starter`, which the interface calls only after asking, and which keeps a backup.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from dlquiz.errors import UserError
from dlquiz.implement.registry import Exercise


def _header(exercise: Exercise, what: str) -> str:
    return (
        f"# dlquiz implement {exercise.id} ({what})\n"
        f"# {exercise.title}\n"
        f"# Bank item: {exercise.item} · {exercise.difficulty.value}\n"
    )


def _how_to_check(exercise: Exercise) -> str:
    names = ", ".join(exercise.functions)
    return (
        f"#\n# Write the body of {names}.\n"
        "# To grade it, save and quit your editor, or run\n"
        f"#     dlquiz implement {exercise.id} --check {exercise.stem}.py\n"
        "# The checks pass float64 NumPy arrays: return new arrays and leave the\n"
        "# inputs unchanged.\n"
    )


def solution_source(exercise: Exercise) -> str:
    return exercise.solution_path.read_text(encoding="utf-8")


def solution_text(exercise: Exercise) -> str:
    """The model solution: a complete file that passes every check."""
    return _header(exercise, "model solution") + "\n" + solution_source(exercise)


def starter_text(exercise: Exercise) -> str:
    """The starter: imports, and each function's signature and docstring over NotImplementedError."""
    source = solution_source(exercise)
    lines = source.splitlines()
    tree = ast.parse(source)

    def segment(node: ast.stmt, end: int | None = None) -> str:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return "\n".join(lines[first - 1 : end or node.end_lineno])

    head = []
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        head.append(segment(body[0]))
        body = body[1:]
    imports = [segment(node) for node in body if isinstance(node, (ast.Import, ast.ImportFrom))]
    if imports:
        head.append("\n".join(imports))
    blocks = ["\n\n".join(head)] if head else []
    functions = {node.name: node for node in body if isinstance(node, ast.FunctionDef)}
    for name in exercise.functions:
        node = functions[name]
        docstring = node.body[0]
        if not (isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)):
            raise ValueError(f"{exercise.solution_path.name}: {name} has no docstring")
        indent = " " * docstring.col_offset
        blocks.append(segment(node, docstring.end_lineno) + f'\n{indent}raise NotImplementedError("write {name}")')
    return _header(exercise, "starter") + _how_to_check(exercise) + "\n" + "\n\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- the working file


@dataclass(frozen=True)
class WorkFile:
    """The learner's file for an exercise and what state it is in."""

    path: Path
    exists: bool
    untouched: bool  # it holds exactly the starter (or does not exist yet)


def work_path(exercise: Exercise, directory: Path) -> Path:
    return directory / f"{exercise.stem}.py"


def work_file(exercise: Exercise, directory: Path) -> WorkFile:
    path = work_path(exercise, directory)
    if not path.exists():
        return WorkFile(path, False, True)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return WorkFile(path, True, False)
    return WorkFile(path, True, text == starter_text(exercise))


def _make_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the working folder {directory}: {exc.strerror or exc}") from None
    if not directory.is_dir():
        raise UserError(f"{directory} is not a folder")


def ensure_starter(exercise: Exercise, directory: Path) -> WorkFile:
    """The working file, written from the starter only when there is none (an existing file is kept)."""
    _make_directory(directory)
    found = work_file(exercise, directory)
    if not found.exists:
        _write(found.path, starter_text(exercise))
        return WorkFile(found.path, True, True)
    return found


def backup_path(path: Path) -> Path:
    """A free name beside ``path`` for the learner's old version: softmax.py.bak, softmax.py.bak2, ..."""
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak{n}")
    return candidate


def replace_with_starter(exercise: Exercise, directory: Path) -> Path | None:
    """Put a fresh starter in place; the learner's version is renamed first. Returns the backup's path."""
    _make_directory(directory)
    path = work_path(exercise, directory)
    backup = None
    if path.exists():
        backup = backup_path(path)
        try:
            path.rename(backup)
        except OSError as exc:
            raise UserError(f"cannot keep your file as {backup}: {exc.strerror or exc}; nothing was changed") from None
    _write(path, starter_text(exercise))
    return backup


def _write(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never replaces a file that appeared meanwhile
            handle.write(text)
    except FileExistsError:
        raise UserError(f"{path} appeared while dlquiz was writing it; nothing was changed") from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def code_only(source: str) -> str:
    """The source without its docstrings and leading comment lines: the code, to set beside another.

    A source that does not parse is returned as it is.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    drop: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body:
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                drop.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines = [line for number, line in enumerate(source.splitlines(), 1) if number not in drop]
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
        lines.pop(0)
    text = "\n".join(lines)
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.rstrip() + "\n"

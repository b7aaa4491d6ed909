"""`dlquiz implement`: the list of exercises, grading reports, and the edit–grade loop.

The loop opens the learner's file in $VISUAL or $EDITOR when there is a terminal and grades it each
time the editor exits; without an editor (or a terminal) it prints the file's path and grades on Enter.
A pass is recorded on the exercise's card and shows the model solution beside the learner's code;
giving up shows the solution and is recorded as Again; quitting records nothing. The file is the
learner's: it is never overwritten without asking, and it stays when they quit or press Ctrl-C.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from dlquiz.errors import UserError
from dlquiz.implement.grading import Failure, Report
from dlquiz.implement.registry import Exercise
from dlquiz.implement.schedule import Result, Status
from dlquiz.ui import keys

WIDE = 110  # from this width the list shows each exercise's bank item
QUICK_RETURN_S = 1.0  # an editor back this fast with the file unchanged probably did not wait
CODE_THEME = "ansi_dark"

# --------------------------------------------------------------------------- the list


def _short_date(ms: int) -> str:
    return time.strftime("%d %b", time.localtime(ms / 1000)).lstrip("0")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def render_list(console: Console, rows: list[Status], at_ms: int) -> None:
    """One line per exercise: id, title, level, (bank item,) last result, due."""
    wide = console.width >= WIDE
    header = ["id", "title", "level", *(["item"] if wide else []), "last", "due"]
    table_rows = []
    for s in rows:
        e = s.exercise
        last = f"{'✓' if s.result == 'passed' else '✗'} {_short_date(s.last_ms)}" if s.last_ms else "—"
        table_rows.append([e.id, e.title, e.difficulty.value, *([e.item] if wide else []), last, s.due_label(at_ms)])
    widths = [max(len(h), *(len(r[i]) for r in table_rows)) for i, h in enumerate(header)]
    gap = 2
    spare = console.width - (sum(widths) + gap * (len(widths) - 1))
    if spare < 0:
        widths[1] = max(len("title"), widths[1] + spare)
    lines = Text()
    styles = ["id", None, None, *(["muted"] if wide else []), None, None]
    lines.append(
        (" " * gap).join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n", style="heading"
    )
    lines.append((" " * gap).join("─" * w for w in widths) + "\n")
    for row in table_rows:
        for i, (cell, width, style) in enumerate(zip(row, widths, styles, strict=True)):
            if i:
                lines.append(" " * gap)
            level_style = cell if i == 2 else None
            due_style = "good" if cell == "due" and i == len(row) - 1 else None
            text = _fit(cell, width)
            lines.append(text if i == len(row) - 1 else text.ljust(width), style=style or level_style or due_style)
        lines.append("\n")
    console.print(lines, end="", soft_wrap=True, overflow="ignore", crop=False)
    passed = sum(1 for s in rows if s.result == "passed")
    due = sum(1 for s in rows if s.due)
    console.print(Text(f"{len(rows)} exercises · {passed} passed · {due} due", style="muted"))
    console.print(Text("dlquiz implement ID starts one · --next the one due", style="muted"))
    if not wide:
        console.print(Text(f"A terminal {WIDE} columns wide also shows each exercise's bank item.", style="muted"))


# --------------------------------------------------------------------------- a grading report


class _Rows:
    """Label–value rows with a hanging indent, wrapped to the console's width, without trailing spaces."""

    def __init__(self, pairs: list[tuple[str, Text | str]]):
        self.pairs = pairs

    def __rich_console__(self, console: Console, options):
        width = max((len(label) for label, _ in self.pairs), default=0) + 2
        room = max(20, options.max_width - width)
        for label, value in self.pairs:
            text = value if isinstance(value, Text) else Text(value)
            lines = text.wrap(console, room, overflow="fold")
            for number, line in enumerate(lines):
                line.rstrip()
                prefix = Text(label.ljust(width) if number == 0 else " " * width, style="muted")
                yield prefix + line


def _rows(pairs: list[tuple[str, Text | str]]) -> _Rows:
    return _Rows(pairs)


def _given(name: str, value: str) -> str:
    """'x = [[1, 2],\n     [3, 4]]': continuation lines stay under the first line's bracket."""
    return f"{name} = " + value.replace("\n", "\n" + " " * (len(name) + 3))


def _traceback(failure: Failure, file_name: str) -> Text | None:
    error = failure.error
    if error is None:
        return None
    out = Text()
    if error.syntax_line is not None:
        out.append(f"{file_name}, line {error.syntax_line}\n")
        if error.syntax_text:
            out.append("  " + error.syntax_text.rstrip() + "\n", style="bold")
            if error.syntax_offset:
                expanded = error.syntax_text[: error.syntax_offset - 1].expandtabs()
                out.append("  " + " " * len(expanded) + "^", style="bad")
        out.rstrip()
        return out
    if not error.frames:
        return None
    for frame in error.frames:
        where = "" if frame.function == "<module>" else f", in {frame.function}"
        out.append(f"{file_name}, line {frame.line}{where}\n")
        if frame.text:
            out.append("  " + frame.text + "\n", style="bold")
    out.rstrip()
    return out


def _failure_block(failure: Failure, file_name: str) -> Group:
    title = Text()
    if failure.case:
        title.append(failure.case, style="heading")
        title.append("  ")
    title.append(failure.problem, style="bad")
    pairs: list[tuple[str, Text | str]] = []
    if failure.call:
        pairs.append(("call", failure.call))
    for name, value in failure.given:
        pairs.append(("given" if name == failure.given[0][0] else "", _given(name, value)))
    if failure.expected is not None:
        pairs.append(("expected", failure.expected))
    if failure.got is not None:
        pairs.append(("got", failure.got))
    if failure.detail:
        pairs.append(("where" if failure.expected is not None else "detail", failure.detail))
    trace = _traceback(failure, file_name)
    if trace is not None:
        pairs.append(("at", trace))
    if failure.output.strip():
        pairs.append(("printed", Text(failure.output.rstrip(), style="muted")))
    if failure.hint:
        pairs.append(("hint", Text(failure.hint, style="key")))
    return Group(Text(), title, _rows(pairs))


def render_report(console: Console, report: Report) -> None:
    """The verdict, the first failure in full, one line for each other one, and the notes."""
    file_name = Path(report.file).name
    if report.passed:
        line = Text("✓ ", style="good")
        line.append(f"All {report.total} checks passed", style="good")
        line.append(f" · {file_name} ({report.seconds:.1f} s)", style="muted")
        console.print(line)
    elif report.fatal is not None:
        console.print(Text("✗ No check could run", style="bad") + Text(f" · {file_name}", style="muted"))
        console.print(_failure_block(report.fatal, file_name))
    elif report.not_written:
        names = sorted({f.call.split("(")[0] for f in report.failures})
        console.print(
            Text("✗ Not written yet: ", style="bad") + Text(", ".join(names)) + Text(f" · {file_name}", style="muted")
        )
        console.print(
            Text(f"  {report.failures[0].problem.split(' is ')[0]}: {report.failures[0].detail}.", style="muted")
        )
    else:
        line = Text(f"✗ {report.passed_checks} of {report.total} checks passed", style="bad")
        line.append(f" · {file_name}", style="muted")
        console.print(line)
        console.print(_failure_block(report.failures[0], file_name))
        rest = report.failures[1:]
        if rest:
            names = [f.case for f in rest]
            shown = " · ".join(names[:5]) + (f" · and {len(names) - 5} more" if len(names) > 5 else "")
            console.print(Text(f"Also failed ({len(rest)}): ", style="muted") + Text(shown))
        if report.not_run:
            console.print(Text(f"{report.not_run} checks after it did not run.", style="muted"))
    for note in report.notes:
        console.print(Text(note, style="muted"))


# --------------------------------------------------------------------------- the solution beside yours


SIDE_BY_SIDE = 120  # from this width the two files are shown side by side, long lines wrapped


def render_solution(console: Console, model: str, yours: str | None = None) -> None:
    """The model solution's code beside the learner's (above it on a narrow terminal), docstrings left out."""
    from rich import box

    from dlquiz.implement.starter import code_only

    blocks = [("Model solution", code_only(model))]
    if yours is not None:
        blocks.append(("Yours", code_only(yours)))
    widest = max(len(line) for _, code in blocks for line in code.splitlines() or [""])
    if len(blocks) == 2 and console.width >= min(SIDE_BY_SIDE, 2 * widest + 7):
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), expand=True, show_edge=False)
        for title, _ in blocks:
            table.add_column(Text(title, style="heading"), ratio=1, overflow="fold")
        table.add_row(*(Syntax(code, "python", theme=CODE_THEME, word_wrap=True) for _, code in blocks))
        console.print(table)
        return
    for title, code in blocks:
        console.print(Text(title, style="heading"))
        console.print(Syntax(code, "python", theme=CODE_THEME, word_wrap=True))


# --------------------------------------------------------------------------- the edit–grade loop


def _stamp(path: Path) -> tuple[int, int] | None:
    """When the file was last written, and its size (None if it is gone)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def editor_command() -> list[str] | None:
    """$VISUAL, else $EDITOR, split like a shell would; None when neither is set (or it does not parse)."""
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not value or not value.strip():
        return None
    try:
        return shlex.split(value)
    except ValueError:
        return None


def has_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Loop:
    """One sitting on one exercise: edit, grade, and the verdict recorded at the end."""

    console: Console
    exercise: Exercise
    path: Path
    grade: Callable[[Exercise, Path], Report]
    record: Callable[[Exercise, Result], str | None]  # the verdict -> 'next review in 3d' (None: not saved)
    editor: list[str] | None = None
    failed: int = 0  # gradings with a failure after something was written

    def run(self) -> int:
        try:
            return self._run()
        except KeyboardInterrupt:
            self.console.print()
            self._kept("Stopped.")
            return 130

    def _run(self) -> int:
        action = "edit" if self.editor is not None else self._wait(first=True)
        while True:
            if action == "edit":
                action = self._edit()
                continue
            if action == "quit":
                self._kept()
                return 0
            if action == "solution":
                self._give_up()
                return 0
            report = self.grade(self.exercise, self.path)
            self.console.print()
            render_report(self.console, report)
            if report.passed:
                self._passed()
                return 0
            if not report.not_written and report.fatal is None:
                self.failed += 1  # a typo that stops the file from loading is not a wrong answer
            action = self._after_failure()

    # ---- what the learner does next: "edit", "grade", "solution" or "quit"

    def _edit(self) -> str:
        """Open the editor and grade when it returns; without a working editor, wait for Enter instead."""
        assert self.editor is not None
        before = _stamp(self.path)
        started = time.monotonic()
        try:
            subprocess.run([*self.editor, str(self.path)], check=False)
        except OSError as exc:
            self.console.print(
                Text(f"Could not start the editor {self.editor[0]}: {exc.strerror or exc}.", style="bad")
            )
            self.editor = None
            return self._wait(first=True)
        if time.monotonic() - started < QUICK_RETURN_S and _stamp(self.path) == before:
            name = Path(self.editor[0]).name
            self.console.print(
                Text(
                    f"{name} returned at once without a change: an editor that opens a window must be told to "
                    "wait (code --wait, subl -w). Edit the file there, then come back here.",
                    style="muted",
                )
            )
            self.editor = None
            return self._wait(first=True)
        return "grade"

    def _wait(self, first: bool = False) -> str:
        if first:
            self.console.print(Text(f"Edit {self.path}", style="heading"))
        prompt = "Enter grades it · s shows the solution" + ("" if first else " (counts as giving up)") + " · q quits "
        return {"": "grade", "s": "solution", "q": "quit", None: "quit"}[self._read(prompt, "sq")]

    def _after_failure(self) -> str:
        if self.editor is None:
            return self._wait()
        key = self._read("e edit again · s show the solution (counts as giving up) · q quit ", "esq", default="e")
        return {"e": "edit", "s": "solution", "q": "quit", None: "quit"}[key]

    def _read(self, prompt: str, commands: str, default: str | None = None) -> str | None:
        """A command key (lower case), '' for Enter (or ``default``), None at the end of input."""
        while True:
            try:
                keys.write(prompt)
                key = keys.read_key()
                keys.write(("" if key == keys.ENTER else key if keys.interactive() else "") + "\n")
                key = key if key in keys.SPECIAL else key.lower()
            except EOFError:
                self.console.print()
                return None
            if key == keys.ENTER:
                return default if default is not None else ""
            if key in commands:
                return key
            self.console.print(Text(f"  {key!r} does nothing here", style="muted"))

    # ---- endings

    def _passed(self) -> None:
        saved = self.record(self.exercise, Result.PASSED if self.failed == 0 else Result.STRUGGLED)
        line = Text("Passed", style="good")
        if saved:
            line.append(f" · {saved}", style="muted")
        self.console.print(line)
        self._show_solution()

    def _give_up(self) -> None:
        saved = self.record(self.exercise, Result.GAVE_UP)
        self._show_solution()
        self.console.print(Text("Recorded: gave up" + (f" · {saved}" if saved else "") + ".", style="muted"))
        self._kept()

    def _show_solution(self) -> None:
        from dlquiz.implement.starter import solution_source

        try:
            yours = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            yours = None
        self.console.print()
        render_solution(self.console, solution_source(self.exercise), yours)

    def _kept(self, lead: str = "") -> None:
        self.console.print(Text(f"{lead + ' ' if lead else ''}Your file is kept: {self.path}", style="muted"))
        self.console.print(Text(f"dlquiz implement {self.exercise.id} picks it up again.", style="muted"))


def header(console: Console, exercise: Exercise, path: Path, state: str, editor: list[str] | None) -> None:
    """What the exercise is, where the file is, and how grading happens."""
    line = Text()
    line.append(exercise.id, style="id")
    line.append(f"  ·  {exercise.title}  ·  ")
    line.append(exercise.difficulty.value, style=exercise.difficulty.value)
    console.print(line)
    console.print(_rows([("item", f"{exercise.item} (dlquiz show {exercise.item})"), ("file", f"{path} ({state})")]))
    names = ", ".join(exercise.functions)
    if editor is not None:
        how = f"Opening {Path(editor[0]).name}: write {names}, then save and quit the editor to grade."
    else:
        how = f"Write {names} in any editor, then press Enter here to grade."
    console.print(Text(how, style="muted"))


def confirm(console: Console, question: str) -> bool:
    """y/N in a terminal; False without one (nothing of the learner's is replaced unasked)."""
    if not keys.interactive():
        return False
    try:
        answer = keys.read_line(question + " [y/N] ").strip().lower()
    except EOFError:
        console.print()
        return False
    return answer in ("y", "yes")


def refuse_without_terminal(path: Path) -> UserError:
    return UserError(
        f"{path} has your changes; --fresh asks before replacing it, which needs a terminal (or move the file)"
    )

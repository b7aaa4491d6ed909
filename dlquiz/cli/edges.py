"""The edges of the command line: errors that escape a command, and standard streams that are odd.

- :func:`explain` turns what escapes a command into one line for the user (None: let it through): a
  UserError as it is; an ``sqlite3`` error as the state file's error (:func:`dlquiz.store.translate`);
  an ``OSError`` with the file and the reason ("the disk is full", "cannot write to standard output");
  an encoding failure, or running out of memory on a huge input, in words;
- :func:`guard_streams` (before the command) gives a closed stdin/stdout/stderr /dev/null instead, and makes
  a stdout or stderr whose encoding cannot hold Unicode (``PYTHONIOENCODING=ascii``, ``LC_ALL=C
  PYTHONUTF8=0``) print '?' for what it cannot show instead of failing; :func:`finish_output` (after it)
  says how many characters were replaced, and turns a stdout that cannot be written (``>/dev/full``)
  into one line and exit 2.

Replacing characters, rather than refusing, keeps every command usable on such a terminal; the note at
the end makes sure nobody takes the '?' for the content.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import typer

from dlquiz.errors import UserError
from dlquiz.wording import plural

_EPIPE = 32
_REPLACED = [0]  # characters the output's encoding could not hold, printed as '?'


def note(text: str) -> None:
    from rich.text import Text

    from dlquiz.ui.console import err_console

    err_console().print(Text("note: ", style="muted") + Text(text), soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """The error on one line of stderr (wrapped between words in a terminal), and exit ``code``."""
    from rich.text import Text

    from dlquiz.ui.console import err_console

    out = err_console()  # a terminal wraps it between words; a log keeps it on one line
    out.print(Text("error: ", style="bad") + Text(message), soft_wrap=not out.is_terminal)
    raise typer.Exit(code)


def guard_numbers(command: Any) -> None:
    """Every float option of ``command`` must be finite (click lets nan through a minimum, and inf through
    no maximum), and every ``--seed`` 0 or more (NumPy refuses negative seeds): checked where the value is
    read, so each command gets a usage error (exit 2) instead of a traceback deep inside it."""
    for param in command.params:  # duck-typed: typer carries its own copy of click
        if getattr(param, "_dlquiz_guarded", False) or getattr(param, "param_type_name", "") != "option":
            continue
        kind = getattr(param.type, "name", "")
        is_float = kind in ("float", "float range")
        is_seed = param.name == "seed" and kind in ("int", "int range", "integer", "integer range")
        if is_float or is_seed:
            param.callback = _checked(param.callback, is_seed)
            param._dlquiz_guarded = True


def _checked(original: Any, is_seed: bool) -> Any:
    import math

    def check(ctx: Any, param: Any, value: Any) -> Any:
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, float) and not math.isfinite(v):
                raise typer.BadParameter(f"{v} is not a finite number")
            if is_seed and isinstance(v, int) and v < 0:
                raise typer.BadParameter(f"a seed is a whole number, 0 or more (not {v})")
        return original(ctx, param, value) if original is not None else value

    return check


def _raised_writing_stdout(exc: BaseException) -> bool:
    """Whether ``exc`` came from writing to standard output: some frame it passed through was writing to
    sys.stdout (click.echo's ``file``, rich's ``Console.file``, the stream itself)."""
    out = sys.stdout
    targets = {id(out), id(getattr(out, "buffer", None))}

    def is_stdout(value: object) -> bool:  # the stream, or a wrapper that writes to it (the console's StdStream)
        return id(value) in targets or getattr(value, "name", None) == "stdout" and hasattr(value, "stream")

    tb = exc.__traceback__
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if is_stdout(value) or is_stdout(getattr(value, "file", None)):
                return True
        tb = tb.tb_next
    return False


def _os_error_text(exc: OSError) -> str:
    import errno

    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why += " (the disk is full)"
    if exc.filename is None and _raised_writing_stdout(exc):
        _silence_stdout()
        return f"cannot write to standard output: {why}"
    if exc.filename is not None:
        name = str(exc.filename)
        name = name if len(name) <= 120 else f"{name[:60]}…{name[-40:]} ({len(name)} characters)"
        return f"cannot use {name}: {why}"
    return why


def explain(exc: Exception) -> str | None:
    """One line saying what went wrong, or None for an exception that is not the user's to read."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return None if exc.errno == _EPIPE else _os_error_text(exc)
    if isinstance(exc, (UnicodeError, MemoryError, RecursionError)):
        return _other_error_text(exc)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        from dlquiz.paths import state_path
        from dlquiz.store import translate

        return str(translate(exc, state_path()))
    return None


def _other_error_text(exc: BaseException) -> str:
    if isinstance(exc, UnicodeEncodeError):
        return (
            f"cannot write {exc.object[exc.start : exc.end]!r} in the {exc.encoding} encoding; "
            "set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)"
        )
    if isinstance(exc, UnicodeError):
        return f"cannot read text: {exc}"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to process"
    return "out of memory: the input is too large to process"


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so what is still buffered for a stdout that cannot be written
    (a full disk, /dev/full) is dropped quietly instead of failing again when Python exits."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass


def _count_replaced(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    _REPLACED[0] += exc.end - exc.start
    return "?" * (exc.end - exc.start), exc.end


def guard_streams() -> None:
    """Standard streams dlquiz can always use: a closed one becomes /dev/null (so no file dlquiz opens can
    take its number and receive output meant for it), and one whose encoding cannot hold Unicode (ASCII,
    Latin-1) prints '?' for what it cannot show (and says so at the end) instead of failing."""
    import codecs

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            if os.open(os.devnull, os.O_RDWR) != fd:  # the lowest free number: this one
                continue
        if getattr(sys, name) is None:
            stream = open(fd, mode, encoding="utf-8", closefd=False)  # noqa: SIM115 (lives as long as the process)
            setattr(sys, name, stream)
    codecs.register_error("dlquiz-count-replace", _count_replaced)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
        if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="dlquiz-count-replace")


def finish_output(status: Any) -> Any:
    """Flush standard output; one clear line (exit 2) if it cannot be written, instead of Python's warning."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        if exc.errno != _EPIPE:
            sys.stderr.write(f"error: cannot write to standard output: {exc.strerror or exc}\n")
            status = 2
    if _REPLACED[0]:
        encoding = getattr(sys.stdout, "encoding", "?")
        sys.stderr.write(
            f"note: {plural(_REPLACED[0], 'character')} could not be shown in the {encoding} "
            "encoding and were printed as '?'; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) to see them\n"
        )
    return status

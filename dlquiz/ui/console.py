"""The consoles dlquiz writes to, and the shell conventions around them.

- Colour: ``--color auto|always|never``; in ``auto`` rich honours ``NO_COLOR``, ``FORCE_COLOR`` and
  ``TERM=dumb`` by itself, and colours only a terminal.
- Output that is not a terminal (a pipe, a file) carries no trailing blanks: rich pads lines to the
  console's width, which a file does not need.
- Long output goes through a pager in a terminal (``$DLQUIZ_PAGER``, else ``$PAGER``, else ``less``).
- Work that takes a while shows a progress bar on standard error, in a terminal only.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from functools import cache

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "id": "bold cyan",
        "topic": "magenta",
        "easy": "green",
        "medium": "yellow",
        "hard": "red",
        "muted": "dim",
        "good": "bold green",
        "bad": "bold red",
        "heading": "bold",
        "key": "bold cyan",
        "match": "bold yellow",
        "heat1": "color(22)",  # the calendar heatmap's four levels, darker to brighter green
        "heat2": "color(28)",
        "heat3": "color(34)",
        "heat4": "color(46)",
    }
)

COLOR_MODES = ("auto", "always", "never")
_color_mode = "auto"


def set_color(mode: str) -> None:
    """Choose the colour mode for every console made from now on (``--color``)."""
    global _color_mode
    _color_mode = mode
    console.cache_clear()
    err_console.cache_clear()


def color_kwargs() -> dict:
    """Console arguments for the colour mode: ``always`` beats NO_COLOR, ``never`` beats FORCE_COLOR."""
    if _color_mode == "always":
        return {"force_terminal": True, "no_color": False}
    if _color_mode == "never":
        return {"color_system": None, "no_color": True}
    return {}


_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def strip_trailing(text: str) -> str:
    """``text`` without blanks at the ends of its lines (colour codes after them are kept)."""
    return _TRAILING.sub(r"\1", text)


class StdStream:
    """sys.stdout or sys.stderr as it is at each write (tests and pagers swap them), without trailing blanks
    on each line when it is not a terminal."""

    def __init__(self, name: str):
        self.name = name
        self._pending = ""

    @property
    def stream(self):
        return getattr(sys, self.name)

    def isatty(self) -> bool:
        return is_terminal(self.stream)

    def write(self, text: str) -> int:
        if self.isatty():
            return self.stream.write(text)
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self.stream.write(strip_trailing("\n".join(lines)) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.stream.write(strip_trailing(self._pending))
            self._pending = ""
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def make_console(**kwargs) -> Console:
    """A Console with dlquiz's style names (id, muted, heading, ...); tests pass width=, record=, file=."""
    kwargs.setdefault("highlight", False)
    for key, value in color_kwargs().items():
        kwargs.setdefault(key, value)
    return Console(theme=THEME, **kwargs)


@cache
def console() -> Console:
    """Standard output."""
    return make_console(file=StdStream("stdout"))


@cache
def err_console() -> Console:
    """Standard error, for messages about what went wrong."""
    return make_console(file=StdStream("stderr"), stderr=True)


def is_terminal(stream=None) -> bool:
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- pager


def pager_command() -> str | None:
    """The pager to use: $DLQUIZ_PAGER, else $PAGER, else less; None when set to '' or 'cat'."""
    for name in ("DLQUIZ_PAGER", "PAGER"):
        if name in os.environ:
            value = os.environ[name].strip()
            return None if value in ("", "cat") else value
    return "less"


@contextlib.contextmanager
def paged(out: Console, enabled: bool = True) -> Iterator[Console]:
    """Print inside the block; in a terminal, output taller than the screen then goes through the pager.

    Nothing is paged when standard output or input is not a terminal, or ``enabled`` is False. The pager
    gets colour codes; ``less`` is started as git starts it (``LESS=FRX``): it quits at once when the text
    fits, shows colours, and leaves the text on the screen.
    """
    command = pager_command()
    if not enabled or command is None or not (is_terminal(out.file) and is_terminal(sys.stdin)):
        yield out
        return
    with out.capture() as captured:
        yield out
    text = captured.get()
    if text.count("\n") < out.size.height - 1:
        out.file.write(text)
        out.file.flush()
        return
    _run_pager(command, text, out)


def _run_pager(command: str, text: str, out: Console) -> None:
    import shlex
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        pager = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, env=env)
    except OSError:  # no such pager: print as if there were none
        out.file.write(text)
        out.file.flush()
        return
    try:
        assert pager.stdin is not None
        pager.stdin.write(text.encode(out.encoding or "utf-8", errors="replace"))
        pager.stdin.close()
    except (BrokenPipeError, KeyboardInterrupt):  # the reader quit the pager early
        pass
    while True:
        try:
            pager.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less ignores it while reading)
            continue


# --------------------------------------------------------------------------- progress

PROGRESS_DELAY_S = 0.4  # work that ends sooner shows no bar at all


@contextlib.contextmanager
def progress_bar(label: str, total: int, *, stream=None) -> Iterator[Callable[[int, int], None]]:
    """A ``tick(done, total)`` callback that draws a bar on standard error once the work has taken a while.

    Off the terminal (a pipe, a file, CI) the callback does nothing, so logs stay clean.
    """
    stream = sys.stderr if stream is None else stream
    if not is_terminal(stream) or total <= 0:
        yield lambda *_: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    bar: list = []

    def tick(done: int, all_: int) -> None:
        if not bar:
            if time.monotonic() - started < PROGRESS_DELAY_S:
                return
            progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=make_console(file=stream, stderr=True),
                transient=True,
            )
            progress.start()
            bar.append((progress, progress.add_task(label, total=all_)))
        progress, task = bar[0]
        progress.update(task, completed=done, total=all_)

    try:
        yield tick
    finally:
        if bar:
            bar[0][0].stop()

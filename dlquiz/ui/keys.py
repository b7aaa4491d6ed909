"""Keys: reading them (single presses in a terminal, one line per key when piped) and the one key map.

In a terminal, :func:`read_key` switches the terminal to cbreak mode (no echo, no line buffering) only
while it waits for one key, and always restores it, on Ctrl-C and termination signals too. When stdin is
not a terminal (a pipe, a test), each key is one line of input, so ``printf '\\n3\\nq\\n' | dlquiz review``
works. End of input (or a closed stdin) raises EOFError and Ctrl-C KeyboardInterrupt.

:data:`KEYMAP` is the only place that says what a key means, for every session: a key stands for one or
more actions, and the first one the screen on view accepts is taken (``1`` grades Again on a flashcard
and picks option 1 of a multiple-choice question; Enter reveals, grades Good, goes on, or shows an
exercise's solution). At a prompt where text is typed, the same commands are words alone on the line
(:data:`WORDS`: ``q``, ``u``, ``?``, ...), so an attempt may still begin with one of those letters.
"""

from __future__ import annotations

import contextlib
import os
import sys

from dlquiz.activities.vocabulary import (
    Action,
    Answer,
    Bury,
    Extra,
    Grade,
    Hint,
    Next,
    Pick,
    Quit,
    Reveal,
    Show,
    Skip,
    Suspend,
    Undo,
)
from dlquiz.model import Rating

# What read_key returns for keys that are not characters; a typed line never looks like these.
ENTER = "<enter>"
BACKSPACE = "<backspace>"
ESCAPE = "<esc>"
UP, DOWN, PAGE_UP, PAGE_DOWN = "<up>", "<down>", "<pgup>", "<pgdn>"
UNKNOWN = "<unknown>"  # a key with no meaning here: a function key
SPECIAL = (ENTER, BACKSPACE, ESCAPE, UP, DOWN, PAGE_UP, PAGE_DOWN, UNKNOWN)
_SEQUENCES = {b"[A": UP, b"OA": UP, b"[B": DOWN, b"OB": DOWN, b"[5~": PAGE_UP, b"[6~": PAGE_DOWN}


class Terminated(BaseException):
    """SIGTERM, SIGHUP or SIGQUIT arrived: end the session as Ctrl-C does (everything saved, terminal
    restored), then exit with 128 + the signal's number. A BaseException, like KeyboardInterrupt, so no
    ``except Exception`` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# --------------------------------------------------------------------------- the key map

_ENTER_MEANS = (Grade(Rating.GOOD), Reveal(), Next(), Skip(), Answer(""))
KEYMAP: dict[str, tuple[Action, ...]] = {
    ENTER: _ENTER_MEANS,
    " ": _ENTER_MEANS,
    "1": (Grade(Rating.AGAIN), Pick(1)),
    "2": (Grade(Rating.HARD), Pick(2)),
    "3": (Grade(Rating.GOOD), Pick(3)),
    "4": (Grade(Rating.EASY), Pick(4)),
    **{str(n): (Pick(n),) for n in range(5, 10)},
    "?": (Hint(),),
    "u": (Undo(),),
    "q": (Quit(),),
    "d": (Show(Extra.DERIVATION),),
    "c": (Show(Extra.CODE),),
    "r": (Show(Extra.DEMO),),
    "s": (Suspend(),),
    "@": (Suspend(),),  # Anki's key
    "b": (Bury(),),
    "-": (Bury(),),  # Anki's key
}
# Commands typed alone on a line where text is expected (an attempt, an exercise answer, a mock answer).
WORDS: dict[str, Action] = {
    "q": Quit(),
    "quit": Quit(),
    "exit": Quit(),
    "u": Undo(),
    "undo": Undo(),
    "?": Hint(),
    "h": Hint(),
    "hint": Hint(),
    "s": Suspend(),
    "b": Bury(),
}
SCROLL = {DOWN: 1, PAGE_DOWN: 1, "j": 1, UP: -1, PAGE_UP: -1, "k": -1}  # paging a long answer


def action_for_key(key: str, accepts: frozenset[type]) -> Action | None:
    """The action a key stands for on a screen that accepts these kinds of action (None: nothing)."""
    return next((a for a in KEYMAP.get(key.lower() if len(key) == 1 else key, ()) if type(a) in accepts), None)


def action_for_text(text: str, accepts: frozenset[type]) -> Action | None:
    """A typed line: a command word alone, Enter alone, else the text as an attempt or an answer."""
    word = text.strip().lower()
    if not word:
        return action_for_key(ENTER, accepts)
    command = WORDS.get(word)
    if command is not None and type(command) in accepts:
        return command
    if Reveal in accepts:
        return Reveal(text.strip())
    if Answer in accepts:
        return Answer(text)
    return None


# --------------------------------------------------------------------------- reading


def interactive() -> bool:
    """True when stdin is a terminal (single key presses), False for piped input (one line per key)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def write(text: str) -> None:
    out = sys.stdout
    if out is not None:
        out.write(text)
        out.flush()


def read_line(prompt: str = "") -> str:
    """One line of input without its newline; EOFError at the end of input or when stdin is closed."""
    if prompt:
        write(prompt)
    elif sys.stdout is not None:
        sys.stdout.flush()
    if sys.stdin is None:
        raise EOFError
    try:
        line = sys.stdin.readline()
    except (OSError, ValueError):  # a terminal that has gone away, a closed file
        raise EOFError from None
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _read_byte(fd: int) -> bytes:
    try:
        data = os.read(fd, 1)
    except OSError:  # the terminal was hung up
        raise EOFError from None
    if not data:
        raise EOFError
    return data


def _pending(fd: int, timeout: float = 0.03) -> bool:
    import select

    return bool(select.select([fd], [], [], timeout)[0])


def _decode_key(fd: int, first: bytes) -> str:
    if first in (b"\r", b"\n"):
        return ENTER
    if first in (b"\x7f", b"\x08"):
        return BACKSPACE
    if first == b"\x03":
        raise KeyboardInterrupt
    if first == b"\x04":
        raise EOFError
    if first == b"\x1b":
        if not _pending(fd):
            return ESCAPE
        sequence = b""
        while _pending(fd, 0.005) and len(sequence) < 16:  # the rest of an escape sequence (arrows, F-keys)
            sequence += os.read(fd, 1)
        return _SEQUENCES.get(sequence, UNKNOWN)
    lead = first[0]
    extra = 1 if lead >= 0xC0 else 0
    extra += 1 if lead >= 0xE0 else 0
    extra += 1 if lead >= 0xF0 else 0
    data = first + b"".join(_read_byte(fd) for _ in range(extra))
    text = data.decode("utf-8", errors="replace")
    return text if text.isprintable() else UNKNOWN


def read_key() -> str:
    """One key press in a terminal: a character, or one of SPECIAL.

    With piped input, one line: ENTER for an empty line, else the line without surrounding spaces.
    """
    if not interactive():
        line = read_line().strip()
        return line if line else ENTER
    import termios

    write("")
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    mode = termios.tcgetattr(fd)
    mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflags: no echo, no line buffering; Ctrl-C still signals
    mode[6][termios.VMIN] = 1
    mode[6][termios.VTIME] = 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, mode)  # TCSANOW keeps keys typed ahead
        return _decode_key(fd, _read_byte(fd))
    finally:
        with contextlib.suppress(termios.error):  # a terminal hung up has nothing left to restore
            termios.tcsetattr(fd, termios.TCSANOW, saved)


def line_buffer() -> str:
    """What is typed on the line being edited (to keep it when Ctrl-C or a signal ends the session)."""
    try:
        import readline

        return readline.get_line_buffer()
    except (ImportError, AttributeError):
        return ""


def read_text(first: str = "", prompt: str = "") -> str:
    """A line typed in the terminal's line editor, which starts out holding ``first``."""
    if not interactive():
        return first + read_line(prompt)
    try:
        import readline
    except ImportError:  # no line editor on this platform: echo what was typed and read the rest
        write(prompt + first)
        return first + read_line()
    readline.set_startup_hook(lambda: readline.insert_text(first))
    try:
        return input(prompt)
    finally:
        readline.set_startup_hook(None)

"""Reading the user's keys: single key presses in a terminal, one line per key when stdin is piped.

In a terminal, :func:`read_key` switches the terminal to cbreak mode (no echo, no line buffering) only
while it waits for one key, and always restores it, on Ctrl-C too. When stdin is not a terminal (a pipe,
a test), each key is one line of input, so ``printf '\\n3\\nq\\n' | dlquiz review`` works. End of input
raises EOFError and Ctrl-C KeyboardInterrupt, in both cases; sessions turn them into a clean ending.
"""

from __future__ import annotations

import os
import sys

# What read_key returns for keys that are not characters; a typed line never looks like these.
ENTER = "<enter>"
BACKSPACE = "<backspace>"
ESCAPE = "<esc>"
UNKNOWN = "<unknown>"  # a key with no meaning here: an arrow, a function key
SPECIAL = (ENTER, BACKSPACE, ESCAPE, UNKNOWN)


def interactive() -> bool:
    """True when stdin is a terminal (single key presses), False for piped input (one line per key)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def read_line(prompt: str = "") -> str:
    """One line of input without its newline; EOFError at the end of input."""
    if prompt:
        _write(prompt)
    else:
        sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _read_byte(fd: int) -> bytes:
    data = os.read(fd, 1)
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
        while _pending(fd, 0.005):  # swallow the rest of an escape sequence (arrows, F-keys)
            os.read(fd, 16)
        return UNKNOWN
    lead = first[0]
    extra = 1 if lead >= 0xC0 else 0
    extra += 1 if lead >= 0xE0 else 0
    extra += 1 if lead >= 0xF0 else 0
    data = first + b"".join(_read_byte(fd) for _ in range(extra))
    text = data.decode("utf-8", errors="replace")
    return text if text.isprintable() else UNKNOWN


def read_key() -> str:
    """One key press in a terminal: a character, or ENTER, BACKSPACE, ESCAPE, UNKNOWN.

    With piped input, one line: ENTER for an empty line, else the line without surrounding spaces.
    """
    if not interactive():
        line = read_line().strip()
        return line if line else ENTER
    import termios

    sys.stdout.flush()
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
        termios.tcsetattr(fd, termios.TCSANOW, saved)


def read_text(first: str = "", prompt: str = "") -> str:
    """A line typed in the terminal's line editor, which starts out holding ``first``."""
    if not interactive():
        return first + read_line(prompt)
    try:
        import readline
    except ImportError:  # no line editor on this platform: echo what was typed and read the rest
        _write(prompt + first)
        return first + read_line()
    readline.set_startup_hook(lambda: readline.insert_text(first))
    try:
        return input(prompt)
    finally:
        readline.set_startup_hook(None)


def read_choice(commands: str, allow_text: bool = False, prompt: str = "") -> str:
    """Wait for a command key, Enter, or (when ``allow_text``) a typed line.

    Returns ENTER, one of the single-character ``commands``, the typed text, or (for any other key)
    the key itself, which the caller answers with a hint. The key is echoed and the line ended, so the
    next output starts on a fresh line.
    """
    if prompt:
        _write(prompt)
    key = read_key()
    if key == ENTER or (len(key) == 1 and key.lower() in commands):
        _write(("" if key == ENTER else key) + "\n")
        return key if key == ENTER else key.lower()
    if allow_text and interactive() and len(key) == 1:
        return read_text(key)  # the line editor ends the line itself
    _write(("" if interactive() else key) + "\n")
    return key


def wait_for_more() -> bool:
    """Wait for Enter (go on) or q (stop); False at q or the end of input."""
    try:
        if interactive():
            _write("  [Enter] more · q stop ")
            key = read_choice("q")
        else:
            key = read_line("  [Enter] more · q stop ").strip().lower() or ENTER
    except EOFError:
        return False
    return key not in ("q", "quit")

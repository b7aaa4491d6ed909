"""Reading the user's keys: single key presses in a terminal, one line per key when stdin is piped."""

from __future__ import annotations

import sys


def read_line(prompt: str = "") -> str:
    """One line of input without its newline; EOFError at the end of input."""
    if prompt:
        sys.stdout.write(prompt)
        sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def wait_for_more() -> bool:
    """Wait for Enter (go on) or q (stop); False at q or the end of input."""
    try:
        answer = read_line("  [Enter] more · q stop ")
    except EOFError:
        return False
    return answer.strip().lower() not in ("q", "quit")

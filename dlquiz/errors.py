"""Errors a user can cause and fix: the CLI prints them on one line and exits 2 (1: filters select nothing)."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (U+0080-U+009F, which include CSI): what a
# terminal may take as the start of an escape sequence, a cursor move or a bell.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class UserError(Exception):
    """Bad input from the user (an unknown id, a bad option, an invalid bank, unreadable state).

    The message is shown as it is, without a traceback; the process exits with status 2
    (``exit_code``).
    """

    exit_code = 2


class NothingSelected(UserError):
    """Filters that each name something the bank has but together select no item.

    Not a mistake in the input (an unknown topic or tag is a UserError, exit 2) but an empty answer to a
    valid question, so the process exits with 1, as grep and ``dlquiz search`` do when nothing matches:
    a script can tell "nothing there" from "mistyped".
    """

    exit_code = 1


def visible(text: str, limit: int | None = None) -> str:
    """``text`` safe to quote in a one-line message: every control character (newline and tab too) as
    ``\\n``, ``\\t`` or ``\\x1b``, so nothing from a bank file or a command line can reach the terminal as an
    escape sequence; cut to ``limit`` characters (with '…') when given."""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return _ANY_CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")

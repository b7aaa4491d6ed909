"""Notes for the user from code that must not print (the engine): the command line decides where they go.

``notify("created …")`` hands the text to the sink the command line installed (it prints it on stderr);
with no sink yet, notes wait and are handed over when one is installed.
"""

from __future__ import annotations

from collections.abc import Callable

_sink: Callable[[str], None] | None = None
_pending: list[str] = []


def notify(text: str) -> None:
    """Tell the user something they should know but that is not an error (one line)."""
    if _sink is None:
        _pending.append(text)
    else:
        _sink(text)


def set_sink(sink: Callable[[str], None] | None) -> None:
    """Where notes go from now on; the notes given before are handed over at once."""
    global _sink
    _sink = sink
    while sink is not None and _pending:
        sink(_pending.pop(0))


def take_pending() -> list[str]:
    """The notes given with no sink installed (for tests and callers without a command line)."""
    taken = list(_pending)
    _pending.clear()
    return taken

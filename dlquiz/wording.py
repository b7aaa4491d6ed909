"""Counting words in messages: '1 item', '2 items', '1 match', '3 matches' (the one plural helper)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word for that many: the singular for exactly 1, else ``many`` (default ``word`` + s)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"

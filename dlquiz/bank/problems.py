"""What is wrong with a bank: one Problem per finding, located by file, line, item and field."""

from __future__ import annotations

from dataclasses import dataclass

from dlquiz.errors import UserError, visible

NAME_LIMIT = 80  # characters of an item id or field name shown in a problem


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the bank, located as precisely as the YAML allows (line 0: the whole file)."""

    file: str
    line: int
    message: str
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        """One line; every part is passed through ``visible`` because each can come from a bank file (a
        file name, an id, a field name, a value quoted in the message)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        about = []
        if self.item:
            about.append(f"item '{visible(self.item, NAME_LIMIT)}'")
        if self.field:
            about.append(f"field '{visible(self.field, NAME_LIMIT)}'")  # an unknown key may be any length
        prefix = f"{visible(where)}: " + (" ".join(about) + ": " if about else "")
        return prefix + visible(self.message)


class BankError(UserError):
    """The bank has problems; ``problems`` lists every one of them."""

    SHOWN = 5  # a message is read, not scrolled: the first few, then a pointer to `dlquiz check`

    def __init__(self, problems: list[Problem], command: str = "dlquiz check"):
        self.problems = problems
        lines = [str(p) for p in problems]
        if len(lines) == 1:
            message = lines[0]
        else:
            message = f"the question bank has {len(lines)} problems:\n  " + "\n  ".join(lines[: self.SHOWN])
            if len(lines) > self.SHOWN:
                message += f"\n  ... and {len(lines) - self.SHOWN} more; '{command}' lists them all"
        super().__init__(message)

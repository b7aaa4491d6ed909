"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
from pathlib import Path

from dlquiz.errors import UserError


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically: into a temporary file beside it, then renamed over it."""
    target = Path(path).expanduser()
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target

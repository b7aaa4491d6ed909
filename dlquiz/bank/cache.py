"""Rebuildable caches beside the other paths (``paths.cache_dir()``): plain JSON, keyed, never code.

An entry is one file ``<cache dir>/bank/<name>.json`` holding ``{"key": ..., "value": ...}``. It is used
only when its key equals the key asked for; anything else (missing, another key, not JSON, too large, a
special file, any control character but newline and tab) reads as no entry, and the caller computes
afresh. JSON cannot run code, so a file planted in the cache directory can at worst be ignored; callers
still check the shape of what they read back.

Writing is best effort and silent: no cache directory, a read-only or full disk, any OSError, and the
entry is simply not kept. An entry is never written when it would leave less than ``RESERVE_BYTES``
free, so a rebuildable cache never takes the space the state file needs for the next answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from dlquiz.bank.reading import UnreadableFile, read_regular
from dlquiz.paths import cache_dir

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # the parse of the largest bank (a few dozen 4 MiB files) fits well within
RESERVE_BYTES = 32 * 1024 * 1024  # room for tens of thousands of answers in the state file
SUBDIRECTORY = "bank"
STALE_DAYS = 90

# What dlquiz writes never holds a control character but newline and tab, so an entry that holds one
# was not written by dlquiz and is not used. Raw C0 characters are refused by json.loads itself (strict
# mode); these find DEL and the C1 characters in the UTF-8 bytes, and the JSON escapes of the others
# (\u001b, \b, \f, \r) once escaped backslashes are taken out. Searching the bytes once is much cheaper
# than checking every string after decoding.
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_ESCAPED_CONTROL = re.compile(rb"\\(?:[bfr]|u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F])")


def _holds_control(data: bytes) -> bool:
    return b"\x7f" in data or bool(_C1.search(data)) or bool(_ESCAPED_CONTROL.search(data.replace(b"\\\\", b"")))


def _path(name: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / SUBDIRECTORY / f"{name}.json"


def read(name: str, key: Any) -> Any:
    """The value stored under ``name`` when it was stored with exactly ``key``; None otherwise."""
    path = _path(name)
    if path is None:
        return None
    try:
        data = read_regular(path, MAX_ENTRY_BYTES)  # never a FIFO, never unbounded
        if _holds_control(data):
            return None
        stored = json.loads(data)
    except (UnreadableFile, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != _plain(key):
        return None
    return stored.get("value")


def write(name: str, key: Any, value: Any) -> None:
    """Keep ``value`` under ``name`` and ``key``; silently nothing when it cannot or should not be kept."""
    path = _path(name)
    if path is None:
        return
    data = json.dumps({"key": key, "value": value}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        disk = os.statvfs(path.parent)
        if disk.f_bavail * disk.f_frsize - len(data) < RESERVE_BYTES:
            return
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
        _prune(path.parent)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _prune(directory: Path) -> None:
    """Remove what no longer earns its space: the pickle files of dlquiz 0.1 (never read again, only a
    risk) and entries not rewritten for ``STALE_DAYS`` (a bank file since deleted, a temporary directory);
    an entry still in use is at worst parsed once more."""
    oldest = time.time() - STALE_DAYS * 86400
    for entry in directory.iterdir():
        if entry.suffix == ".pickle" or (entry.suffix == ".json" and entry.stat().st_mtime < oldest):
            entry.unlink(missing_ok=True)


def _plain(key: Any) -> Any:
    """``key`` as it reads back from JSON (tuples become lists), for comparing with a stored key."""
    return json.loads(json.dumps(key))

"""Reading a file that may be hostile: a regular file only, and never more than a set number of bytes.

A path from a bank directory or a cache directory may name a FIFO (opening it for reading would wait
for a writer forever), a device such as ``/dev/zero`` (reading it would never end), or a file far larger
than any real one. The file is opened without blocking and checked with ``fstat`` on the open
descriptor, so what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """The file was not read; the message says why, in words that follow the file's name."""


class NotRegularFile(UnreadableFile):
    """A directory, FIFO, device or socket."""


class TooLarge(UnreadableFile):
    """More bytes than the limit."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; UnreadableFile if it is something else, cannot be read,
    or holds more than ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"is {_kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLarge(too_large(info.st_size, limit))
        chunks = []
        left = limit + 1  # one byte more than allowed tells a file that grew while it was read
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(too_large(len(data), limit))
    return data


def too_large(size: int, limit: int) -> str:
    return f"is larger than the {_size(limit)} allowed ({_size(size)} or more)"


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n / 2**10:.0f} KiB"


def _kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"

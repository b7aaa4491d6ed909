"""Writing files so that a crash never leaves half a file behind (``export -o``, ``mock -o``, the state's notes).

:func:`write_text` replaces a regular file atomically: the new content is written to an unnamed file in the
target's directory (``O_TMPFILE``), synced, given a name for an instant and renamed over the target, then
the directory is synced. A crash leaves the old content or the new one, never a mix, and no half-written
temporary file. Where the file system cannot make unnamed files, a named temporary (``.dlquiz-PID-….tmp``)
is used, and those left by dead processes are removed by the next write into the same directory.

The name the user gave is honoured the way a shell's ``>`` would: a symbolic link is written through to its
target (which keeps its mode), and a device or pipe (``/dev/stdout``) is written to directly. A name that
cannot be written (empty, a directory, too long, in a missing directory) is a UserError on one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

from dlquiz import faults
from dlquiz.errors import UserError

_TEMP = re.compile(r"^\.dlquiz-(\d+)-[0-9a-f]+\.tmp$")


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically; returns the path as the user named it."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path``: atomically for a regular file, directly for a device or pipe."""
    named, info = check_target(path)
    try:
        if info is not None and (not stat.S_ISREG(info.st_mode) or _names_a_descriptor(named)):
            faults.point("write")
            # a terminal, a pipe, /dev/null, or an open file named through /dev/stdout: no file to replace, and
            # appending never destroys what a shell's >> put there before
            with open(named, "ab") as stream:
                stream.write(data)
            return named
        real = Path(os.path.realpath(named))
        _replace(real, data, info)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise  # the reader went away (dlquiz export -o /dev/stdout | head): the command line ends quietly
        raise UserError(f"cannot write {named}: {exc.strerror or exc}") from None
    return named


def check_target(path: str | os.PathLike) -> tuple[Path, os.stat_result | None]:
    """``path`` (with ~ expanded) and what is there now (None: nothing yet), or a UserError saying why it
    cannot be written. Call it before long work whose result goes there (a mock interview)."""
    text = os.fspath(path)
    if not text.strip():
        raise UserError("the output file name is empty; give a file name, e.g. -o notes.md")
    if "\0" in text:
        raise UserError("the output file name contains a NUL character")
    named = Path(text).expanduser()
    try:
        info = os.stat(named)  # follows links, /dev/stdout included
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UserError(f"cannot write {_short(text)}: {exc.strerror or exc}") from None
    if (info is not None and stat.S_ISDIR(info.st_mode)) or text.endswith(("/", os.sep)):
        raise UserError(f"{_short(text)} is a directory; give a file name, e.g. {Path(text) / 'dlquiz.md'}")
    if info is None:
        real = Path(os.path.realpath(named))
        if not real.parent.is_dir():
            raise UserError(f"cannot write {_short(text)}: the directory {_short(str(real.parent))} does not exist")
        limit = _name_max(real.parent)
        if len(os.fsencode(real.name)) > limit:
            raise UserError(f"cannot write {_short(text)}: the file name is longer than {limit} bytes")
    return named, info


_DESCRIPTOR = re.compile(r"^/(proc/(self|thread-self|\d+)/fd|dev/fd)/\d+$|^/dev/std(out|err|in)$")


def _names_a_descriptor(named: Path) -> bool:
    """Whether ``named`` (or a link it leads through) is an open descriptor (/dev/stdout, /proc/self/fd/1)."""
    current = str(named)
    for _ in range(40):
        if _DESCRIPTOR.match(os.path.abspath(current)):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else f"{text[:60]}…{text[-40:]} ({len(text)} characters)"


def _name_max(directory: Path) -> int:
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _replace(real: Path, data: bytes, info: os.stat_result | None) -> None:
    directory = real.parent
    _remove_stale_temporaries(directory)
    fd, temp = _open_temporary(directory)
    try:
        faults.point("write")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if info is not None:  # the replaced file keeps its mode (and, for root, its owner)
            os.fchmod(fd, stat.S_IMODE(info.st_mode))
            if os.geteuid() == 0 and (info.st_uid, info.st_gid) != (0, 0):
                os.fchown(fd, info.st_uid, info.st_gid)
        os.fsync(fd)
        if temp is None:
            temp = directory / _temp_name()
            _name_unnamed(fd, temp)  # the unnamed file gets a name only now, complete and synced
        faults.point("rename")
        os.replace(temp, real)
        temp = None
    finally:
        os.close(fd)
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    _sync_directory(directory)


def _name_unnamed(fd: int, name: Path) -> None:
    """Link the O_TMPFILE file ``fd`` as ``name`` (linkat with AT_SYMLINK_FOLLOW through /proc: a plain
    link() would link /proc's magic link itself and fail across devices)."""
    directory = os.open(name.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=directory, follow_symlinks=True)
    finally:
        os.close(directory)


def _temp_name() -> str:
    return f".dlquiz-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _open_temporary(directory: Path) -> tuple[int, Path | None]:
    """A file to write the new content into: unnamed (``O_TMPFILE``, name None) where the system can make
    one, else a new hidden file beside the target."""
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o666), None
        except OSError:
            pass  # the file system cannot (e.g. some network file systems): use a named one
    temp = directory / _temp_name()
    return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temp


def _remove_stale_temporaries(directory: Path) -> None:
    """Remove temporary files that processes killed in the middle of a write left in ``directory``."""
    try:
        entries = [entry.name for entry in os.scandir(directory) if entry.name.startswith(".dlquiz-")]
    except OSError:
        return
    for name in entries:
        match = _TEMP.match(name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            (directory / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (a crash after it cannot bring the old name back)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is as durable as they make it
    finally:
        os.close(fd)

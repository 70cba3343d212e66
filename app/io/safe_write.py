"""Writing an output file safely: the whole file or nothing, and never over a special file.

Used by every writer of a file the user names (export, reports, bank files):

- ``-`` means standard output.
- A regular file is written to a temporary file in the same folder (private, 0600, from its
  first byte), flushed to disk, then renamed over the target in one step: a failed or
  interrupted write never leaves half a file and never damages the file it would replace.
  A new file is 0600 (it holds the books); a file that existed keeps its mode.
- A device (``/dev/full``, ``/dev/null``), a FIFO or a socket is refused: renaming over it
  would replace the device node itself (as root, ``-o /dev/full`` did). Write to standard
  output and redirect it instead.
- A symbolic link is refused, deliberately, rather than followed: renaming over the link
  would replace the link with a file, and following it would let a link planted in a shared
  folder aim the books at another file. Name the real file.
- A full disk (ENOSPC) or another OS error is raised as ``OSError`` with the file named; the
  error seam (app/db/errors.py ``classify``) turns it into one line ("The disk is full...").
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

STDOUT = "-"
NEW_FILE_MODE = 0o600


class UnsafeTarget(OSError):
    """The target exists and is not a regular file (or is a link): it is never replaced."""


def check_target(target: str | Path) -> Path:
    """The path to write, after refusing a folder, a link and a special file (before any
    work is done, so a long export fails at once)."""
    path = Path(target)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeTarget(errno.EEXIST, "is a symbolic link; Ledgerdesk does not write "
                               "through links: name the file itself", str(path))
        if stat.S_ISDIR(info.st_mode):
            raise UnsafeTarget(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTarget(errno.EEXIST, "is not a regular file (a device, a pipe or a "
                               "socket) and is never replaced; write to standard output "
                               "(-o -) and redirect it instead", str(path))
    folder = path.parent
    if not folder.is_dir():
        raise OSError(errno.ENOENT, "the folder does not exist", str(folder))
    return path


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (``-`` for standard output) as the module says."""
    if str(target) == STDOUT:
        write_stdout(data)
        return

    def put(out: BinaryIO) -> None:
        view = memoryview(data)
        while view:
            written = out.write(view)
            view = view[written or len(view):]

    write_with(target, put)


def write_with(target: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """``write`` fills a binary file (a report writer streaming its rows); the file
    replaces ``target`` only when complete, as the module says. ``-``: standard output."""
    if str(target) == STDOUT:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    path = check_target(target)
    existing = path.stat().st_mode & 0o7777 if path.exists() else None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)  # 0600 from the first byte
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write in this folder ({exc.strerror})",
                      str(path.parent)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
            if existing is not None:
                os.fchmod(out.fileno(), existing)
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def write_stdout(data: bytes) -> None:
    """Standard output, flushed; on failure (a full disk behind a redirection, a closed
    pipe) the rest is dropped so Python's exit does not report it a second time."""
    out = sys.stdout.buffer
    try:
        out.write(data)
        out.flush()
    except OSError as exc:
        _silence_stdout()
        raise OSError(exc.errno, exc.strerror, "standard output") from None


def _silence_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _sync_folder(folder: Path) -> None:
    """Put the rename itself on disk (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["STDOUT", "UnsafeTarget", "check_target", "write_bytes", "write_stdout",
           "write_text"]

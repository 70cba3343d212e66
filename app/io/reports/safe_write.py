"""Writing an output file safely: into a temporary file beside the target, then
``os.replace`` (a reader never sees half a file; a failure leaves the old file). The target
must be a regular file or not exist: a device, FIFO, folder or symbolic link is refused.
``-`` means standard output.

(The changepath branch writes app/io/safe_write.py with the same rule; the lead folds the
two into one.)"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.domain.errors import Invalid

STDOUT = "-"


def check_target(target: str | Path) -> Path:
    path = Path(target)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.exists():
            raise Invalid(f"The folder {path.parent} does not exist.", field="output") from None
        return path
    if stat.S_ISLNK(info.st_mode):
        raise Invalid(f"{path} is a symbolic link; write to the file itself.", field="output")
    if not stat.S_ISREG(info.st_mode):
        raise Invalid(f"{path} is not a regular file (a device, pipe or folder); it is not "
                      "replaced.", field="output")
    return path


def write_atomically(target: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """``write`` fills a binary file; it replaces ``target`` only when complete."""
    if str(target) == STDOUT:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    path = check_target(target)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise

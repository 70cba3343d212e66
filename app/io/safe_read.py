"""Reading a file the user names, bounded: a device, a pipe or a folder is refused before
anything is read (``/dev/zero`` would never end), and a file over the limit is refused
rather than read until memory runs out. (The JSON import and the bank readers apply the
same rule with their own messages: app/io/json_io.py ``read_text``, app/io/bank.)"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.domain.errors import Invalid

MAX_BYTES = 256 * 1024 * 1024


def read_bytes(path: Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``; ``what`` names the kind of file in the messages."""
    with Path(path).open("rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Invalid(f"{path} is not a regular file (a device, a pipe or a socket): "
                          f"name {what}.", field="file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"{path} is too big: the limit is {limit:,} bytes.", field="file")
    return data

"""What the bank file readers share: the error they raise, the size limit, amounts and
decoding. A bank file is untrusted input: it is read within a size limit, XML without DTDs or
entities (defusedxml), and every refusal names the line or element it concerns."""

from __future__ import annotations

import os
import re
import stat
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.domain.errors import Invalid

# A month of a busy account is a few megabytes; anything much larger is not a statement.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINES = 500_000

FORMATS = ("camt053", "mt940", "ofx", "csv")


class BankFileError(Invalid):
    """The file cannot be read as a bank statement; the message names where (line/element).
    Nothing has been written when this is raised."""

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message, field="file")
        self.where = where


def read_file(path: Path, limit: int | None = None) -> bytes:
    """A bank file's bytes, read within the size limit: a device, a pipe or a folder is
    refused before anything is read (``/dev/zero`` would never end)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with Path(path).open("rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BankFileError(f"{path} is not a regular file (a device, a pipe or a "
                                "socket): name a bank statement file.")
        data = handle.read(limit + 1)
    check_size(data, limit)
    return data


def check_size(data: bytes, limit: int | None = None) -> None:
    limit = MAX_FILE_BYTES if limit is None else limit
    if len(data) > limit:
        raise BankFileError(f"The file has {len(data):,} bytes, more than the {limit:,} a "
                            "bank statement may have; it was not read.")


def decode(data: bytes, encodings: tuple[str, ...], what: str) -> str:
    """The text of a file in the first of ``encodings`` that decodes it; a BOM wins."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encodings = data[3:], ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    if b"\x00" in data[:4096] and encodings != ("utf-16",):
        raise BankFileError(f"The file is not a {what} file: it holds binary data (NUL "
                            "bytes) - is it UTF-16, or not a text file at all?", where="line 1")
    last: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    line = data[:last.start].count(b"\n") + 1
    raise BankFileError(f"the text is not valid {encodings[-1]} (byte {last.start + 1}, "
                        f"0x{data[last.start]:02x}); choose the file's encoding.",
                        where=f"line {line}")


_AMOUNT = re.compile(r"^[+-]?\d+(\.\d+)?$")


def amount(text: str, where: str, *, decimal_separator: str = ".",
           thousands_separator: str = "") -> Decimal:
    """A decimal amount, exactly (never through float)."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if thousands_separator:
        raw = raw.replace(thousands_separator, "")
    if decimal_separator != ".":
        raw = raw.replace(decimal_separator, ".")
    if raw.endswith("-"):  # "12,50-" (a trailing minus, as some German banks write it)
        raw = "-" + raw[:-1]
    if not _AMOUNT.match(raw):
        raise BankFileError(f"{text.strip()!r} is not an amount.", where=where)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BankFileError(f"{text.strip()!r} is not an amount.", where=where) from None
    if value != value.quantize(Decimal("0.01")):
        raise BankFileError(f"{text.strip()!r} has more than two decimals.", where=where)
    return value.quantize(Decimal("0.01"))


def iso_date(text: str, where: str) -> date:
    """``2026-12-01`` or ``2026-12-01T10:00:00+01:00`` (the date part)."""
    raw = text.strip()
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BankFileError(f"{raw!r} is not a date (YYYY-MM-DD).", where=where) from None


def parse_date(text: str, fmt: str, where: str) -> date:
    try:
        return datetime.strptime(text.strip(), fmt).date()
    except ValueError:
        raise BankFileError(f"{text.strip()!r} is not a date in the form {fmt}.",
                            where=where) from None


def clean(text: str | None) -> str:
    """One line of text: runs of whitespace as one space."""
    return " ".join((text or "").split())

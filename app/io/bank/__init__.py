"""Bank statement files in: CAMT.053, MT940, OFX and CSV (through a mapping profile).

``read_statement(data, fmt)`` gives a ``Statement`` (app/domain/bank.py) or raises
``BankFileError`` naming the line or element; it writes nothing.
"""

from __future__ import annotations

from app.domain.bank import Statement
from app.io.bank import camt053, csv_format, mt940, ofx
from app.io.bank.common import FORMATS, BankFileError, check_size, read_file
from app.io.bank.csv_format import CsvProfile

__all__ = ["FORMATS", "BankFileError", "CsvProfile", "detect_format", "read_file",
           "read_statement"]


def detect_format(data: bytes) -> str:
    """camt053 / mt940 / ofx / csv, from the file's first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"<?OFX" in head:
        return "ofx"
    if head.startswith(b"<"):
        if b"CAMT.053" in head:
            return "camt053"
        if b"OFX" in head:
            return "ofx"
        return "camt053"  # XML of another kind: the CAMT reader says what it is
    if b":20:" in head and (b":25:" in head or b":60F:" in head or b"{1:" in head):
        return "mt940"
    return "csv"


def read_statement(data: bytes, fmt: str = "auto", *, profile: CsvProfile | None = None,
                   limit: int | None = None) -> Statement:
    check_size(data, limit)
    if fmt == "auto":
        fmt = detect_format(data)
    if fmt == "camt053":
        return camt053.parse(data, limit=limit)
    if fmt == "mt940":
        return mt940.parse(data, limit=limit)
    if fmt == "ofx":
        return ofx.parse(data, limit=limit)
    if fmt == "csv":
        return csv_format.parse(data, profile or csv_format.sniff(data), limit=limit)
    raise BankFileError(f"Unknown format {fmt!r}: choose one of auto, {', '.join(FORMATS)}.")

"""Bank statements as CSV, read through a mapping profile: encoding, delimiter, decimal and
thousands separators, date format, which column holds what, the sign convention and how many
rows come before the data. A profile is sniffed from the file on first import (``sniff``),
can be adjusted (the dialog previews ``preview``), and is saved by name per company.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from app.domain.bank import Statement, StatementLine, compact_iban, is_iban
from app.io.bank.common import (
    MAX_LINES,
    BankFileError,
    amount,
    check_size,
    clean,
    decode,
    parse_date,
)

# What a column of a statement line may hold (the profile maps each to a column header or
# a 1-based column number written "#3").
FIELDS = ("booking_date", "value_date", "amount", "credit_amount", "debit_amount",
          "indicator", "counterparty_name", "counterparty_iban", "remittance",
          "bank_reference", "end_to_end_id", "currency")
SIGNS = ("signed", "inverted", "separate", "indicator")


@dataclass(frozen=True)
class CsvProfile:
    name: str = ""
    encoding: str = "utf-8"
    delimiter: str = ";"
    quotechar: str = '"'
    decimal_separator: str = "."
    thousands_separator: str = ""
    date_format: str = "%Y-%m-%d"
    skip_rows: int = 0  # rows before the header row
    has_header: bool = True
    # signed: negative = money out; inverted: negative = money in; separate: credit and debit
    # columns; indicator: one amount and a column saying credit/debit (C/D, H/S, +/-).
    sign: str = "signed"
    credit_marks: tuple[str, ...] = ("C", "CR", "CRDT", "H", "HABEN", "+", "CREDIT")
    columns: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "credit_marks": list(self.credit_marks)})

    @classmethod
    def from_json(cls, text: str) -> CsvProfile:
        data: dict[str, Any] = json.loads(text)
        data["credit_marks"] = tuple(data.get("credit_marks", ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def problem(self) -> str | None:
        """What keeps the profile from reading a file, or None."""
        if self.sign not in SIGNS:
            return f"The sign convention must be one of {', '.join(SIGNS)}."
        if "booking_date" not in self.columns:
            return "The profile names no column for the booking date."
        if self.sign == "separate":
            if "credit_amount" not in self.columns and "debit_amount" not in self.columns:
                return "The profile names no credit or debit amount column."
        elif "amount" not in self.columns:
            return "The profile names no amount column."
        if self.sign == "indicator" and "indicator" not in self.columns:
            return "The profile names no credit/debit indicator column."
        unknown = set(self.columns) - set(FIELDS)
        if unknown:
            return f"Unknown column role(s): {', '.join(sorted(unknown))}."
        return None


# Header words that name a role, lower case, several languages.
_HEADER_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("value_date", ("valuta", "value date", "wertstellung", "valutadatum", "valeur")),
    ("booking_date", ("buchungstag", "buchungsdatum", "booking date", "date", "datum",
                      "posting date", "transaction date", "buchung")),
    ("credit_amount", ("credit", "haben", "gutschrift", "paid in", "money in")),
    ("debit_amount", ("debit", "soll", "lastschrift", "paid out", "money out")),
    ("amount", ("betrag", "amount", "umsatz", "montant", "importe", "bedrag")),
    ("indicator", ("s/h", "soll/haben", "cd", "credit/debit", "dc")),
    ("counterparty_iban", ("iban", "kontonummer/iban", "counterparty account",
                           "account number")),
    ("counterparty_name", ("name", "auftraggeber", "begünstigter", "zahlungspflichtiger",
                           "counterparty", "payer", "payee", "beguenstigter/zahlungspflichtiger",
                           "empfänger")),
    ("remittance", ("verwendungszweck", "remittance", "reference text", "description",
                    "purpose", "memo", "details", "buchungstext", "text")),
    ("bank_reference", ("bank reference", "reference", "referenz", "transaction id", "id")),
    ("end_to_end_id", ("end-to-end", "endtoend", "eref", "end to end")),
    ("currency", ("währung", "currency", "waehrung", "ccy")),
]
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d",
                 "%d-%m-%Y", "%Y/%m/%d")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d{1,2})-?$|^[+-]?\d+,\d{1,2}-?$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d{1,3}(,\d{3})*(\.\d{1,2})?$|^[+-]?\d+\.\d{1,2}$")


def _encoding_of(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    guess = (best.encoding if best is not None else "cp1252").lower()
    # Bank exports in Western Europe are Windows-1252 far more often than the Latin-1 or
    # Cyrillic guesses a short sample can give.
    return "cp1252" if guess in ("latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1251",
                                 "mac_roman") else guess


def _rows(text: str, profile: CsvProfile) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=profile.delimiter,
                        quotechar=profile.quotechar)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_LINES:
                raise BankFileError(f"The file has more than {MAX_LINES:,} rows; it was not "
                                    "read.")
    except csv.Error as exc:
        raise BankFileError(f"the CSV cannot be read: {exc}.",
                            where=f"line {reader.line_num}") from None
    return rows


def _role(header: str) -> str | None:
    h = clean(header).lower()
    for role, words in _HEADER_WORDS:
        if h in words:
            return role
    for role, words in _HEADER_WORDS:
        if any(len(w) > 3 and w in h for w in words):
            return role
    return None


def sniff(data: bytes, name: str = "") -> CsvProfile:
    """A profile guessed from the file: encoding, delimiter, header row, columns by their
    header words, decimal separator and date format from the values."""
    encoding = _encoding_of(data)
    text = decode(data, (encoding,), "CSV")
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
        delimiter, quotechar = dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        delimiter, quotechar = ";", '"'
    profile = CsvProfile(name=name, encoding=encoding, delimiter=delimiter,
                         quotechar=quotechar)
    rows = _rows(sample, profile)
    # The header row: the first with at least two cells naming a date and an amount role.
    header_index, columns = -1, {}
    for index, row in enumerate(rows[:20]):
        found: dict[str, str] = {}
        for cell in row:
            role = _role(cell)
            if role and role not in found and cell.strip():
                found[role] = cell.strip()
        if ("booking_date" in found or "value_date" in found) and (
                {"amount", "credit_amount", "debit_amount"} & set(found)):
            header_index, columns = index, found
            break
    if header_index < 0:
        return profile  # the user maps the columns in the dialog
    if "booking_date" not in columns and "value_date" in columns:
        columns["booking_date"] = columns.pop("value_date")
    header = rows[header_index]
    data_rows = [r for r in rows[header_index + 1:] if any(c.strip() for c in r)]

    def values(role: str) -> list[str]:
        index = header.index(columns[role]) if columns.get(role) in header else -1
        return [r[index].strip() for r in data_rows if 0 <= index < len(r) and r[index].strip()]

    amounts = [v for role in ("amount", "credit_amount", "debit_amount") if role in columns
               for v in values(role)]
    comma = sum(1 for v in amounts if _COMMA_DECIMAL.match(v.replace(" ", "")))
    dot = sum(1 for v in amounts if _DOT_DECIMAL.match(v.replace(" ", "")))
    decimal_separator, thousands = ((",", ".") if comma > dot else (".", ","))
    dates = values("booking_date")
    date_format = next((f for f in _DATE_FORMATS if dates and all(
        _fits(d, f) for d in dates)), "%Y-%m-%d")
    sign = ("separate" if "amount" not in columns and (
        "credit_amount" in columns or "debit_amount" in columns)
        else "indicator" if "indicator" in columns else "signed")
    return replace(profile, decimal_separator=decimal_separator, thousands_separator=thousands,
                   date_format=date_format, skip_rows=header_index, has_header=True,
                   sign=sign, columns=columns)


def _fits(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
        return True
    except ValueError:
        return False


def _column_index(profile: CsvProfile, header: list[str] | None, role: str,
                  where: str) -> int | None:
    spec = profile.columns.get(role)
    if not spec:
        return None
    if spec.startswith("#") and spec[1:].isdigit():
        return int(spec[1:]) - 1
    if header is None:
        raise BankFileError(f"the profile names the column {spec!r} for {role}, but the file "
                            "has no header row; use a column number (#1, #2, ...).",
                            where=where)
    cleaned = [clean(h) for h in header]
    if clean(spec) not in cleaned:
        raise BankFileError(f"there is no column {spec!r} (for {role}); the columns are: "
                            f"{', '.join(cleaned)}.", where=where)
    return cleaned.index(clean(spec))


def parse(data: bytes, profile: CsvProfile, *, limit: int | None = None,
          max_rows: int | None = None) -> Statement:
    check_size(data, limit)
    problem = profile.problem()
    if problem:
        raise BankFileError(f"The CSV profile {profile.name or '(unsaved)'} cannot be used: "
                            f"{problem}")
    text = decode(data, (profile.encoding,), "CSV")
    rows = _rows(text, profile)
    first = profile.skip_rows
    header = rows[first] if profile.has_header and first < len(rows) else None
    header_line = first + 1
    start = first + (1 if profile.has_header else 0)
    where = f"line {header_line}"
    index = {role: _column_index(profile, header, role, where) for role in FIELDS}
    lines: list[StatementLine] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if max_rows is not None and len(lines) >= max_rows:
            break
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {number}"

        def cell(role: str, row: list[str] = row, where: str = where) -> str:
            i = index[role]
            if i is None:
                return ""
            if i >= len(row):
                raise BankFileError(f"the row has {len(row)} columns; {role} is in column "
                                    f"{i + 1}.", where=where)
            return row[i].strip()

        def money(text: str, where: str = where) -> Any:
            return amount(text, where, decimal_separator=profile.decimal_separator,
                          thousands_separator=profile.thousands_separator)

        booked = cell("booking_date")
        if not booked:
            raise BankFileError("the booking date is empty.", where=where)
        booking_date = parse_date(booked, profile.date_format, where)
        valued = cell("value_date")
        if profile.sign == "separate":
            credit_text, debit_text = cell("credit_amount"), cell("debit_amount")
            if credit_text and money(credit_text) != 0:
                value, credit = abs(money(credit_text)), True
            elif debit_text:
                value, credit = abs(money(debit_text)), False
            else:
                raise BankFileError("neither the credit nor the debit amount is given.",
                                    where=where)
        else:
            raw = cell("amount")
            if not raw:
                raise BankFileError("the amount is empty.", where=where)
            signed = money(raw)
            if profile.sign == "indicator":
                mark = cell("indicator").upper()
                credit = mark in profile.credit_marks
                value = abs(signed)
            else:
                credit = signed > 0 if profile.sign == "signed" else signed < 0
                value = abs(signed)
        iban = compact_iban(cell("counterparty_iban"))
        lines.append(StatementLine(
            value, credit, booking_date,
            parse_date(valued, profile.date_format, where) if valued else None,
            counterparty_name=clean(cell("counterparty_name")),
            counterparty_iban=iban if iban and is_iban(iban) else "",
            remittance=clean(cell("remittance")), bank_reference=cell("bank_reference"),
            end_to_end_id=cell("end_to_end_id"), currency=cell("currency"), where=where))
    if not lines and max_rows is None:
        raise BankFileError("the CSV file holds no statement lines.",
                            where=f"line {start + 1}")
    return Statement("csv", tuple(lines))


def preview(data: bytes, profile: CsvProfile, rows: int = 20) -> tuple[list[StatementLine],
                                                                        str | None]:
    """The first rows as the profile reads them, and the first problem (for the dialog)."""
    try:
        return list(parse(data, profile, max_rows=rows).lines), None
    except BankFileError as exc:
        return [], exc.message

"""CSV and XLSX import of customers and open invoices, through a column mapping.

An accountant's spreadsheet (or another system's export) has one row per open invoice, with
the customer's columns on the same row, or one row per customer. A **mapping** says which
column holds which property (the JSON import's names, docs/json-format.md)::

    {"customers": {"number": "Cust. No.", "displayName": "Name", "email": "E-mail"},
     "salesInvoices": {"number": "Invoice", "customerNumber": "Cust. No.",
                       "invoiceDate": "Date", "totalAmountIncludingTax": "Amount",
                       "remainingAmount": "Open"},
     "dateFormat": "%d.%m.%Y", "decimalComma": true}

Each row gives a customer (when ``customers`` maps any column) and an invoice (when
``salesInvoices`` does and the row's invoice number is not blank). A customer on several rows
is imported once; its columns must agree. Every row is checked, each error names its row
(counted as a spreadsheet shows it: the header is row 1) and column, and the records go
through the JSON import's rules (``importing.run``, one transaction): nothing is written when
anything is wrong.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.db import Database
from app.domain.errors import FieldError, Invalid
from app.domain.schemas import CompanyCreate, CustomerCreate, SalesInvoiceCreate
from app.io.json_io import FileFormatError
from app.io.safe_read import read_bytes
from app.services import importing
from app.services.common import paused_gc
from app.services.importing import ImportBatch, ImportRejected, ImportSummary, Item

FORMATS = ("csv", "xlsx")
CUSTOMERS, INVOICES = "customers", "salesInvoices"
# The properties a mapping may name, per kind (the JSON import's names), and which are dates
# and amounts (read from text with the mapping's date format and decimal mark).
FIELDS: dict[str, tuple[str, ...]] = {
    CUSTOMERS: ("number", "displayName", "type", "addressLine1", "addressLine2", "city",
                "state", "country", "postalCode", "phoneNumber", "email", "website",
                "taxRegistrationNumber", "currencyCode", "blocked", "receivablesAccountNumber"),
    INVOICES: ("number", "externalDocumentNumber", "invoiceDate", "postingDate", "dueDate",
               "customerNumber", "currencyCode", "totalAmountIncludingTax", "remainingAmount",
               "paymentDiscountDate", "paymentDiscountAmount"),
}
REQUIRED = {CUSTOMERS: ("number", "displayName"),
            INVOICES: ("number", "customerNumber", "invoiceDate", "totalAmountIncludingTax")}
DATES = {"invoiceDate", "postingDate", "dueDate", "paymentDiscountDate"}
AMOUNTS = {"totalAmountIncludingTax", "remainingAmount", "paymentDiscountAmount"}
_LABELS = {CUSTOMERS: "customer", INVOICES: "invoice"}


@dataclass
class Mapping:
    """Property -> column header, per kind; how dates and amounts are written as text."""

    customers: dict[str, str] = field(default_factory=dict)
    invoices: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    decimal_comma: bool = False

    def of(self, kind: str) -> dict[str, str]:
        return self.customers if kind == CUSTOMERS else self.invoices

    def to_json(self) -> dict[str, Any]:
        return {CUSTOMERS: dict(self.customers), INVOICES: dict(self.invoices),
                "dateFormat": self.date_format, "decimalComma": self.decimal_comma}

    @classmethod
    def from_json(cls, data: Any, what: str = "The mapping") -> Mapping:
        if not isinstance(data, dict):
            raise Invalid(f"{what} must be a JSON object with {CUSTOMERS} and/or {INVOICES}.")
        unknown = sorted(set(data) - {CUSTOMERS, INVOICES, "dateFormat", "decimalComma"})
        if unknown:
            raise Invalid(f"{what} has properties Ledgerdesk does not know: "
                          f"{', '.join(unknown)}.")
        found: dict[str, dict[str, str]] = {}
        for kind in (CUSTOMERS, INVOICES):
            columns = data.get(kind, {})
            if not isinstance(columns, dict) or not all(
                    isinstance(v, str) for v in columns.values()):
                raise Invalid(f"{what}: {kind} must map properties to column names.")
            bad = sorted(set(columns) - set(FIELDS[kind]))
            if bad:
                raise Invalid(f"{what}: {kind} has no property {', '.join(bad)} (it has "
                              f"{', '.join(FIELDS[kind])}).")
            found[kind] = {k: v for k, v in columns.items() if v.strip()}
        if not found[CUSTOMERS] and not found[INVOICES]:
            raise Invalid(f"{what} maps no column.")
        date_format = data.get("dateFormat", "%Y-%m-%d")
        if not isinstance(date_format, str) or not date_format:
            raise Invalid(f"{what}: dateFormat must be a strptime format such as %d.%m.%Y.")
        return cls(found[CUSTOMERS], found[INVOICES], date_format,
                   bool(data.get("decimalComma", False)))

    def check_columns(self, headers: Sequence[str], what: str) -> None:
        """Every mapped column is in the file; what a kind needs is mapped."""
        present = set(headers)
        problems = []
        for kind in (CUSTOMERS, INVOICES):
            columns = self.of(kind)
            if not columns:
                continue
            for name in REQUIRED[kind]:
                if name not in columns:
                    problems.append(f"{kind}: {name} is not mapped to a column.")
            for name, header in columns.items():
                if header not in present:
                    problems.append(f"{kind}: {name} names column \"{header}\", which is not "
                                    "in the file.")
        if problems:
            raise ImportRejected([FieldError(None, p) for p in problems], what)


def read_mapping(path: Path) -> Mapping:
    try:
        data = json.loads(read_bytes(path, "a mapping file (JSON)").decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileFormatError(f"{path} is not a mapping file (it is not UTF-8 text).") from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                              f"column {exc.colno}.") from None
    return Mapping.from_json(data, str(path))


# --- reading the rows ------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def read_table(path: Path, kind: str) -> Table:
    """The header row and the data rows (streamed) of a CSV or the first sheet of an XLSX."""
    path = Path(path)
    if kind not in FORMATS:
        raise Invalid(f"The format must be one of {', '.join(FORMATS)}, not {kind}.")
    if path.is_dir():
        raise OSError(21, "is a folder, not a file", str(path))
    return _read_csv(path) if kind == "csv" else _read_xlsx(path)


def _read_csv(path: Path) -> Table:
    try:
        text = read_bytes(path, "a CSV file").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(f"{path} is not a CSV file in UTF-8.") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    headers = next(reader, None)
    if not headers:
        raise FileFormatError(f"{path} has no header row.")

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield number, row

    return Table([h.strip() for h in headers], rows())


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook  # MIT; read_only streams the sheet
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError | PermissionError):
            raise
        raise FileFormatError(f"{path} is not an XLSX workbook.") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise FileFormatError(f"{path} is not an XLSX workbook ({type(exc).__name__}).") \
            from None
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    first = next(cells, None)
    if not first or not any(c is not None for c in first):
        book.close()
        raise FileFormatError(f"{path} has no header row in its first sheet.")
    headers = ["" if c is None else str(c).strip() for c in first]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(cells, start=2):
                if any(c is not None and str(c).strip() for c in row):
                    yield number, list(row)
        finally:
            book.close()

    return Table(headers, rows())


# --- cells to records --------------------------------------------------------------------------

class _CellError(Exception):
    pass


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in a text column: 10030.0 -> "10030"
    return str(value).strip()


def _amount(value: Any, mapping: Mapping) -> Decimal:
    if isinstance(value, bool):
        raise _CellError(f"must be an amount, not {value!r}.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if mapping.decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _CellError(f"must be an amount, not {str(value).strip()!r}.") from None
    if not amount.is_finite():
        raise _CellError(f"must be an amount, not {str(value).strip()!r}.")
    return amount


def _date(value: Any, mapping: Mapping) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return datetime.strptime(text, mapping.date_format).date().isoformat()
    except ValueError:
        shown = mapping.date_format.replace("%d", "DD").replace("%m", "MM").replace(
            "%Y", "YYYY")
        raise _CellError(f"must be a date written {shown}, not {text!r}.") from None


def _record(kind: str, mapping: Mapping, index: dict[str, int], cells: list[Any]
            ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The record's properties from its cells, and the cells that cannot be read."""
    record: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, header in mapping.of(kind).items():
        position = index[header]
        value = cells[position] if position < len(cells) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if name in AMOUNTS:
                record[name] = _amount(value, mapping)
            elif name in DATES:
                record[name] = _date(value, mapping)
            else:
                record[name] = _text(value)
        except _CellError as exc:
            errors.append((name, str(exc)))
    return record, errors


@dataclass
class Parsed:
    batch: ImportBatch
    problems: list[FieldError]
    rows: int


def parse_table(table: Table, mapping: Mapping, what: str) -> Parsed:
    """Every row checked against the mapping and the schemas; the valid records, batched."""
    from app.domain.validation import parse

    mapping.check_columns(table.headers, what)
    index: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        index.setdefault(header, position)
    batch = ImportBatch()
    problems: list[FieldError] = []
    customers: dict[str, tuple[int, dict[str, Any]]] = {}
    count = 0

    def note(label: str, kind: str, name: str | None, message: str) -> None:
        where = label
        if name is not None:
            where = f"{label}, column \"{mapping.of(kind)[name]}\" ({name})"
        problems.append(FieldError(name, f"{where}: {message}"))

    for number, cells in table.rows:
        count += 1
        for kind, model in ((CUSTOMERS, CustomerCreate), (INVOICES, SalesInvoiceCreate)):
            if not mapping.of(kind):
                continue
            label = f"row {number}"
            record, errors = _record(kind, mapping, index, cells)
            for name, message in errors:
                note(label, kind, name, message)
            if kind == INVOICES and "number" not in record:
                if mapping.invoices and not mapping.customers:
                    note(label, kind, "number", "an invoice number is required.")
                continue  # a customer's row without an invoice
            if errors:
                continue
            key = str(record.get("number", "")).strip().upper()
            if kind == CUSTOMERS:
                if key in customers:
                    first, known = customers[key]
                    for name in sorted(set(known) | set(record)):
                        if known.get(name) != record.get(name):
                            note(label, kind, name, f"customer {key} has "
                                 f"{known.get(name, '(blank)')!s} here in row {first}, "
                                 f"not {record.get(name, '(blank)')!s}.")
                            break
                    continue
                customers[key] = (number, record)
            try:
                parsed: Any = parse(model, record)
            except Invalid as exc:
                for error in exc.errors:
                    mapped = error.field if error.field in mapping.of(kind) else None
                    note(label, kind, mapped, error.message)
                if key:
                    batch.invalid.setdefault(kind, {}).setdefault(key, label)
                continue
            items: list[Any] = batch.customers if kind == CUSTOMERS else batch.sales_invoices
            items.append(Item(f"{label} ({_LABELS[kind]} {key})", parsed))
    return Parsed(batch, problems, count)


def _with_columns(exc: ImportRejected, mapping: Mapping, what: str) -> ImportRejected:
    """The rules' problems (``row 5 (invoice I1): customerNumber: ...``) name the column."""
    out = []
    for error in exc.problems:
        text = error.message
        for kind, tag in _LABELS.items():
            columns = mapping.of(kind)
            marker = f" ({tag} "
            if error.field in columns and marker in text.split(": ", 1)[0]:
                label, rest = text.split(": ", 1)
                message = rest[len(error.field) + 2:] if rest.startswith(
                    f"{error.field}: ") else rest
                text = f"{label}, column \"{columns[error.field]}\" ({error.field}): {message}"
                break
        out.append(FieldError(error.field, text))
    return ImportRejected(out, what)


def import_table(db: Database, path: Path, kind: str, mapping: Mapping, *,
                 company_id: uuid.UUID | None = None,
                 new_company: CompanyCreate | None = None) -> ImportSummary:
    """Import the customers and invoices of a CSV or XLSX file; ImportRejected (nothing
    written) listing every problem, each naming its row and column."""
    what = str(path)
    with paused_gc():
        table = read_table(path, kind)
        parsed = parse_table(table, mapping, what)
        try:
            return importing.run(db, parsed.batch, company_id=company_id,
                                 new_company=new_company, known_problems=parsed.problems,
                                 what=what)
        except ImportRejected as exc:
            raise _with_columns(exc, mapping, what) from None


def preview(path: Path, kind: str, mapping: Mapping, limit: int = 20
            ) -> tuple[list[str], list[tuple[int, dict[str, dict[str, Any]], list[str]]]]:
    """The headers and the first rows as the mapping reads them (for the window's preview):
    (row number, {kind: record}, problems of the row)."""
    table = read_table(path, kind)
    index: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        index.setdefault(header, position)
    shown = []
    for number, cells in table.rows:
        records: dict[str, dict[str, Any]] = {}
        problems: list[str] = []
        for target in (CUSTOMERS, INVOICES):
            columns = {k: v for k, v in mapping.of(target).items() if v in index}
            if not columns:
                continue
            narrowed = Mapping(columns if target == CUSTOMERS else {},
                               columns if target == INVOICES else {},
                               mapping.date_format, mapping.decimal_comma)
            record, errors = _record(target, narrowed, index, cells)
            records[target] = record
            problems.extend(f"column \"{columns[n]}\" ({n}): {m}" for n, m in errors)
        shown.append((number, records, problems))
        if len(shown) >= limit:
            break
    return table.headers, shown


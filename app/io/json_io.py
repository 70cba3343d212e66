"""JSON in and out, in Business Central's shapes (docs/json-format.md describes the file).

Export: ``{"value": [journal..., "customerPayments": [...]], "accounts": [...],
"numberSeries": [...], "customers": [...], "salesInvoices": [...]}``. ``value`` is what
Business Central returns for ``customerPaymentJournals?$expand=customerPayments``; the sibling
collections are Ledgerdesk's addition, so the file can be imported into an empty company.

Import reads the same shape (a deep insert), validates every record against its schema, then
creates everything in one transaction through the services, which check the references.
Nothing is written when anything is wrong; each problem names its record and field.
Amounts are read with ``parse_float=Decimal`` and written as JSON numbers: both exact.
"""

from __future__ import annotations

import json
import os
import re
import stat
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from app.db import Database
from app.domain.errors import FieldError, Invalid
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CustomerCreate,
    JournalCreate,
    NumberSeriesCreate,
    PaymentCreate,
    SalesInvoiceCreate,
)
from app.domain.validation import parse
from app.io import safe_write
from app.services import exporting, importing
from app.services.common import paused_gc
from app.services.importing import ImportBatch, ImportSummary, Item, JournalItem, problem

M = TypeVar("M", bound=BaseModel)

JOURNALS = "value"
PAYMENTS = "customerPayments"
JOURNAL_LABEL = "customerPaymentJournals"
# Ledgerdesk's additions: master data the journals name, as sibling collections.
ACCOUNTS, NUMBER_SERIES, CUSTOMERS, SALES_INVOICES = (
    "accounts", "numberSeries", "customers", "salesInvoices")
MASTER_COLLECTIONS = (ACCOUNTS, NUMBER_SERIES, CUSTOMERS, SALES_INVOICES)
# Ledgerdesk's addition on a journal: its No. Series (Business Central keeps it on the batch
# but its API does not show it).
JOURNAL_SERIES = "numberSeriesCode"

# Read-only properties of a read model that a create does not take: dropped on import.
_READ_ONLY: dict[str, tuple[str, ...]] = {
    SALES_INVOICES: ("customerName", "status"),
    JOURNALS: (PAYMENTS,),
    PAYMENTS: ("journalId",),  # the journal it sits in decides
}
# A reference given both ways: ids from another company mean nothing here, so the number wins.
_ID_WHEN_NUMBER: dict[str, tuple[tuple[str, str], ...]] = {
    CUSTOMERS: (("receivablesAccountId", "receivablesAccountNumber"),),
    SALES_INVOICES: (("customerId", "customerNumber"),),
    JOURNALS: (("balancingAccountId", "balancingAccountNumber"),),
    PAYMENTS: (("customerId", "customerNumber"),
               ("appliesToInvoiceId", "appliesToInvoiceNumber")),
}


class FileFormatError(Invalid):
    """The file cannot be read as an import at all (not JSON, wrong shape, not UTF-8)."""


# --- export --------------------------------------------------------------------------------

def export_document(db: Database, company_id: uuid.UUID, *,
                    journals_only: bool = False) -> dict[str, Any]:
    """The company's journals with their lines, plus (unless ``journals_only``) the master
    data they need, as a JSON-ready dict."""
    books = exporting.snapshot(db, company_id)
    value = []
    for entry in books.journals:
        journal = entry.journal.to_json()
        if not journals_only:
            journal[JOURNAL_SERIES] = entry.journal.number_series_code or ""
        journal[PAYMENTS] = [line.to_json() for line in entry.payments]
        value.append(journal)
    document: dict[str, Any] = {}
    if not journals_only:
        # Master data first, in the order records depend on each other, and each journal's
        # lines last: an import then reads the file as a stream (see import_text).
        document[ACCOUNTS] = [a.to_json() for a in books.accounts]
        document[NUMBER_SERIES] = [s.to_json() for s in books.number_series]
        document[CUSTOMERS] = [c.to_json() for c in books.customers]
        document[SALES_INVOICES] = [i.to_json() for i in books.sales_invoices]
    document[JOURNALS] = value
    return document


def dumps(document: dict[str, Any]) -> str:
    """The file's text. Decimals (as ``read_document`` gives them) are written as numbers."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=_decimal) + "\n"


def _decimal(value: object) -> object:
    if isinstance(value, Decimal) and value.is_finite():
        if value == value.to_integral_value():
            return int(value)
        carrier = float(value)
        if Decimal(repr(carrier)) == value:  # the number's text is the decimal's: exact
            return carrier
        raise ValueError(f"{value} cannot be written exactly as a JSON number")
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def write_atomically(path: Path | str, text: str) -> None:
    """Write a whole file or nothing (``-``: standard output); see app/io/safe_write.py for
    the temporary file, the modes and the refusal of links and special files."""
    safe_write.write_text(path, text)


def export_to_file(db: Database, company_id: uuid.UUID, path: Path, *,
                   journals_only: bool = False) -> dict[str, Any]:
    document = export_document(db, company_id, journals_only=journals_only)
    write_atomically(path, dumps(document))
    return document


# --- import --------------------------------------------------------------------------------

# The largest import file read (bytes). Bigger files are refused with a message rather
# than read until memory runs out (the text is held; its records are streamed).
MAX_IMPORT_BYTES = 512 * 1024 * 1024
# Integers longer than this are read as Decimals, so the schemas refuse them with a message
# (Python's int() refuses 4,300 digits with a bare ValueError).
_MAX_INT_DIGITS = 40


def _parse_int(text: str) -> int | Decimal:
    return int(text) if len(text) <= _MAX_INT_DIGITS else Decimal(text)


def read_document(path: Path) -> Any:
    """The file's JSON, amounts as exact Decimals. OSError for a file that cannot be read."""
    return _loads(read_text(path), str(path))


def _shape_error(what: str) -> FileFormatError:
    return FileFormatError(
        f"{what} does not hold customer payment journals: expected a JSON object "
        '{"value": [ {journal..., "customerPayments": [...]} ]}.')


def _label(collection: str, index: int, record: Any, key: str, what: str = "") -> str:
    """``customers[3] (C10030)``; ``customerPayments[3] (line 40000)``. Indexes count from 0."""
    shown = record.get(key) if isinstance(record, dict) else None
    if isinstance(shown, str | int | Decimal) and not isinstance(shown, bool) \
            and str(shown).strip():
        return f"{collection}[{index}] ({what}{str(shown).strip()})"
    return f"{collection}[{index}]"


def _input(collection: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record as a create body: read-only properties out, ids out where a number is."""
    data = {k: v for k, v in record.items() if k not in _READ_ONLY.get(collection, ())}
    for id_key, number_key in _ID_WHEN_NUMBER.get(collection, ()):
        number = data.get(number_key)
        if isinstance(number, str) and number.strip():
            data.pop(id_key, None)
    return data


class _Parser:
    def __init__(self) -> None:
        self.problems: list[FieldError] = []
        self.invalid: dict[str, dict[str, str]] = {}  # records that failed, see ImportBatch

    def record(self, model: type[M], collection: str, label: str, record: Any) -> M | None:
        if not isinstance(record, dict):
            self.problems.append(problem(label, FieldError(None, "must be a JSON object.")))
            return None
        try:
            return parse(model, _input(collection, record))
        except Invalid as exc:
            self.problems.extend(problem(label, e) for e in exc.errors)
            return None

    def collection(self, document: dict[str, Any], key: str, model: type[M],
                   number_key: str) -> list[Item[M]]:
        records = document.get(key, [])
        if not isinstance(records, list):
            self.problems.append(FieldError(key, f"{key}: must be a list."))
            return []
        items = []
        for index, record in enumerate(records):
            item = self.item(model, key, index, record, number_key)
            if item is not None:
                items.append(item)
        return items

    def item(self, model: type[M], key: str, index: int, record: Any,
             number_key: str) -> Item[M] | None:
        """One master record; a record that fails is noted by number (see ImportBatch)."""
        label = _label(key, index, record, number_key)
        parsed = self.record(model, key, label, record)
        if parsed is not None:
            return Item(label, parsed)
        if isinstance(record, dict) and isinstance(record.get(number_key), str):
            number = record[number_key].strip().upper()
            self.invalid.setdefault(key, {}).setdefault(number, label)
        return None


def parse_document(document: Any, what: str = "The file") -> tuple[ImportBatch,
                                                                   list[FieldError]]:
    """Check the shape and every record's schema. Returns the valid records and the problems.

    Raises FileFormatError when the document is not an import at all."""
    if not isinstance(document, dict) or not isinstance(document.get(JOURNALS), list):
        raise _shape_error(what)
    known = {JOURNALS, *MASTER_COLLECTIONS}
    unknown = sorted(k for k in document if k not in known and not k.startswith("@odata."))
    if unknown:
        raise FileFormatError(
            f"{what} has properties Ledgerdesk does not know: {', '.join(unknown)} "
            f"(it reads {', '.join(sorted(known))}).")
    parser = _Parser()
    batch = ImportBatch(
        accounts=parser.collection(document, ACCOUNTS, AccountCreate, "number"),
        number_series=parser.collection(document, NUMBER_SERIES, NumberSeriesCreate, "code"),
        customers=parser.collection(document, CUSTOMERS, CustomerCreate, "number"),
        sales_invoices=parser.collection(document, SALES_INVOICES, SalesInvoiceCreate,
                                         "number"),
        invalid=parser.invalid,
    )
    for index, record in enumerate(document[JOURNALS]):
        label = _label(JOURNAL_LABEL, index, record, "code")
        journal = parser.record(JournalCreate, JOURNALS, label, record)
        lines = record.get(PAYMENTS, []) if isinstance(record, dict) else []
        if not isinstance(lines, list):
            parser.problems.append(problem(label, FieldError(PAYMENTS, f"{PAYMENTS} must be a "
                                                                       "list.")))
            continue
        items = []
        for line_index, line in enumerate(lines):
            line_label = f"{label}.{_label(PAYMENTS, line_index, line, 'lineNumber', 'line ')}"
            # Each line is checked even when its journal is not, so one run says everything.
            payment = parser.record(PaymentCreate, PAYMENTS, line_label, line)
            if payment is not None:
                items.append(Item(line_label, payment))
        if journal is not None:
            batch.journals.append(JournalItem(label, journal, items))
    return batch, parser.problems


def import_document(db: Database, document: Any, *, company_id: uuid.UUID | None = None,
                    new_company: CompanyCreate | None = None,
                    what: str = "The file") -> ImportSummary:
    """Import a document already read (a dict). ``import_file`` streams a file instead."""
    return _import_whole(db, document, company_id=company_id, new_company=new_company,
                         what=what)


def _import_whole(db: Database, document: Any, *, company_id: uuid.UUID | None,
                  new_company: CompanyCreate | None, what: str) -> ImportSummary:
    with paused_gc():  # 100,000s of records, no cycles among them: see paused_gc
        batch, problems = parse_document(document, what)
        return importing.run(db, batch, company_id=company_id, new_company=new_company,
                             known_problems=problems, what=what)


def read_text(path: Path, *, max_bytes: int | None = None) -> str:
    """The file's text (UTF-8, a BOM allowed). OSError for a file that cannot be read;
    FileFormatError for one that is not a regular file, too big, or not UTF-8."""
    path = Path(path)
    limit = MAX_IMPORT_BYTES if max_bytes is None else max_bytes
    if path.is_dir():
        raise OSError(21, "is a folder, not a file", str(path))
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileFormatError(f"{path} is not a regular file (a device, a pipe or a "
                                  "socket): name a JSON file.")
        if info.st_size > limit:
            raise FileFormatError(f"{path} is too big to import: {info.st_size:,} bytes, "
                                  f"the limit is {limit:,} bytes.")
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # it grew while being read
        raise FileFormatError(f"{path} is too big to import: the limit is {limit:,} bytes.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(f"{path} is not a JSON file (it is not UTF-8 text).") from None


def import_text(db: Database, text: str, *, company_id: uuid.UUID | None = None,
                new_company: CompanyCreate | None = None,
                what: str = "The file") -> ImportSummary:
    """Import a file's text, streamed: each record is decoded, checked and written batch by
    batch, so memory holds the text and a batch, not the whole document's objects. This
    needs the collections in the order they depend on each other (accounts, number series,
    customers, sales invoices, then the journals, each with its lines last), as Ledgerdesk
    writes them; a file in another order, or one that is not a well-formed import (bad JSON,
    a wrong shape), is read whole instead (``import_document``), with the same rules and
    messages."""
    try:
        with paused_gc():
            return _stream(db, text, company_id=company_id, new_company=new_company,
                           what=what)
    except _Unstreamable:
        pass  # the transaction was rolled back: read it whole
    return _import_whole(db, _loads(text, what), company_id=company_id,
                         new_company=new_company, what=what)


def import_file(db: Database, path: Path, *, company_id: uuid.UUID | None = None,
                new_company: CompanyCreate | None = None) -> ImportSummary:
    return import_text(db, read_text(path), company_id=company_id, new_company=new_company,
                       what=str(path))


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                              f"column {exc.colno}.") from None
    except RecursionError:
        raise FileFormatError(f"{what} is nested too deeply to be an import file.") from None


# --- streaming -----------------------------------------------------------------------------

class _Unstreamable(Exception):
    """The text cannot be followed as a stream (order, shape or syntax): read it whole."""


_SPACE = re.compile(r"[ \t\n\r]*")
# The order records depend on each other in: a collection's references are created first.
_ORDER = (ACCOUNTS, NUMBER_SERIES, CUSTOMERS, SALES_INVOICES, JOURNALS)


class _Cursor:
    """Walks the structure above the records (the top object, the collections' lists, a
    journal's properties); each record is decoded whole by the C decoder (``raw_decode``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.decoder = json.JSONDecoder(parse_float=Decimal, parse_int=_parse_int)

    def peek(self) -> str:
        match = _SPACE.match(self.text, self.pos)
        assert match is not None
        self.pos = match.end()
        return self.text[self.pos:self.pos + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise _Unstreamable
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        try:
            found, self.pos = self.decoder.raw_decode(self.text, self.pos)
        except (json.JSONDecodeError, RecursionError):
            raise _Unstreamable from None
        return found

    def members(self) -> Iterator[str]:
        """The keys of the object here; after each, the caller reads its value."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise _Unstreamable
            self.take(":")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("}")
            return

    def elements(self) -> Iterator[int]:
        """The indexes of the list here; after each, the caller reads the element."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if self.peek() == ",":
                self.pos += 1
                continue
            self.take("]")
            return

    def end(self) -> None:
        if self.peek() != "":
            raise _Unstreamable


def _stream(db: Database, text: str, *, company_id: uuid.UUID | None,
            new_company: CompanyCreate | None, what: str) -> ImportSummary:
    parser = _Parser()
    cursor = _Cursor(text)
    models: dict[str, tuple[type[BaseModel], str]] = {
        ACCOUNTS: (AccountCreate, "number"), NUMBER_SERIES: (NumberSeriesCreate, "code"),
        CUSTOMERS: (CustomerCreate, "number"), SALES_INVOICES: (SalesInvoiceCreate, "number")}

    def records(key: str) -> Iterator[Item[Any]]:
        model, number_key = models[key]
        for index in cursor.elements():
            record = cursor.value()
            item = parser.item(model, key, index, record, number_key)
            if item is not None:
                yield item

    def lines(label: str) -> Iterator[Item[PaymentCreate]]:
        for index in cursor.elements():
            line = cursor.value()
            line_label = f"{label}.{_label(PAYMENTS, index, line, 'lineNumber', 'line ')}"
            payment = parser.record(PaymentCreate, PAYMENTS, line_label, line)
            if payment is not None:
                yield Item(line_label, payment)

    def journals(importer: importing.Importer) -> None:
        for index in cursor.elements():
            if cursor.peek() != "{":
                raise _Unstreamable
            record: dict[str, Any] = {}
            done = False
            for key in cursor.members():
                if done:
                    raise _Unstreamable  # a property after the lines: read it whole
                if key != PAYMENTS:
                    record[key] = cursor.value()
                    continue
                if cursor.peek() != "[" or key in record:
                    raise _Unstreamable
                _journal(importer, index, record, lines)
                done = True
            if not done:
                _journal(importer, index, record, lambda _label: iter(()))

    def _journal(importer: importing.Importer, index: int, record: dict[str, Any],
                 read_lines: Any) -> None:
        label = _label(JOURNAL_LABEL, index, record, "code")
        journal = parser.record(JournalCreate, JOURNALS, label, record)
        items = read_lines(label)
        if journal is not None:
            importer.journal(label, journal, items)
        _drain(items)

    def feed(importer: importing.Importer) -> list[FieldError]:
        if cursor.peek() != "{":
            raise _Unstreamable
        done = -1
        unknown = []
        for key in cursor.members():
            if key in _ORDER:
                step = _ORDER.index(key)
                if step <= done or cursor.peek() != "[":
                    raise _Unstreamable  # out of order, twice, or not a list
                done = step
                if key == JOURNALS:
                    journals(importer)
                else:
                    items = records(key)
                    getattr(importer, _STEPS[key])(items)
                    _drain(items)
            else:
                cursor.value()
                if not key.startswith("@odata."):
                    unknown.append(key)
        cursor.end()
        if done < _ORDER.index(JOURNALS) or unknown:
            raise _Unstreamable  # not an import, or with collections it does not know
        return parser.problems

    return importing.run_fed(db, feed, company_id=company_id, new_company=new_company,
                             invalid=parser.invalid, what=what)


_STEPS = {ACCOUNTS: "accounts", NUMBER_SERIES: "number_series", CUSTOMERS: "customers",
          SALES_INVOICES: "sales_invoices"}


def _drain(items: Iterator[Any]) -> None:
    for _ in items:
        pass

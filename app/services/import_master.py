"""The bulk path of an import's master data: G/L accounts, number series, customers and
sales invoices (with their customer ledger entries), inside the import's one transaction.

The rules and messages are the create services' own (``accounts.create_in``,
``number_series.create_in``, ``customers.create_in``, ``invoices.create_in`` and
``ledger_common.write_invoice_entry``), applied record by record in the file's order; only
what they ask the database is asked once per batch:

- which numbers of the batch already exist in the company (one query per 500 numbers);
- the references the batch names (receivables accounts, customers), by number and by id;
- the next customer ledger entry number, once for the whole import (no MAX() per invoice);
- the valid records are written with one compiled INSERT and the driver's ``executemany``
  per table and batch (``BulkTable``), the invoices' entries and their detailed entries too
  (the entries' row ids read back with one query per batch).

Nothing here commits: when any record is refused the caller rolls the whole transaction back.

Invoices posting their G/L side (receivables debit, sales credit) add one more ``BulkTable``
(``GLEntry``) filled in the same loop as the entries (``_InvoiceWriter.write``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Account,
    CustLedgerEntry,
    Customer,
    DetailedCustLedgEntry,
    NumberSeries,
    SalesInvoice,
    utc_now,
)
from app.domain.errors import DomainError, Invalid, NotFound
from app.domain.ids import new_id
from app.domain.money import to_cents
from app.domain.numbering import increment_number
from app.domain.posting import APPLICATION, INITIAL_ENTRY, INVOICE
from app.domain.schemas import (
    AccountCreate,
    CustomerCreate,
    NumberSeriesCreate,
    SalesInvoiceCreate,
)
from app.services.ledger_common import BulkTable, lock_company, next_numbers

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

BATCH = 5_000  # records validated and written together
IN_LIST = 500  # values per IN (...) list


class Labelled(Protocol[T_co]):  # importing.Item
    @property
    def label(self) -> str: ...

    @property
    def data(self) -> T_co: ...


class Reporter(Protocol):  # importing._Run: where problems go
    invalid: dict[str, dict[str, str]]

    def note(self, label: str, field_name: str | None, message: str) -> None: ...

    def refused(self, label: str, exc: DomainError, data: Any) -> None: ...


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True, slots=True)
class _Ref:
    id: uuid.UUID
    number: str
    currency_code: str = ""


def _lookup(session: Session, company_id: uuid.UUID, model: Any, numbers: Iterable[str | None],
            ids: Iterable[uuid.UUID | None], *columns: Any) -> tuple[dict[str, _Ref],
                                                                      dict[uuid.UUID, _Ref]]:
    """This company's records of ``model`` with these numbers or ids: one query per list."""
    by_number: dict[str, _Ref] = {}
    by_id: dict[uuid.UUID, _Ref] = {}
    wanted = sorted({n for n in numbers if n})
    for start in range(0, len(wanted), IN_LIST):
        for row in session.execute(select(model.id, model.number, *columns).where(
                model.company_id == company_id, model.number.in_(wanted[start:start + IN_LIST]))):
            by_number[row[1]] = _Ref(*row)
    known = sorted({i for i in ids if i is not None})
    for start in range(0, len(known), IN_LIST):
        for row in session.execute(select(model.id, model.number, *columns).where(
                model.company_id == company_id, model.id.in_(known[start:start + IN_LIST]))):
            by_id[row[0]] = _Ref(*row)
    return by_number, by_id


def _resolve(by_number: dict[str, _Ref], by_id: dict[uuid.UUID, _Ref],
             record_id: uuid.UUID | None, number: str | None, *, id_field: str,
             number_field: str, label: str) -> _Ref | None:
    """``common.resolve_by_id_or_number`` answered from what ``_lookup`` read."""
    found: _Ref | None = None
    if record_id is not None:
        found = by_id.get(record_id)
        if found is None:
            raise NotFound(f'The "{id_field}" does not match to a {label}.', field=id_field)
    if number:
        by_no = by_number.get(number)
        if by_no is None:
            raise NotFound(f"{label} {number} does not exist.", field=number_field)
        if found is not None and found.id != by_no.id:
            raise Invalid(f'The "{number_field}" {number} does not match the "{id_field}".',
                          field=number_field)
        found = by_no
    return found


class MasterImport:
    """The four master collections of one import, in the order they depend on each other."""

    def __init__(self, session: Session, company_id: uuid.UUID, report: Reporter) -> None:
        self.session = session
        self.company_id = company_id
        self.report = report
        self.now = utc_now()
        self._next_entry: int | None = None
        self._refusals: dict[int, DomainError] = {}

    # -- the frame every collection shares --------------------------------------------------

    def collection(self, kind: str, items: Iterable[Labelled[Any]], model: Any, column: str,
                   label: str, write: Callable[[list[Labelled[Any]]], None]) -> tuple[int, int]:
        """Duplicates in the file, numbers already in the company (used as they are), then
        ``write`` gets the new records of each batch (it checks, refuses or writes them).
        Returns (created, existing)."""
        created = existing = 0
        seen: dict[str, str] = {}
        field_name = "code" if column == "code" else "number"
        for chunk in batches(items):
            numbers = [getattr(item.data, column) for item in chunk]
            there = self._existing(model, column, numbers)
            plan: list[tuple[Labelled[Any], str, str | None]] = []  # item, number, twin
            new: list[Labelled[Any]] = []
            for item, number in zip(chunk, numbers, strict=True):
                if number in seen:
                    plan.append((item, number, seen[number]))
                    continue
                seen[number] = item.label
                if number in there:
                    existing += 1
                else:
                    plan.append((item, number, None))
                    new.append(item)
            self._refusals = {}
            write(new)
            created += len(new) - len(self._refusals)
            # The problems in the file's order, as one record after the other would give them.
            for item, number, twin in plan:
                if twin is not None:
                    self.report.note(item.label, field_name, f"{label} {number} appears twice "
                                                             f"in the file (also {twin}).")
                elif id(item) in self._refusals:
                    self.report.refused(item.label, self._refusals[id(item)], item.data)
                    self.report.invalid.setdefault(kind, {})[number] = item.label
        return created, existing

    def _existing(self, model: Any, column: str, numbers: Sequence[str]) -> set[str]:
        col = getattr(model, column)
        wanted = sorted(set(numbers))
        found: set[str] = set()
        for start in range(0, len(wanted), IN_LIST):
            found.update(self.session.scalars(select(col).where(
                model.company_id == self.company_id, col.in_(wanted[start:start + IN_LIST]))))
        return found

    def _refuse(self, item: Labelled[Any], exc: DomainError) -> None:
        """A new record of the batch breaks a rule (reported by ``collection``, in order)."""
        self._refusals[id(item)] = exc

    def _table(self, model: Any, columns: Sequence[str]) -> BulkTable:
        return BulkTable(self.session, model.__table__, columns,
                         constants={"company_id": self.company_id})

    def _plain(self, model: Any, rows: list[dict[str, Any]]) -> None:
        """Rows given as ``model_dump`` dicts (the small collections), every column."""
        if not rows:
            return
        columns = [c.name for c in model.__table__.columns if c.name != "company_id"]
        self._table(model, columns).insert([[row[c] for c in columns] for row in rows])

    def _record(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"id": new_id(), "version": 1, "last_modified": self.now, **fields}

    # -- the collections ----------------------------------------------------------------------

    def accounts(self, items: Iterable[Labelled[AccountCreate]]) -> tuple[int, int]:
        def write(new: list[Labelled[AccountCreate]]) -> None:
            self._plain(Account, [self._record(i.data.model_dump(by_alias=False)) for i in new])

        return self.collection("accounts", items, Account, "number", "G/L Account", write)

    def number_series(self, items: Iterable[Labelled[NumberSeriesCreate]]) -> tuple[int, int]:
        def write(new: list[Labelled[NumberSeriesCreate]]) -> None:
            rows = []
            for item in new:
                data = item.data
                if not increment_number(data.starting_number):  # number_series._check_numbers
                    self._refuse(item, Invalid(
                        f"The starting number {data.starting_number} must end in digits so "
                        "it can be counted up.", field="startingNumber"))
                    continue
                rows.append(self._record(data.model_dump(by_alias=False)))
            self._plain(NumberSeries, rows)

        return self.collection("numberSeries", items, NumberSeries, "code", "No. Series", write)

    def customers(self, items: Iterable[Labelled[CustomerCreate]]) -> tuple[int, int]:
        def write(new: list[Labelled[CustomerCreate]]) -> None:
            by_number, by_id = _lookup(
                self.session, self.company_id, Account,
                (i.data.receivables_account_number for i in new),
                (i.data.receivables_account_id for i in new))
            rows = []
            for item in new:
                fields = item.data.model_dump(by_alias=False)
                try:
                    account = _resolve(
                        by_number, by_id, fields.pop("receivables_account_id"),
                        fields.pop("receivables_account_number"),
                        id_field="receivablesAccountId",
                        number_field="receivablesAccountNumber", label="G/L Account")
                except DomainError as exc:
                    self._refuse(item, exc)
                    continue
                fields["receivables_account_id"] = account.id if account else None
                rows.append(self._record(fields))
            self._plain(Customer, rows)

        return self.collection("customers", items, Customer, "number", "Customer", write)

    def sales_invoices(self, items: Iterable[Labelled[SalesInvoiceCreate]]) -> tuple[int, int]:
        lock_company(self.session, self.company_id)
        writer = _InvoiceWriter(self)
        return self.collection("salesInvoices", items, SalesInvoice, "number",
                               "Sales invoice", writer.write)

    def next_entry_number(self) -> int:
        """The next customer ledger entry number: read once, then counted here."""
        if self._next_entry is None:
            self._next_entry = next_numbers(self.session, self.company_id).cust_entry
        number = self._next_entry
        self._next_entry += 1
        return number


def check_invoice_amounts(total: Decimal, remaining: Decimal, discount: Decimal,
                          invoice_date: Any, due_date: Any) -> None:
    """``invoices._check_amounts``, on the values (the same order and messages)."""
    if total <= 0:
        raise Invalid("totalAmountIncludingTax must be positive for an invoice.",
                      field="totalAmountIncludingTax")
    if not Decimal(0) <= remaining <= total:
        raise Invalid("remainingAmount must be between 0 and the invoice total.",
                      field="remainingAmount")
    if not Decimal(0) <= discount <= total:
        raise Invalid("paymentDiscountAmount must be between 0 and the invoice total.",
                      field="paymentDiscountAmount")
    if due_date < invoice_date:
        raise Invalid("dueDate must not be before invoiceDate.", field="dueDate")


_INVOICE_COLUMNS = ("id", "version", "last_modified", "number", "external_document_number",
                    "invoice_date", "posting_date", "due_date", "customer_id", "currency_code",
                    "total_amount_including_tax", "remaining_amount", "payment_discount_date",
                    "payment_discount_amount")
_ENTRY_COLUMNS = ("entry_number", "customer_id", "customer_number", "posting_date",
                  "document_type", "document_number", "external_document_number", "description",
                  "due_date", "amount", "remaining_amount", "open", "pmt_discount_date",
                  "original_pmt_disc_possible", "remaining_pmt_disc_possible",
                  "closed_by_entry_number", "closed_at_date", "register_id", "sales_invoice_id",
                  "reversed", "reversed_by_entry_number", "reversed_entry_number")
_DETAIL_COLUMNS = ("cust_ledger_entry_id", "entry_type", "posting_date", "document_type",
                   "document_number", "customer_id", "amount", "applied_cust_ledger_entry_id",
                   "register_id", "unapplied", "unapplied_by_id")


class _InvoiceWriter:
    """Sales invoices and their Invoice entries (``invoices.create_in`` and
    ``ledger_common.write_invoice_entry``), one batch at a time."""

    def __init__(self, master: MasterImport) -> None:
        self.master = master

    def write(self, new: list[Labelled[SalesInvoiceCreate]]) -> None:
        master = self.master
        session = master.session
        by_number, by_id = _lookup(session, master.company_id, Customer,
                                   (i.data.customer_number for i in new),
                                   (i.data.customer_id for i in new), Customer.currency_code)
        invoices = master._table(SalesInvoice, _INVOICE_COLUMNS)
        entries = master._table(CustLedgerEntry, _ENTRY_COLUMNS)
        details = master._table(DetailedCustLedgEntry, _DETAIL_COLUMNS)
        key, day = invoices.converter("id"), invoices.converter("invoice_date")
        now = invoices.converter("last_modified")(master.now)
        invoice_rows: list[tuple[Any, ...]] = []
        entry_rows: list[tuple[Any, ...]] = []
        # (entry number, posting date, number, customer key, total, paid before), for details
        pending: list[tuple[int, Any, str, Any, int, int]] = []
        for item in new:
            data = item.data
            try:
                customer = _resolve(by_number, by_id, data.customer_id, data.customer_number,
                                    id_field="customerId", number_field="customerNumber",
                                    label="Customer")
                if customer is None:
                    raise Invalid("A customerNumber or a customerId must be provided.",
                                  field="customerNumber")
                total = data.total_amount_including_tax
                remaining = total if data.remaining_amount is None else data.remaining_amount
                due = data.due_date or data.invoice_date
                check_invoice_amounts(total, remaining, data.payment_discount_amount,
                                      data.invoice_date, due)
            except DomainError as exc:
                master._refuse(item, exc)
                continue
            invoice_id = new_id()
            invoice_key, customer_key = key(invoice_id), key(customer.id)
            posting = day(data.posting_date or data.invoice_date)
            total_cents, remaining_cents = to_cents(total), to_cents(remaining)
            discount = to_cents(data.payment_discount_amount)
            discount_day = day(data.payment_discount_date)
            invoice_rows.append((
                invoice_key, 1, now, data.number, data.external_document_number,
                day(data.invoice_date), posting, day(due), customer_key,
                data.currency_code or customer.currency_code, total_cents, remaining_cents,
                discount_day, discount))
            number = master.next_entry_number()
            entry_rows.append((
                number, customer_key, customer.number, posting, INVOICE, data.number,
                data.external_document_number, f"Invoice {data.number}", day(due),
                total_cents, remaining_cents, remaining_cents != 0, discount_day, discount,
                discount if remaining_cents else 0, None, None, None, invoice_key, False,
                None, None))
            # Here an invoice that posts its G/L side adds its two G/L entry rows.
            pending.append((number, posting, data.number, customer_key, total_cents,
                            remaining_cents - total_cents))
        if not invoice_rows:
            return
        invoices.insert_converted(invoice_rows)
        entries.insert_converted(entry_rows)
        first, last = pending[0][0], pending[-1][0]
        row_ids: dict[int, int] = {number: row_id for number, row_id in session.execute(
            select(CustLedgerEntry.entry_number, CustLedgerEntry.id).where(
                CustLedgerEntry.company_id == master.company_id,
                CustLedgerEntry.entry_number.between(first, last)))}
        detail_rows: list[tuple[Any, ...]] = []
        append = detail_rows.append
        for number, posting, document, customer_key, total_cents, paid_before in pending:
            entry_id = row_ids[number]
            append((entry_id, INITIAL_ENTRY, posting, INVOICE, document, customer_key,
                    total_cents, None, None, False, None))
            if paid_before:
                append((entry_id, APPLICATION, posting, INVOICE, document, customer_key,
                        paid_before, None, None, False, None))
        details.insert_converted(detail_rows)

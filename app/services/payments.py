"""Customer payments: the lines of a customer payment journal.

New-line defaults follow Business Central's customerPayments API (bc-model.md section 2.6):
line number last + 10000; posting date from the previous line, else the work date; document
number from the journal's No. Series when it is empty, else the previous line's, counted up
when the lines so far balance; description = the customer's name. The amount is stored as
sent: a receipt is negative, and the sign is checked at posting, as Business Central does.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import BigInteger, func, insert, select, type_coerce
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from app.db import Database, users
from app.db.models import (
    Company,
    CustLedgerEntry,
    Customer,
    Journal,
    Payment,
    PaymentApplication,
    SalesInvoice,
    utc_now,
)
from app.domain import rules as rulebook
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.ids import new_id
from app.domain.money import from_cents, to_cents
from app.domain.schemas import LineApplication, PaymentCreate, PaymentRead, PaymentUpdate
from app.services import number_series
from app.services.common import (
    check_customer_not_blocked,
    check_version,
    flush,
    insert_exact,
    missing_ids,
    resolve_by_id_or_number,
    touch,
)
from app.services.ledger_common import BulkTable

LABEL = "customer payment"


def to_read(payment: Payment, journal_code: str) -> PaymentRead:
    return PaymentRead(
        id=payment.id, version=payment.version, last_modified_date_time=payment.last_modified,
        journal_id=payment.journal_id, journal_display_name=journal_code,
        line_number=payment.line_number, customer_id=payment.customer_id,
        customer_number=payment.customer_number, contact_id=payment.contact_id,
        posting_date=payment.posting_date, document_number=payment.document_number,
        external_document_number=payment.external_document_number, amount=payment.amount,
        applies_to_invoice_id=payment.applies_to_invoice_id,
        applies_to_invoice_number=payment.applies_to_invoice_number,
        description=payment.description, comment=payment.comment,
    )


def _journal(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID) -> Journal:
    journal = session.get(Journal, journal_id)
    if journal is None or journal.company_id != company_id:
        raise NotFound("You must specify a journal batch ID or a journal ID to get a journal "
                       f"line. The General Journal Batch with ID {journal_id} cannot be found.",
                       field="journalId")
    return journal


def _payment(session: Session, company_id: uuid.UUID, payment_id: uuid.UUID) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None or _journal_or_none(session, payment.journal_id, company_id) is None:
        raise NotFound(f"The {LABEL} with ID {payment_id} cannot be found.", field="id")
    return payment


def _journal_or_none(session: Session, journal_id: uuid.UUID,
                     company_id: uuid.UUID) -> Journal | None:
    journal = session.get(Journal, journal_id)
    return journal if journal is not None and journal.company_id == company_id else None


# --- references ----------------------------------------------------------------------------

def _customer(session: Session, company_id: uuid.UUID, fields: dict[str, Any],
              lines: BatchLines | None = None) -> Customer | None:
    return resolve_by_id_or_number(
        session, Customer, company_id, fields.get("customer_id"), fields.get("customer_number"),
        id_field="customerId", number_field="customerNumber", label="Customer",
        find_number=lines.customer_by_number if lines else None)


def _invoice(session: Session, company_id: uuid.UUID, fields: dict[str, Any],
             lines: BatchLines | None = None) -> SalesInvoice | None:
    return resolve_by_id_or_number(
        session, SalesInvoice, company_id, fields.get("applies_to_invoice_id"),
        fields.get("applies_to_invoice_number"),
        id_field="appliesToInvoiceId", number_field="appliesToInvoiceNumber",
        label="Sales Invoice", find_number=lines.invoice_by_number if lines else None)


def _check_invoice(invoice: SalesInvoice, customer: Customer | None, field: str) -> None:
    """An applied invoice must be open and belong to the line's customer."""
    if invoice.remaining_amount == 0:
        raise Invalid(f"Sales invoice {invoice.number} is not open: it has been paid.",
                      field=field)
    if customer is not None and invoice.customer_id != customer.id:
        raise Invalid(f"Sales invoice {invoice.number} belongs to customer "
                      f"{invoice.customer.number}, not to customer {customer.number}.",
                      field=field)


# --- new-line defaults ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Neighbours:
    last_line_number: int | None
    previous: Payment | NewLine | WrittenLine | None  # the line the new one follows
    balance: Decimal  # Σ line Balance (LCY) of the lines so far


def _neighbours(session: Session, journal: Journal, line_number: int | None) -> _Neighbours:
    last = session.scalar(select(func.max(Payment.line_number))
                          .where(Payment.journal_id == journal.id))
    query = select(Payment).where(Payment.journal_id == journal.id)
    if line_number:
        query = query.where(Payment.line_number < line_number)
    previous = session.scalars(query.order_by(Payment.line_number.desc()).limit(1)).first()
    if journal.balancing_account_id is not None:
        # With a balancing account on the batch every line balances itself: Balance (LCY) 0.
        balance = Decimal(0)
    else:
        # Sum the stored cents as plain integers: func.sum(Payment.amount) would come back
        # through the Money type already in units, and dividing that again lost the cents.
        cents = session.scalar(
            select(func.coalesce(func.sum(type_coerce(Payment.amount, BigInteger)), 0))
            .where(Payment.journal_id == journal.id))
        balance = from_cents(int(cents or 0))
    return _Neighbours(last, previous, balance)


def _default_document_number(session: Session, journal: Journal, around: _Neighbours) -> str:
    series_next = (number_series.peek_next(journal.number_series)  # peeked, not used up
                   if around.previous is None and journal.number_series is not None else None)
    return rulebook.default_document_number(
        around.previous.document_number if around.previous is not None else None,
        around.balance == 0, series_next)


def _work_date(company: Company) -> date:
    return company.work_date or date.today()


# --- create / read / update / delete -------------------------------------------------------

def create(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID,
           data: PaymentCreate) -> PaymentRead:
    with db.transaction() as session:
        payment = _insert(session, company_id, journal_id, data, payment_id=None)
        return to_read(payment, payment.journal.code)


def create_in(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID,
              data: PaymentCreate) -> Payment:
    """Create inside the caller's transaction. For many lines of one journal at once (an
    import), BatchLines.add applies the same rules faster."""
    return _insert(session, company_id, journal_id, data, payment_id=None)


@dataclass(frozen=True, slots=True)
class NewLine:
    """A line that BatchLines has checked and given its defaults, not yet written."""

    values: dict[str, Any]

    @property
    def line_number(self) -> int:
        return int(self.values["line_number"])

    @property
    def posting_date(self) -> date:
        return cast(date, self.values["posting_date"])

    @property
    def document_number(self) -> str:
        return str(self.values["document_number"])

    @property
    def amount(self) -> Decimal:
        return cast(Decimal, self.values["amount"])


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    """What the line rules read of an invoice (``_invoice``, ``_check_invoice``, the line's
    values): BatchLines reads these columns instead of loading an ORM invoice."""

    id: uuid.UUID
    number: str
    remaining_amount: Decimal
    customer_id: uuid.UUID
    customer: Customer | None


@dataclass(frozen=True, slots=True)
class WrittenLine:
    """What a later line's defaults need of a line BatchLines has already written."""

    posting_date: date | None
    document_number: str


class BatchLines:
    """Many new lines of one journal in one transaction (an import).

    The rules and defaults are ``_new_line``'s, the same as for a single line (``create``);
    only what they ask is answered from memory: the lines so far (line numbers, the previous
    line, the running balance), customers and invoices by number (read once each). The lines
    are written together by ``write()``, in one bulk insert, instead of an ORM object, a
    savepoint and a flush per line.
    """

    def __init__(self, session: Session, company_id: uuid.UUID, journal_id: uuid.UUID) -> None:
        self.session = session
        self.company_id = company_id
        self.journal = _journal(session, company_id, journal_id)
        company = session.get(Company, company_id)
        assert company is not None
        self.company = company
        existing = list(session.scalars(select(Payment).where(Payment.journal_id == journal_id)))
        self._by_line: dict[int, Payment | NewLine | WrittenLine] = {
            p.line_number: p for p in existing}
        self._order = sorted(self._by_line)
        self._balance = sum((p.amount for p in existing), Decimal(0))
        self._pending: list[NewLine] = []
        self._customers: dict[str, Customer | None] = {}
        self._invoices: dict[str, SalesInvoice | None] = {}
        self._kept: list[object] = []  # keeps records read by id in the identity map

    def prefetch(self, items: Iterable[PaymentCreate]) -> None:
        """Read the customers and invoices the lines name, a few queries for all of them."""
        items = list(items)
        self._prefetch(Customer, self._customers, {i.customer_number for i in items},
                       {i.customer_id for i in items})
        self._prefetch_invoices({i.applies_to_invoice_number for i in items})
        self._prefetch(SalesInvoice, self._invoices, set(),
                       {i.applies_to_invoice_id for i in items})

    def _prefetch_invoices(self, numbers: set[str | None]) -> None:
        """Invoices by number as the line rules see them (number, open amount, customer),
        read as plain columns: an ORM object per invoice costs more than the rest of the
        line's rules (an import names 100,000s of invoices)."""
        wanted = sorted(n for n in numbers if n and n not in self._invoices)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = list(self.session.execute(select(
                SalesInvoice.id, SalesInvoice.number, SalesInvoice.remaining_amount,
                SalesInvoice.customer_id, Customer.number).join(
                    Customer, Customer.id == SalesInvoice.customer_id).where(
                SalesInvoice.company_id == self.company_id, SalesInvoice.number.in_(chunk))))
            self._prefetch(Customer, self._customers, {row[4] for row in rows}, set())
            found = {}
            for invoice_id, number, remaining, customer_id, customer_number in rows:
                customer = self.customer_by_number(customer_number)
                found[number] = cast(SalesInvoice, InvoiceFacts(
                    invoice_id, number, remaining, customer_id, customer))
            self._invoices.update({n: found.get(n) for n in chunk})

    def _prefetch(self, model: Any, cache: dict[str, Any], numbers: set[str | None],
                  ids: set[uuid.UUID | None]) -> None:
        wanted = sorted(n for n in numbers if n and n not in cache)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found = {r.number: r for r in self.session.scalars(select(model).where(
                model.company_id == self.company_id, model.number.in_(chunk)))}
            cache.update({n: found.get(n) for n in chunk})
        known = [i for i in ids if i is not None]
        for start in range(0, len(known), 500):
            self._kept.extend(self.session.scalars(
                select(model).where(model.id.in_(known[start:start + 500]))))

    def customer_by_number(self, number: str) -> Customer | None:
        if number not in self._customers:
            self._customers[number] = self.session.scalars(select(Customer).where(
                Customer.company_id == self.company_id, Customer.number == number)).first()
        return self._customers[number]

    def invoice_by_number(self, number: str) -> SalesInvoice | None:
        if number not in self._invoices:
            self._invoices[number] = self.session.scalars(select(SalesInvoice).where(
                SalesInvoice.company_id == self.company_id,
                SalesInvoice.number == number)).first()
        return self._invoices[number]

    def neighbours(self, line_number: int | None) -> _Neighbours:
        last = self._order[-1] if self._order else None
        if line_number:
            index = bisect_left(self._order, line_number)
            before = self._order[index - 1] if index else None
        else:
            before = last
        balance = Decimal(0) if self.journal.balancing_account_id is not None else self._balance
        return _Neighbours(last, self._by_line[before] if before is not None else None,
                           balance)

    def taken(self, line_number: int) -> bool:
        return line_number in self._by_line

    def add(self, data: PaymentCreate) -> NewLine:
        """Check one line and give it its defaults, exactly as ``create`` would, in memory;
        raises the same errors. It is written, with the others, by ``write()``."""
        line = NewLine(_new_line(self.session, self.company, self.journal, data, self))
        insort(self._order, line.line_number)
        self._by_line[line.line_number] = line
        self._balance += line.amount
        self._pending.append(line)
        return line

    def write(self) -> int:
        """Insert the lines added so far, in one bulk insert; returns how many.

        The rows go as plain tuples already in database form (``BulkTable``: UUIDs, dates and
        the time converted by the dialect's own bind processors, the amount as exact integer
        cents by ``to_cents``), through one compiled INSERT and the driver's ``executemany``:
        the same rows the ORM would write, without SQLAlchemy's per-row parameter handling."""
        if not self._pending:
            return 0
        self.session.flush()  # the journal (and anything else pending) before its lines
        bulk = BulkTable(self.session, Payment.__table__, _LINE_COLUMNS,
                         {"user_id": users.of(self.session)})
        key, day = bulk.converter("id"), bulk.converter("posting_date")
        now = bulk.converter("last_modified")(utc_now())
        journal = key(self.journal.id)
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        for line in self._pending:
            v = line.values
            append((key(new_id()), 1, now, journal, v["line_number"], key(v["customer_id"]),
                    v["customer_number"], v["contact_id"], day(v["posting_date"]),
                    v["document_number"], v["external_document_number"], to_cents(v["amount"]),
                    key(v["applies_to_invoice_id"]), v["applies_to_invoice_number"],
                    v["description"], v["comment"]))
        bulk.insert_converted(rows)
        count = len(self._pending)
        by_line = self._by_line
        for line in self._pending:  # what the next lines may still ask of them, no more
            by_line[line.line_number] = WrittenLine(line.posting_date, line.document_number)
        self._pending.clear()
        return count

    def forget(self) -> None:
        """Drop the invoices read for the lines written so far (an import of a long journal
        adds and writes its lines batch by batch: memory stays bounded by a batch)."""
        self._invoices.clear()
        self._kept.clear()


# The columns BatchLines.write gives, in its rows' order (every column of the table).
_LINE_COLUMNS = ("id", "version", "last_modified", "journal_id", "line_number", "customer_id",
                 "customer_number", "contact_id", "posting_date", "document_number",
                 "external_document_number", "amount", "applies_to_invoice_id",
                 "applies_to_invoice_number", "description", "comment")


def restore(db: Database, company_id: uuid.UUID, lines: list[PaymentRead]) -> list[PaymentRead]:
    """Put deleted lines back with their ids and line numbers (undo of a delete), exactly as
    they were (versions and times too), in one transaction; refused with a message when a
    line number was taken again or the journal, a customer or an invoice is gone."""
    with db.transaction() as session:
        return restore_in(session, company_id, lines)


def restore_in(session: Session, company_id: uuid.UUID,
               lines: list[PaymentRead]) -> list[PaymentRead]:
    """``restore`` inside a transaction the caller holds (the undo of a posting). The lines'
    ``applications`` come back too (refused when an entry is gone or has less open)."""
    codes: dict[uuid.UUID, str] = {}
    for journal_id in {line.journal_id for line in lines}:
        codes[journal_id] = _journal(session, company_id, journal_id).code
    check_restorable(session, lines)
    check_applications(session, lines)
    for journal_id, code in codes.items():
        numbers = {line.line_number for line in lines if line.journal_id == journal_id}
        taken = sorted(session.scalars(select(Payment.line_number).where(
            Payment.journal_id == journal_id, Payment.line_number.in_(numbers))))
        if taken:
            raise Conflict(f"Line {taken[0]} already exists again in journal {code}.",
                           field="lineNumber")
    insert_exact(session, Payment, [row_of(line) for line in lines],
                 "The lines already exist again.", field="lineNumber")
    insert_applications(session, lines)
    by_id: dict[uuid.UUID, PaymentRead] = {}
    ids = [x.id for x in lines]
    for start in range(0, len(ids), _CHUNK):
        rows = session.scalars(select(Payment).where(Payment.id.in_(ids[start:start + _CHUNK])))
        by_id.update((p.id, to_read(p, codes[p.journal_id])) for p in rows)
    return [by_id[line.id].model_copy(update={"applications": line.applications})
            if line.applications else by_id[line.id] for line in lines]


def with_applications(session: Session, lines: list[PaymentRead]) -> list[PaymentRead]:
    """The lines carrying their applications as they are now (for the archive of a delete,
    which removes them by cascade)."""
    ids = [line.id for line in lines]
    marked: dict[uuid.UUID, list[LineApplication]] = {}
    for start in range(0, len(ids), _CHUNK):
        for payment_id, entry_id, amount in session.execute(
                select(PaymentApplication.payment_id, PaymentApplication.cust_ledger_entry_id,
                       PaymentApplication.amount_to_apply)
                .where(PaymentApplication.payment_id.in_(ids[start:start + _CHUNK]))
                .order_by(PaymentApplication.id)):
            marked.setdefault(payment_id, []).append(
                LineApplication(cust_ledger_entry_id=entry_id, amount_to_apply=amount))
    return [line.model_copy(update={"applications": tuple(marked[line.id])})
            if line.id in marked else line for line in lines]


def check_applications(session: Session, lines: list[PaymentRead]) -> None:
    """Applications come back only to entries that still exist, belong to the line's
    customer and have at least the Amount to Apply still open."""
    wanted = sorted({a.cust_ledger_entry_id for line in lines for a in line.applications})
    if not wanted:
        return
    entries: dict[int, Any] = {}
    for start in range(0, len(wanted), _CHUNK):
        entries.update((row.id, row) for row in session.execute(
            select(CustLedgerEntry.id, CustLedgerEntry.customer_id, CustLedgerEntry.open,
                   CustLedgerEntry.remaining_amount, CustLedgerEntry.document_type,
                   CustLedgerEntry.document_number)
            .where(CustLedgerEntry.id.in_(wanted[start:start + _CHUNK]))))
    for line in lines:
        for application in line.applications:
            label = (f"Line {line.line_number} of journal {line.journal_display_name} "
                     f"(document {line.document_number or '-'})")
            entry = entries.get(application.cust_ledger_entry_id)
            if entry is None or entry.customer_id != line.customer_id:
                raise Conflict(f"{label} cannot be restored with its applications: customer "
                               f"ledger entry {application.cust_ledger_entry_id} it was "
                               "applied to no longer exists.", field="custLedgerEntryId")
            open_amount = entry.remaining_amount if entry.open else Decimal("0.00")
            if open_amount < application.amount_to_apply:
                raise Conflict(
                    f"{label} cannot be restored with its applications: "
                    f"{entry.document_type} {entry.document_number} has "
                    f"{open_amount:,.2f} open now, less than the "
                    f"{application.amount_to_apply:,.2f} the line applied to it.",
                    field="amountToApply")


def insert_applications(session: Session, lines: list[PaymentRead]) -> None:
    """Insert the lines' applications (checked by ``check_applications``)."""
    rows = [{"payment_id": line.id, "cust_ledger_entry_id": a.cust_ledger_entry_id,
             "amount_to_apply": a.amount_to_apply} for line in lines for a in line.applications]
    if rows:
        session.execute(insert(PaymentApplication), rows)


def row_of(line: PaymentRead) -> dict[str, Any]:
    """The table row a read model came from (for restoring it exactly)."""
    values = line.model_dump(by_alias=False, exclude={
        "last_modified_date_time", "journal_display_name"})
    return {**values, "last_modified": line.last_modified_date_time, "version": line.version}


def check_restorable(session: Session, lines: list[PaymentRead]) -> None:
    """Lines can come back only while the customers and invoices they name still exist."""
    customers = {line.customer_id: line.customer_number for line in lines if line.customer_id}
    gone = missing_ids(session, Customer, set(customers))
    if gone:
        numbers = ", ".join(sorted(customers[i] for i in gone))
        raise Conflict(f"The lines cannot be restored: customer {numbers} no longer exists.",
                       field="customerNumber")
    invoices = {line.applies_to_invoice_id: line.applies_to_invoice_number for line in lines
                if line.applies_to_invoice_id}
    gone = missing_ids(session, SalesInvoice, set(invoices))
    if gone:
        numbers = ", ".join(sorted(invoices[i] for i in gone))
        raise Conflict(f"The lines cannot be restored: sales invoice {numbers} no longer "
                       "exists.", field="appliesToInvoiceNumber")


def _insert(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID, data: PaymentCreate,
            payment_id: uuid.UUID | None) -> Payment:
    journal = _journal(session, company_id, journal_id)
    company = session.get(Company, company_id)
    assert company is not None
    payment = Payment(**_new_line(session, company, journal, data, lines=None))
    if payment_id is not None:
        payment.id = payment_id
    payment.journal = journal
    session.add(payment)
    flush(session, f"Line {payment.line_number} already exists in journal {journal.code}.",
          field="lineNumber")
    return payment


def _new_line(session: Session, company: Company, journal: Journal, data: PaymentCreate,
              lines: BatchLines | None) -> dict[str, Any]:
    """A new line's values: the request checked and Business Central's defaults applied.

    What the rules ask (the lines so far, customers and invoices by number) comes from the
    database, or from ``lines`` when an import adds many lines at once."""
    if data.journal_id is not None and data.journal_id != journal.id:
        raise Invalid("The Journal Id and the journal of the request do not match.",
                      field="journalId")
    if data.journal_display_name and data.journal_display_name != journal.code:
        raise Invalid("The Journal Id and Journal Display Name do not match.",
                      field="journalDisplayName")
    # The references, by attribute name (what model_dump would give, without dumping all).
    fields = {"customer_id": data.customer_id, "customer_number": data.customer_number,
              "applies_to_invoice_id": data.applies_to_invoice_id,
              "applies_to_invoice_number": data.applies_to_invoice_number}

    invoice = _invoice(session, company.id, fields, lines)
    customer = _customer(session, company.id, fields, lines)
    if customer is None and invoice is not None:
        customer = invoice.customer  # a payment with no customer takes the invoice's
    if customer is not None:
        # Name what the user gave: the customer, or the invoice the customer came from.
        field = ("customerNumber" if data.customer_number else
                 "customerId" if data.customer_id else "appliesToInvoiceNumber")
        check_customer_not_blocked(customer, field)
    if invoice is not None:
        _check_invoice(invoice, customer, "appliesToInvoiceNumber")

    around = (lines.neighbours(data.line_number) if lines is not None
              else _neighbours(session, journal, data.line_number))
    line_number = data.line_number or rulebook.new_line_number(around.last_line_number)
    if data.line_number and (lines.taken(line_number) if lines is not None else session.scalar(
            select(Payment.id).where(Payment.journal_id == journal.id,
                                     Payment.line_number == line_number))):
        raise Conflict(f"Line {line_number} already exists in journal {journal.code}.",
                       field="lineNumber")
    return {
        "journal_id": journal.id,
        "line_number": line_number,
        "customer_id": customer.id if customer else None,
        "customer_number": customer.number if customer else "",
        "contact_id": data.contact_id or "",
        "posting_date": rulebook.default_posting_date(
            data.posting_date, around.previous.posting_date if around.previous else None,
            _work_date(company)),
        "document_number": (data.document_number if data.document_number is not None
                            else _default_document_number(session, journal, around)),
        "external_document_number": data.external_document_number,
        "amount": data.amount,
        "applies_to_invoice_id": invoice.id if invoice else None,
        "applies_to_invoice_number": invoice.number if invoice else "",
        "description": rulebook.default_description(
            data.description, customer.display_name if customer else None),
        "comment": data.comment,
    }


def get(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID) -> PaymentRead:
    with db.reading() as session:
        payment = _payment(session, company_id, payment_id)
        return to_read(payment, _journal(session, company_id, payment.journal_id).code)


def list_all(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID) -> list[PaymentRead]:
    """Every line of a journal in line order (for export and small journals; the grid pages)."""
    with db.reading() as session:
        journal = _journal(session, company_id, journal_id)
        rows = session.scalars(select(Payment).where(Payment.journal_id == journal_id)
                               .order_by(Payment.line_number))
        return [to_read(p, journal.code) for p in rows]


def update(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID, data: PaymentUpdate, *,
           version: int | None) -> PaymentRead:
    with db.transaction() as session:
        payment = _payment(session, company_id, payment_id)
        journal = _journal(session, company_id, payment.journal_id)
        check_version(payment, version)
        changes = data.changes()
        _apply_update(session, company_id, journal, payment, changes)
        touch(payment)
        flush(session, f"Line {payment.line_number} already exists in journal {journal.code}.",
              field="lineNumber")
        return to_read(payment, journal.code)


def _apply_update(session: Session, company_id: uuid.UUID, journal: Journal, payment: Payment,
                  changes: dict[str, Any]) -> None:
    if changes.get("journal_id") not in (None, journal.id):
        raise Invalid("The Journal Id cannot be changed.", field="journalId")
    if changes.get("journal_display_name") not in (None, journal.code):
        raise Invalid("The journalDisplayName cannot be changed.", field="journalDisplayName")

    customer_changed = "customer_id" in changes or "customer_number" in changes
    if customer_changed:
        customer = _customer(session, company_id, changes)
        if customer is not None:
            field = "customerNumber" if changes.get("customer_number") else "customerId"
            check_customer_not_blocked(customer, field)
        if (customer.id if customer else None) != payment.customer_id:
            payment.customer_id = customer.id if customer else None
            payment.customer_number = customer.number if customer else ""
            # Validating the account sets the description to its name, as in BC.
            if "description" not in changes:
                payment.description = customer.display_name if customer else ""
            # An application to another customer's invoice no longer makes sense.
            if "applies_to_invoice_id" not in changes and \
                    "applies_to_invoice_number" not in changes:
                payment.applies_to_invoice_id = None
                payment.applies_to_invoice_number = ""
            _clear_applications(session, payment)

    if "applies_to_invoice_id" in changes or "applies_to_invoice_number" in changes:
        invoice = _invoice(session, company_id, changes)
        if invoice is not None:
            customer = session.get(Customer, payment.customer_id) if payment.customer_id else None
            if customer is None:
                customer = invoice.customer
                check_customer_not_blocked(customer, "appliesToInvoiceNumber")
                payment.customer_id = customer.id
                payment.customer_number = customer.number
                if "description" not in changes:
                    payment.description = customer.display_name
            _check_invoice(invoice, customer, "appliesToInvoiceNumber")
        payment.applies_to_invoice_id = invoice.id if invoice else None
        payment.applies_to_invoice_number = invoice.number if invoice else ""
        if invoice is not None:  # Applies-to Doc. No. replaces an Applies-to ID
            _clear_applications(session, payment)

    if changes.get("line_number") is not None and changes["line_number"] != payment.line_number:
        taken = session.scalar(select(Payment.id).where(
            Payment.journal_id == journal.id, Payment.line_number == changes["line_number"]))
        if taken:
            raise Conflict(f"Line {changes['line_number']} already exists in journal "
                           f"{journal.code}.", field="lineNumber")
        payment.line_number = changes["line_number"]

    plain = ("contact_id", "posting_date", "document_number", "external_document_number",
             "amount", "description", "comment")
    for name in plain:
        if name in changes:
            value = changes[name]
            if value is None and name != "posting_date":
                value = "" if name != "amount" else Decimal(0)
            setattr(payment, name, value)


def _clear_applications(session: Session, payment: Payment) -> None:
    session.execute(sql_delete(PaymentApplication)
                    .where(PaymentApplication.payment_id == payment.id))


def delete(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID, *,
           version: int | None) -> None:
    with db.transaction() as session:
        payment = _payment(session, company_id, payment_id)
        check_version(payment, version)
        session.delete(payment)
        flush(session)


def delete_many(db: Database, company_id: uuid.UUID,
                versions: dict[uuid.UUID, int | None]) -> list[PaymentRead]:
    """Delete several lines in one transaction; returns them as they were (for undo).

    Every line is checked (exists in this company, version unchanged) before one bulk
    DELETE per chunk; the write lock is held from the first read, so nothing slips between.
    """
    with db.transaction() as session:
        ids = list(versions)
        found: dict[uuid.UUID, Payment] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            found.update((p.id, p) for p in session.scalars(
                select(Payment).where(Payment.id.in_(chunk))))
        codes: dict[uuid.UUID, str] = {}
        deleted = []
        for payment_id in ids:
            payment = found.get(payment_id)
            if payment is None:
                raise NotFound(f"The {LABEL} with ID {payment_id} cannot be found.", field="id")
            if payment.journal_id not in codes:
                codes[payment.journal_id] = _journal(session, company_id, payment.journal_id).code
            check_version(payment, versions[payment_id])
            deleted.append(to_read(payment, codes[payment.journal_id]))
        deleted = with_applications(session, deleted)
        for start in range(0, len(ids), _CHUNK):
            session.execute(sql_delete(Payment).where(Payment.id.in_(ids[start:start + _CHUNK]))
                            .execution_options(synchronize_session=False))
        session.expunge_all()
        return deleted


# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
_CHUNK = 500


def get_owned_payment(session: Session, company_id: uuid.UUID, payment_id: uuid.UUID) -> Payment:
    """For other services (posting) that work inside their own transaction."""
    return _payment(session, company_id, payment_id)


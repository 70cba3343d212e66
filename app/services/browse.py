"""The query API of the big tables: a count and a page of rows by position, sorted and
filtered by the database with indexes (DESIGN.md sections 2, 4 and 10). No Qt here.

Each table has ``count_<table>(db, query)`` and ``page_<table>(db, query, offset, limit)``.
A ``BrowseQuery`` carries the scope (company, journal), a filter text, a sort column (the API
property name) and its direction. Rows come back as small frozen dataclasses: a page of 200
rows is built in well under a millisecond, where Pydantic read models would cost more.

Rules that keep a journal of a million lines fast:
- Every sort order ends with a unique tiebreak (the line number, or the id) in the same
  direction, so paging is deterministic and the order is exactly one index
  ((journal_id, <column>, line_number), revision 0002_browse_indexes).
- A payment page is read in two steps: the line numbers of the page from the covering index
  (skipping ``offset`` index entries, never table rows), then those lines with their
  customer's name by the unique (journal_id, line_number) key.
- Filters never use ``LIKE '%x%'`` on the million lines (the planner would walk the sort index
  and test every row, DESIGN.md 10). Codes match by prefix as an index range
  (``col >= 'X' AND col < 'X\\uffff'``, portable, and indexed whatever the LIKE
  collation); a customer name matches anywhere in the name, but on the customer table (tens of
  thousands of rows), and the payments then come through the customer_id index.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import UnaryExpression

from app.db import Database
from app.db.models import Account, Company, Customer, GLEntry, Journal, Payment, SalesInvoice
from app.domain.errors import Invalid
from app.domain.money import from_cents

HIGHEST = "\uffff"


@dataclass(frozen=True)
class BrowseQuery:
    """What a view shows: scope, filter text, sort column (API property name) and direction."""

    company_id: uuid.UUID | None = None
    journal_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None  # invoices: one customer's only
    open_only: bool = False  # invoices: only those with a remaining amount
    filter_text: str = ""
    sort: str = ""  # "" = the table's natural order
    descending: bool = False


# --- rows ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CompanyRow:
    id: uuid.UUID
    version: int
    name: str
    display_name: str
    work_date: date | None


@dataclass(frozen=True, slots=True)
class JournalRow:
    id: uuid.UUID
    version: int
    code: str
    display_name: str
    balancing_account_number: str


@dataclass(frozen=True, slots=True)
class PaymentRow:
    id: uuid.UUID
    version: int
    line_number: int
    posting_date: date | None
    document_number: str
    external_document_number: str
    customer_id: uuid.UUID | None
    customer_number: str
    customer_name: str
    description: str
    amount: Decimal
    applies_to_invoice_number: str
    comment: str
    user_id: str = ""  # who wrote the line last (app/db/users.py)


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: uuid.UUID
    version: int
    number: str
    display_name: str
    city: str
    phone_number: str
    email: str
    blocked: str


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: uuid.UUID
    version: int
    number: str
    display_name: str
    category: str
    account_type: str
    direct_posting: bool
    blocked: bool
    balance: Decimal = Decimal("0.00")  # the sum of its G/L entries


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    id: uuid.UUID
    version: int
    number: str
    customer_id: uuid.UUID
    customer_number: str
    customer_name: str
    invoice_date: date
    due_date: date
    total_amount_including_tax: Decimal
    remaining_amount: Decimal
    payment_discount_date: date | None
    payment_discount_amount: Decimal


@dataclass(frozen=True, slots=True)
class JournalSummary:
    """Business Central's journal footer."""

    line_count: int
    total_amount: Decimal
    balance: Decimal  # Σ Balance (LCY): 0 when the batch has a balancing account


# --- helpers -------------------------------------------------------------------------------

def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` starts with ``text``: an index range, not a LIKE."""
    return and_(column >= text, column < text + HIGHEST)


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match (LIKE alone is case-sensitive on PostgreSQL); no
    index helps it. Also used by the ledgers' filter text."""
    return func.lower(column).contains(text.lower(), autoescape=True)


def _order(columns: dict[str, Any], tiebreak: Any, query: BrowseQuery,
           default: str) -> list[UnaryExpression[Any]]:
    name = query.sort or default
    if name not in columns:
        raise Invalid(f"The list cannot be sorted by {name}. It can be sorted by "
                      f"{', '.join(sorted(columns))}.", field="sort")
    column = columns[name]
    if query.descending:
        return [column.desc(), tiebreak.desc()]
    return [column.asc(), tiebreak.asc()]


def sortable(table: str) -> frozenset[str]:
    """The API property names a table can be sorted by (each backed by an index)."""
    return frozenset(_SORTS[table])


def _need(value: uuid.UUID | None, field: str) -> uuid.UUID:
    if value is None:
        raise Invalid(f"The query needs a {field}.", field=field)
    return value


# --- companies -----------------------------------------------------------------------------

_COMPANY_SORTS: dict[str, Any] = {"name": Company.name, "displayName": Company.display_name}


def _company_where(query: BrowseQuery) -> list[ColumnElement[bool]]:
    text = query.filter_text.strip()
    return [or_(_contains(Company.name, text), _contains(Company.display_name, text))] \
        if text else []


def count_companies(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Company)
                              .where(*_company_where(query))) or 0


def page_companies(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                   total: int | None = None) -> list[CompanyRow]:
    stmt = (select(Company.id, Company.version, Company.name, Company.display_name,
                   Company.work_date)
            .where(*_company_where(query))
            .order_by(*_order(_COMPANY_SORTS, Company.id, query, "name"))
            .offset(offset).limit(limit))
    with db.reading() as session:
        return [CompanyRow(*row) for row in session.execute(stmt)]


# --- journals ------------------------------------------------------------------------------

_BALANCING = aliased(Account)
_JOURNAL_SORTS: dict[str, Any] = {"code": Journal.code, "displayName": Journal.display_name}


def _journal_where(query: BrowseQuery) -> list[ColumnElement[bool]]:
    where = [Journal.company_id == _need(query.company_id, "companyId")]
    text = query.filter_text.strip()
    if text:
        where.append(or_(_prefix(Journal.code, text.upper()),
                         _contains(Journal.display_name, text)))
    return where


def count_journals(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Journal)
                              .where(*_journal_where(query))) or 0


def page_journals(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                  total: int | None = None) -> list[JournalRow]:
    stmt = (select(Journal.id, Journal.version, Journal.code, Journal.display_name,
                   func.coalesce(_BALANCING.number, ""))
            .outerjoin(_BALANCING, _BALANCING.id == Journal.balancing_account_id)
            .where(*_journal_where(query))
            .order_by(*_order(_JOURNAL_SORTS, Journal.id, query, "code"))
            .offset(offset).limit(limit))
    with db.reading() as session:
        return [JournalRow(*row) for row in session.execute(stmt)]


# --- payments (journal lines) --------------------------------------------------------------

_PAYMENT_SORTS: dict[str, Any] = {
    "lineNumber": Payment.line_number,
    "postingDate": Payment.posting_date,
    "documentNumber": Payment.document_number,
    "customerNumber": Payment.customer_number,
    "amount": Payment.amount,
}


# A filter that matches more than this share of the company's customers is not selective:
# the payments are then read along the sort index and tested one by one, instead of being
# gathered through the customer_id index and sorted (which costs seconds for a million rows).
UNSELECTIVE_SHARE = 0.25


def _payment_where(session: Session, query: BrowseQuery) -> list[ColumnElement[bool]]:
    journal_id = _need(query.journal_id, "journalId")
    text = query.filter_text.strip()
    if not text:
        return [Payment.journal_id == journal_id]
    code = text.upper()
    # Customers whose number starts with, or whose name contains, the text: a scan of the
    # customer table (tens of thousands of rows, not the million lines).
    customer_filter = or_(_prefix(Customer.number, code), _contains(Customer.display_name, text))
    scope = [Customer.company_id == query.company_id] if query.company_id is not None else []
    matched = select(Customer.id).where(*scope, customer_filter)
    selective = True
    if query.company_id is not None:
        total = session.scalar(select(func.count()).select_from(Customer).where(*scope)) or 0
        hits = session.scalar(select(func.count()).select_from(Customer)
                              .where(*scope, customer_filter)) or 0
        selective = not total or hits <= UNSELECTIVE_SHARE * total
    # coalesce(x, x) is x, but no index can serve it: it steers the planner, with or without
    # ANALYZE statistics, and means the same on every database.
    if selective:
        # Two index searches, united, then sorted: (journal, document no.) and customer_id.
        # The journal test of the customer branch must not pull in the sort index.
        return [or_(
            and_(Payment.journal_id == journal_id, _prefix(Payment.document_number, code)),
            and_(func.coalesce(Payment.journal_id, Payment.journal_id) == journal_id,
                 Payment.customer_id.in_(matched)),
        )]
    # Most lines match: walk the sort index and test each line; the first pages come at once.
    return [Payment.journal_id == journal_id, or_(
        func.coalesce(Payment.customer_id, Payment.customer_id).in_(matched),
        _prefix(func.coalesce(Payment.document_number, Payment.document_number), code))]


def count_payments(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Payment)
                              .where(*_payment_where(session, query))) or 0


def _payment_select() -> Any:
    return (select(Payment.id, Payment.version, Payment.line_number, Payment.posting_date,
                   Payment.document_number, Payment.external_document_number,
                   Payment.customer_id, Payment.customer_number,
                   func.coalesce(Customer.display_name, ""), Payment.description,
                   Payment.amount, Payment.applies_to_invoice_number, Payment.comment,
                   Payment.user_id)
            .outerjoin(Customer, Customer.id == Payment.customer_id))


def _payment_rows(session: Session, journal_id: uuid.UUID,
                  line_numbers: Sequence[int]) -> dict[int, PaymentRow]:
    stmt = _payment_select().where(Payment.journal_id == journal_id,
                                   Payment.line_number.in_(line_numbers))
    return {row[2]: PaymentRow(*tuple(row)) for row in session.execute(stmt)}


def payment_row(db: Database, payment_id: uuid.UUID) -> PaymentRow | None:
    """One line as the grid shows it (after an edit), or None if it is gone."""
    with db.reading() as session:
        row = session.execute(_payment_select().where(Payment.id == payment_id)).first()
        return PaymentRow(*tuple(row)) if row is not None else None


def page_payments(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                  total: int | None = None) -> list[PaymentRow]:
    """Rows ``offset`` to ``offset + limit`` in the query's order.

    With ``total`` (the count the caller holds), a page in the second half is read in the
    opposite order from the end, so the skip is never more than half the index: the last
    page of a million lines costs what the first one does.
    """
    journal_id = _need(query.journal_id, "journalId")
    backwards = total is not None and offset + limit // 2 > total // 2 and offset < total
    if backwards:
        assert total is not None
        turned = replace(query, descending=not query.descending)
        skip, take = max(0, total - offset - limit), min(limit, total - offset)
    else:
        turned, skip, take = query, offset, limit
    with db.reading() as session:
        keys = (select(Payment.line_number).where(*_payment_where(session, turned))
                .order_by(*_order(_PAYMENT_SORTS, Payment.line_number, turned, "lineNumber"))
                .offset(skip).limit(take))
        line_numbers = list(session.scalars(keys))
        if backwards:
            line_numbers.reverse()
        if not line_numbers:
            return []
        rows = _payment_rows(session, journal_id, line_numbers)
        return [rows[n] for n in line_numbers if n in rows]


def payment_position(db: Database, query: BrowseQuery, payment_id: uuid.UUID) -> int | None:
    """The row a line has in this query's order (None if the filter leaves it out)."""
    name = query.sort or "lineNumber"
    if name not in _PAYMENT_SORTS:
        raise Invalid(f"The list cannot be sorted by {name}.", field="sort")
    column = _PAYMENT_SORTS[name]
    with db.reading() as session:
        where = _payment_where(session, query)
        found = session.execute(select(column, Payment.line_number)
                                .where(Payment.id == payment_id, *where)).first()
        if found is None:
            return None
        value, line_number = found
        if name == "lineNumber":
            before = (Payment.line_number > line_number if query.descending
                      else Payment.line_number < line_number)
        elif value is None:  # NULLs sort first in SQLite ascending
            before = and_(column.is_(None), Payment.line_number > line_number) \
                if query.descending else and_(column.is_(None),
                                              Payment.line_number < line_number)
            if query.descending:
                before = or_(column.is_not(None), before)
        elif query.descending:
            before = or_(column > value, and_(column == value, Payment.line_number > line_number))
        else:
            before = or_(column < value, column.is_(None),
                         and_(column == value, Payment.line_number < line_number))
        return session.scalar(select(func.count()).select_from(Payment)
                              .where(*where, before)) or 0


def journal_summary(db: Database, journal_id: uuid.UUID) -> JournalSummary:
    """Line count, total amount and balance of a journal, summed in SQL over integer cents."""
    cents = type_coerce(Payment.amount, BigInteger)
    with db.reading() as session:
        count, total = session.execute(
            select(func.count(), func.coalesce(func.sum(cents), 0))
            .where(Payment.journal_id == journal_id)).one()
        balancing = session.scalar(select(Journal.balancing_account_id)
                                   .where(Journal.id == journal_id))
    total_amount = from_cents(int(total))
    # With a balancing account on the batch every line balances itself (payments.py).
    balance = from_cents(0) if balancing is not None else total_amount
    return JournalSummary(int(count), total_amount, balance)


# --- customers -----------------------------------------------------------------------------

_CUSTOMER_SORTS: dict[str, Any] = {"number": Customer.number,
                                   "displayName": Customer.display_name}


def _customer_where(query: BrowseQuery) -> list[ColumnElement[bool]]:
    where = [Customer.company_id == _need(query.company_id, "companyId")]
    text = query.filter_text.strip()
    if text:
        where.append(or_(_prefix(Customer.number, text.upper()),
                         _contains(Customer.display_name, text),
                         _contains(Customer.city, text)))
    return where


def count_customers(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Customer)
                              .where(*_customer_where(query))) or 0


def page_customers(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                   total: int | None = None) -> list[CustomerRow]:
    stmt = (select(Customer.id, Customer.version, Customer.number, Customer.display_name,
                   Customer.city, Customer.phone_number, Customer.email, Customer.blocked)
            .where(*_customer_where(query))
            .order_by(*_order(_CUSTOMER_SORTS, Customer.id, query, "number"))
            .offset(offset).limit(limit))
    with db.reading() as session:
        return [CustomerRow(*row) for row in session.execute(stmt)]


def customer_names(db: Database, company_id: uuid.UUID) -> list[tuple[str, str]]:
    """Every customer's (number, name) in number order: the grid's completion list."""
    with db.reading() as session:
        return [(n, d) for n, d in session.execute(
            select(Customer.number, Customer.display_name)
            .where(Customer.company_id == company_id).order_by(Customer.number))]


# --- G/L accounts --------------------------------------------------------------------------

_ACCOUNT_SORTS: dict[str, Any] = {"number": Account.number,
                                  "displayName": Account.display_name}


def _account_where(query: BrowseQuery) -> list[ColumnElement[bool]]:
    where = [Account.company_id == _need(query.company_id, "companyId")]
    text = query.filter_text.strip()
    if text:
        where.append(or_(_prefix(Account.number, text.upper()),
                         _contains(Account.display_name, text)))
    return where


def count_accounts(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Account)
                              .where(*_account_where(query))) or 0


def page_accounts(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                  total: int | None = None) -> list[AccountRow]:
    stmt = (select(Account.id, Account.version, Account.number, Account.display_name,
                   Account.category, Account.account_type, Account.direct_posting,
                   Account.blocked)
            .where(*_account_where(query))
            .order_by(*_order(_ACCOUNT_SORTS, Account.id, query, "number"))
            .offset(offset).limit(limit))
    with db.reading() as session:
        rows = session.execute(stmt).all()
        # The balances of this page's accounts only, in one grouped query.
        ids = [row[0] for row in rows]
        sums = dict(session.execute(
            select(GLEntry.account_id, func.sum(GLEntry.amount))
            .where(GLEntry.company_id == query.company_id, GLEntry.account_id.in_(ids))
            .group_by(GLEntry.account_id)).all()) if ids else {}
        return [AccountRow(*row, balance=sums.get(row[0]) or Decimal("0.00")) for row in rows]


# --- open sales invoices -------------------------------------------------------------------

_INVOICE_SORTS: dict[str, Any] = {
    "number": SalesInvoice.number,
    "customerNumber": Customer.number,
    "dueDate": SalesInvoice.due_date,
    "remainingAmount": SalesInvoice.remaining_amount,
}


def _invoice_where(query: BrowseQuery) -> list[ColumnElement[bool]]:
    where = [SalesInvoice.company_id == _need(query.company_id, "companyId")]
    if query.customer_id is not None:
        where.append(SalesInvoice.customer_id == query.customer_id)
    if query.open_only:
        where.append(SalesInvoice.remaining_amount != 0)
    text = query.filter_text.strip()
    if text:
        code = text.upper()
        where.append(or_(_prefix(SalesInvoice.number, code), _prefix(Customer.number, code),
                         _contains(Customer.display_name, text)))
    return where


def _invoice_select(*columns: Any) -> Select[Any]:
    return select(*columns).select_from(SalesInvoice).join(
        Customer, Customer.id == SalesInvoice.customer_id)


def count_invoices(db: Database, query: BrowseQuery) -> int:
    with db.reading() as session:
        return session.scalar(_invoice_select(func.count()).where(*_invoice_where(query))) or 0


def page_invoices(db: Database, query: BrowseQuery, offset: int, limit: int, *,
                  total: int | None = None) -> list[InvoiceRow]:
    stmt = (_invoice_select(
        SalesInvoice.id, SalesInvoice.version, SalesInvoice.number, SalesInvoice.customer_id,
        Customer.number, Customer.display_name, SalesInvoice.invoice_date,
        SalesInvoice.due_date, SalesInvoice.total_amount_including_tax,
        SalesInvoice.remaining_amount, SalesInvoice.payment_discount_date,
        SalesInvoice.payment_discount_amount)
        .where(*_invoice_where(query))
        .order_by(*_order(_INVOICE_SORTS, SalesInvoice.id, query, "number"))
        .offset(offset).limit(limit))
    with db.reading() as session:
        return [InvoiceRow(*row) for row in session.execute(stmt)]


_SORTS: dict[str, dict[str, Any]] = {
    "companies": _COMPANY_SORTS, "journals": _JOURNAL_SORTS, "payments": _PAYMENT_SORTS,
    "customers": _CUSTOMER_SORTS, "accounts": _ACCOUNT_SORTS, "invoices": _INVOICE_SORTS,
}

"""Posted ledgers for lists that may hold millions of rows: G/L entries, customer ledger
entries and customer balances.

Each list is a ``Source``: ``count(db, query)`` and ``page(db, query, offset, limit)``, where
the query says the scope (company, customer, document), a filter text, the sort column (an
API property name) and the direction. The database sorts and filters (on indexes where it
matters); a lazy table model asks for the count and then only the pages it shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Account, CustLedgerEntry, Customer, GLEntry, GLRegister
from app.domain.ledger_schemas import CustLedgerEntryRead, CustomerBalanceRead, GLEntryRead
from app.domain.money import from_cents
from app.services.browse import _contains  # case-insensitive on every database
from app.services.common import get_company

T = TypeVar("T")


@dataclass(frozen=True)
class LedgerQuery:
    """What a list shows: scope, filter text, sort column and direction."""

    company_id: uuid.UUID
    filter_text: str = ""
    sort: str = "entryNumber"
    descending: bool = False
    customer_id: uuid.UUID | None = None
    document_number: str | None = None
    account_number: str | None = None
    open_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Column:
    key: str  # the read model's API property name
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Source(Generic[T]):
    """A list a lazy table model can show: its columns, a count and pages of read models."""

    name: str
    columns: tuple[Column, ...]
    count: Callable[[Database, LedgerQuery], int]
    page: Callable[[Database, LedgerQuery, int, int], list[T]]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_prefix(text: str) -> str:
    return _escaped(text) + "%"


# --- G/L entries -----------------------------------------------------------------------------

_GL_SORT: dict[str, Any] = {
    "entryNumber": GLEntry.entry_number, "postingDate": GLEntry.posting_date,
    "documentNumber": GLEntry.document_number, "accountNumber": GLEntry.account_number,
    "description": GLEntry.description, "amount": GLEntry.amount,
    "sourceNumber": GLEntry.source_number,
}


def _gl_where(query: LedgerQuery) -> list[Any]:
    where: list[Any] = [GLEntry.company_id == query.company_id]
    if query.document_number:
        where.append(GLEntry.document_number == query.document_number)
    if query.account_number:
        where.append(GLEntry.account_number == query.account_number)
    if query.customer_id:
        where.append(GLEntry.source_id == query.customer_id)
    text = query.filter_text.strip()
    if text:
        prefix = _like_prefix(text.upper())
        where.append(or_(GLEntry.document_number.like(prefix, escape="\\"),
                         GLEntry.account_number.like(prefix, escape="\\"),
                         GLEntry.source_number.like(prefix, escape="\\"),
                         _contains(GLEntry.description, text)))
    return where


def count_gl_entries(db: Database, query: LedgerQuery) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(GLEntry)
                                  .where(*_gl_where(query))) or 0)


def _ordered(stmt: Any, column: Any, descending: bool, tie: Any) -> Any:
    if descending:
        return stmt.order_by(column.desc(), tie.desc())
    return stmt.order_by(column, tie)


def page_gl_entries(db: Database, query: LedgerQuery, offset: int,
                    limit: int) -> list[GLEntryRead]:
    with db.reading() as session:
        stmt = select(GLEntry, Account.display_name, GLRegister.number).join(
            Account, Account.id == GLEntry.account_id).join(
            GLRegister, GLRegister.id == GLEntry.register_id).where(*_gl_where(query))
        stmt = _ordered(stmt, _GL_SORT.get(query.sort, GLEntry.entry_number), query.descending,
                        GLEntry.entry_number)
        return [_gl_read(e, name, reg) for e, name, reg in
                session.execute(stmt.offset(offset).limit(limit))]


def _gl_read(e: GLEntry, account_name: str, register_number: int | None) -> GLEntryRead:
    return GLEntryRead(
        id=e.id, entry_number=e.entry_number, posting_date=e.posting_date,
        document_type=e.document_type, document_number=e.document_number,
        external_document_number=e.external_document_number, account_number=e.account_number,
        account_name=account_name, description=e.description, amount=e.amount,
        source_type=e.source_type, source_number=e.source_number,
        register_number=register_number, reversed=e.reversed,
        reversed_by_entry_number=e.reversed_by_entry_number,
        reversed_entry_number=e.reversed_entry_number)


GL_ENTRIES: Source[GLEntryRead] = Source(
    "G/L Entries",
    (Column("postingDate", "Posting Date"), Column("documentType", "Document Type"),
     Column("documentNumber", "Document No."), Column("accountNumber", "G/L Account No."),
     Column("accountName", "G/L Account Name"), Column("description", "Description"),
     Column("amount", "Amount", numeric=True), Column("sourceNumber", "Source No."),
     Column("entryNumber", "Entry No.", numeric=True), Column("reversed", "Reversed")),
    count_gl_entries, page_gl_entries)


# --- customer ledger entries ------------------------------------------------------------------

_CUST_SORT: dict[str, Any] = {
    "entryNumber": CustLedgerEntry.entry_number, "postingDate": CustLedgerEntry.posting_date,
    "documentNumber": CustLedgerEntry.document_number,
    "documentType": CustLedgerEntry.document_type,
    "customerNumber": CustLedgerEntry.customer_number,
    "description": CustLedgerEntry.description, "dueDate": CustLedgerEntry.due_date,
    "amount": CustLedgerEntry.amount, "remainingAmount": CustLedgerEntry.remaining_amount,
    "open": CustLedgerEntry.open,
}


def _cust_where(query: LedgerQuery) -> list[Any]:
    where: list[Any] = [CustLedgerEntry.company_id == query.company_id]
    if query.customer_id:
        where.append(CustLedgerEntry.customer_id == query.customer_id)
    if query.document_number:
        where.append(CustLedgerEntry.document_number == query.document_number)
    if query.open_only:
        where.append(CustLedgerEntry.open.is_(True))
    text = query.filter_text.strip()
    if text:
        prefix = _like_prefix(text.upper())
        where.append(or_(CustLedgerEntry.document_number.like(prefix, escape="\\"),
                         CustLedgerEntry.customer_number.like(prefix, escape="\\"),
                         CustLedgerEntry.external_document_number.like(prefix, escape="\\"),
                         _contains(CustLedgerEntry.description, text)))
    return where


def count_customer_entries(db: Database, query: LedgerQuery) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(CustLedgerEntry)
                                  .where(*_cust_where(query))) or 0)


def page_customer_entries(db: Database, query: LedgerQuery, offset: int,
                          limit: int) -> list[CustLedgerEntryRead]:
    with db.reading() as session:
        stmt = select(CustLedgerEntry, Customer.display_name, GLRegister.number).join(
            Customer, Customer.id == CustLedgerEntry.customer_id).outerjoin(
            GLRegister, GLRegister.id == CustLedgerEntry.register_id).where(
            *_cust_where(query))
        stmt = _ordered(stmt, _CUST_SORT.get(query.sort, CustLedgerEntry.entry_number),
                        query.descending, CustLedgerEntry.entry_number)
        return [cust_entry_read(e, name, reg) for e, name, reg in
                session.execute(stmt.offset(offset).limit(limit))]


def cust_entry_read(e: CustLedgerEntry, customer_name: str,
                    register_number: int | None) -> CustLedgerEntryRead:
    return CustLedgerEntryRead(
        id=e.id, entry_number=e.entry_number, customer_id=e.customer_id,
        customer_number=e.customer_number, customer_name=customer_name,
        posting_date=e.posting_date, document_type=e.document_type,
        document_number=e.document_number, external_document_number=e.external_document_number,
        description=e.description, due_date=e.due_date, amount=e.amount,
        remaining_amount=e.remaining_amount, open=e.open, pmt_discount_date=e.pmt_discount_date,
        original_pmt_disc_possible=e.original_pmt_disc_possible,
        remaining_pmt_disc_possible=e.remaining_pmt_disc_possible,
        closed_by_entry_number=e.closed_by_entry_number, closed_at_date=e.closed_at_date,
        register_number=register_number, sales_invoice_id=e.sales_invoice_id,
        reversed=e.reversed)


CUSTOMER_ENTRIES: Source[CustLedgerEntryRead] = Source(
    "Customer Ledger Entries",
    (Column("postingDate", "Posting Date"), Column("documentType", "Document Type"),
     Column("documentNumber", "Document No."), Column("customerNumber", "Customer No."),
     Column("customerName", "Customer Name"), Column("description", "Description"),
     Column("dueDate", "Due Date"), Column("amount", "Amount", numeric=True),
     Column("remainingAmount", "Remaining Amount", numeric=True), Column("open", "Open"),
     Column("entryNumber", "Entry No.", numeric=True)),
    count_customer_entries, page_customer_entries)


# --- customer balances ------------------------------------------------------------------------

_CENTS = BigInteger()


def _open_sum(customer_id: Any) -> Any:
    """Σ remaining amount of a customer's open entries (a covering index range)."""
    remaining = type_coerce(CustLedgerEntry.remaining_amount, _CENTS)
    return (select(func.coalesce(func.sum(remaining), 0))
            .where(CustLedgerEntry.customer_id == customer_id, CustLedgerEntry.open.is_(True))
            .scalar_subquery())


def _open_count(customer_id: Any) -> Any:
    return (select(func.count()).where(CustLedgerEntry.customer_id == customer_id,
                                       CustLedgerEntry.open.is_(True))
            .scalar_subquery())


def balances(db: Database, company_id: uuid.UUID) -> dict[uuid.UUID, Decimal]:
    """Every customer's balance: Σ of its open entries' remaining amounts, which equals the
    sum of its detailed entries (closed entries have nothing remaining)."""
    with db.reading() as session:
        get_company(session, company_id)
        rows = session.execute(select(Customer.id, _open_sum(Customer.id))
                               .where(Customer.company_id == company_id))
        return {customer_id: from_cents(int(cents)) for customer_id, cents in rows}


def customer_balance(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID) -> Decimal:
    with db.reading() as session:
        cents = session.scalar(select(_open_sum(Customer.id)).where(
            Customer.company_id == company_id, Customer.id == customer_id))
        return from_cents(int(cents or 0))


def _balance_stmt(session: Session, query: LedgerQuery) -> Any:
    balance = _open_sum(Customer.id).label("balance")
    stmt = select(Customer.id, Customer.number, Customer.display_name, balance,
                  _open_count(Customer.id).label("open_entries")).where(
        Customer.company_id == query.company_id)
    text = query.filter_text.strip()
    if text:
        stmt = stmt.where(or_(Customer.number.like(_like_prefix(text.upper()), escape="\\"),
                              _contains(Customer.display_name, text)))
    if query.open_only:
        stmt = stmt.where(_open_count(Customer.id) > 0)
    return stmt


def count_customer_balances(db: Database, query: LedgerQuery) -> int:
    with db.reading() as session:
        stmt = _balance_stmt(session, query).subquery()
        return int(session.scalar(select(func.count()).select_from(stmt)) or 0)


def page_customer_balances(db: Database, query: LedgerQuery, offset: int,
                           limit: int) -> list[CustomerBalanceRead]:
    with db.reading() as session:
        stmt = _balance_stmt(session, query)
        columns = {"customerNumber": Customer.number, "customerName": Customer.display_name,
                   "balance": stmt.selected_columns.balance,
                   "openEntries": stmt.selected_columns.open_entries}
        stmt = _ordered(stmt, columns.get(query.sort, Customer.number), query.descending,
                        Customer.number)
        return [CustomerBalanceRead(customer_id=r.id, customer_number=r.number,
                                    customer_name=r.display_name,
                                    balance=from_cents(int(r.balance)),
                                    open_entries=int(r.open_entries))
                for r in session.execute(stmt.offset(offset).limit(limit))]


CUSTOMER_BALANCES: Source[CustomerBalanceRead] = Source(
    "Customer Balances",
    (Column("customerNumber", "No."), Column("customerName", "Name"),
     Column("balance", "Balance (LCY)", numeric=True),
     Column("openEntries", "Open Entries", numeric=True)),
    count_customer_balances, page_customer_balances)


# --- navigation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentEntries:
    document_number: str
    gl_entries: list[GLEntryRead]
    customer_entries: list[CustLedgerEntryRead]


def entries_for_document(db: Database, company_id: uuid.UUID,
                         document_number: str) -> DocumentEntries:
    """Find Entries: every G/L and customer ledger entry of a document number (a payment's
    document number, or an invoice's number)."""
    number = document_number.strip().upper()
    query = LedgerQuery(company_id, document_number=number)
    gl = page_gl_entries(db, query, 0, 10_000)
    cust = page_customer_entries(db, query, 0, 10_000)
    return DocumentEntries(number, gl, cust)


def entries_for_register(db: Database, company_id: uuid.UUID,
                         register_number: int) -> list[GLEntryRead]:
    with db.reading() as session:
        register = session.scalars(select(GLRegister).where(
            GLRegister.company_id == company_id, GLRegister.number == register_number)).first()
        if register is None:
            return []
        rows = session.execute(
            select(GLEntry, Account.display_name).join(Account, Account.id == GLEntry.account_id)
            .where(GLEntry.company_id == company_id, GLEntry.entry_number.between(
                register.from_entry_number, register.to_entry_number))
            .order_by(GLEntry.entry_number))
        return [_gl_read(e, name, register.number) for e, name in rows]

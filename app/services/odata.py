"""Lists for the local API: a parsed ``$filter`` tree, ``$orderby`` and a page window turned
into one SQL query per page, run by the database (on its indexes), never by Python.

Each entity set names the properties a client may filter and sort on, each backed by a column;
every order ends with a unique tiebreak so pages are deterministic. A page reads at most
``limit + 1`` rows (the extra one says whether there is a next page): a list over a million
lines never loads them all. Payment lists are always scoped to one journal (Business Central
refuses a line list without one) and use the (journal_id, <column>, line_number) indexes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    Uuid,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.db.errors import translated
from app.db.models import (
    Account,
    Company,
    CustLedgerEntry,
    Customer,
    GLEntry,
    GLRegister,
    Journal,
    Money,
    Payment,
    SalesInvoice,
)
from app.domain import odata as q
from app.domain.errors import Invalid, NotFound
from app.domain.money import MAX_AMOUNT
from app.domain.schemas import ApiModel, PaymentRead
from app.services import accounts, companies, customers, invoices, journals, ledgers, payments
from app.services.browse import HIGHEST
from app.services.common import get_company

MAX_PAGE = 20_000
JOURNAL_FILTER_NEEDED = ("You must specify a journal batch ID or a journal ID to get a journal "
                         "line.")

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    company_id: uuid.UUID | None = None
    journal_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EntitySet:
    name: str
    columns: dict[str, Any]  # API property -> column (or SQL expression)
    tiebreak: tuple[Any, ...]
    default_order: tuple[str, ...]
    base: Callable[[Session, Scope], Any]
    read: Callable[[Session, Scope, Any], ApiModel]
    # A unique column within the scope: a page is read as its keys first (from an index,
    # skipping index entries, not table rows), then the rows of those keys.
    key_column: Any = None


def _company_scope(scope: Scope) -> uuid.UUID:
    if scope.company_id is None:  # pragma: no cover - the API always gives it
        raise Invalid("The query needs a company.", field="companyId")
    return scope.company_id


def _scoped(model: Any) -> Callable[[Session, Scope], Any]:
    def base(session: Session, scope: Scope) -> Any:
        company_id = _company_scope(scope)
        get_company(session, company_id)
        return select(model).where(model.company_id == company_id)
    return base


def _first(to_read: Callable[[Any], ApiModel]) -> Callable[[Session, Scope, Any], ApiModel]:
    return lambda _session, _scope, row: to_read(row[0])


_BALANCING = aliased(Account)


def _journal_base(session: Session, scope: Scope) -> Any:
    company_id = _company_scope(scope)
    get_company(session, company_id)
    return (select(Journal).outerjoin(_BALANCING, _BALANCING.id == Journal.balancing_account_id)
            .where(Journal.company_id == company_id))


def _payment_base(session: Session, scope: Scope) -> Any:
    company_id = _company_scope(scope)
    if scope.journal_id is None:
        raise Invalid(JOURNAL_FILTER_NEEDED, field="journalId")
    journal = payments._journal(session, company_id, scope.journal_id)
    session.info[("journal-code", journal.id)] = journal.code
    return select(Payment).where(Payment.journal_id == journal.id)


def _payment_read(session: Session, scope: Scope, row: Any) -> ApiModel:
    payment = row[0]
    code = session.info.get(("journal-code", payment.journal_id))
    if code is None:
        journal = session.get(Journal, payment.journal_id)
        code = journal.code if journal is not None else ""
        session.info[("journal-code", payment.journal_id)] = code
    return payments.to_read(payment, code)


def _gl_base(session: Session, scope: Scope) -> Any:
    company_id = _company_scope(scope)
    get_company(session, company_id)
    return (select(GLEntry, Account.display_name, GLRegister.number)
            .join(Account, Account.id == GLEntry.account_id)
            .join(GLRegister, GLRegister.id == GLEntry.register_id)
            .where(GLEntry.company_id == company_id))


def _cust_base(session: Session, scope: Scope) -> Any:
    company_id = _company_scope(scope)
    get_company(session, company_id)
    return (select(CustLedgerEntry, Customer.display_name, GLRegister.number)
            .join(Customer, Customer.id == CustLedgerEntry.customer_id)
            .outerjoin(GLRegister, GLRegister.id == CustLedgerEntry.register_id)
            .where(CustLedgerEntry.company_id == company_id))


ENTITY_SETS: dict[str, EntitySet] = {s.name: s for s in (
    EntitySet(
        "companies",
        {"id": Company.id, "name": Company.name, "displayName": Company.display_name,
         "businessProfileId": Company.business_profile_id, "workDate": Company.work_date,
         "lastModifiedDateTime": Company.last_modified},
        (Company.id,), ("name",),
        lambda _session, _scope: select(Company), _first(companies.to_read)),
    EntitySet(
        "accounts",
        {"id": Account.id, "number": Account.number, "displayName": Account.display_name,
         "category": Account.category, "subCategory": Account.sub_category,
         "accountType": Account.account_type, "directPosting": Account.direct_posting,
         "blocked": Account.blocked, "lastModifiedDateTime": Account.last_modified},
        (Account.id,), ("number",), _scoped(Account), _first(accounts.to_read)),
    EntitySet(
        "customers",
        {"id": Customer.id, "number": Customer.number, "displayName": Customer.display_name,
         "type": Customer.type, "city": Customer.city, "state": Customer.state,
         "country": Customer.country, "postalCode": Customer.postal_code,
         "phoneNumber": Customer.phone_number, "email": Customer.email,
         "currencyCode": Customer.currency_code, "blocked": Customer.blocked,
         "lastModifiedDateTime": Customer.last_modified},
        (Customer.id,), ("number",), _scoped(Customer), _first(customers.to_read)),
    EntitySet(
        "salesInvoices",
        {"id": SalesInvoice.id, "number": SalesInvoice.number,
         "externalDocumentNumber": SalesInvoice.external_document_number,
         "invoiceDate": SalesInvoice.invoice_date, "postingDate": SalesInvoice.posting_date,
         "dueDate": SalesInvoice.due_date, "customerId": SalesInvoice.customer_id,
         "currencyCode": SalesInvoice.currency_code,
         "totalAmountIncludingTax": SalesInvoice.total_amount_including_tax,
         "remainingAmount": SalesInvoice.remaining_amount,
         "lastModifiedDateTime": SalesInvoice.last_modified},
        (SalesInvoice.id,), ("number",), _scoped(SalesInvoice), _first(invoices.to_read)),
    EntitySet(
        "customerPaymentJournals",
        {"id": Journal.id, "code": Journal.code, "displayName": Journal.display_name,
         "balancingAccountId": Journal.balancing_account_id,
         "balancingAccountNumber": _BALANCING.number,
         "lastModifiedDateTime": Journal.last_modified},
        (Journal.id,), ("code",), _journal_base, _first(journals.to_read)),
    EntitySet(
        "customerPayments",
        {"id": Payment.id, "journalId": Payment.journal_id, "lineNumber": Payment.line_number,
         "customerId": Payment.customer_id, "customerNumber": Payment.customer_number,
         "contactId": Payment.contact_id, "postingDate": Payment.posting_date,
         "documentNumber": Payment.document_number,
         "externalDocumentNumber": Payment.external_document_number,
         "amount": Payment.amount, "appliesToInvoiceId": Payment.applies_to_invoice_id,
         "appliesToInvoiceNumber": Payment.applies_to_invoice_number,
         "description": Payment.description, "comment": Payment.comment,
         "lastModifiedDateTime": Payment.last_modified},
        # Line numbers are unique in a journal, and every payment list is of one journal.
        (Payment.line_number,), ("lineNumber",), _payment_base, _payment_read,
        key_column=Payment.line_number),
    EntitySet(
        "generalLedgerEntries",
        {"id": GLEntry.id, "entryNumber": GLEntry.entry_number,
         "postingDate": GLEntry.posting_date, "documentType": GLEntry.document_type,
         "documentNumber": GLEntry.document_number, "accountNumber": GLEntry.account_number,
         "description": GLEntry.description, "amount": GLEntry.amount,
         "sourceNumber": GLEntry.source_number, "reversed": GLEntry.reversed},
        (GLEntry.entry_number,), ("entryNumber",), _gl_base,
        lambda _s, _sc, row: ledgers._gl_read(row[0], row[1], row[2])),
    EntitySet(
        "customerLedgerEntries",
        {"id": CustLedgerEntry.id, "entryNumber": CustLedgerEntry.entry_number,
         "customerId": CustLedgerEntry.customer_id,
         "customerNumber": CustLedgerEntry.customer_number,
         "postingDate": CustLedgerEntry.posting_date,
         "documentType": CustLedgerEntry.document_type,
         "documentNumber": CustLedgerEntry.document_number,
         "description": CustLedgerEntry.description, "dueDate": CustLedgerEntry.due_date,
         "amount": CustLedgerEntry.amount,
         "remainingAmount": CustLedgerEntry.remaining_amount, "open": CustLedgerEntry.open},
        (CustLedgerEntry.entry_number,), ("entryNumber",), _cust_base,
        lambda _s, _sc, row: ledgers.cust_entry_read(row[0], row[1], row[2])),
)}


# --- $filter -> SQL ------------------------------------------------------------------------

def _column_type(column: Any) -> Any:
    return getattr(column, "type", None)


def _coerce(prop: str, column: Any, value: q.Value) -> Any:
    """A filter literal as the column's Python type; a message naming the property if not."""
    kind = _column_type(column)
    if value is None:
        return None
    try:
        if isinstance(kind, Uuid):
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        if isinstance(kind, Money):
            if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
                raise ValueError
            amount = Decimal(str(value))
            if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
                raise ValueError
            return amount
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise ValueError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
                raise ValueError
            return value
        if isinstance(kind, Date):
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            return date.fromisoformat(str(value))
        if isinstance(kind, DateTime):
            if isinstance(value, datetime):
                return value
            if isinstance(value, date):
                return datetime(value.year, value.month, value.day)
            return datetime.fromisoformat(str(value))
        if isinstance(kind, String):
            if not isinstance(value, str):
                raise ValueError
            return value
    except (ValueError, InvalidOperation, TypeError):
        pass
    else:
        return value
    raise Invalid(f"The filter value '{value}' does not fit the property {prop}.",
                  field=prop)


def _column(entity: EntitySet, prop: q.Prop) -> Any:
    column = entity.columns.get(prop.name)
    if column is None:
        raise Invalid(f"The property {prop.name} cannot be used in a $filter on "
                      f"{entity.name}. It can filter on {', '.join(sorted(entity.columns))}.",
                      field=prop.name)
    if prop.case is not None:
        if not isinstance(_column_type(column), String):
            raise Invalid(f"{prop.case} needs a text property; {prop.name} is not text.",
                          field=prop.name)
        return func.lower(column) if prop.case == "tolower" else func.upper(column)
    return column


_OPS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": lambda c, v: c.is_(None) if v is None else c == v,
    "ne": lambda c, v: c.is_not(None) if v is None else or_(c != v, c.is_(None)),
    "gt": lambda c, v: c > v, "ge": lambda c, v: c >= v,
    "lt": lambda c, v: c < v, "le": lambda c, v: c <= v,
}


def where_of(entity: EntitySet, node: q.Node) -> ColumnElement[bool]:
    """The SQL condition of a filter tree."""
    if isinstance(node, q.And):
        return and_(*(where_of(entity, item) for item in node.items))
    if isinstance(node, q.Or):
        return or_(*(where_of(entity, item) for item in node.items))
    column = _column(entity, node.prop)
    if isinstance(node, q.Match):
        if not isinstance(_column_type(entity.columns[node.prop.name]), String):
            raise Invalid(f"{node.kind} needs a text property; {node.prop.name} is not text.",
                          field=node.prop.name)
        if node.kind == "startswith" and node.prop.case is None:
            # An index range, not a LIKE (app/services/browse.py).
            return and_(column >= node.value, column < node.value + HIGHEST)
        if node.kind == "startswith":
            return column.startswith(node.value, autoescape=True)
        if node.kind == "endswith":
            return column.endswith(node.value, autoescape=True)
        return column.contains(node.value, autoescape=True)
    if node.value is None and node.op not in ("eq", "ne"):
        raise Invalid(f"null can only be compared with eq or ne ({node.prop.name}).",
                      field=node.prop.name)
    value = _coerce(node.prop.name, entity.columns[node.prop.name], node.value)
    if node.prop.case is not None and isinstance(value, str):
        value = value.lower() if node.prop.case == "tolower" else value.upper()
    return _OPS[node.op](column, value)


def _order(entity: EntitySet, orderby: list[tuple[str, bool]]) -> list[Any]:
    terms: list[Any] = []
    names = orderby or [(name, False) for name in entity.default_order]
    for name, descending in names:
        column = entity.columns.get(name)
        if column is None:
            raise Invalid(f"The list cannot be sorted by {name}. It can be sorted by "
                          f"{', '.join(sorted(entity.columns))}.", field=name)
        terms.append(column.desc() if descending else column.asc())
    last_desc = names[-1][1] if names else False
    terms.extend(t.desc() if last_desc else t.asc() for t in entity.tiebreak)
    return terms


def journal_of_filter(node: q.Node | None) -> uuid.UUID | None:
    """The journal a company-level customerPayments filter names (``journalId eq ...``)."""
    for term in q.conjuncts(node):
        if isinstance(term, q.Compare) and term.prop.name == "journalId" and term.op == "eq" \
                and term.prop.case is None:
            try:
                return term.value if isinstance(term.value, uuid.UUID) else \
                    uuid.UUID(str(term.value))
            except ValueError:
                raise Invalid(f"journalId must be a GUID, not '{term.value}'.",
                              field="journalId") from None
    return None


@dataclass(frozen=True)
class Page:
    items: list[ApiModel]
    more: bool  # another page follows


def list_page(db: Database, entity_name: str, scope: Scope, *, filter: q.Node | None = None,
              orderby: list[tuple[str, bool]] | None = None, skip: int = 0,
              limit: int = MAX_PAGE) -> Page:
    """One page of an entity set: filtered and ordered in SQL, ``skip`` rows on."""
    entity = ENTITY_SETS[entity_name]
    limit = max(0, min(limit, MAX_PAGE))
    with db.reading() as session:
        base = entity.base(session, scope)
        stmt = base
        if filter is not None:
            stmt = stmt.where(where_of(entity, filter))
        stmt = stmt.order_by(*_order(entity, orderby or [])).offset(skip).limit(limit + 1)
        if entity.key_column is not None:
            rows = _by_keys(session, entity, stmt, base)
        else:
            rows = list(session.execute(stmt))
        items = [entity.read(session, scope, row) for row in rows[:limit]]
        return Page(items, len(rows) > limit)


def _by_keys(session: Session, entity: EntitySet, stmt: Any, base: Any) -> list[Any]:
    """The page's keys from the index, then their rows (in the keys' order). The rows are
    fetched by key within the scope only: with the filter repeated, a range in it
    (``lineNumber gt N``) could lead the planner to walk the range instead."""
    key = entity.key_column
    keys = list(session.scalars(stmt.with_only_columns(key)))
    rows: dict[Any, Any] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows.update((getattr(row[0], key.key), row) for row in session.execute(
            base.where(key.in_(chunk))))
    return [rows[k] for k in keys if k in rows]


def get_one(db: Database, entity_name: str, scope: Scope, key: Any) -> ApiModel:
    """One entity of a set by its key (``id``), scoped like the list."""
    entity = ENTITY_SETS[entity_name]
    value = _coerce("id", entity.columns["id"], key)
    with db.reading() as session:
        stmt = entity.base(session, scope).where(entity.columns["id"] == value)
        row = session.execute(stmt.limit(1)).first()
        if row is None:
            raise NotFound(f"The {entity_name} record with ID {key} cannot be found.",
                           field="id")
        return entity.read(session, scope, row)


_PAYMENT_COLUMNS = (Payment.id, Payment.version, Payment.last_modified, Payment.journal_id,
                    Journal.code, Payment.line_number, Payment.customer_id,
                    Payment.customer_number, Payment.contact_id, Payment.posting_date,
                    Payment.document_number, Payment.external_document_number, Payment.amount,
                    Payment.applies_to_invoice_id, Payment.applies_to_invoice_number,
                    Payment.description, Payment.comment)
_PAYMENT_FIELDS = ("id", "version", "last_modified_date_time", "journal_id",
                   "journal_display_name", "line_number", "customer_id", "customer_number",
                   "contact_id", "posting_date", "document_number", "external_document_number",
                   "amount", "applies_to_invoice_id", "applies_to_invoice_number", "description",
                   "comment")


_PAYMENT_BY_ID = (select(*_PAYMENT_COLUMNS).join(Journal, Journal.id == Payment.journal_id)
                  .where(Payment.id == bindparam("payment_id"),
                         Journal.company_id == bindparam("company_id")))


def payment(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID) -> PaymentRead:
    """One line by id, in one indexed query on a plain connection (the API's GET of a line,
    the request a client makes most: a third of the time ``db.reading()`` with an ORM
    session takes; ``payments.get`` reads the line, then its journal with the journal's
    account and number series). Still one read transaction, errors classified the same way."""
    if isinstance(db, _Joined):  # inside a $batch: see what the batch wrote so far
        row = db.reading_session().execute(
            _PAYMENT_BY_ID, {"payment_id": payment_id, "company_id": company_id}).first()
    else:
        with translated(), db.engine.connect() as conn:
            row = conn.execute(_PAYMENT_BY_ID, {"payment_id": payment_id,
                                                "company_id": company_id}).first()
    if row is None:
        raise NotFound(f"The {payments.LABEL} with ID {payment_id} cannot be found.", field="id")
    return PaymentRead.model_construct(**dict(zip(_PAYMENT_FIELDS, row, strict=True)))


def journal_lines(db: Database, company_id: uuid.UUID, journal_ids: list[uuid.UUID],
                  limit: int = MAX_PAGE) -> dict[uuid.UUID, list[ApiModel]]:
    """The lines of some journals (``$expand=customerPayments``), at most ``limit`` each."""
    out: dict[uuid.UUID, list[ApiModel]] = {}
    for journal_id in journal_ids:
        out[journal_id] = list_page(db, "customerPayments",
                                    Scope(company_id, journal_id), limit=limit).items
    return out


def count(db: Database, entity_name: str, scope: Scope, filter: q.Node | None = None) -> int:
    entity = ENTITY_SETS[entity_name]
    with db.reading() as session:
        stmt = entity.base(session, scope)
        if filter is not None:
            stmt = stmt.where(where_of(entity, filter))
        return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


# --- one transaction for many service calls ($batch with Isolation: snapshot) ---------------

class _Joined(Database):
    """A handle whose transactions are savepoints of one outer transaction: every service
    called with it writes into that transaction, which commits (or rolls back) as one."""

    def __init__(self, outer: Database, session: Session, *, savepoints: bool) -> None:
        # Deliberately not Database.__init__: this shares the outer handle's engine.
        self.engine = outer.engine
        self.path = outer.path
        self.url = outer.url
        self.origin = outer.origin
        self._session = session
        self._savepoints = savepoints

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        if not self._savepoints:  # one failure fails the whole: no need to undo a part
            yield self._session
            self._session.flush()
            return
        with self._session.begin_nested():
            yield self._session
            self._session.flush()

    durable_transaction = transaction

    @contextmanager
    def reading(self) -> Iterator[Session]:
        yield self._session

    def reading_session(self) -> Session:
        return self._session


def in_one_transaction(db: Database, work: Callable[[Database], T], *,
                       savepoints: bool = False) -> T:
    """Run ``work(handle)`` so every service it calls with ``handle`` shares one transaction
    that commits once at the end (``$batch``, a deep insert). Outside it, each service call
    stays its own transaction.

    Without ``savepoints`` it is all or nothing: any exception rolls everything back
    (``Isolation: snapshot``, a deep insert). With them, each service call is a savepoint:
    a call that fails undoes only its own work, and ``work`` may carry on (a plain
    ``$batch``, whose parts succeed or fail one by one, committed together)."""
    if isinstance(db, _Joined):
        return work(db)
    with db.transaction() as session:
        return work(_Joined(db, session, savepoints=savepoints))

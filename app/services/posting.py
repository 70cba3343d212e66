"""Posting a customer payment journal: test report, preview, post, and reversal.

Each public function is one transaction. ``test_report`` and ``preview`` only read (a
snapshot that is rolled back; no number is taken from any series). ``post`` checks the journal
exactly as the test report does, refuses with the first problems, and otherwise writes the
plan of ``app.domain.posting.plan_posting`` (the same plan preview shows) in one durable
transaction: G/L register, G/L entries, customer ledger entries, detailed entries, the changed
invoices; then it deletes the journal's lines (the journal stays). If anything fails, or the
process dies half-way, nothing of the posting exists afterwards: SQLite's journal rolls an
interrupted transaction back when the file is next opened.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    String,
    bindparam,
    func,
    literal_column,
    select,
    true,
    type_coerce,
    update,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import column, table

from app.db import Database, locks, users
from app.db.models import (
    Account,
    Company,
    CustLedgerEntry,
    Customer,
    DetailedCustLedgEntry,
    GLEntry,
    GLRegister,
    Journal,
    Payment,
    PaymentApplication,
    SalesInvoice,
    utc_now,
)
from app.domain import invoicing, numbering
from app.domain import posting as rules
from app.domain.errors import Conflict, FieldError, Invalid, NoPermission, NotFound
from app.domain.ledger_schemas import (
    CustLedgerEntryRead,
    DetailedEntryRead,
    GLEntryRead,
    PlannedCount,
    PostingPreviewRead,
    ProblemRead,
    RegisterRead,
    ReversalRead,
)
from app.domain.money import from_cents, to_cents
from app.domain.schemas import LineApplication, PaymentRead
from app.domain.types import MAX_INTEGER as MAX_ENTRY_NUMBER
from app.services import number_series
from app.services.common import get_company, paused_gc, resolve_by_id_or_number, touch
from app.services.ledger_common import (
    BulkTable,
    CompiledMany,
    NextNumbers,
    db_form,
    lock_company,
    next_numbers,
    release_free_pages,
)

GL_ENTRY = "G/L Entry"
CUST_LEDGER_ENTRY = "Cust. Ledger Entry"
DETAILED_ENTRY = "Detailed Cust. Ledg. Entry"

Progress = Callable[[str], None]


def _no_progress(_stage: str) -> None:
    return None


# --- loading a journal for the rules ---------------------------------------------------------

@dataclass
class _Journal:
    company_id: uuid.UUID
    journal: Journal
    setup: rules.Setup
    lines: list[rules.Line]
    customers: dict[Any, rules.Customer]
    accounts: dict[Any, rules.GLAccount]
    entries: dict[int, rules.OpenEntry]
    invoice_of_entry: dict[int, Any]  # entry id -> sales invoice id (raw or UUID)


def _journal(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID) -> Journal:
    journal = session.get(Journal, journal_id)
    if journal is None or journal.company_id != company_id:
        raise NotFound(f"The General Journal Batch with ID {journal_id} cannot be found.",
                       field="journalId")
    return journal


def _gl_account(row: Any) -> rules.GLAccount:
    return rules.GLAccount(row.id, row.number, row.display_name, row.account_type,
                           bool(row.blocked), bool(row.direct_posting))


_CENTS = BigInteger()


def _cents(col: Any) -> Any:
    """Read a Money column as its integer cents (no Decimal on the hot path)."""
    return type_coerce(col, _CENTS)


class _Dates(dict[Any, Any]):
    """Date text as read back -> date, parsed once per distinct value (dates repeat)."""

    def __missing__(self, value: Any) -> Any:
        if value is None:
            return None
        result = self[value] = date.fromisoformat(value) if isinstance(value, str) else value
        return result


def _raw(col: Any) -> Any:
    """Read a UUID column as the database holds it: a key, not parsed (fast for 100,000s)."""
    return type_coerce(col, String())


_ENTRY_COLUMNS = (CustLedgerEntry.id, CustLedgerEntry.entry_number,
                  _raw(CustLedgerEntry.customer_id),
                  CustLedgerEntry.document_type, CustLedgerEntry.document_number,
                  _raw(CustLedgerEntry.posting_date), _cents(CustLedgerEntry.remaining_amount),
                  CustLedgerEntry.open, _raw(CustLedgerEntry.pmt_discount_date),
                  _cents(CustLedgerEntry.remaining_pmt_disc_possible),
                  _raw(CustLedgerEntry.sales_invoice_id))


def _load(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID) -> _Journal:
    company = get_company(session, company_id)
    journal = _journal(session, company_id, journal_id)
    conn = session.connection()  # Core from here: no ORM overhead per row
    raw = _raw_form(session)
    accounts = {row[0]: rules.GLAccount(*row) for row in conn.execute(
        select(_raw(Account.id), Account.number, Account.display_name, Account.account_type,
               Account.blocked, Account.direct_posting)
        .where(Account.company_id == company_id)).all()}

    def account(account_id: uuid.UUID | None) -> rules.GLAccount | None:
        return accounts.get(raw(account_id)) if account_id else None

    setup = rules.Setup(journal.code, account(journal.balancing_account_id),
                        company.allow_posting_from, company.allow_posting_to,
                        account(company.payment_discount_account_id))

    in_journal = select(Payment.id).where(Payment.journal_id == journal.id)
    customers = {row[0]: rules.Customer(*row) for row in conn.execute(
        select(_raw(Customer.id), Customer.number, Customer.display_name, Customer.blocked,
               _raw(Customer.receivables_account_id))
        .where(Customer.id.in_(select(Payment.customer_id)
                               .where(Payment.journal_id == journal.id)))).all()}

    dates = _Dates()
    entries: dict[int, rules.OpenEntry] = {}
    entry_of_invoice: dict[Any, int] = {}
    invoice_of_entry: dict[int, Any] = {}
    applied_ids = select(PaymentApplication.cust_ledger_entry_id).where(
        PaymentApplication.payment_id.in_(in_journal))
    invoice_ids = select(Payment.applies_to_invoice_id).where(
        Payment.journal_id == journal.id, Payment.applies_to_invoice_id.is_not(None))
    for query in (select(*_ENTRY_COLUMNS).where(CustLedgerEntry.id.in_(applied_ids)),
                  select(*_ENTRY_COLUMNS).where(CustLedgerEntry.sales_invoice_id.in_(
                      invoice_ids))):
        # In entry order: the plan (and what it shows) must not depend on the database's
        # own order of an unordered read (PostgreSQL's differs from SQLite's).
        for row in conn.execute(query.order_by(CustLedgerEntry.id)).all():
            entries[row[0]] = rules.OpenEntry(row[0], row[1], row[2], row[3], row[4],
                                              dates[row[5]], row[6], bool(row[7]),
                                              dates[row[8]], row[9])
            if row[10] is not None:
                entry_of_invoice[row[10]] = row[0]
                invoice_of_entry[row[0]] = row[10]

    applications: dict[Any, list[rules.Application]] = defaultdict(list)
    for payment_id, entry_id, amount in conn.execute(
            select(_raw(PaymentApplication.payment_id), PaymentApplication.cust_ledger_entry_id,
                   _cents(PaymentApplication.amount_to_apply))
            .where(PaymentApplication.payment_id.in_(in_journal))
            .order_by(PaymentApplication.id)).all():
        applications[payment_id].append(rules.Application(entry_id, amount))

    lines = []
    Line, Application = rules.Line, rules.Application
    for (line_id, line_number, posting_date, document_number, external, customer_id, amount,
         description, invoice_id) in conn.execute(
            select(_raw(Payment.id), Payment.line_number, _raw(Payment.posting_date),
                   Payment.document_number, Payment.external_document_number,
                   _raw(Payment.customer_id), _cents(Payment.amount), Payment.description,
                   _raw(Payment.applies_to_invoice_id))
            .where(Payment.journal_id == journal.id).order_by(Payment.line_number)).all():
        marked = applications.get(line_id) if applications else None
        if marked:
            apps: tuple[rules.Application, ...] = tuple(marked)
        elif invoice_id is not None:
            apps = (Application(entry_of_invoice.get(invoice_id, -1), None),)
        else:
            apps = ()
        lines.append(Line(line_id, line_number, dates[posting_date], document_number, external,
                          customer_id, amount, description, apps,
                          bool(marked) and invoice_id is not None))
    return _Journal(company_id, journal, setup, lines, customers, accounts, entries,
                    invoice_of_entry)


def _raw_form(session: Session) -> Any:
    """UUID -> the key as the database holds it (what ``_raw`` reads back)."""
    return db_form(session, Customer.__table__.c.id)


def _problems(loaded: _Journal, session: Session | None = None) -> list[rules.Problem]:
    problems = rules.check_journal(loaded.setup, loaded.lines, loaded.customers,
                                   loaded.accounts, loaded.entries)
    if session is not None:
        problems += _series_problems(session, loaded)
    return problems


def _series_problems(session: Session, loaded: _Journal) -> list[rules.Problem]:
    """With a No. Series on the journal: the lines' numbers continue it (BC's
    CheckDocNoBasedOnNoSeries), and no number is posted twice."""
    series = loaded.journal.number_series
    if series is None:
        return []
    lines = [(line.line_number, line.document_number) for line in loaded.lines
             if not rules.is_skipped(line)]
    found = [rules.Problem(line_number, "documentNumber", message)
             for line_number, message in numbering.series_problems(
                 lines, series_code=series.code, next_number=number_series.peek_next(series),
                 increment_by=series.increment_by, manual_numbers=series.manual_numbers)]
    wanted = sorted({number for _, number in lines if number})
    posted: set[str] = set()
    for start in range(0, len(wanted), 500):
        posted.update(session.scalars(select(GLEntry.document_number).distinct().where(
            GLEntry.company_id == loaded.company_id,
            GLEntry.document_number.in_(wanted[start:start + 500]),
            GLEntry.document_type == rules.PAYMENT)))
    found += [rules.Problem(line_number, "documentNumber",
                            numbering.already_posted_message(number, series.code))
              for line_number, number in lines if number in posted]
    return found


def _refuse(problems: Sequence[rules.Problem]) -> Invalid:
    first = problems[: rules.MAX_PROBLEMS_ON_POST]
    return Invalid(first[0].text(), errors=[FieldError(p.field, p.text()) for p in first])


def _plan(loaded: _Journal, numbers: NextNumbers) -> rules.Plan:
    return rules.plan_posting(loaded.setup, loaded.lines, loaded.customers, loaded.accounts,
                              loaded.entries, next_gl_entry=numbers.gl_entry,
                              next_cust_entry=numbers.cust_entry,
                              register_number=numbers.register)


# --- test report -----------------------------------------------------------------------------

def test_report(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID) -> list[ProblemRead]:
    """Every problem of the journal, journal-wide ones first, then by line number."""
    with paused_gc(), db.reading() as session:
        loaded = _load(session, company_id, journal_id)
        problems = _problems(loaded, session)
    problems.sort(key=lambda p: (p.line_number is not None, p.line_number or 0))
    return [ProblemRead(line_number=p.line_number, field=p.field, message=p.message)
            for p in problems]


test_report.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


# --- preview ---------------------------------------------------------------------------------

def preview(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID) -> PostingPreviewRead:
    """The entries posting would write now, per table. Reads a snapshot; writes nothing."""
    with paused_gc(), db.reading() as session:
        loaded = _load(session, company_id, journal_id)
        problems = _problems(loaded, session)
        if problems:
            raise _refuse(problems)
        plan = _plan(loaded, next_numbers(session, company_id))
        names = _names(session, company_id)
        changed_rows = {row.id: row for row in _entries_by_id(
            session, [c.entry_id for c in plan.changes])}
        return _preview_read(loaded, plan, names, changed_rows)


def _entries_by_id(session: Session, ids: Sequence[int]) -> list[CustLedgerEntry]:
    """Entries by id, in chunks (a database limits the parameters of one statement)."""
    found: list[CustLedgerEntry] = []
    for start in range(0, len(ids), 500):
        found.extend(session.scalars(select(CustLedgerEntry).where(
            CustLedgerEntry.id.in_(ids[start:start + 500]))))
    return found


@dataclass
class _Names:
    """Names and UUIDs by raw key, for the read models."""

    accounts: dict[Any, str]
    customers: dict[Any, tuple[uuid.UUID, str, str]]

    def customer(self, key: Any) -> tuple[uuid.UUID, str, str]:
        return self.customers[key]


def _names(session: Session, company_id: uuid.UUID) -> _Names:
    return _Names(
        {key: name for key, name in session.execute(
            select(_raw(Account.id), Account.display_name)
            .where(Account.company_id == company_id))},
        {key: (customer_id, number, name) for key, customer_id, number, name in session.execute(
            select(_raw(Customer.id), Customer.id, Customer.number, Customer.display_name)
            .where(Customer.company_id == company_id))})


def _preview_read(loaded: _Journal, plan: rules.Plan, names: _Names,
                  changed_rows: dict[int, CustLedgerEntry]) -> PostingPreviewRead:
    gl = [GLEntryRead.model_construct(
        id=0, entry_number=e.entry_number, posting_date=e.posting_date,
        document_type=e.document_type, document_number=e.document_number,
        external_document_number=e.external_document_number, account_number=e.account_number,
        account_name=names.accounts.get(e.account_id, ""), description=e.description,
        amount=from_cents(e.amount), source_type=rules.CUSTOMER if e.source_id else "",
        source_number=e.source_number, register_number=plan.register_number, reversed=False,
        reversed_by_entry_number=None, reversed_entry_number=None) for e in plan.gl_entries]
    cust = [CustLedgerEntryRead.model_construct(
        id=0, entry_number=e.entry_number, customer_id=names.customer(e.customer_id)[0],
        customer_number=e.customer_number, customer_name=names.customer(e.customer_id)[2],
        posting_date=e.posting_date, document_type=e.document_type,
        document_number=e.document_number, external_document_number=e.external_document_number,
        description=e.description, due_date=None, amount=from_cents(e.amount),
        remaining_amount=from_cents(e.remaining), open=e.open, pmt_discount_date=None,
        original_pmt_disc_possible=Decimal("0.00"), remaining_pmt_disc_possible=Decimal("0.00"),
        closed_by_entry_number=e.closed_by_entry_number, closed_at_date=e.closed_at_date,
        register_number=plan.register_number, sales_invoice_id=None, reversed=False)
        for e in plan.cust_entries]
    details = [DetailedEntryRead.model_construct(
        id=0, cust_ledger_entry_number=d.entry_number, entry_type=d.entry_type,
        posting_date=d.posting_date, document_type=d.document_type,
        document_number=d.document_number,
        customer_number=names.customer(d.customer_id)[1],
        amount=from_cents(d.amount), applied_entry_number=d.applied_entry_number,
        unapplied=False) for d in plan.details]
    changed = []
    raw_names = {customer_id: name for customer_id, _, name in names.customers.values()}
    for change in plan.changes:
        row = changed_rows[change.entry_id]
        changed.append(_entry_read(row, raw_names.get(row.customer_id, ""),
                                   None).model_copy(update={
            "remaining_amount": from_cents(change.remaining), "open": change.open,
            "remaining_pmt_disc_possible": from_cents(change.remaining_pmt_disc),
            "closed_by_entry_number": change.closed_by_entry_number,
            "closed_at_date": change.closed_at_date}))
    debit = sum(e.amount for e in plan.gl_entries if e.amount > 0)
    credit = -sum(e.amount for e in plan.gl_entries if e.amount < 0)
    return PostingPreviewRead(
        journal_code=loaded.journal.code, register_number=plan.register_number,
        lines_posted=len(plan.posted_line_ids), lines_skipped=len(plan.skipped_line_ids),
        counts=[PlannedCount(table=GL_ENTRY, count=len(gl)),
                PlannedCount(table=CUST_LEDGER_ENTRY, count=len(cust)),
                PlannedCount(table=DETAILED_ENTRY, count=len(details))],
        gl_entries=gl, cust_entries=cust, detailed_entries=details, changed_entries=changed,
        total_debit=from_cents(debit), total_credit=from_cents(credit))


def _entry_read(row: CustLedgerEntry, customer_name: str,
                register_number: int | None) -> CustLedgerEntryRead:
    return CustLedgerEntryRead(
        id=row.id, entry_number=row.entry_number, customer_id=row.customer_id,
        customer_number=row.customer_number, customer_name=customer_name,
        posting_date=row.posting_date, document_type=row.document_type,
        document_number=row.document_number,
        external_document_number=row.external_document_number, description=row.description,
        due_date=row.due_date, amount=row.amount, remaining_amount=row.remaining_amount,
        open=row.open, pmt_discount_date=row.pmt_discount_date,
        original_pmt_disc_possible=row.original_pmt_disc_possible,
        remaining_pmt_disc_possible=row.remaining_pmt_disc_possible,
        closed_by_entry_number=row.closed_by_entry_number, closed_at_date=row.closed_at_date,
        register_number=register_number, sales_invoice_id=row.sales_invoice_id,
        reversed=row.reversed)


# --- post ------------------------------------------------------------------------------------

def current_user() -> str:
    """The OS login name (what a SQLite book records; app/db/users.py)."""
    return users.os_user()


POST_REFUSED = "Your role may enter lines but not post."
REVERSE_REFUSED = "Your role may enter lines but not post or reverse."


@contextmanager
def _posting_refused(message: str = POST_REFUSED) -> Iterator[None]:
    """The database refused a posting write for the user's role (SQLSTATE 42501): say what
    the role may do."""
    try:
        yield
    except NoPermission as exc:
        raise NoPermission(message) from exc


def post(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID, *,
         user_id: str | None = None, progress: Progress | None = None,
         expected_lines: Mapping[uuid.UUID, int] | None = None) -> RegisterRead:
    """Post every line of the journal in one transaction; returns the G/L register.

    Refuses (``Invalid``, with the first problems, nothing written) when the test report
    finds any. ``progress`` is told each stage (for a progress dialog, and for the test that
    kills a posting half-way); an exception it raises rolls the whole posting back.
    ``expected_lines`` (line id -> version): post only if the journal holds exactly these
    lines at these versions (the GUI's redo of a posting), else ``Conflict``."""
    report = progress or _no_progress
    with _posting_refused(), paused_gc(), db.durable_transaction() as session:
        # The journal's posting lock, then the company's numbering lock, before anything
        # (the No. Series above all) is read.
        locks.take_posting_lock(session, journal_id)
        lock_company(session, company_id)
        if expected_lines is not None:
            _check_lines(session, company_id, journal_id, expected_lines)
        loaded = _load(session, company_id, journal_id)
        problems = _problems(loaded, session)
        if problems:
            raise _refuse(problems)
        report("checked")
        plan = _plan(loaded, next_numbers(session, company_id))
        register = write_plan(session, loaded.company_id, loaded.journal.code, plan,
                              loaded.invoice_of_entry, user_id=user_id, progress=report,
                              known_ids={e.entry_number: e.id
                                         for e in loaded.entries.values()})
        series = loaded.journal.number_series
        if series is not None:  # the numbers the lines peeked from it are taken now
            number_series.use_up(series, (line.document_number for line in loaded.lines
                                          if not rules.is_skipped(line)))
        session.execute(sql_delete(Payment).where(Payment.journal_id == loaded.journal.id)
                        .execution_options(synchronize_session=False))
        release_free_pages(session)  # the lines' pages go back to the file system
        report("lines deleted")
        result = register_read(session, register, plan)
        # Free the journal and the plan (millions of objects) while the collector is still
        # paused: alive when it resumes, they cost a full collection (0.2-0.3 s) for nothing.
        del loaded, plan
    report("committed")
    return result


def _check_lines(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID,
                 expected: Mapping[uuid.UUID, int]) -> None:
    journal = _journal(session, company_id, journal_id)
    now = {payment_id: version for payment_id, version in session.execute(
        select(Payment.id, Payment.version).where(Payment.journal_id == journal.id))}
    if now != dict(expected):
        raise Conflict(f"The lines of journal {journal.code} were changed since, so they are "
                       "not the lines this step posts.", field="@odata.etag")


def unpost(db: Database, company_id: uuid.UUID, register_number: int,
           lines: Sequence[PaymentRead],
           applications: Mapping[uuid.UUID, Sequence[tuple[int, Decimal]]], *,
           user_id: str | None = None) -> tuple[ReversalRead, list[PaymentRead]]:
    """The GUI's undo of a posting, in one transaction: reverse the register and put the
    journal lines it posted back (same ids, numbers, versions) with their applications
    (payment id -> [(customer ledger entry id, amount to apply)]). Refused as a whole
    (nothing written) when the reversal is refused or a line cannot come back."""
    from app.services.payments import restore_in

    with _posting_refused(REVERSE_REFUSED), paused_gc(), db.durable_transaction() as session:
        reversal = _reverse_in(session, company_id, register_number, user_id)
        with_marks = [line.model_copy(update={"applications": tuple(
            LineApplication(cust_ledger_entry_id=entry_id, amount_to_apply=amount)
            for entry_id, amount in applications[line.id])})
            if line.id in applications else line for line in lines]
        restored = restore_in(session, company_id, with_marks) if lines else []
        return reversal, restored


# The columns each row gives; the rest are the same in every row of a posting (the company,
# the register, what a new entry does not have yet) and go into the statement once.
_GL_COLUMNS = ("entry_number", "posting_date", "document_type", "document_number",
               "external_document_number", "account_id", "account_number", "description",
               "amount", "source_type", "source_id", "source_number")
_GL_REVERSAL_COLUMNS = (*_GL_COLUMNS, "reversed", "reversed_entry_number")
_CUST_COLUMNS = ("entry_number", "customer_id", "customer_number", "posting_date",
                 "document_type", "document_number", "external_document_number", "description",
                 "amount", "remaining_amount", "open", "closed_by_entry_number",
                 "closed_at_date")
_DETAIL_COLUMNS = ("cust_ledger_entry_id", "entry_type", "posting_date", "document_type",
                   "document_number", "customer_id", "amount", "applied_cust_ledger_entry_id",
                   "unapplied")


# Rows are converted and written this many at a time (all in the one transaction), so the
# database form of a large plan never exists whole beside the plan. Tests patch it.
WRITE_BATCH = 20_000


def _batches(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    size = max(1, WRITE_BATCH)
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def write_plan(session: Session, company_id: uuid.UUID, journal_code: str, plan: rules.Plan,
               invoice_of_entry: dict[int, Any], *, user_id: str | None,
               source_code: str = rules.SOURCE_CODE,
               reversed_links: dict[int, int] | None = None,
               known_ids: dict[int, int] | None = None,
               progress: Progress = _no_progress) -> GLRegister:
    """Write a plan: register, G/L entries, customer and detailed entries, changed entries
    and their invoices. Shared by posting and reversal. ``reversed_links`` maps a new G/L
    entry number to the one it reverses; ``known_ids`` gives the row ids of existing entries
    the plan refers to, already read (entry number -> id; the others are looked up)."""
    first_gl, last_gl = plan.gl_range
    cust_range = plan.cust_range
    register = GLRegister(
        company_id=company_id, number=plan.register_number, from_entry_number=first_gl,
        to_entry_number=last_gl, from_cust_entry_number=cust_range[0] if cust_range else None,
        to_cust_entry_number=cust_range[1] if cust_range else None, journal_code=journal_code,
        source_code=source_code, created_at=utc_now(),
        user_id=users.of(session) if user_id is None else user_id, reversed=False)
    session.add(register)
    session.flush()
    progress("register")
    reg = register.id
    links = reversed_links or {}
    # Rows are built in database form (memoised conversions of the repeated UUIDs and dates).
    common = {"company_id": company_id, "register_id": reg}
    new_entry: dict[str, Any] = {"reversed_by_entry_number": None}
    if links:  # a reversal: its entries say which ones they reverse
        gl = BulkTable(session, GLEntry.__table__, _GL_REVERSAL_COLUMNS,
                       {**common, **new_entry})
    else:
        gl = BulkTable(session, GLEntry.__table__, _GL_COLUMNS,
                       {**common, **new_entry, "reversed": False,
                        "reversed_entry_number": None})
    key, day = gl.converter("account_id"), gl.converter("posting_date")
    customer = rules.CUSTOMER
    for chunk in _batches(plan.gl_entries):
        gl.insert_converted([
            (e.entry_number, day(e.posting_date), e.document_type, e.document_number,
             e.external_document_number, key(e.account_id), e.account_number, e.description,
             e.amount, customer if e.source_id is not None else "", key(e.source_id),
             e.source_number, e.entry_number in links, links.get(e.entry_number))
            if links else
            (e.entry_number, day(e.posting_date), e.document_type, e.document_number,
             e.external_document_number, key(e.account_id), e.account_number, e.description,
             e.amount, customer if e.source_id is not None else "", key(e.source_id),
             e.source_number)
            for e in chunk])
    progress("gl entries")
    cust = BulkTable(session, CustLedgerEntry.__table__, _CUST_COLUMNS, {
        **common, **new_entry, "due_date": None, "pmt_discount_date": None,
        "original_pmt_disc_possible": 0, "remaining_pmt_disc_possible": 0, "reversed": False,
        "reversed_entry_number": None})
    for chunk in _batches(plan.cust_entries):
        cust.insert_converted([
            (e.entry_number, key(e.customer_id), e.customer_number, day(e.posting_date),
             e.document_type, e.document_number, e.external_document_number, e.description,
             e.amount, e.remaining, e.open, e.closed_by_entry_number, day(e.closed_at_date))
            for e in chunk])
    progress("customer entries")
    ids = _entry_ids(session, company_id, plan, known_ids or {})
    detailed = BulkTable(session, DetailedCustLedgEntry.__table__, _DETAIL_COLUMNS, common)
    for chunk in _batches(plan.details):
        detailed.insert_converted([
            (ids[d.entry_number], d.entry_type, day(d.posting_date), d.document_type,
             d.document_number, key(d.customer_id), d.amount,
             ids[d.applied_entry_number] if d.applied_entry_number is not None else None,
             d.unapplied)
            for d in chunk])
    progress("detailed entries")
    apply_changes(session, plan.changes, invoice_of_entry)
    progress("applications")
    return register


def _entry_ids(session: Session, company_id: uuid.UUID, plan: rules.Plan,
               known: dict[int, int]) -> dict[int, int]:
    """Customer ledger entry number -> row id, for the entries a plan refers to: the new
    ones read back, existing ones from ``known`` or else read."""
    wanted = {d.entry_number for d in plan.details} | \
        {d.applied_entry_number for d in plan.details if d.applied_entry_number is not None}
    ids: dict[int, int] = dict(known)
    cust_range = plan.cust_range
    if cust_range:
        ids.update((n, i) for n, i in session.execute(
            select(CustLedgerEntry.entry_number, CustLedgerEntry.id).where(
                CustLedgerEntry.company_id == company_id,
                CustLedgerEntry.entry_number.between(*cust_range))).all())
    others = sorted(n for n in wanted if n not in ids)
    for start in range(0, len(others), 500):
        chunk = others[start:start + 500]
        ids.update((n, i) for n, i in session.execute(
            select(CustLedgerEntry.entry_number, CustLedgerEntry.id).where(
                CustLedgerEntry.company_id == company_id,
                CustLedgerEntry.entry_number.in_(chunk))).all())
    return ids


_entry_update = table("cust_ledger_entry", column("id"), column("remaining_amount"),
                      column("open"), column("remaining_pmt_disc_possible"),
                      column("closed_by_entry_number"), column("closed_at_date"))
_invoice_update = table("sales_invoice", column("id"), column("remaining_amount"),
                        column("version"), column("last_modified"))


def apply_changes(session: Session, changes: Sequence[rules.EntryChange],
                  invoice_of_entry: dict[int, Any]) -> None:
    """Existing entries after applications (or their undoing), and their invoices."""
    if not changes:
        return
    conn = session.connection()
    as_date = db_form(session, CustLedgerEntry.__table__.c.closed_at_date)
    as_uuid = db_form(session, SalesInvoice.__table__.c.id)
    as_time = db_form(session, SalesInvoice.__table__.c.last_modified)
    entries = CompiledMany(conn, update(_entry_update).where(
        _entry_update.c.id == bindparam("b_id")).values(
        remaining_amount=bindparam("b_remaining"), open=bindparam("b_open"),
        remaining_pmt_disc_possible=bindparam("b_disc"),
        closed_by_entry_number=bindparam("b_closed_by"),
        closed_at_date=bindparam("b_closed_at")),
        ["b_id", "b_remaining", "b_open", "b_disc", "b_closed_by", "b_closed_at"])
    entries.run([(c.entry_id, c.remaining, c.open, c.remaining_pmt_disc,
                  c.closed_by_entry_number, as_date(c.closed_at_date)) for c in changes])
    now = as_time(utc_now())
    invoice_rows = [(as_uuid(invoice_of_entry[c.entry_id]), c.remaining, now)
                    for c in changes if c.entry_id in invoice_of_entry]
    if invoice_rows:
        CompiledMany(conn, update(_invoice_update).where(
            _invoice_update.c.id == bindparam("b_id")).values(
            remaining_amount=bindparam("b_remaining"),
            version=_invoice_update.c.version + literal_column("1"),
            last_modified=bindparam("b_now")),
            ["b_id", "b_remaining", "b_now"]).run(invoice_rows)


def register_read(session: Session, register: GLRegister,
                  written: rules.Plan | None = None) -> RegisterRead:
    """A register with its counts and totals, read from its entries; or, right after they
    were written, from ``written`` (the plan they were written from: the same numbers,
    without reading back 100,000s of rows)."""
    company_id = register.company_id
    if written is not None:
        amounts = [e.amount for e in written.gl_entries]
        totals: Any = (len(amounts), sum(a for a in amounts if a > 0))
        credit = sum(a for a in amounts if a < 0)
        detailed = len(written.details)
    else:
        totals = session.execute(
            select(func.count(), func.coalesce(func.sum(
                _cents(GLEntry.amount)).filter(_cents(GLEntry.amount) > 0), 0))
            .where(GLEntry.company_id == company_id, GLEntry.entry_number.between(
                register.from_entry_number, register.to_entry_number))).one()
        credit = session.scalar(
            select(func.coalesce(func.sum(_cents(GLEntry.amount)), 0))
            .where(GLEntry.company_id == company_id, _cents(GLEntry.amount) < 0,
                   GLEntry.entry_number.between(register.from_entry_number,
                                                register.to_entry_number))) or 0
        detailed = session.scalar(select(func.count()).select_from(DetailedCustLedgEntry)
                                  .where(DetailedCustLedgEntry.register_id == register.id)) or 0
    cust_count = 0
    if register.from_cust_entry_number is not None:
        assert register.to_cust_entry_number is not None
        cust_count = register.to_cust_entry_number - register.from_cust_entry_number + 1

    def number_of(register_id: int | None) -> int | None:
        if register_id is None:
            return None
        return session.scalar(select(GLRegister.number).where(GLRegister.id == register_id))

    return RegisterRead(
        id=register.id, number=register.number, from_entry_number=register.from_entry_number,
        to_entry_number=register.to_entry_number,
        from_cust_entry_number=register.from_cust_entry_number,
        to_cust_entry_number=register.to_cust_entry_number, journal_code=register.journal_code,
        source_code=register.source_code, created_at=register.created_at,
        user_id=register.user_id, reversed=register.reversed,
        reversed_by_register_number=number_of(register.reversed_by_register_id),
        reversal_of_register_number=number_of(register.reversal_of_register_id),
        gl_entry_count=int(totals[0]), cust_entry_count=cust_count,
        detailed_entry_count=int(detailed), total_debit=from_cents(int(totals[1])),
        total_credit=from_cents(-int(credit)))


def get_register(db: Database, company_id: uuid.UUID, number: int) -> RegisterRead:
    with db.reading() as session:
        return register_read(session, _register(session, company_id, number))


def list_registers(db: Database, company_id: uuid.UUID) -> list[RegisterRead]:
    with db.reading() as session:
        rows = session.scalars(select(GLRegister).where(GLRegister.company_id == company_id)
                               .order_by(GLRegister.number))
        return [register_read(session, r) for r in rows]


def _register(session: Session, company_id: uuid.UUID, number: int) -> GLRegister:
    # An entry or register number is a 32-bit Integer in Business Central: a bigger one
    # names no register (and would overflow the driver's 64-bit integer).
    register = None if not 0 < number <= MAX_ENTRY_NUMBER else session.scalars(
        select(GLRegister).where(GLRegister.company_id == company_id,
                                 GLRegister.number == number)).first()
    if register is None:
        raise NotFound(f"There is no G/L Register within the filter. Filters: No.: {number}",
                       field="number")
    return register


# --- company posting setup -------------------------------------------------------------------

def set_payment_discount_account(db: Database, company_id: uuid.UUID,
                                 account_number: str | None) -> None:
    """Where payment discounts granted are posted (G/L Setup / customer posting group)."""
    with db.transaction() as session:
        set_payment_discount_account_in(session, get_company(session, company_id),
                                        account_number)


def set_payment_discount_account_in(session: Session, company: Company,
                                    account_number: str | None) -> None:
    """``set_payment_discount_account`` in the caller's transaction (the company dialog)."""
    company_id = company.id
    account = resolve_by_id_or_number(
        session, Account, company_id, None, (account_number or "").strip().upper() or None,
        id_field="paymentDiscountAccountId", number_field="paymentDiscountAccountNumber",
        label="G/L Account")
    if account is not None:
        problems = rules.account_problems(_gl_account(account),
                                          "paymentDiscountAccountNumber", direct=False)
        if problems:
            raise Invalid(problems[0].message, field=problems[0].field)
    company.payment_discount_account_id = account.id if account else None
    touch(company)


def set_invoice_account(db: Database, company_id: uuid.UUID,
                        account_number: str | None) -> None:
    """Where sales invoices credit their G/L side (sales, or opening balances); the debit
    goes to each customer's receivables account. Invoices written from now on post it."""
    with db.transaction() as session:
        company = get_company(session, company_id)
        account = resolve_by_id_or_number(
            session, Account, company_id, None, (account_number or "").strip().upper() or None,
            id_field="invoiceAccountId", number_field="invoiceAccountNumber",
            label="G/L Account")
        if account is not None:
            problems = rules.account_problems(_gl_account(account), "invoiceAccountNumber",
                                              direct=False)
            if problems:
                raise Invalid(problems[0].message, field=problems[0].field)
        company.invoice_account_id = account.id if account else None
        touch(company)


def invoice_account(db: Database, company_id: uuid.UUID) -> str:
    """The number of the company's invoice account ('' when none is set)."""
    with db.reading() as session:
        company = get_company(session, company_id)
        if company.invoice_account_id is None:
            return ""
        account = session.get(Account, company.invoice_account_id)
        return account.number if account else ""


def payment_discount_account(db: Database, company_id: uuid.UUID) -> str:
    """The number of the company's payment discount account ('' when none is set)."""
    with db.reading() as session:
        company = get_company(session, company_id)
        if company.payment_discount_account_id is None:
            return ""
        account = session.get(Account, company.payment_discount_account_id)
        return account.number if account else ""


def posting_dates(db: Database, company_id: uuid.UUID) -> tuple[date | None, date | None]:
    with db.reading() as session:
        company = get_company(session, company_id)
        return company.allow_posting_from, company.allow_posting_to


# --- reverse ---------------------------------------------------------------------------------

def reverse(db: Database, company_id: uuid.UUID, register_number: int, *,
            user_id: str | None = None) -> ReversalRead:
    """Reverse a posted register (Reverse Register): new entries with opposite signs, its
    applications undone so the invoices it paid reopen; the original entries stay, marked
    reversed, and the new register says what it reversed. One transaction."""
    with _posting_refused(REVERSE_REFUSED), paused_gc(), db.durable_transaction() as session:
        return _reverse_in(session, company_id, register_number, user_id)


def _reverse_in(session: Session, company_id: uuid.UUID, register_number: int,
                user_id: str | None) -> ReversalRead:
    lock_company(session, company_id)
    company = get_company(session, company_id)
    original = _register(session, company_id, register_number)
    if original.source_code == invoicing.INVOICE_SOURCE_CODE:
        raise Invalid(invoicing.reversal_message(register_number), field="number")
    if original.reversed or original.reversal_of_register_id is not None:
        raise Invalid(f"You cannot reverse G/L Register No. {register_number} because the "
                      "register has already been involved in a reversal.", field="number")
    gl = [rules.PlannedGLEntry(
        r.entry_number, r.posting_date, r.document_type, r.document_number,
        r.external_document_number, r.account_id, r.account_number, r.description,
        r.amount, r.source_id, r.source_number)
        for r in session.execute(select(
            GLEntry.entry_number, GLEntry.posting_date, GLEntry.document_type,
            GLEntry.document_number, GLEntry.external_document_number, GLEntry.account_id,
            GLEntry.account_number, GLEntry.description, _cents(GLEntry.amount).label(
                "amount"), GLEntry.source_id, GLEntry.source_number)
            .where(GLEntry.company_id == company_id, GLEntry.entry_number.between(
                original.from_entry_number, original.to_entry_number))
            .order_by(GLEntry.entry_number))]
    for entry in gl:
        outside = (company.allow_posting_from and entry.posting_date <
                   company.allow_posting_from) or (company.allow_posting_to and
                                                   entry.posting_date >
                                                   company.allow_posting_to)
        if outside:
            raise Invalid("Posting Date is not within your range of allowed posting dates. "
                          f"G/L Register No. {register_number} has entries on "
                          f"{entry.posting_date}.", field="postingDate")
    _refuse_if_applied_later(session, company_id, original)
    payment_rows = session.scalars(select(CustLedgerEntry).where(
        CustLedgerEntry.register_id == original.id).order_by(
        CustLedgerEntry.entry_number)).all()
    payments = [rules.PlannedCustEntry(
        p.entry_number, p.customer_id, p.customer_number, p.posting_date, p.document_type,
        p.document_number, p.external_document_number, p.description, to_cents(p.amount),
        to_cents(p.remaining_amount), p.open, p.closed_by_entry_number, p.closed_at_date)
        for p in payment_rows]
    number_of: dict[int, int] = dict((i, n) for i, n in session.execute(
        select(CustLedgerEntry.id, CustLedgerEntry.entry_number).where(
            CustLedgerEntry.id.in_(select(DetailedCustLedgEntry.cust_ledger_entry_id).where(
                DetailedCustLedgEntry.register_id == original.id)))).all())
    applications = [rules.PlannedDetail(
        number_of[d.cust_ledger_entry_id], d.entry_type, d.posting_date, d.document_type,
        d.document_number, d.customer_id, to_cents(d.amount),
        number_of.get(d.applied_cust_ledger_entry_id)
        if d.applied_cust_ledger_entry_id is not None else None)
        for d in session.scalars(select(DetailedCustLedgEntry).where(
            DetailedCustLedgEntry.register_id == original.id,
            DetailedCustLedgEntry.entry_type != rules.INITIAL_ENTRY,
            DetailedCustLedgEntry.unapplied.is_(False)).order_by(DetailedCustLedgEntry.id))]
    touched = _entries_by_id(session, list(number_of))
    entries = {e.entry_number: rules.EntryNow(
        e.id, e.entry_number, to_cents(e.remaining_amount), e.open,
        to_cents(e.original_pmt_disc_possible), to_cents(e.remaining_pmt_disc_possible),
        e.closed_by_entry_number, e.closed_at_date) for e in touched}
    invoice_of_entry = {e.id: e.sales_invoice_id for e in touched
                        if e.sales_invoice_id is not None}
    numbers = next_numbers(session, company_id)
    planned = rules.plan_reversal(gl, payments, applications, entries,
                                  next_gl_entry=numbers.gl_entry,
                                  next_cust_entry=numbers.cust_entry,
                                  register_number=numbers.register,
                                  reversing=original.number)
    reopened = sum(1 for c in planned.plan.changes
                   if c.open and not entries[c.entry_number].open)
    register = write_plan(session, company_id, original.journal_code, planned.plan,
                          invoice_of_entry, user_id=user_id,
                          source_code=rules.REVERSAL_SOURCE_CODE,
                          reversed_links=planned.gl_links,
                          known_ids={e.entry_number: e.id for e in entries.values()})
    _mark_reversed(session, company_id, original, register, planned)
    session.flush()
    return ReversalRead(reversal=register_read(session, register),
                        reversed_register_number=original.number,
                        reopened_entries=reopened)


def _refuse_if_applied_later(session: Session, company_id: uuid.UUID,
                             original: GLRegister) -> None:
    """Business Central reverses applications in order: when a later register (not reversed)
    applied again a customer entry this register applied, undoing this one first would undo
    them out of order (and give back a discount the later one took). Name the latest such
    register: reversing it first is the way."""
    touched = select(DetailedCustLedgEntry.cust_ledger_entry_id).where(
        DetailedCustLedgEntry.register_id == original.id).scalar_subquery()
    later = session.execute(
        select(CustLedgerEntry.entry_number, CustLedgerEntry.document_type,
               CustLedgerEntry.document_number, GLRegister.number)
        .join(DetailedCustLedgEntry,
              DetailedCustLedgEntry.cust_ledger_entry_id == CustLedgerEntry.id)
        .join(GLRegister, GLRegister.id == DetailedCustLedgEntry.register_id)
        .where(GLRegister.company_id == company_id, GLRegister.number > original.number,
               DetailedCustLedgEntry.cust_ledger_entry_id.in_(touched),
               DetailedCustLedgEntry.entry_type != rules.INITIAL_ENTRY,
               DetailedCustLedgEntry.unapplied.is_(False))
        .order_by(GLRegister.number.desc(), CustLedgerEntry.entry_number).limit(1)).first()
    if later is not None:
        entry_number, document_type, document_number, register_number = later
        document = f"{document_type.lower()} {document_number}".strip()
        raise Invalid(f"You cannot reverse G/L Register No. {original.number} because "
                      f"customer ledger entry {entry_number} ({document}) was applied again "
                      f"later in G/L Register No. {register_number}. Reverse G/L Register "
                      f"No. {register_number} first.", field="number")


def _mark_reversed(session: Session, company_id: uuid.UUID, original: GLRegister,
                   register: GLRegister, planned: rules.ReversalPlan) -> None:
    original.reversed = True
    original.reversed_by_register_id = register.id
    register.reversed = True
    register.reversal_of_register_id = original.id
    conn = session.connection()
    company = db_form(session, GLEntry.__table__.c.company_id)(company_id)
    for name, links in (("gl_entry", planned.gl_links), ("cust_ledger_entry",
                                                           planned.cust_links)):
        if not links:
            continue
        light = table(name, column("company_id"), column("entry_number"), column("reversed"),
                      column("reversed_by_entry_number"), column("reversed_entry_number"))
        where = (light.c.company_id == bindparam("b_company"),
                 light.c.entry_number == bindparam("b_number"))
        # The original entries: reversed by the new ones; the new ones: reversing them.
        CompiledMany(conn, update(light).where(*where).values(
            reversed=true(), reversed_by_entry_number=bindparam("b_other")),
            ["b_company", "b_number", "b_other"]).run(
            [(company, old, new) for new, old in links.items()])
        CompiledMany(conn, update(light).where(*where).values(
            reversed=true(), reversed_entry_number=bindparam("b_other")),
            ["b_company", "b_number", "b_other"]).run(
            [(company, new, old) for new, old in links.items()])
    session.execute(update(DetailedCustLedgEntry).where(
        DetailedCustLedgEntry.register_id == original.id,
        DetailedCustLedgEntry.entry_type != rules.INITIAL_ENTRY)
        .values(unapplied=True).execution_options(synchronize_session=False))

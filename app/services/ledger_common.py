"""Ledger helpers shared by invoices, posting and reversal (inside their transactions).

Entry numbers are integers per company, gap-free and increasing: the next one is the highest
so far plus one, read inside the writing transaction. SQLite writers hold the write lock from
BEGIN (``BEGIN IMMEDIATE``), and on other databases the company row is locked first, so two
postings never take the same number.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    String,
    Table,
    bindparam,
    false,
    func,
    insert,
    literal_column,
    null,
    select,
    true,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause, column, table

from app.db import users
from app.db.changes import note_statement
from app.db.models import (
    Account,
    Company,
    CustLedgerEntry,
    DetailedCustLedgEntry,
    GLEntry,
    GLRegister,
    Money,
    PaymentApplication,
    SalesInvoice,
)
from app.domain import invoicing
from app.domain.errors import Conflict
from app.domain.money import from_cents, to_cents
from app.domain.posting import APPLICATION, INITIAL_ENTRY, INVOICE


class NextNumbers(NamedTuple):
    gl_entry: int
    cust_entry: int
    register: int


def lock_company(session: Session, company_id: uuid.UUID) -> None:
    """Serialise numbering per company (a row lock where the database has them)."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(Company.id).where(Company.id == company_id).with_for_update())


def next_numbers(session: Session, company_id: uuid.UUID) -> NextNumbers:
    def after(model: Any, col: Any) -> int:
        return int(session.scalar(select(func.coalesce(func.max(col), 0))
                                  .where(model.company_id == company_id)) or 0) + 1

    return NextNumbers(after(GLEntry, GLEntry.entry_number),
                       after(CustLedgerEntry, CustLedgerEntry.entry_number),
                       after(GLRegister, GLRegister.number))


# --- invoices as customer ledger entries --------------------------------------------------------

def write_invoice_entry(session: Session, invoice: SalesInvoice) -> CustLedgerEntry:
    """The Invoice entry of a (posted) sales invoice: Initial Entry = the total; the part
    already paid before it came into Ledgerdesk (total - remaining) as an Application."""
    lock_company(session, invoice.company_id)
    number = next_numbers(session, invoice.company_id).cust_entry
    entry = CustLedgerEntry(
        company_id=invoice.company_id, entry_number=number, customer_id=invoice.customer_id,
        customer_number=invoice.customer.number, posting_date=invoice.posting_date,
        document_type=INVOICE, document_number=invoice.number,
        external_document_number=invoice.external_document_number,
        description=f"Invoice {invoice.number}", due_date=invoice.due_date,
        amount=invoice.total_amount_including_tax, remaining_amount=invoice.remaining_amount,
        open=invoice.remaining_amount != 0, pmt_discount_date=invoice.payment_discount_date,
        original_pmt_disc_possible=invoice.payment_discount_amount,
        remaining_pmt_disc_possible=(invoice.payment_discount_amount
                                     if invoice.remaining_amount else Decimal(0)),
        sales_invoice_id=invoice.id, reversed=False)
    session.add(entry)
    session.flush()
    register = _write_invoice_gl(session, invoice, entry)
    _write_invoice_details(session, invoice, entry)
    if register is not None:
        session.flush()
    return entry


_REGISTER_KEY = "ledgerdesk.invoice_register"


def _invoice_register(session: Session, company_id: uuid.UUID, first_gl: int,
                      last_gl: int, cust_number: int) -> GLRegister:
    """The register of this transaction's invoices (an import of 10,000 invoices is one
    register): created for the first, extended for the next ones."""
    registers: dict[uuid.UUID, GLRegister] = session.info.setdefault(_REGISTER_KEY, {})
    register = registers.get(company_id)
    if register is not None and register in session and register.to_entry_number == \
            first_gl - 1:
        register.to_entry_number = last_gl
        register.from_cust_entry_number = min(register.from_cust_entry_number or cust_number,
                                              cust_number)
        register.to_cust_entry_number = max(register.to_cust_entry_number or cust_number,
                                            cust_number)
        return register
    register = GLRegister(
        company_id=company_id, number=next_numbers(session, company_id).register,
        from_entry_number=first_gl, to_entry_number=last_gl,
        from_cust_entry_number=cust_number, to_cust_entry_number=cust_number,
        journal_code="", source_code=invoicing.INVOICE_SOURCE_CODE, user_id=users.of(session),
        reversed=False)
    session.add(register)
    session.flush()
    registers[company_id] = register
    return register


def _invoice_accounts(session: Session, invoice: SalesInvoice
                      ) -> tuple[Account, Account] | None:
    """(receivables, counter account) of an invoice; None when either is not set up (the
    invoice then has no G/L side, as before the company's invoice account was set)."""
    company = session.get(Company, invoice.company_id)
    receivables_id = invoice.customer.receivables_account_id
    if company is None or company.invoice_account_id is None or receivables_id is None:
        return None
    receivables = session.get(Account, receivables_id)
    counter = session.get(Account, company.invoice_account_id)
    if receivables is None or counter is None:
        return None
    return receivables, counter


def _write_invoice_gl(session: Session, invoice: SalesInvoice,
                      entry: CustLedgerEntry) -> GLRegister | None:
    """Debit receivables, credit the invoice account, under this transaction's invoice
    register; the customer entry belongs to that register."""
    accounts = _invoice_accounts(session, invoice)
    if accounts is None:
        return None
    receivables, counter = accounts
    lines = invoicing.invoice_gl_lines(invoice.number, to_cents(invoice.total_amount_including_tax),
                                       to_cents(invoice.remaining_amount))
    first = next_numbers(session, invoice.company_id).gl_entry
    register = _invoice_register(session, invoice.company_id, first, first + len(lines) - 1,
                                 entry.entry_number)
    _add_gl(session, register, first, invoice.posting_date, invoice.number,
            invoice.external_document_number, invoice.customer_id, invoice.customer.number,
            [((receivables if line.side == invoicing.RECEIVABLES else counter), line.amount,
              line.description) for line in lines])
    entry.register_id = register.id
    return register


def _add_gl(session: Session, register: GLRegister, first: int, posting_date: date,
            document_number: str, external: str, customer_id: uuid.UUID,
            customer_number: str, lines: Sequence[tuple[Account, int, str]]) -> None:
    for offset, (account, amount, description) in enumerate(lines):
        session.add(GLEntry(
            company_id=register.company_id, entry_number=first + offset,
            register_id=register.id, posting_date=posting_date, document_type=INVOICE,
            document_number=document_number, external_document_number=external,
            account_id=account.id, account_number=account.number, description=description,
            amount=from_cents(amount), source_type="Customer", source_id=customer_id,
            source_number=customer_number, reversed=False))
    session.flush()


def _reverse_invoice_gl(session: Session, entry: CustLedgerEntry, posting_date: date) -> None:
    """Take an invoice's G/L side back out (its edit before any payment, or its delete): the
    net of its entries per account, negated, under this transaction's invoice register. The
    original entries stay (an audit trail)."""
    if entry.register_id is None:
        return
    nets = session.execute(
        select(GLEntry.account_id, func.sum(GLEntry.amount))
        .where(GLEntry.company_id == entry.company_id, GLEntry.document_type == INVOICE,
               GLEntry.document_number == entry.document_number,
               GLEntry.source_id == entry.customer_id)
        .group_by(GLEntry.account_id).order_by(GLEntry.account_id)).all()
    lines = [(session.get(Account, account_id), -to_cents(Decimal(total)),
              f"Invoice {entry.document_number}, changed") for account_id, total in nets
             if total]
    if not lines:
        return
    first = next_numbers(session, entry.company_id).gl_entry
    register = _invoice_register(session, entry.company_id, first, first + len(lines) - 1,
                                 entry.entry_number)
    _add_gl(session, register, first, posting_date, entry.document_number,
            entry.external_document_number, entry.customer_id, entry.customer_number,
            [(a, amount, text) for a, amount, text in lines if a is not None])


def _write_invoice_details(session: Session, invoice: SalesInvoice,
                           entry: CustLedgerEntry) -> None:
    common = {"company_id": invoice.company_id, "cust_ledger_entry_id": entry.id,
              "posting_date": invoice.posting_date, "document_type": INVOICE,
              "document_number": invoice.number, "customer_id": invoice.customer_id,
              "unapplied": False, "register_id": entry.register_id}
    session.add(DetailedCustLedgEntry(entry_type=INITIAL_ENTRY,
                                      amount=invoice.total_amount_including_tax, **common))
    paid_before = invoice.remaining_amount - invoice.total_amount_including_tax
    if paid_before:
        session.add(DetailedCustLedgEntry(entry_type=APPLICATION, amount=paid_before, **common))
    session.flush()


def invoice_entry(session: Session, invoice_id: uuid.UUID) -> CustLedgerEntry | None:
    return session.scalars(select(CustLedgerEntry)
                           .where(CustLedgerEntry.sales_invoice_id == invoice_id)).first()


def _is_posted_against(session: Session, entry: CustLedgerEntry) -> bool:
    """Whether a posting (not the invoice's own register) wrote detailed entries on it."""
    where = [DetailedCustLedgEntry.cust_ledger_entry_id == entry.id,
             DetailedCustLedgEntry.register_id.is_not(None)]
    if entry.register_id is not None:
        where.append(DetailedCustLedgEntry.register_id != entry.register_id)
    return session.scalar(select(func.count()).select_from(DetailedCustLedgEntry)
                          .where(*where)) != 0


_GL_FIELDS = frozenset({"total_amount_including_tax", "remaining_amount", "customer_id",
                        "customer_number", "posting_date", "number"})


def sync_invoice_entry(session: Session, invoice: SalesInvoice, changed: Iterable[str]) -> None:
    """Carry an edit of an invoice to its entry. Once a posting applied a payment to it, its
    amounts, customer and posting date are history and can no longer change."""
    entry = invoice_entry(session, invoice.id)
    if entry is None:
        write_invoice_entry(session, invoice)
        return
    fixed = {"total_amount_including_tax", "remaining_amount", "customer_id",
             "customer_number", "posting_date"}
    if fixed & set(changed) and _is_posted_against(session, entry):
        raise Conflict(f"You cannot change the amounts, customer or posting date of sales "
                       f"invoice {invoice.number} because payments have been posted against "
                       f"it (customer ledger entry {entry.entry_number}).", field="number")
    posted_against = _is_posted_against(session, entry)
    regl = not posted_against and bool(_GL_FIELDS & set(changed))
    if regl:  # its G/L side follows: the old one out, the new one in
        _reverse_invoice_gl(session, entry, entry.posting_date)
    entry.customer_id = invoice.customer_id
    entry.customer_number = invoice.customer.number
    entry.posting_date = invoice.posting_date
    entry.document_number = invoice.number
    entry.external_document_number = invoice.external_document_number
    entry.description = f"Invoice {invoice.number}"
    entry.due_date = invoice.due_date
    entry.pmt_discount_date = invoice.payment_discount_date
    entry.original_pmt_disc_possible = invoice.payment_discount_amount
    if posted_against:
        return
    entry.amount = invoice.total_amount_including_tax
    entry.remaining_amount = invoice.remaining_amount
    entry.open = invoice.remaining_amount != 0
    entry.remaining_pmt_disc_possible = (invoice.payment_discount_amount
                                         if invoice.remaining_amount else Decimal(0))
    session.execute(sql_delete(DetailedCustLedgEntry)
                    .where(DetailedCustLedgEntry.cust_ledger_entry_id == entry.id))
    session.flush()
    if regl or entry.register_id is None:
        if regl:
            entry.register_id = None
        _write_invoice_gl(session, invoice, entry)
    _write_invoice_details(session, invoice, entry)
    session.flush()


def delete_invoice_entry(session: Session, invoice: SalesInvoice) -> None:
    """An invoice never posted against may be deleted with its entry (it was never part of a
    G/L register); once payments were posted against it, it stays."""
    entry = invoice_entry(session, invoice.id)
    if entry is None:
        return
    if session.scalar(select(func.count()).select_from(PaymentApplication).where(
            PaymentApplication.cust_ledger_entry_id == entry.id)):
        raise Conflict(f"You cannot delete sales invoice {invoice.number} because journal "
                       "lines are applied to it.", field="number")
    if _is_posted_against(session, entry):
        raise Conflict(f"You cannot delete sales invoice {invoice.number} because payments "
                       f"have been posted against it (customer ledger entry "
                       f"{entry.entry_number}).", field="number")
    _reverse_invoice_gl(session, entry, entry.posting_date)
    session.execute(sql_delete(DetailedCustLedgEntry)
                    .where(DetailedCustLedgEntry.cust_ledger_entry_id == entry.id))
    session.delete(entry)
    session.flush()


# --- fast bulk inserts ----------------------------------------------------------------------------

class _Memo(dict[Any, Any]):
    """value -> database form, computed once per distinct value (lookups run at C speed)."""

    def __init__(self, proc: Any) -> None:
        super().__init__()
        self.proc = proc

    def __missing__(self, value: Any) -> Any:
        if value is None:
            return None
        # A str is already in database form (a raw key read back); anything else converts.
        result = self[value] = value if isinstance(value, str) else self.proc(value)
        return result


def _converter(col_type: Any, dialect: Any) -> Any:
    """How a value reaches the driver: None when it goes as it is (ints, text, booleans and
    Money in cents), else a memoised conversion (UUIDs, dates)."""
    if isinstance(col_type, Money):
        return None
    proc = col_type.bind_processor(dialect)
    if proc is None and dialect.name == "sqlite" and isinstance(col_type, Date):
        proc = date.isoformat  # what SQLAlchemy stores; not the deprecated sqlite3 adapter
    return _Memo(proc).__getitem__ if proc is not None else None


class BulkTable:
    """Fast, portable bulk inserts of plain tuples (posting writes hundreds of thousands).

    The INSERT is a SQLAlchemy Core statement compiled for the session's dialect, run with
    the DBAPI's ``executemany`` on the session's own connection (so it is inside the same
    transaction). Values are given in database form for Money columns (integer cents); UUIDs
    and dates are converted by the dialect's own bind processors, memoised (the same customer
    or date repeats over thousands of rows); raw keys read back from the database pass as they
    are. Skipping SQLAlchemy's per-row parameter handling makes this about three times faster
    than ``session.execute(insert(table), rows)``.

    ``constants`` are columns with the same value in every row (the company, the register):
    written once into the statement as SQL literals (rendered by the column type's own
    literal processor, quotes escaped) instead of bound again for each row, which costs
    about as much as the b-tree work for a wide ledger row. A constant whose database form
    has no portable literal (a native UUID) is bound with each row instead. The rows hold
    only the other columns, in ``columns`` order.
    """

    def __init__(self, session: Session, model_table: Any, columns: Sequence[str],
                 constants: Mapping[str, Any] | None = None) -> None:
        real: Table = model_table
        self.connection = session.connection()
        dialect = self.connection.dialect
        self.columns = list(columns)
        self.converters = [_converter(real.c[name].type, dialect) for name in self.columns]
        inline: dict[str, Any] = {}
        self.extra: tuple[Any, ...] = ()
        bound = list(self.columns)
        for name, value in (constants or {}).items():
            convert = _converter(real.c[name].type, dialect)
            value = convert(value) if convert is not None else value
            # PostgreSQL's rows go by COPY (CompiledMany), which has no literals: bound.
            literal = _literal(value, dialect) if dialect.name != "postgresql" else None
            if literal is None:
                bound.append(name)
                self.extra += (value,)
            else:
                inline[name] = literal
        light: TableClause = table(real.name, *(column(n) for n in [*bound, *inline]))
        statement = insert(light).values(
            {**{n: bindparam(n) for n in bound}, **inline})
        self.statement = CompiledMany(self.connection, statement, bound, table=real.name)

    def converter(self, name: str) -> Any:
        """The memoised conversion of one column (identity when none is needed), for callers
        that build rows already in database form and then call ``insert_converted``."""
        found = self.converters[self.columns.index(name)]
        return found if found is not None else _identity

    def insert_converted(self, rows: Sequence[Sequence[Any]]) -> int:
        if rows:
            extra = self.extra
            self.statement.run([(*row, *extra) for row in rows] if extra else rows)
        return len(rows)

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        convert = [(i, c) for i, c in enumerate(self.converters) if c is not None]
        if convert:
            batch: list[Any] = []
            append = batch.append
            for row in rows:
                values = list(row)
                for i, conv in convert:
                    values[i] = conv(values[i])
                append(values)
        else:
            batch = list(rows)
        return self.insert_converted(batch)


def _literal(value: Any, dialect: Any) -> Any:
    """A value in database form as an SQL literal for this dialect; None when it has none
    (then it is bound)."""
    if value is None:
        return null()
    if isinstance(value, bool):
        return true() if value else false()
    if isinstance(value, int):
        return literal_column(str(int(value)))
    if isinstance(value, str):
        process = String().literal_processor(dialect)
        return literal_column(process(value)) if process is not None else None
    return None


def _identity(value: Any) -> Any:
    return value


class CompiledMany:
    """A Core statement compiled once for the dialect, executed with the DBAPI's
    ``executemany`` over rows given as sequences in ``names`` order."""

    def __init__(self, connection: Any, statement: Any, names: Sequence[str], *,
                 table: str | None = None) -> None:
        compiled = statement.compile(dialect=connection.dialect)
        self.connection = connection
        # On PostgreSQL a plain insert of rows goes by COPY: one stream instead of a round
        # trip per row (posting 100,000 lines writes ~400,000 rows).
        self.copy_sql = (f"COPY {table} ({', '.join(names)}) FROM STDIN"
                         if table and connection.dialect.name == "postgresql" else None)
        self.sql = str(compiled)
        self.names = list(names)
        position = {name: i for i, name in enumerate(self.names)}
        order = compiled.positiontup
        self.order = None if order is None else [position[name] for name in order]

    def run(self, rows: Sequence[Sequence[Any]]) -> None:
        if self.copy_sql is not None:
            note_statement(self.connection, self.sql)  # raw DBAPI: the change capture hears it
            raw_cursor = self.connection.connection.dbapi_connection.cursor()
            try:
                with raw_cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            finally:
                raw_cursor.close()
            return
        if self.order is None:  # a named paramstyle (psycopg): dicts
            params: list[Any] = [dict(zip(self.names, row, strict=True)) for row in rows]
        elif self.order == list(range(len(self.names))):
            params = list(rows)
        else:
            order = self.order
            params = [[row[i] for i in order] for row in rows]
        note_statement(self.connection, self.sql)  # raw DBAPI: the change capture hears it
        raw = self.connection.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            cursor.executemany(self.sql, params)
        finally:
            cursor.close()


def release_free_pages(session: Session) -> int:
    """Give the file's free pages back (SQLite with ``auto_vacuum=INCREMENTAL``, which every
    new file has), inside the caller's transaction: a posting deletes its journal's lines,
    and without this the file keeps their pages as free space (a third of a file after a
    big posting). Returns how many pages were freed; 0 elsewhere (PostgreSQL's autovacuum
    does this by itself; an older SQLite file keeps its free pages until a VACUUM)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return 0
    raw = connection.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        if cursor.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            return 0
        free = int(cursor.execute("PRAGMA freelist_count").fetchone()[0])
        if free:
            # The driver steps the pragma once per execution, and each step frees one page
            # (executescript would step it to the end, but commits first): one execution per
            # free page, at C speed (about 50,000 pages/s here).
            cursor.executemany("PRAGMA incremental_vacuum", [()] * free)
        return free - int(cursor.execute("PRAGMA freelist_count").fetchone()[0])
    finally:
        cursor.close()


def db_form(session: Session, col: Any) -> Any:
    """A memoised conversion to a column's database form (for values built by hand)."""
    converter = _converter(col.type, session.get_bind().dialect)
    return converter or (lambda value: value)


def cents(amount: Decimal) -> int:
    return to_cents(amount)


def today_or(value: date | None) -> date:
    return value or date.today()


# --- undo of a company delete: the ledgers as rows ----------------------------------------------

def _ledger_tables() -> list[Any]:
    """The company's tables archived as plain rows (a company's delete and its undo): the
    ledgers, then what the bank import keeps (customers' bank accounts, statement lines'
    import keys, CSV profiles), restored after the records they refer to."""
    from app.db.models import BankCsvProfile, BankStatementLine, CustomerBankAccount

    return [GLRegister.__table__, GLEntry.__table__, CustLedgerEntry.__table__,
            DetailedCustLedgEntry.__table__, PaymentApplication.__table__,
            CustomerBankAccount.__table__, BankStatementLine.__table__,
            BankCsvProfile.__table__]


def archive_ledgers(session: Session, company_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every ledger row of a company (and its journal lines' applications), by table."""
    from app.db.models import Journal, Payment

    out: dict[str, list[dict[str, Any]]] = {}
    for ledger in _ledger_tables():
        if ledger.name == "payment_application":
            lines = select(Payment.id).where(Payment.journal_id.in_(
                select(Journal.id).where(Journal.company_id == company_id)))
            where = ledger.c.payment_id.in_(lines)
        else:
            where = ledger.c.company_id == company_id
        rows = session.execute(select(ledger).where(where).order_by(ledger.c.id))
        out[ledger.name] = [dict(row._mapping) for row in rows]
    return out


def restore_ledgers(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Put archived ledger rows back exactly (registers first, their links after)."""
    from sqlalchemy import update

    registers = rows.get("gl_register", [])
    links = [(r["id"], r["reversed_by_register_id"], r["reversal_of_register_id"])
             for r in registers]
    for ledger in _ledger_tables():
        batch = rows.get(ledger.name, [])
        if ledger.name == "gl_register":
            batch = [{**r, "reversed_by_register_id": None, "reversal_of_register_id": None}
                     for r in batch]
        if batch:
            session.execute(insert(ledger), batch)
        if ledger.name == "gl_register":
            for register_id, by, of in links:
                if by is not None or of is not None:
                    session.execute(update(ledger).where(ledger.c.id == register_id).values(
                        reversed_by_register_id=by, reversal_of_register_id=of))

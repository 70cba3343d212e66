"""SQLAlchemy 2 typed ORM models. Money is integer cents (``Money``), ids are UUIDs, every
editable record has a version counter (its ``@odata.etag``) and a UTC modification time.

Several companies live in one file: every business record hangs off a company.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from app.db import users
from app.domain.ids import new_id
from app.domain.money import from_cents, to_cents


class Money(TypeDecorator[Decimal]):
    """Decimal in Python, integer cents in the database: SQL sums stay exact and fast."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_cents(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_cents(int(value))


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (portable to SQLite), returned as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(), datetime: UtcDateTime(), Decimal: Money()}


class Record(Base):
    """Columns every editable record has."""

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    last_modified: Mapped[datetime] = mapped_column(nullable=False, default=utc_now)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # A stale write raises StaleDataError instead of overwriting (optimistic locking).
        return {"version_id_col": cls.__table__.c.version}


def company_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("company.id", ondelete="CASCADE"), nullable=False)


class Company(Record):
    __tablename__ = "company"

    name: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(250), default="")
    business_profile_id: Mapped[str] = mapped_column(String(250), default="")
    work_date: Mapped[date | None] = mapped_column(Date)
    allow_posting_from: Mapped[date | None] = mapped_column(Date)
    allow_posting_to: Mapped[date | None] = mapped_column(Date)
    # The Cash Receipts template's No. Series, inherited by new payment journals.
    receipts_number_series_code: Mapped[str | None] = mapped_column(String(20))
    # Posting setup: where payment discounts granted are posted (BC: customer posting group).
    # (No foreign key: SQLite cannot add one without rebuilding the company table, whose
    # rebuild would cascade; the companies service checks the account.)
    payment_discount_account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    # Where a sales invoice's G/L side is credited (sales, or opening balances for invoices
    # that came from elsewhere); its debit goes to the customer's receivables account.
    invoice_account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())


class NumberSeries(Record):
    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    company_id: Mapped[uuid.UUID] = company_fk()
    code: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(100), default="")
    starting_number: Mapped[str] = mapped_column(String(20))
    last_number_used: Mapped[str] = mapped_column(String(20), default="")
    increment_by: Mapped[int] = mapped_column(Integer, default=1)
    # BC's Manual Nos.: a journal line may carry a number that does not continue the series.
    manual_numbers: Mapped[bool] = mapped_column(Boolean, default=True)


class Account(Record):
    """A G/L account."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    company_id: Mapped[uuid.UUID] = company_fk()
    number: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(30), default="")
    sub_category: Mapped[str] = mapped_column(String(80), default="")
    account_type: Mapped[str] = mapped_column(String(20), default="Posting")
    direct_posting: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)


class Customer(Record):
    __tablename__ = "customer"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_customer_company_id_display_name", "company_id", "display_name"),
    )

    company_id: Mapped[uuid.UUID] = company_fk()
    number: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(10), default="Company")
    address_line1: Mapped[str] = mapped_column(String(100), default="")
    address_line2: Mapped[str] = mapped_column(String(50), default="")
    city: Mapped[str] = mapped_column(String(30), default="")
    state: Mapped[str] = mapped_column(String(30), default="")
    country: Mapped[str] = mapped_column(String(10), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    phone_number: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(80), default="")
    website: Mapped[str] = mapped_column(String(80), default="")
    tax_registration_number: Mapped[str] = mapped_column(String(20), default="")
    currency_code: Mapped[str] = mapped_column(String(10), default="")
    blocked: Mapped[str] = mapped_column(String(10), default=" ")
    application_method: Mapped[str] = mapped_column(String(20), default="Manual")
    receivables_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT")
    )

    receivables_account: Mapped[Account | None] = relationship(lazy="joined")


class SalesInvoice(Record):
    """A posted sales invoice, open until its remaining amount is paid."""

    __tablename__ = "sales_invoice"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_sales_invoice_customer_id_remaining", "customer_id", "remaining_amount"),
    )

    company_id: Mapped[uuid.UUID] = company_fk()
    number: Mapped[str] = mapped_column(String(20))
    external_document_number: Mapped[str] = mapped_column(String(35), default="")
    invoice_date: Mapped[date] = mapped_column(Date)
    posting_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="RESTRICT"))
    currency_code: Mapped[str] = mapped_column(String(10), default="")
    total_amount_including_tax: Mapped[Decimal] = mapped_column(Money())
    remaining_amount: Mapped[Decimal] = mapped_column(Money())
    payment_discount_date: Mapped[date | None] = mapped_column(Date)
    payment_discount_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))

    customer: Mapped[Customer] = relationship(lazy="joined")


class Journal(Record):
    """A customer payment journal: a Gen. Journal Batch of the Cash Receipts template."""

    __tablename__ = "journal"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    company_id: Mapped[uuid.UUID] = company_fk()
    code: Mapped[str] = mapped_column(String(10))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    balancing_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT")
    )
    number_series_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("number_series.id", ondelete="SET NULL")
    )

    balancing_account: Mapped[Account | None] = relationship(lazy="joined")
    number_series: Mapped[NumberSeries | None] = relationship(lazy="joined")


class Payment(Record):
    """A customer payment: a Gen. Journal Line (Document Type Payment, Account Type Customer).

    Customer and invoice numbers are kept on the line, as Business Central keeps Account No.
    and Applies-to Doc. No., so the grid sorts and filters on them with an index, no join.
    """

    __tablename__ = "payment"
    __table_args__ = (
        UniqueConstraint("journal_id", "line_number"),
        # The grid's sort orders, each with the line number as tiebreak, so a page at any
        # offset is read from the index alone (app/services/browse.py, DESIGN.md 10).
        Index("ix_payment_journal_id_amount_line_number",
              "journal_id", "amount", "line_number"),
        Index("ix_payment_journal_id_customer_number_line_number",
              "journal_id", "customer_number", "line_number"),
        Index("ix_payment_journal_id_posting_date_line_number",
              "journal_id", "posting_date", "line_number"),
        Index("ix_payment_journal_id_document_number_line_number",
              "journal_id", "document_number", "line_number"),
        Index("ix_payment_customer_id", "customer_id"),
        Index("ix_payment_applies_to_invoice_id", "applies_to_invoice_id"),
    )

    journal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("journal.id", ondelete="CASCADE"))
    line_number: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customer.id", ondelete="RESTRICT")
    )
    customer_number: Mapped[str] = mapped_column(String(20), default="")
    contact_id: Mapped[str] = mapped_column(String(250), default="")
    posting_date: Mapped[date | None] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(20), default="")
    external_document_number: Mapped[str] = mapped_column(String(35), default="")
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    applies_to_invoice_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_invoice.id", ondelete="SET NULL")
    )
    applies_to_invoice_number: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(String(100), default="")
    comment: Mapped[str] = mapped_column(String(250), default="")
    # Who wrote the line last (app/db/users.py): the database user, or the OS user on SQLite.
    user_id: Mapped[str] = mapped_column(String(users.WIDTH), default=users.writer,
                                         onupdate=users.writer, server_default="")

    journal: Mapped[Journal] = relationship(lazy="raise")


# --- ledgers (written by posting; an audit trail: rows are never deleted) --------------------
#
# Ledger rows are not editable records: they have an integer key (fast bulk inserts) and an
# entry number per company, gap-free and increasing, as Business Central's Entry No.

def _company_key() -> Mapped[uuid.UUID]:
    """The company of a ledger row, indexed with the entry number but without a foreign key:
    posting writes hundreds of thousands of rows and each foreign key is an index probe per
    row. Rows that repeat their parent's data (a detailed entry's customer and register, a G/L
    entry's source customer) have none either; the parents keep theirs."""
    return mapped_column(Uuid(), nullable=False)


def _int_key() -> Mapped[int]:
    return mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                         autoincrement=True)


class GLRegister(Base):
    """G/L Register: one per posting (or reversal), with the range of entries it wrote."""

    __tablename__ = "gl_register"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    id: Mapped[int] = _int_key()
    company_id: Mapped[uuid.UUID] = company_fk()
    number: Mapped[int] = mapped_column(Integer)
    from_entry_number: Mapped[int] = mapped_column(Integer)  # G/L entries
    to_entry_number: Mapped[int] = mapped_column(Integer)
    from_cust_entry_number: Mapped[int | None] = mapped_column(Integer)
    to_cust_entry_number: Mapped[int | None] = mapped_column(Integer)
    journal_code: Mapped[str] = mapped_column(String(10), default="")
    source_code: Mapped[str] = mapped_column(String(10), default="")  # CASHRCPT / REVERSAL
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    user_id: Mapped[str] = mapped_column(String(50), default="")
    reversed: Mapped[bool] = mapped_column(Boolean, default=False)
    reversed_by_register_id: Mapped[int | None] = mapped_column(
        ForeignKey("gl_register.id", ondelete="RESTRICT"))
    reversal_of_register_id: Mapped[int | None] = mapped_column(
        ForeignKey("gl_register.id", ondelete="RESTRICT"))


class GLEntry(Base):
    """G/L Entry: amount signed, debit positive."""

    __tablename__ = "gl_entry"
    __table_args__ = (
        UniqueConstraint("company_id", "entry_number"),
        Index("ix_gl_entry_company_id_document_number", "company_id", "document_number"),
    )

    id: Mapped[int] = _int_key()
    company_id: Mapped[uuid.UUID] = _company_key()
    entry_number: Mapped[int] = mapped_column(Integer)
    register_id: Mapped[int] = mapped_column(ForeignKey("gl_register.id", ondelete="RESTRICT"))
    posting_date: Mapped[date] = mapped_column(Date)
    document_type: Mapped[str] = mapped_column(String(20), default="")
    document_number: Mapped[str] = mapped_column(String(20), default="")
    external_document_number: Mapped[str] = mapped_column(String(35), default="")
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="RESTRICT"))
    account_number: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[Decimal] = mapped_column(Money())
    source_type: Mapped[str] = mapped_column(String(10), default="")  # "Customer" or ""
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())  # the customer
    source_number: Mapped[str] = mapped_column(String(20), default="")
    reversed: Mapped[bool] = mapped_column(Boolean, default=False)
    reversed_by_entry_number: Mapped[int | None] = mapped_column(Integer)
    reversed_entry_number: Mapped[int | None] = mapped_column(Integer)


class CustLedgerEntry(Base):
    """Cust. Ledger Entry: an invoice (positive) or a payment (negative), open until its
    remaining amount is zero. Its remaining amount is the sum of its detailed entries."""

    __tablename__ = "cust_ledger_entry"
    __table_args__ = (
        UniqueConstraint("company_id", "entry_number"),
        # A customer's open entries oldest first, and (covering) its balance: the sum of the
        # remaining amounts of its open entries (a closed entry has none left).
        Index("ix_cust_ledger_entry_customer_open", "customer_id", "open", "posting_date",
              "remaining_amount"),
        Index("ix_cust_ledger_entry_company_id_document_number", "company_id",
              "document_number"),
        # Only invoices have one (a partial index: payments cost nothing here).
        Index("ix_cust_ledger_entry_sales_invoice_id", "sales_invoice_id",
              sqlite_where=text("sales_invoice_id IS NOT NULL"),
              postgresql_where=text("sales_invoice_id IS NOT NULL")),
    )

    id: Mapped[int] = _int_key()
    company_id: Mapped[uuid.UUID] = _company_key()
    entry_number: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="RESTRICT"))
    customer_number: Mapped[str] = mapped_column(String(20))
    posting_date: Mapped[date] = mapped_column(Date)
    document_type: Mapped[str] = mapped_column(String(20))  # Invoice/Payment/Refund/Credit Memo
    document_number: Mapped[str] = mapped_column(String(20), default="")
    external_document_number: Mapped[str] = mapped_column(String(35), default="")
    description: Mapped[str] = mapped_column(String(100), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    remaining_amount: Mapped[Decimal] = mapped_column(Money())
    open: Mapped[bool] = mapped_column(Boolean)
    pmt_discount_date: Mapped[date | None] = mapped_column(Date)
    original_pmt_disc_possible: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    remaining_pmt_disc_possible: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    closed_by_entry_number: Mapped[int | None] = mapped_column(Integer)
    closed_at_date: Mapped[date | None] = mapped_column(Date)
    register_id: Mapped[int | None] = mapped_column(
        ForeignKey("gl_register.id", ondelete="RESTRICT"))
    sales_invoice_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sales_invoice.id", ondelete="SET NULL"))
    reversed: Mapped[bool] = mapped_column(Boolean, default=False)
    reversed_by_entry_number: Mapped[int | None] = mapped_column(Integer)
    reversed_entry_number: Mapped[int | None] = mapped_column(Integer)


class DetailedCustLedgEntry(Base):
    """Detailed Cust. Ledg. Entry: Initial Entry, Application, Payment Discount. A customer's
    balance is the sum of these; an application writes one on each side, netting to zero."""

    __tablename__ = "detailed_cust_ledg_entry"
    __table_args__ = (
        Index("ix_detailed_cust_ledg_entry_cust_ledger_entry_id", "cust_ledger_entry_id"),
    )

    id: Mapped[int] = _int_key()
    company_id: Mapped[uuid.UUID] = _company_key()
    cust_ledger_entry_id: Mapped[int] = mapped_column(
        ForeignKey("cust_ledger_entry.id", ondelete="RESTRICT"))
    entry_type: Mapped[str] = mapped_column(String(30))
    posting_date: Mapped[date] = mapped_column(Date)
    document_type: Mapped[str] = mapped_column(String(20), default="")
    document_number: Mapped[str] = mapped_column(String(20), default="")
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid())  # its entry's customer
    amount: Mapped[Decimal] = mapped_column(Money())
    # The entry on the other side of an application (its cust_ledger_entry id).
    applied_cust_ledger_entry_id: Mapped[int | None] = mapped_column(Integer)
    register_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    unapplied: Mapped[bool] = mapped_column(Boolean, default=False)
    unapplied_by_id: Mapped[int | None] = mapped_column(Integer)


class PaymentApplication(Base):
    """Applies-to ID + Amount to Apply: a payment line applied to one of several open entries."""

    __tablename__ = "payment_application"
    __table_args__ = (
        UniqueConstraint("payment_id", "cust_ledger_entry_id"),
        Index("ix_payment_application_cust_ledger_entry_id", "cust_ledger_entry_id"),
    )

    id: Mapped[int] = _int_key()
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"))
    cust_ledger_entry_id: Mapped[int] = mapped_column(
        ForeignKey("cust_ledger_entry.id", ondelete="CASCADE"))
    amount_to_apply: Mapped[Decimal] = mapped_column(Money())


class ChangeLog(Base):
    """One row per committed write transaction: its change-set (app/domain/changes.py) and
    the handle that wrote it. Another process on the same file (or server) reads the rows
    after the last one it saw and shows precisely what changed; only the newest rows are
    kept (app/db/changes.py prunes)."""

    __tablename__ = "change_log"

    id: Mapped[int] = _int_key()
    origin: Mapped[str] = mapped_column(String(36))  # the writing Database handle's id
    changes: Mapped[str] = mapped_column(String(8000))  # ChangeSet.to_json()
    committed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


# --- bank statements (issue 12) ------------------------------------------------------------

class CustomerBankAccount(Record):
    """A customer's bank account (BC: Customer Bank Account): the IBAN a statement line's
    counterparty account is matched against. Stored in electronic form (no spaces)."""

    __tablename__ = "customer_bank_account"
    __table_args__ = (
        UniqueConstraint("customer_id", "code"),
        Index("ix_customer_bank_account_company_id_iban", "company_id", "iban"),
    )

    company_id: Mapped[uuid.UUID] = company_fk()
    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100), default="")
    iban: Mapped[str] = mapped_column(String(50))
    swift_code: Mapped[str] = mapped_column(String(20), default="")


class BankStatementLine(Base):
    """The import key of a statement line that became a payment line: a re-import (the same
    or an overlapping statement) skips it, also after the payment line was posted and
    deleted from the journal. ``payment_id`` is kept without a foreign key for that reason."""

    __tablename__ = "bank_statement_line"
    __table_args__ = (UniqueConstraint("company_id", "journal_id", "key"),)

    id: Mapped[int] = _int_key()
    company_id: Mapped[uuid.UUID] = company_fk()
    journal_id: Mapped[uuid.UUID] = mapped_column(Uuid())  # no FK: outlives the journal too
    key: Mapped[str] = mapped_column(String(64))  # sha256 hex of the line's identity
    booking_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    bank_reference: Mapped[str] = mapped_column(String(35), default="")
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    document_number: Mapped[str] = mapped_column(String(20), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)


class BankCsvProfile(Record):
    """A saved CSV mapping profile (app/io/bank/csv_format.py ``CsvProfile`` as JSON)."""

    __tablename__ = "bank_csv_profile"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    company_id: Mapped[uuid.UUID] = company_fk()
    name: Mapped[str] = mapped_column(String(50))
    settings: Mapped[str] = mapped_column(String(4000))

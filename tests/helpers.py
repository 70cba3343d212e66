"""Helpers shared by tests: a dump of every table (to prove nothing was written) and a
small company whose every record a test can name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.db.models import Base
from app.domain.schemas import (
    AccountCreate,
    AccountRead,
    CompanyCreate,
    CompanyRead,
    CustomerCreate,
    CustomerRead,
    JournalCreate,
    JournalRead,
    NumberSeriesCreate,
    SalesInvoiceCreate,
    SalesInvoiceRead,
)
from app.services import accounts, companies, customers, invoices, journals, number_series

WORK_DATE = date(2026, 11, 20)


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: equal dumps mean nothing was written."""
    with db.engine.connect() as conn:
        result = {}
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
        return result


def counts(db: Database) -> dict[str, int]:
    return {name: len(rows) for name, rows in dump(db).items()}


@dataclass(frozen=True)
class Books:
    """A small company: every account kind, customers for every 'blocked' value, open and
    paid invoices, a journal with a balancing account (BANK) and one without (GEN)."""

    company: CompanyRead
    bank: AccountRead  # 2910: Posting, direct posting
    receivables: AccountRead  # 2310: Posting, no direct posting
    heading: AccountRead  # 1000: Heading
    blocked_account: AccountRead  # 2950: blocked
    c1: CustomerRead  # not blocked
    c2: CustomerRead  # blocked Ship
    c3: CustomerRead  # blocked Invoice
    c4: CustomerRead  # blocked All
    inv1: SalesInvoiceRead  # C1, open 100.00
    inv2: SalesInvoiceRead  # C1, paid (remaining 0)
    inv3: SalesInvoiceRead  # C2, open 50.00
    bank_journal: JournalRead  # BANK: balancing account 2910, No. Series RCPT
    gen_journal: JournalRead  # GEN: no balancing account, No. Series RCPT

    @property
    def cid(self) -> Any:
        return self.company.id


def make_books(db: Database, name: str = "Books Ltd") -> Books:
    company = companies.create(db, CompanyCreate(name=name, work_date=WORK_DATE))
    cid = company.id

    def account(number: str, kind: str = "Posting", direct: bool = True,
                blocked: bool = False) -> AccountRead:
        return accounts.create(db, cid, AccountCreate(
            number=number, display_name=f"Account {number}", account_type=kind,
            direct_posting=direct, blocked=blocked))

    bank = account("2910")
    receivables = account("2310", direct=False)
    heading = account("1000", kind="Heading", direct=False)
    blocked_account = account("2950", blocked=True)
    number_series.create(db, cid, NumberSeriesCreate(code="RCPT", starting_number="R0001"))
    number_series.set_receipts_default(db, cid, "RCPT")

    def customer(number: str, name: str, blocked: str) -> CustomerRead:
        return customers.create(db, cid, CustomerCreate(
            number=number, display_name=name, blocked=blocked,
            receivables_account_number="2310"))

    c1 = customer("C1", "First Customer", " ")
    c2 = customer("C2", "Ship Blocked", "Ship")
    c3 = customer("C3", "Invoice Blocked", "Invoice")
    c4 = customer("C4", "All Blocked", "All")

    def invoice(number: str, cust: str, total: str, remaining: str) -> SalesInvoiceRead:
        return invoices.create(db, cid, SalesInvoiceCreate(
            number=number, customer_number=cust, invoice_date=date(2026, 10, 1),
            total_amount_including_tax=Decimal(total), remaining_amount=Decimal(remaining)))

    inv1 = invoice("INV1", "C1", "100.00", "100.00")
    inv2 = invoice("INV2", "C1", "80.00", "0.00")
    inv3 = invoice("INV3", "C2", "50.00", "50.00")
    bank_journal = journals.create(db, cid, JournalCreate(
        code="BANK", display_name="Bank", balancing_account_number="2910"))
    gen_journal = journals.create(db, cid, JournalCreate(code="GEN", display_name="General"))
    return Books(company, bank, receivables, heading, blocked_account, c1, c2, c3, c4,
                 inv1, inv2, inv3, bank_journal, gen_journal)

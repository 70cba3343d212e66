"""A small set of books for posting tests, built through the services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.db.models import (
    CustLedgerEntry,
    DetailedCustLedgEntry,
    GLEntry,
    GLRegister,
    Payment,
    PaymentApplication,
    SalesInvoice,
)
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CustomerCreate,
    CustomerRead,
    JournalCreate,
    PaymentCreate,
    PaymentRead,
    SalesInvoiceCreate,
    SalesInvoiceRead,
)
from app.services import accounts, companies, customers, invoices, journals, payments, posting

WORK_DATE = date(2026, 11, 20)


@dataclass
class Books:
    db: Database
    company_id: uuid.UUID
    journal_id: uuid.UUID
    customers: dict[str, CustomerRead] = field(default_factory=dict)
    invoices: dict[str, SalesInvoiceRead] = field(default_factory=dict)
    counter: int = 0

    def invoice(self, number: str, customer: str, total: str, *, day: date = date(2026, 11, 1),
                discount: str = "0", discount_date: date | None = None,
                remaining: str | None = None) -> SalesInvoiceRead:
        made = invoices.create(self.db, self.company_id, SalesInvoiceCreate(
            number=number, customer_number=customer, invoice_date=day,
            due_date=date(2026, 12, 31), total_amount_including_tax=Decimal(total),
            payment_discount_amount=Decimal(discount), payment_discount_date=discount_date,
            remaining_amount=Decimal(remaining) if remaining is not None else None))
        self.invoices[number] = made
        return made

    def pay(self, customer: str | None, amount: str, *, invoice: str | None = None,
            day: date | None = WORK_DATE, document: str | None = None,
            **extra: Any) -> PaymentRead:
        self.counter += 1
        return payments.create(self.db, self.company_id, self.journal_id, PaymentCreate(
            customer_number=customer, amount=Decimal(amount), applies_to_invoice_number=invoice,
            posting_date=day,
            document_number=f"P{self.counter}" if document is None else document, **extra))

    def entry_id(self, invoice: str) -> int:
        with self.db.reading() as session:
            entry_id = session.scalar(select(CustLedgerEntry.id).where(
                CustLedgerEntry.sales_invoice_id == self.invoices[invoice].id))
            assert entry_id is not None
            return entry_id

    def post(self) -> Any:
        return posting.post(self.db, self.company_id, self.journal_id, user_id="tester")


def make_books(db: Database, *, balancing: str | None = "2910",
               discount_account: str | None = "9250") -> Books:
    company = companies.create(db, CompanyCreate(
        name="Books", work_date=WORK_DATE, allow_posting_from=date(2026, 1, 1),
        allow_posting_to=date(2026, 12, 31)))
    cid = company.id
    for number, name, kind, direct in (
            ("2310", "Customers Domestic", "Posting", False),
            ("2910", "Bank, Checking", "Posting", True),
            ("2920", "Bank, Savings", "Posting", True),
            ("9250", "Payment Discounts Granted", "Posting", True),
            ("1000", "ASSETS", "Heading", False)):
        accounts.create(db, cid, AccountCreate(number=number, display_name=name,
                                               account_type=kind, direct_posting=direct))
    if discount_account:
        posting.set_payment_discount_account(db, cid, discount_account)
    made = {}
    for number, name, blocked in (("C1", "Adatum", " "), ("C2", "Trey Research", " "),
                                  ("C3", "Blocked Ltd", "All"),
                                  ("C4", "Invoice Blocked", "Invoice")):
        made[number] = customers.create(db, cid, CustomerCreate(
            number=number, display_name=name, receivables_account_number="2310",
            blocked=blocked))
    journal = journals.create(db, cid, JournalCreate(code="BANK",
                                                     balancing_account_number=balancing))
    return Books(db, cid, journal.id, made)


def snapshot(db: Database) -> dict[str, Any]:
    """Everything posting may change, to prove that nothing was written."""
    with db.reading() as session:
        def count(model: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return {
            "registers": count(GLRegister), "gl": count(GLEntry),
            "cust": count(CustLedgerEntry), "detailed": count(DetailedCustLedgEntry),
            "payments": sorted((p.id, p.version) for p in session.scalars(select(Payment))),
            "applications": count(PaymentApplication),
            "entries": sorted((e.id, e.remaining_amount, e.open) for e in
                              session.scalars(select(CustLedgerEntry))),
            "invoices": sorted((i.id, i.remaining_amount, i.version) for i in
                               session.scalars(select(SalesInvoice))),
        }

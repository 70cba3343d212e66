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


def bulk_journal(books: Books, lines: int, *, customers_count: int = 100,
                 apply: bool = True) -> None:
    """A big journal fast (Core bulk inserts): one invoice per line, each line paying its
    invoice in full (Applies-to Doc. No.), plus the invoices' ledger entries; with
    ``apply=False`` payments on account only (no invoices)."""
    from app.db.models import Customer as CustomerRow
    from app.db.models import SalesInvoice as InvoiceRow
    from app.db.models import utc_now
    from app.domain.ids import new_id
    from app.services.ledger_common import BulkTable, next_numbers

    db, cid = books.db, books.company_id
    with db.transaction() as session:
        receivables = books.customers["C1"].receivables_account_id
        new_customers = [(new_id(), f"B{i:05d}") for i in range(customers_count)]
        now = utc_now()
        BulkTable(session, CustomerRow.__table__, (
            "id", "version", "last_modified", "company_id", "number", "display_name", "type",
            "address_line1", "address_line2", "city", "state", "country", "postal_code",
            "phone_number", "email", "website", "tax_registration_number", "currency_code",
            "blocked", "application_method", "receivables_account_id")).insert(
            (i, 1, now, cid, n, f"Bulk customer {n}", "Company", "", "", "", "", "", "", "", "",
             "", "", "", " ", "Manual", receivables) for i, n in new_customers)
        invoice_ids = [new_id() for _ in range(lines if apply else 0)]
        day = date(2026, 11, 2)
        BulkTable(session, InvoiceRow.__table__, (
            "id", "version", "last_modified", "company_id", "number", "external_document_number",
            "invoice_date", "posting_date", "due_date", "customer_id", "currency_code",
            "total_amount_including_tax", "remaining_amount", "payment_discount_date",
            "payment_discount_amount")).insert(
            (invoice_ids[k], 1, now, cid, f"BI{k:07d}", "", day, day, day,
             new_customers[k % customers_count][0], "", 10_000 + k, 10_000 + k, None, 0)
            for k in range(len(invoice_ids)))
        first = next_numbers(session, cid).cust_entry
        BulkTable(session, CustLedgerEntry.__table__, (
            "company_id", "entry_number", "customer_id", "customer_number", "posting_date",
            "document_type", "document_number", "external_document_number", "description",
            "due_date", "amount", "remaining_amount", "open", "pmt_discount_date",
            "original_pmt_disc_possible", "remaining_pmt_disc_possible", "sales_invoice_id",
            "reversed")).insert(
            (cid, first + k, new_customers[k % customers_count][0],
             new_customers[k % customers_count][1], day, "Invoice", f"BI{k:07d}", "",
             f"Invoice BI{k:07d}", day, 10_000 + k, 10_000 + k, True, None, 0, 0,
             invoice_ids[k], False) for k in range(len(invoice_ids)))
        entry_ids = dict(session.execute(select(CustLedgerEntry.entry_number,
                                                CustLedgerEntry.id).where(
            CustLedgerEntry.company_id == cid, CustLedgerEntry.entry_number >= first)).all())
        BulkTable(session, DetailedCustLedgEntry.__table__, (
            "company_id", "cust_ledger_entry_id", "entry_type", "posting_date", "document_type",
            "document_number", "customer_id", "amount", "unapplied")).insert(
            (cid, entry_ids[first + k], "Initial Entry", day, "Invoice", f"BI{k:07d}",
             new_customers[k % customers_count][0], 10_000 + k, False)
            for k in range(len(invoice_ids)))
        BulkTable(session, Payment.__table__, (
            "id", "version", "last_modified", "journal_id", "line_number", "customer_id",
            "customer_number", "contact_id", "posting_date", "document_number",
            "external_document_number", "amount", "applies_to_invoice_id",
            "applies_to_invoice_number", "description", "comment")).insert(
            (new_id(), 1, now, books.journal_id, 10_000 * (k + 1),
             new_customers[k % customers_count][0], new_customers[k % customers_count][1], "",
             WORK_DATE, f"BP{k:07d}", "", -(10_000 + k), invoice_ids[k] if apply else None,
             f"BI{k:07d}" if apply else "", "Bulk payment", "") for k in range(lines))

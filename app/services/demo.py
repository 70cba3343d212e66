"""A demo company: a small chart of accounts, about 20 customers, about 50 open invoices,
two customer payment journals with lines. Built through the same services as everything."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.domain.bank import StatementLine, make_iban
from app.domain.bank_schemas import CustomerBankAccountCreate
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CompanyRead,
    CustomerCreate,
    CustomerRead,
    JournalCreate,
    NumberSeriesCreate,
    PaymentCreate,
    SalesInvoiceCreate,
)
from app.services import (
    accounts,
    bank_accounts,
    companies,
    customers,
    invoices,
    journals,
    number_series,
    payments,
    posting,
)

DEMO_NAME = "CRONUS Demo"

CHART = [
    # number, name, category, type, direct posting
    ("1000", "ASSETS", "Assets", "Begin-Total", False),
    ("2310", "Customers Domestic", "Assets", "Posting", False),
    ("2910", "Bank, Checking", "Assets", "Posting", True),
    ("2920", "Bank, Savings", "Assets", "Posting", True),
    ("2940", "Petty Cash", "Assets", "Posting", True),
    ("1999", "TOTAL ASSETS", "Assets", "End-Total", False),
    ("6000", "INCOME", "Income", "Heading", False),
    ("6110", "Sales, Retail", "Income", "Posting", True),
    ("9250", "Payment Discounts Granted", "Expense", "Posting", True),
]

CUSTOMERS = [
    "Adatum Corporation", "Trey Research", "School of Fine Art", "Alpine Ski House",
    "Relecloud", "Coho Winery", "Fabrikam Inc.", "Contoso Pharmaceuticals", "Litware Inc.",
    "Northwind Traders", "Tailspin Toys", "Wide World Importers", "Woodgrove Bank",
    "Proseware Inc.", "Lucerne Publishing", "Graphic Design Institute", "Margie's Travel",
    "Blue Yonder Airlines", "City Power & Light", "Fourth Coffee",
]
CITIES = ["Atlanta", "Chicago", "Miami", "Seattle", "Boston", "Denver", "Dallas", "Portland"]


def email_domain(display_name: str) -> str:
    """The first word of a name in lowercase letters only: "Margie's Travel" -> "margies"."""
    return "".join(c for c in display_name.split()[0].lower() if "a" <= c <= "z")


def demo_iban(index: int) -> str:
    """The demo IBAN of the index-th demo customer (German form, valid check digits)."""
    return make_iban("DE", f"{37040044 + index * 1010:08d}{532013000 + index * 7919:010d}")


def demo_bank_accounts(db: Database, company_id: uuid.UUID,
                       made: list[CustomerRead]) -> None:
    """Bank accounts with IBANs for the demo customers (all but the last three), so a bank
    statement matches by IBAN."""
    for index, customer in enumerate(made[:-3]):
        bank_accounts.create(db, company_id, CustomerBankAccountCreate(
            customer_number=customer.number, code="MAIN", name="Main account",
            iban=demo_iban(index)))


def create_demo_company(db: Database, name: str = DEMO_NAME, *, seed: int = 7,
                        work_date: date | None = None) -> CompanyRead:
    rnd = random.Random(seed)
    today = work_date or date.today()
    company = companies.create(db, CompanyCreate(
        name=name, display_name=f"{name} Ltd.", work_date=today,
        allow_posting_from=today.replace(day=1) - timedelta(days=365),
        allow_posting_to=today + timedelta(days=365)))
    cid = company.id
    for number, title, category, kind, direct in CHART:
        accounts.create(db, cid, AccountCreate(
            number=number, display_name=title, category=category,
            account_type=kind, direct_posting=direct))
    posting.set_payment_discount_account(db, cid, "9250")
    posting.set_invoice_account(db, cid, "6110")  # invoices credit sales, debit receivables
    number_series.create(db, cid, NumberSeriesCreate(
        code="GJNL-RCPT", description="Cash receipts", starting_number="G02001"))
    number_series.set_receipts_default(db, cid, "GJNL-RCPT")

    made = []
    for index, display_name in enumerate(CUSTOMERS):
        made.append(customers.create(db, cid, CustomerCreate(
            number=f"C{10000 + index * 10}", display_name=display_name,
            address_line1=f"{rnd.randint(1, 999)} Main Street", city=rnd.choice(CITIES),
            country="US", postal_code=f"{rnd.randint(10000, 99999)}",
            email=f"ap@{email_domain(display_name)}.example",
            phone_number=f"+1 555 {rnd.randint(1000, 9999)}",
            receivables_account_number="2310",
            blocked="Invoice" if index == 17 else "All" if index == 19 else " ",
        )))

    demo_bank_accounts(db, cid, made)

    open_invoices = []
    for index in range(50):
        customer = made[index % 19]  # no invoices for the customer blocked for All
        invoice_date = today - timedelta(days=rnd.randint(5, 90))
        total = Decimal(rnd.randint(10_000, 900_000)) / 100
        open_invoices.append(invoices.create(db, cid, SalesInvoiceCreate(
            number=f"{103001 + index}", invoice_date=invoice_date,
            due_date=invoice_date + timedelta(days=30), customer_number=customer.number,
            total_amount_including_tax=total,
            payment_discount_date=invoice_date + timedelta(days=8),
            payment_discount_amount=(total * Decimal("0.02")).quantize(Decimal("0.01")),
        )))

    bank = journals.create(db, cid, JournalCreate(
        code="BANK", display_name="Receipts to the checking account",
        balancing_account_number="2910"))
    # Each journal its own series: two journals on one series posted the same numbers twice.
    number_series.create(db, cid, NumberSeriesCreate(
        code="GJNL-CASH", description="Cash at the counter", starting_number="C02001"))
    journals.create(db, cid, JournalCreate(
        code="CASH", display_name="Cash received at the counter", balancing_account_number="2940",
        number_series_code="GJNL-CASH"))
    for invoice in open_invoices[:6]:
        payments.create(db, cid, bank.id, PaymentCreate(
            customer_number=invoice.customer_number, amount=-invoice.remaining_amount,
            applies_to_invoice_number=invoice.number,
            external_document_number=f"CHK{rnd.randint(1000, 9999)}"))
    payments.create(db, cid, bank.id, PaymentCreate(
        customer_number=made[3].number, amount=Decimal("-250.00"),
        comment="On account, no invoice given"))
    return company


def demo_statement_lines(db: Database, company_id: uuid.UUID, day: date) -> list[StatementLine]:
    """A bank statement for the demo company: payments of its open invoices as customers
    send them (by IBAN and number, by name and number, several invoices at once, a partial
    payment, an amount only, one with nothing to go by) and a bank fee."""
    from app.db.models import CustLedgerEntry, Customer

    with db.reading() as session:
        rows = list(session.execute(
            select(CustLedgerEntry.document_number, CustLedgerEntry.remaining_amount,
                   CustLedgerEntry.customer_id, Customer.display_name, Customer.number)
            .join(Customer, Customer.id == CustLedgerEntry.customer_id)
            .where(CustLedgerEntry.company_id == company_id, CustLedgerEntry.open.is_(True),
                   CustLedgerEntry.remaining_amount > 0, CustLedgerEntry.posting_date <= day)
            .order_by(CustLedgerEntry.document_number)))
        numbers = {c.number: i for i, c in enumerate(session.scalars(
            select(Customer).where(Customer.company_id == company_id)
            .order_by(Customer.number)))}
    lines: list[StatementLine] = []
    by_customer: dict[uuid.UUID, list[Any]] = {}
    for row in rows:
        by_customer.setdefault(row.customer_id, []).append(row)
    used: set[str] = set()

    def take(row: Any) -> Any:
        used.add(row.document_number)
        return row

    for count, row in enumerate(rows[8:22]):
        if row.document_number in used:
            continue
        take(row)
        iban = demo_iban(numbers[row.number]) if numbers[row.number] < 17 else ""
        kind = count % 7
        amount = row.remaining_amount
        text = f"Invoice {row.document_number}"
        name = row.display_name
        if kind == 1:
            iban = ""  # by name and number
        elif kind == 2:
            others = [r for r in by_customer[row.customer_id] if r.document_number not in used]
            if others:
                other = take(others[0])
                amount += other.remaining_amount
                text = f"RE {row.document_number} + {other.document_number}"
        elif kind == 3:
            amount = (amount / 2).quantize(Decimal("0.01"))
            text = f"Teilzahlung {row.document_number}"
        elif kind == 4:
            text = "Thank you for your business"
        elif kind == 5:
            name = name.replace("a", "e", 1)  # a typo in the name
            iban = ""
        elif kind == 6:
            name, iban, text = "J. SMITH", "", "Payment"
        lines.append(StatementLine(amount, True, day, day, counterparty_name=name,
                                   counterparty_iban=iban, remittance=text,
                                   bank_reference=f"DEMO-{day:%Y%m%d}-{len(lines) + 1:04d}"))
    lines.append(StatementLine(Decimal("12.50"), False, day, day, counterparty_name="Bank",
                               remittance="Account fee", bank_reference=f"DEMO-{day:%Y%m%d}-FEE"))
    return lines

"""The bulk path of an import's master data (app/services/import_master.py) keeps the rules
and messages of the per-record creates, and writes the same rows they write."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.models import (
    Account,
    CustLedgerEntry,
    Customer,
    DetailedCustLedgEntry,
    NumberSeries,
    SalesInvoice,
)
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CustomerCreate,
    NumberSeriesCreate,
    SalesInvoiceCreate,
)
from app.services import (
    accounts,
    companies,
    customers,
    import_master,
    importing,
    invoices,
    number_series,
)
from app.services.importing import ImportBatch, ImportRejected, Item
from tests.helpers import dump

ACCOUNTS = [AccountCreate(number="1200", display_name="Receivables", category="Assets",
                          direct_posting=False),
            AccountCreate(number="2910", display_name="Bank")]
SERIES = [NumberSeriesCreate(code="RCPT", starting_number="R001", description="Receipts")]
CUSTOMERS = [CustomerCreate(number="C1", display_name="One", receivables_account_number="1200",
                            currency_code="EUR", email="one@example.com"),
             CustomerCreate(number="C2", display_name="Two", blocked="Invoice")]
INVOICES = [
    SalesInvoiceCreate(number="I1", customer_number="C1", invoice_date=date(2024, 1, 5),
                       total_amount_including_tax=Decimal("100.10")),
    SalesInvoiceCreate(number="I2", customer_number="C2", invoice_date=date(2024, 2, 5),
                       posting_date=date(2024, 2, 6), due_date=date(2024, 3, 5),
                       total_amount_including_tax=Decimal("250.00"),
                       remaining_amount=Decimal("80.55"), external_document_number="PO-7",
                       payment_discount_date=date(2024, 2, 15),
                       payment_discount_amount=Decimal("5.00"), currency_code="USD"),
    SalesInvoiceCreate(number="I3", customer_number="C1", invoice_date=date(2024, 3, 1),
                       total_amount_including_tax=Decimal("9.99"),
                       remaining_amount=Decimal("0.00")),
]


def batch_of() -> ImportBatch:
    def items(kind: str, records: list[Any], key: str) -> list[Item[Any]]:
        return [Item(f"{kind}[{i}] ({getattr(r, key)})", r) for i, r in enumerate(records)]

    return ImportBatch(accounts=items("accounts", ACCOUNTS, "number"),
                       number_series=items("numberSeries", SERIES, "code"),
                       customers=items("customers", CUSTOMERS, "number"),
                       sales_invoices=items("salesInvoices", INVOICES, "number"))


_SKIP = {"id", "company_id", "last_modified", "customer_id", "receivables_account_id",
         "sales_invoice_id", "cust_ledger_entry_id"}


def rows(db: Database, company_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows of the company, in number order, ids replaced by what they name."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.reading() as session:
        number_of = {c.id: c.number for c in session.scalars(select(Customer))}
        number_of.update({a.id: a.number for a in session.scalars(select(Account))})
        number_of.update({i.id: i.number for i in session.scalars(select(SalesInvoice))})
        entry_of = {e.id: e.entry_number for e in session.scalars(select(CustLedgerEntry))}
        for model, order in ((Account, Account.number), (NumberSeries, NumberSeries.code),
                             (Customer, Customer.number), (SalesInvoice, SalesInvoice.number),
                             (CustLedgerEntry, CustLedgerEntry.entry_number),
                             (DetailedCustLedgEntry, DetailedCustLedgEntry.id)):
            table = model.__table__
            found = session.execute(select(table).where(table.c.company_id == company_id)
                                    .order_by(order))
            out[table.name] = [
                {**{k: v for k, v in r._mapping.items() if k not in _SKIP},
                 "refs": tuple(number_of.get(r._mapping.get(k)) for k in
                               ("customer_id", "receivables_account_id", "sales_invoice_id")),
                 "entry": entry_of.get(r._mapping.get("cust_ledger_entry_id"))}
                for r in found]
    return out


def test_the_bulk_path_writes_the_rows_the_creates_write(db: Database) -> None:
    summary = importing.run(db, batch_of(), new_company=CompanyCreate(name="Bulk"))
    assert summary.created == {"accounts": 2, "number series": 1, "customers": 2,
                               "sales invoices": 3}
    with db.transaction() as session:
        company = companies.create_in(session, CompanyCreate(name="One by one"))
        for create, records in ((accounts.create_in, ACCOUNTS),
                                (number_series.create_in, SERIES),
                                (customers.create_in, CUSTOMERS),
                                (invoices.create_in, INVOICES)):
            for record in records:
                create(session, company.id, record)
        other = company.id
    bulk, by_record = rows(db, summary.company.id), rows(db, other)
    assert bulk == by_record
    assert len(bulk["detailed_cust_ledg_entry"]) == 5  # I2 and I3 were partly paid before


def test_every_rule_and_message_and_nothing_written(db: Database) -> None:
    with db.transaction() as session:
        company = companies.create_in(session, CompanyCreate(name="Target"))
        accounts.create_in(session, company.id, ACCOUNTS[0])
        company_id = company.id
    with db.transaction() as session:
        stranger = companies.create_in(session, CompanyCreate(name="Stranger"))
        foreign = customers.create_in(session, stranger.id,
                                      CustomerCreate(number="F1", display_name="Far")).id
    day = date(2024, 1, 1)

    def invoice(number: str, **values: Any) -> SalesInvoiceCreate:
        fields: dict[str, Any] = {"customer_number": "C1", "invoice_date": day,
                                  "total_amount_including_tax": Decimal("10"), **values}
        return SalesInvoiceCreate(number=number, **fields)

    batch = ImportBatch(
        accounts=[Item("accounts[0] (1200)", ACCOUNTS[0]),  # already there: used as is
                  Item("accounts[1] (2910)", ACCOUNTS[1])],
        number_series=[Item("numberSeries[0] (BAD)",
                            NumberSeriesCreate(code="BAD", starting_number="ABC"))],
        customers=[
            Item("customers[0] (C1)", CUSTOMERS[0]),
            Item("customers[1] (C5)", CustomerCreate(number="C5", display_name="Five",
                                                     receivables_account_number="9999")),
            Item("customers[2] (C1)", CUSTOMERS[0]),
            Item("customers[3] (C6)", CustomerCreate(
                number="C6", display_name="Six", receivables_account_number="1200",
                receivables_account_id=uuid.uuid4()))],
        sales_invoices=[
            Item("salesInvoices[0] (I1)", invoice("I1", total_amount_including_tax=Decimal(0))),
            Item("salesInvoices[1] (I2)", invoice("I2", remaining_amount=Decimal("11"))),
            Item("salesInvoices[2] (I3)", invoice("I3", payment_discount_amount=Decimal(11))),
            Item("salesInvoices[3] (I4)", invoice("I4", due_date=date(2023, 12, 31))),
            Item("salesInvoices[4] (I5)", invoice("I5", customer_number="C5")),
            Item("salesInvoices[5] (I6)", invoice("I6", customer_number=None)),
            Item("salesInvoices[6] (I7)", invoice("I7", customer_number=None,
                                                  customer_id=foreign)),
            Item("salesInvoices[7] (I8)", invoice("I8")),
            Item("salesInvoices[8] (I1)", invoice("I1"))])
    before = dump(db)
    with pytest.raises(ImportRejected) as err:
        importing.run(db, batch, company_id=company_id)
    assert dump(db) == before
    assert [e.message for e in err.value.errors][1:] == [
        "numberSeries[0] (BAD): startingNumber: The starting number ABC must end in digits so "
        "it can be counted up.",
        "customers[1] (C5): receivablesAccountNumber: G/L Account 9999 does not exist.",
        "customers[2] (C1): number: Customer C1 appears twice in the file (also customers[0] "
        "(C1)).",
        'customers[3] (C6): receivablesAccountId: The "receivablesAccountId" does not match '
        "to a G/L Account.",
        "salesInvoices[0] (I1): totalAmountIncludingTax: totalAmountIncludingTax must be "
        "positive for an invoice.",
        "salesInvoices[1] (I2): remainingAmount: remainingAmount must be between 0 and the "
        "invoice total.",
        "salesInvoices[2] (I3): paymentDiscountAmount: paymentDiscountAmount must be between 0 "
        "and the invoice total.",
        "salesInvoices[3] (I4): dueDate: dueDate must not be before invoiceDate.",
        "salesInvoices[4] (I5): customerNumber: Customer C5 is in the file but could not be "
        "imported (see customers[1] (C5)).",
        "salesInvoices[5] (I6): customerNumber: A customerNumber or a customerId must be "
        "provided.",
        'salesInvoices[6] (I7): customerId: The "customerId" does not match to a Customer.',
        "salesInvoices[8] (I1): number: Sales invoice I1 appears twice in the file (also "
        "salesInvoices[0] (I1)).",
    ]


def test_batches_keep_numbering_duplicates_and_existing_records(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_master, "BATCH", 2)
    monkeypatch.setattr(import_master, "IN_LIST", 2)
    with db.transaction() as session:
        company = companies.create_in(session, CompanyCreate(name="Target"))
        customers.create_in(session, company.id, CustomerCreate(number="C1", display_name="A"))
        invoices.create_in(session, company.id, SalesInvoiceCreate(
            number="I0", customer_number="C1", invoice_date=date(2024, 1, 1),
            total_amount_including_tax=Decimal(5)))
        company_id = company.id
    made = [Item(f"salesInvoices[{k}] (I{k})", SalesInvoiceCreate(
        number=f"I{k}", customer_number="C1", invoice_date=date(2024, 1, 1),
        total_amount_including_tax=Decimal(k + 1))) for k in range(7)]
    summary = importing.run(db, ImportBatch(sales_invoices=made), company_id=company_id)
    assert summary.created["sales invoices"] == 6
    assert summary.existing["sales invoices"] == 1  # I0
    with db.reading() as session:
        entries = list(session.execute(
            select(CustLedgerEntry.entry_number, CustLedgerEntry.document_number,
                   CustLedgerEntry.amount).order_by(CustLedgerEntry.entry_number)))
    assert [tuple(e) for e in entries] == [
        (1, "I0", Decimal(5)), *((k + 1, f"I{k}", Decimal(k + 1)) for k in range(1, 7))]

    twice = [made[1], Item("salesInvoices[9] (I1)", made[1].data)]
    with pytest.raises(ImportRejected) as err:
        importing.run(db, ImportBatch(sales_invoices=[*made[:1], Item("x", made[6].data),
                                                      *twice]), company_id=company_id)
    assert [e.message for e in err.value.errors][1:] == [
        "salesInvoices[9] (I1): number: Sales invoice I1 appears twice in the file (also "
        "salesInvoices[1] (I1))."]

"""An open sales invoice is a customer ledger entry of type Invoice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.models import CustLedgerEntry, DetailedCustLedgEntry
from app.domain.errors import Conflict
from app.domain.ledger_schemas import ApplicationInput
from app.domain.schemas import SalesInvoiceUpdate
from app.services import applications, invoices, ledgers
from tests.services.books import Books, make_books, snapshot

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


Entry = tuple[int, Decimal, Decimal, bool, list[tuple[str, Decimal]]]


def _entry(books: Books, number: str) -> Entry:
    with books.db.reading() as session:
        e = session.scalars(select(CustLedgerEntry)
                            .where(CustLedgerEntry.document_number == number)).one()
        details = [(d.entry_type, d.amount) for d in session.scalars(
            select(DetailedCustLedgEntry).where(DetailedCustLedgEntry.cust_ledger_entry_id == e.id)
            .order_by(DetailedCustLedgEntry.id))]
        return e.entry_number, e.amount, e.remaining_amount, e.open, details


def test_creating_an_invoice_writes_its_entry(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.invoice("INV2", "C1", "80.00", remaining="30.00")  # partly paid before
    assert _entry(books, "INV1") == (1, D("100.00"), D("100.00"), True,
                                     [("Initial Entry", D("100.00"))])
    assert _entry(books, "INV2") == (2, D("80.00"), D("30.00"), True,
                                     [("Initial Entry", D("80.00")), ("Application", D("-50.00"))])
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("130.00")


def test_editing_an_invoice_updates_its_entry(books: Books) -> None:
    invoice = books.invoice("INV1", "C1", "100.00")
    invoices.update(books.db, books.company_id, invoice.id,
                    SalesInvoiceUpdate(total_amount_including_tax=D("120.00"),
                                       remaining_amount=D("120.00"), number="INV1A"),
                    version=None)
    assert _entry(books, "INV1A") == (1, D("120.00"), D("120.00"), True,
                                      [("Initial Entry", D("120.00"))])


def test_an_invoice_posted_against_is_history(books: Books) -> None:
    invoice = books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-40.00", invoice="INV1")
    books.post()
    before = snapshot(books.db)
    with pytest.raises(Conflict, match="payments have been posted against it"):
        invoices.update(books.db, books.company_id, invoice.id,
                        SalesInvoiceUpdate(total_amount_including_tax=D("90.00")), version=None)
    with pytest.raises(Conflict, match="payments have been posted against it"):
        invoices.delete(books.db, books.company_id, invoice.id, version=None)
    assert snapshot(books.db) == before
    # A change that is not history is carried to the entry.
    invoices.update(books.db, books.company_id, invoice.id,
                    SalesInvoiceUpdate(external_document_number="PO-7"), version=None)


def test_deleting_an_unposted_invoice_removes_its_entry(books: Books) -> None:
    invoice = books.invoice("INV1", "C1", "100.00")
    invoices.delete(books.db, books.company_id, invoice.id, version=None)
    assert snapshot(books.db)["cust"] == 0 and snapshot(books.db)["detailed"] == 0


def test_an_invoice_a_line_applies_to_cannot_be_deleted(books: Books) -> None:
    invoice = books.invoice("INV1", "C1", "100.00")
    line = books.pay("C1", "-40.00")
    applications.set_applications(books.db, books.company_id, line.id, [
        ApplicationInput(cust_ledger_entry_id=books.entry_id("INV1"), amount_to_apply=D("40"))])
    before = snapshot(books.db)
    with pytest.raises(Conflict, match="journal lines are applied to it"):
        invoices.delete(books.db, books.company_id, invoice.id, version=None)
    assert snapshot(books.db) == before

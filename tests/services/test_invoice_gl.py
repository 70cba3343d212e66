"""Sales invoices post their G/L side: receivables debited, the invoice account credited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.db.models import GLEntry, GLRegister
from app.domain.errors import Invalid
from app.domain.schemas import AccountCreate, SalesInvoiceUpdate
from app.services import accounts, invoices, posting
from tests.services.books import make_books, snapshot


def _gl(db: Database) -> list[tuple[int, str, Decimal, str]]:
    with db.reading() as session:
        return [(g.entry_number, g.account_number, g.amount, g.document_number)
                for g in session.scalars(select(GLEntry).order_by(GLEntry.entry_number))]


def _by_account(db: Database) -> dict[str, Decimal]:
    with db.reading() as session:
        return {n: a for n, a in session.execute(
            select(GLEntry.account_number, func.sum(GLEntry.amount))
            .group_by(GLEntry.account_number))}


def test_invoice_posts_receivables_and_sales_under_a_register(db: Database) -> None:
    books = make_books(db)
    accounts.create(db, books.company_id, AccountCreate(number="6110", display_name="Sales",
                                                        direct_posting=False))
    posting.set_invoice_account(db, books.company_id, "6110")
    assert posting.invoice_account(db, books.company_id) == "6110"
    books.invoice("S1", "C1", "100.00")
    books.invoice("S2", "C2", "80.00", remaining="30.00")
    assert _gl(db) == [
        (1, "2310", Decimal("100.00"), "S1"), (2, "6110", Decimal("-100.00"), "S1"),
        (3, "2310", Decimal("80.00"), "S2"), (4, "6110", Decimal("-80.00"), "S2"),
        (5, "2310", Decimal("-50.00"), "S2"), (6, "6110", Decimal("50.00"), "S2")]
    registers = posting.list_registers(db, books.company_id)
    assert [(r.number, r.source_code, r.from_entry_number, r.to_entry_number,
             r.cust_entry_count) for r in registers] == [
        (1, "SALES", 1, 2, 1), (2, "SALES", 3, 6, 1)]
    # An edit before any payment: the old G/L side out, the new one in.
    s1 = invoices.get(db, books.company_id, books.invoices["S1"].id)
    invoices.update(db, books.company_id, s1.id, SalesInvoiceUpdate(
        total_amount_including_tax=Decimal("120.00"), remaining_amount=Decimal("120.00")),
        version=s1.version)
    assert _by_account(db) == {"2310": Decimal("150.00"), "6110": Decimal("-150.00")}
    # A payment, then the books still reconcile; the invoice register cannot be reversed.
    books.pay("C1", "-120.00", invoice="S1")
    books.post()
    assert _by_account(db)["2310"] == Decimal("30.00")
    before = snapshot(db)
    with pytest.raises(Invalid, match="because it posts sales invoices") as caught:
        posting.reverse(db, books.company_id, 1)
    assert caught.value.field == "number"
    assert snapshot(db) == before
    # Deleting an invoice nothing was posted against takes its G/L side out.
    s2 = invoices.get(db, books.company_id, books.invoices["S2"].id)
    invoices.delete(db, books.company_id, s2.id, version=s2.version)
    assert _by_account(db)["2310"] == Decimal("0.00")
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(GLRegister)) == 5


def test_without_an_invoice_account_invoices_have_no_gl_side(db: Database) -> None:
    books = make_books(db)
    books.invoice("S1", "C1", "100.00")
    assert _gl(db) == []
    with pytest.raises(Invalid, match="Posting") as caught:
        posting.set_invoice_account(db, books.company_id, "1000")  # a heading
    assert caught.value.field == "invoiceAccountNumber"
    assert posting.invoice_account(db, books.company_id) == ""

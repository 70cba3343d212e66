"""Posted ledgers as count + page sources, balances and navigation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from app.db import Database
from app.services import ledgers, posting
from app.services.ledgers import LedgerQuery
from tests.services.books import Books, make_books

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("INV1", "C1", "100.00")
    b.invoice("INV2", "C2", "60.00")
    b.pay("C1", "-100.00", invoice="INV1", document="PAY1")
    b.pay("C2", "-20.00", invoice="INV2", document="PAY2", description="Partial Trey")
    b.post()
    return b


def test_gl_entries_count_page_sort_filter(books: Books) -> None:
    query = LedgerQuery(books.company_id)
    assert ledgers.GL_ENTRIES.count(books.db, query) == 4
    page = ledgers.GL_ENTRIES.page(books.db, query, 1, 2)
    assert [e.entry_number for e in page] == [2, 3]
    assert page[0].account_name == "Bank, Checking" and page[0].register_number == 1
    by_amount = ledgers.page_gl_entries(
        books.db, LedgerQuery(books.company_id, sort="amount", descending=True), 0, 10)
    assert [e.amount for e in by_amount] == [D("100.00"), D("20.00"), D("-20.00"),
                                             D("-100.00")]
    assert (by_amount[0].debit, by_amount[3].credit) == (D("100.00"), D("100.00"))
    filtered = LedgerQuery(books.company_id, filter_text="pay2")
    assert ledgers.count_gl_entries(books.db, filtered) == 2
    assert ledgers.count_gl_entries(books.db, LedgerQuery(books.company_id,
                                                          filter_text="Trey")) == 2
    assert ledgers.count_gl_entries(books.db, LedgerQuery(books.company_id,
                                                          filter_text="%")) == 0


def test_customer_entries_scope_and_open_only(books: Books) -> None:
    c2 = LedgerQuery(books.company_id, customer_id=books.customers["C2"].id)
    assert ledgers.CUSTOMER_ENTRIES.count(books.db, c2) == 2
    rows = ledgers.CUSTOMER_ENTRIES.page(books.db, c2, 0, 10)
    assert [(e.document_type, e.remaining_amount) for e in rows] == [
        ("Invoice", D("40.00")), ("Payment", D("0.00"))]
    assert rows[0].customer_name == "Trey Research"
    open_only = LedgerQuery(books.company_id, open_only=True)
    assert [e.document_number for e in ledgers.page_customer_entries(
        books.db, open_only, 0, 10)] == ["INV2"]


def test_customer_balances(books: Books) -> None:
    query = LedgerQuery(books.company_id, sort="balance", descending=True)
    rows = ledgers.CUSTOMER_BALANCES.page(books.db, query, 0, 10)
    assert [(r.customer_number, r.balance, r.open_entries) for r in rows] == [
        ("C2", D("40.00"), 1), ("C4", D("0.00"), 0), ("C3", D("0.00"), 0),
        ("C1", D("0.00"), 0)]
    assert ledgers.CUSTOMER_BALANCES.count(books.db, LedgerQuery(books.company_id)) == 4
    assert ledgers.count_customer_balances(
        books.db, LedgerQuery(books.company_id, open_only=True)) == 1
    assert ledgers.balances(books.db, books.company_id)[books.customers["C2"].id] == D("40.00")


def test_entries_for_a_payment_document(books: Books) -> None:
    found = ledgers.entries_for_document(books.db, books.company_id, "pay1")
    assert [e.account_number for e in found.gl_entries] == ["2310", "2910"]
    assert [e.document_type for e in found.customer_entries] == ["Payment"]
    assert [e.entry_number for e in ledgers.entries_for_register(books.db, books.company_id,
                                                                  1)] == [1, 2, 3, 4]


def test_registers_list(books: Books) -> None:
    books.pay("C2", "-5.00", day=date(2026, 11, 21))
    books.post()
    registers = posting.list_registers(books.db, books.company_id)
    assert [(r.number, r.gl_entry_count) for r in registers] == [(1, 4), (2, 2)]


@pytest.mark.sqlite_only  # SQLite's own storage (typeof, PRAGMA)
def test_filter_text_is_case_insensitive_where_like_is_not(books: Books) -> None:
    """PostgreSQL's LIKE is case-sensitive; SQLite's is made so here to stand in for it."""
    def case_sensitive_like(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        dbapi_conn.execute("PRAGMA case_sensitive_like=ON")

    event.listen(books.db.engine, "checkout", case_sensitive_like)
    try:
        for text in ("trey", "TREY", "Trey"):
            query = LedgerQuery(books.company_id, filter_text=text)
            assert ledgers.count_gl_entries(books.db, query) == 2
            assert [e.document_number for e in ledgers.page_customer_entries(
                books.db, query, 0, 10)] == ["PAY2"]
        assert [r.customer_number for r in ledgers.page_customer_balances(
            books.db, LedgerQuery(books.company_id, filter_text="trey research"), 0, 10)] \
            == ["C2"]
    finally:
        event.remove(books.db.engine, "checkout", case_sensitive_like)

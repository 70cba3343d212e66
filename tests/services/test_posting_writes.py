"""The fast write paths of posting: what they store is what the slow paths store."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.models import Account, CustLedgerEntry, DetailedCustLedgEntry, GLEntry, GLRegister
from app.services import posting
from app.services.ledger_common import BulkTable
from tests.services.books import Books, make_books

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def _varied_journal(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    books.invoice("INV2", "C2", "80.00")
    books.invoice("INV3", "C2", "50.00")
    books.pay("C1", "-98.00", invoice="INV1", document="P1")  # with a discount
    books.pay("C2", "-30.00", invoice="INV2", document="P2")  # partly
    books.pay("C2", "-70.00", invoice="INV3", document="P3")  # over
    books.pay("C1", "-12.34", document="P4")  # on account


def test_post_returns_the_register_as_read_back(books: Books) -> None:
    """post() gives the counts and totals from the plan it wrote; reading the register
    back from its entries gives the same."""
    _varied_journal(books)
    returned = books.post()
    assert returned == posting.get_register(books.db, books.company_id, returned.number)
    assert (returned.gl_entry_count, returned.cust_entry_count) == (9, 4)
    assert returned.total_debit == returned.total_credit == D("212.34")


def test_reversal_returns_the_register_as_read_back(books: Books) -> None:
    _varied_journal(books)
    books.post()
    reversal = posting.reverse(books.db, books.company_id, 1, user_id="tester").reversal
    assert reversal == posting.get_register(books.db, books.company_id, reversal.number)


def _rows(db: Database, model: Any) -> list[dict[str, Any]]:
    with db.reading() as session:
        table = model.__table__
        return [dict(r._mapping) for r in session.execute(select(table).order_by(table.c.id))]


def test_columns_written_once_hold_the_posting_values(books: Books) -> None:
    """Company, register and what a new entry does not have yet go into the INSERT as
    literals: every row must still carry them; a reversal's rows carry their links."""
    _varied_journal(books)
    books.post()
    posting.reverse(books.db, books.company_id, 1, user_id="tester")
    with books.db.reading() as session:
        registers = {r.number: r.id for r in session.scalars(select(GLRegister))}
    gl = _rows(books.db, GLEntry)
    assert {r["company_id"] for r in gl} == {books.company_id}
    assert {r["register_id"] for r in gl} == set(registers.values())
    first = [r for r in gl if r["register_id"] == registers[1]]
    second = [r for r in gl if r["register_id"] == registers[2]]
    assert len(first) == len(second) == 9
    assert all(r["reversed"] and r["reversed_by_entry_number"] is not None
               and r["reversed_entry_number"] is None for r in first)
    assert all(r["reversed"] and r["reversed_by_entry_number"] is None
               and r["reversed_entry_number"] is not None for r in second)
    entries = [r for r in _rows(books.db, CustLedgerEntry) if r["register_id"] == registers[1]]
    assert entries and all(
        r["company_id"] == books.company_id and r["due_date"] is None
        and r["pmt_discount_date"] is None and r["original_pmt_disc_possible"] == 0
        and r["remaining_pmt_disc_possible"] == 0 and r["reversed_entry_number"] is None
        for r in entries)
    details = [r for r in _rows(books.db, DetailedCustLedgEntry) if r["register_id"]]
    assert details and {r["company_id"] for r in details} == {books.company_id}


@pytest.mark.sqlite_only  # SQLite's own storage (typeof, PRAGMA)
def test_bulk_constants_are_the_values_an_orm_insert_stores(db: Database,
                                                             books: Books) -> None:
    """Constants rendered as SQL literals (a quote in a text, a UUID, None, False, Money
    cents, a date) store exactly what a bound ORM value stores."""
    values: dict[str, Any] = {
        "company_id": uuid.uuid4(), "register_id": None, "posting_date": date(2026, 2, 3),
        "document_type": "Payment", "document_number": "O'NEIL", "external_document_number": "",
        "account_id": None, "account_number": "2910", "description": "it's 'quoted'",
        "amount": D("-12.34"), "source_type": "", "source_id": None, "source_number": "",
        "reversed": False, "reversed_by_entry_number": None, "reversed_entry_number": None}
    with db.transaction() as session:
        values["account_id"] = session.scalar(select(Account.id).where(
            Account.company_id == books.company_id, Account.number == "2910"))
        register = GLRegister(company_id=books.company_id, number=99, from_entry_number=1,
                              to_entry_number=2, journal_code="X")
        session.add(register)
        session.flush()
        values["register_id"] = register.id
        session.add(GLEntry(entry_number=1, **values))
        session.flush()
        constants = {**values, "amount": -1234}
        constants.pop("posting_date")
        bulk = BulkTable(session, GLEntry.__table__, ("entry_number", "posting_date"),
                         constants)
        bulk.insert_converted([(2, bulk.converter("posting_date")(date(2026, 2, 3)))])
    orm, fast = [{k: v for k, v in r.items() if k not in ("id", "entry_number")}
                 for r in _rows(db, GLEntry)]
    assert fast == orm
    with db.reading() as session:
        raw = session.connection().exec_driver_sql(
            "SELECT DISTINCT company_id, typeof(amount), posting_date, description "
            "FROM gl_entry").all()
    assert len(raw) == 1


def test_posting_leaves_no_free_pages_in_a_new_file(tmp_path: Path) -> None:
    """A new file has auto_vacuum=INCREMENTAL; posting gives its deleted lines' pages back."""
    import sqlite3

    from app.db import open_database
    from tests.services.books import bulk_journal

    path = tmp_path / "lean.sqlite"
    db = open_database(path)
    books = make_books(db)
    bulk_journal(books, 3000, apply=True)
    posting.post(db, books.company_id, books.journal_id)
    db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0

"""Undo of a delete puts the lines' applications back (Applies-to ID marks, same entries and
amounts), or refuses the whole restore, naming the line, when an entry cannot take them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.models import PaymentApplication
from app.domain.errors import Conflict
from app.domain.ledger_schemas import ApplicationInput
from app.domain.schemas import JournalCreate, LineApplication, PaymentRead
from app.services import applications, journals, payments
from tests.services.books import Books, make_books, snapshot
from tests.snapshots import dump

D = Decimal
Row = tuple[uuid.UUID, int, Decimal]


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    b.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    b.invoice("OTHER", "C2", "70.00", day=date(2026, 10, 1))
    return b


def _apply(books: Books, line: PaymentRead, *pairs: tuple[str, str]) -> None:
    applications.set_applications(books.db, books.company_id, line.id, [
        ApplicationInput(cust_ledger_entry_id=books.entry_id(n), amount_to_apply=D(a))
        for n, a in pairs])


def application_rows(db: Database) -> list[Row]:
    """Every payment_application row but its surrogate key."""
    with db.reading() as session:
        return sorted((row.payment_id, row.cust_ledger_entry_id, row.amount_to_apply)
                      for row in session.execute(select(
                          PaymentApplication.payment_id, PaymentApplication.cust_ledger_entry_id,
                          PaymentApplication.amount_to_apply)))


def _applied_lines(books: Books) -> list[PaymentRead]:
    first = books.pay("C1", "-120.00")
    _apply(books, first, ("A", "100.00"), ("B", "20.00"))
    second = books.pay("C2", "-70.00")
    _apply(books, second, ("OTHER", "70.00"))
    books.pay("C1", "-5.00")  # on account: no applications
    return payments.list_all(books.db, books.company_id, books.journal_id)


def test_delete_many_then_restore_brings_the_applications_back(books: Books) -> None:
    lines = _applied_lines(books)
    before, rows = dump(books.db), application_rows(books.db)
    assert len(rows) == 3

    deleted = payments.delete_many(books.db, books.company_id,
                                   {line.id: line.version for line in lines})
    assert application_rows(books.db) == []
    assert [list(line.applications) for line in deleted] == [
        [LineApplication(cust_ledger_entry_id=books.entry_id("A"), amount_to_apply=D("100.00")),
         LineApplication(cust_ledger_entry_id=books.entry_id("B"), amount_to_apply=D("20.00"))],
        [LineApplication(cust_ledger_entry_id=books.entry_id("OTHER"),
                         amount_to_apply=D("70.00"))],
        []]
    # not an API property:
    assert "applications" not in deleted[0].model_dump()

    restored = payments.restore(books.db, books.company_id, deleted)
    assert restored == deleted
    assert application_rows(books.db) == rows
    assert dump(books.db) == before
    shown = applications.open_entries(books.db, books.company_id, lines[0].id)
    assert {e.document_number: e.amount_to_apply for e in shown.entries if e.applied} == {
        "A": D("100.00"), "B": D("20.00")}


def test_journal_delete_then_restore_brings_the_applications_back(books: Books) -> None:
    _applied_lines(books)
    journal = journals.get(books.db, books.company_id, books.journal_id)
    before, rows = dump(books.db), application_rows(books.db)
    archive = journals.delete_archived(books.db, books.company_id, journal.id,
                                       version=journal.version)
    assert application_rows(books.db) == []
    assert sum(len(line.applications) for line in archive.lines) == 3
    assert journals.restore(books.db, books.company_id, archive) == journal
    assert application_rows(books.db) == rows
    assert dump(books.db) == before


def test_restore_refused_when_an_entry_has_less_open_now(books: Books) -> None:
    lines = _applied_lines(books)
    deleted = payments.delete_many(books.db, books.company_id,
                                   {line.id: line.version for line in lines})
    # Meanwhile 40.00 of invoice B is paid and posted: 10.00 left, the line applied 20.00.
    books.pay("C1", "-40.00", invoice="B", document="X1")
    books.post()
    before, db_before = snapshot(books.db), dump(books.db)
    with pytest.raises(Conflict) as caught:
        payments.restore(books.db, books.company_id, deleted)
    assert caught.value.message == (
        f"Line {lines[0].line_number} of journal BANK (document P1) cannot be restored with "
        "its applications: Invoice B has 10.00 open now, less than the 20.00 the line "
        "applied to it.")
    assert caught.value.field == "amountToApply"
    assert snapshot(books.db) == before  # no line, no application: all or nothing
    assert dump(books.db) == db_before


def test_restore_refused_when_an_entry_is_closed(books: Books) -> None:
    _applied_lines(books)
    journal = journals.get(books.db, books.company_id, books.journal_id)
    archive = journals.delete_archived(books.db, books.company_id, journal.id,
                                       version=journal.version)
    other = journals.create(books.db, books.company_id, JournalCreate(
        code="CASH", balancing_account_number="2910"))
    books.journal_id = other.id
    books.pay("C2", "-70.00", invoice="OTHER", document="X1")
    books.post()
    before, db_before = snapshot(books.db), dump(books.db)
    with pytest.raises(Conflict) as caught:
        journals.restore(books.db, books.company_id, archive)
    assert caught.value.message == (
        "Line 20000 of journal BANK (document P2) cannot be restored with its applications: "
        "Invoice OTHER has 0.00 open now, less than the 70.00 the line applied to it.")
    assert snapshot(books.db) == before
    assert dump(books.db) == db_before


def test_restore_refused_when_an_entry_no_longer_exists(books: Books) -> None:
    lines = _applied_lines(books)
    deleted = payments.delete_many(books.db, books.company_id,
                                   {line.id: line.version for line in lines})
    gone = LineApplication(cust_ledger_entry_id=999_999, amount_to_apply=D("1.00"))
    # an entry of another customer counts as not there for this line either:
    foreign = LineApplication(cust_ledger_entry_id=books.entry_id("OTHER"),
                              amount_to_apply=D("1.00"))
    for marks, number in (((gone,), 999_999), ((foreign,), books.entry_id("OTHER"))):
        broken = [deleted[0].model_copy(update={"applications": marks}), *deleted[1:]]
        before = dump(books.db)
        with pytest.raises(Conflict) as caught:
            payments.restore(books.db, books.company_id, broken)
        assert caught.value.message == (
            f"Line {lines[0].line_number} of journal BANK (document P1) cannot be restored "
            f"with its applications: customer ledger entry {number} it was applied to no "
            "longer exists.")
        assert caught.value.field == "custLedgerEntryId"
        assert dump(books.db) == before
        assert application_rows(books.db) == []

"""Posting writes its plan in batches (``posting.WRITE_BATCH``) inside the one transaction:
the entries written do not depend on the batch size, and a failure in a later batch leaves
nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.db.models import CustLedgerEntry, DetailedCustLedgEntry, GLEntry
from app.services import ledger_common, posting
from tests.services.books import Books, make_books, snapshot


def _journal(books: Books) -> None:
    """Five payments: full, partial, with a discount, an overpayment and one on account."""
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    books.invoice("INV2", "C2", "80.00")
    books.invoice("INV3", "C1", "60.00")
    books.invoice("INV4", "C2", "40.00")
    books.pay("C1", "-98.00", invoice="INV1", document="P1")
    books.pay("C2", "-30.00", invoice="INV2", document="P2")
    books.pay("C1", "-70.00", invoice="INV3", document="P3")
    books.pay("C2", "-40.00", invoice="INV4", document="P4")
    books.pay("C1", "-15.00", document="P5")


def _written(db: Database) -> dict[str, Any]:
    with db.reading() as session:
        number_of = dict(session.execute(select(CustLedgerEntry.id,
                                                CustLedgerEntry.entry_number)).all())
        return {
            "gl": [(e.entry_number, e.posting_date, e.document_number, e.account_number,
                    e.amount, e.source_number) for e in session.scalars(
                select(GLEntry).order_by(GLEntry.entry_number))],
            "cust": [(e.entry_number, e.customer_number, e.document_number, e.amount,
                      e.remaining_amount, e.open, e.closed_by_entry_number)
                     for e in session.scalars(select(CustLedgerEntry)
                                              .order_by(CustLedgerEntry.entry_number))],
            "detailed": [(number_of[d.cust_ledger_entry_id], d.entry_type, d.amount,
                          number_of.get(d.applied_cust_ledger_entry_id))
                         for d in session.scalars(select(DetailedCustLedgEntry)
                                                  .order_by(DetailedCustLedgEntry.id))],
        }


@pytest.mark.parametrize("batch", [1, 2, 1_000_000])
def test_the_entries_written_do_not_depend_on_the_batch_size(
        db: Database, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    books = make_books(db)
    _journal(books)
    preview = posting.preview(books.db, books.company_id, books.journal_id)
    monkeypatch.setattr(posting, "WRITE_BATCH", batch)
    register = books.post()
    written = _written(db)
    # More rows than one batch (for the small sizes), all written, as preview planned them.
    assert len(written["gl"]) > 2 * batch or batch == 1_000_000
    assert [(e[0], e[3], e[4]) for e in written["gl"]] == [
        (e.entry_number, e.account_number, e.amount) for e in preview.gl_entries]
    assert [(e[0], e[3], e[4], e[5]) for e in written["cust"] if e[2].startswith("P")] == [
        (e.entry_number, e.amount, e.remaining_amount, e.open) for e in preview.cust_entries]
    assert [(d[0], d[1], d[2], d[3]) for d in written["detailed"][-len(
        preview.detailed_entries):]] == [
        (d.cust_ledger_entry_number, d.entry_type, d.amount, d.applied_entry_number)
        for d in preview.detailed_entries]
    assert register.gl_entry_count == len(preview.gl_entries)
    assert register.detailed_entry_count == len(preview.detailed_entries)


def test_a_failure_in_a_later_batch_writes_nothing(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    books = make_books(db)
    _journal(books)
    before = snapshot(db)
    monkeypatch.setattr(posting, "WRITE_BATCH", 2)
    calls: list[int] = []
    real = ledger_common.BulkTable.insert_converted

    def failing(self: Any, rows: Any) -> int:
        calls.append(len(rows))
        if len(calls) == 4:  # the G/L entries' fourth batch: three were written already
            raise RuntimeError("disk went away in batch 4")
        return real(self, rows)

    monkeypatch.setattr(ledger_common.BulkTable, "insert_converted", failing)
    with pytest.raises(RuntimeError, match="batch 4"):
        books.post()
    assert len(calls) == 4
    assert snapshot(db) == before

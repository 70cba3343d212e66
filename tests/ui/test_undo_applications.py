"""Undo (Operations) of deleting payment lines or a journal puts the applications back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.db import Database
from app.domain.ledger_schemas import ApplicationInput
from app.services import applications, journals, payments
from app.ui.operations import Operations
from tests.services.books import make_books
from tests.services.test_restore_applications import application_rows
from tests.snapshots import dump


def test_undo_of_line_and_journal_deletes_restores_applications(ops: Operations,
                                                                db: Database) -> None:
    books = make_books(db)
    books.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    books.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    line = books.pay("C1", "-130.00")
    applications.set_applications(db, books.company_id, line.id, [
        ApplicationInput(cust_ledger_entry_id=books.entry_id("A"),
                         amount_to_apply=Decimal("100.00")),
        ApplicationInput(cust_ledger_entry_id=books.entry_id("B"),
                         amount_to_apply=Decimal("30.00"))])
    books.pay("C1", "-5.00")
    before, rows = dump(db), application_rows(db)
    assert len(rows) == 2

    ops.delete_lines(books.company_id, payments.list_all(db, books.company_id,
                                                         books.journal_id))
    assert application_rows(db) == []
    assert ops.undo()
    assert application_rows(db) == rows
    assert dump(db) == before
    assert ops.redo()
    assert application_rows(db) == []
    assert ops.undo()
    assert application_rows(db) == rows

    journal = journals.get(db, books.company_id, books.journal_id)
    ops.delete("journal", books.company_id, journal)
    assert application_rows(db) == []
    assert ops.undo()
    assert application_rows(db) == rows


def test_apply_entries_is_an_undo_step(ops: Operations, db: Database, boxes: object) -> None:
    """Apply Entries through the gateway pushes "Apply Entries of Payment Line N": undo
    puts the earlier applications back, redo the new ones; refused (nothing changes) once
    the applications were changed elsewhere."""
    from app.ui.posting.steps import ApplyStep, applied_of

    books = make_books(db)
    books.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    books.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    line = books.pay("C1", "-130.00")
    cid = books.company_id
    first = [ApplicationInput(cust_ledger_entry_id=books.entry_id("A"),
                              amount_to_apply=Decimal("100.00"))]
    applications.set_applications(db, cid, line.id, first)
    before = applied_of(applications.open_entries(db, cid, line.id))
    second = [*first, ApplicationInput(cust_ledger_entry_id=books.entry_id("B"),
                                       amount_to_apply=Decimal("30.00"))]

    def step(read: object) -> ApplyStep:
        return ApplyStep(ops, cid, line.id, line.line_number, before,
                         applied_of(read))  # type: ignore[arg-type]

    ops.run(lambda: applications.set_applications(db, cid, line.id, second), step=step)
    after = applied_of(applications.open_entries(db, cid, line.id))
    assert ops.stack.undoText() == f"Apply Entries of Payment Line {line.line_number}"
    assert ops.undo()
    assert applied_of(applications.open_entries(db, cid, line.id)) == before
    assert ops.redo()
    assert applied_of(applications.open_entries(db, cid, line.id)) == after
    applications.set_applications(db, cid, line.id, [])  # another program clears them
    rows = dump(db)
    assert not ops.undo()
    assert dump(db) == rows
    assert "were changed after this step" in boxes.warnings[-1]  # type: ignore[attr-defined]

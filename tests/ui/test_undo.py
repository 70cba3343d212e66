"""Undo and redo of create, edit and delete restore the database exactly (every row of every
table compared, ids included); impossible steps are refused and change nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.db import Database, open_database
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CompanyRead,
    CompanyUpdate,
    CustomerCreate,
    CustomerUpdate,
    JournalCreate,
    JournalUpdate,
    PaymentCreate,
    PaymentUpdate,
    SalesInvoiceCreate,
)
from app.services import companies, customers, journals, payments
from app.ui.operations import Operations
from tests.snapshots import dump
from tests.ui.conftest import Boxes
from tests.ui.ledger_view import Books


def _bank(db: Database, demo: CompanyRead):  # type: ignore[no-untyped-def]
    return journals.find_by_code(db, demo.id, "BANK")


def test_journal_create_undo_redo_exact(ops: Operations, db: Database,
                                        demo: CompanyRead) -> None:
    before = dump(db)
    created = ops.create("journal", demo.id, JournalCreate(
        code="SAVE", display_name="Savings", balancing_account_number="2920"))
    after = dump(db)
    assert ops.stack.undoText() == "New Journal SAVE"
    assert ops.undo()
    assert dump(db) == before
    assert ops.redo()
    assert dump(db) == after  # the same id, version and time
    assert journals.get(db, demo.id, created.id) == created


def test_journal_edit_undo_redo(ops: Operations, db: Database, demo: CompanyRead) -> None:
    bank = _bank(db, demo)
    before = dump(db, without_stamps=True)
    edited = ops.update("journal", demo.id, bank, JournalUpdate(
        display_name="Checking", balancing_account_number="2920"))
    assert edited.balancing_account_number == "2920"
    after = dump(db, without_stamps=True)
    assert ops.stack.undoText() == "Edit Journal BANK"
    assert ops.undo()
    assert dump(db, without_stamps=True) == before
    assert ops.redo()
    assert dump(db, without_stamps=True) == after
    assert ops.undo() and ops.redo() and ops.undo()  # versions kept up to date each time
    assert dump(db, without_stamps=True) == before


def test_journal_delete_undo_restores_its_lines(ops: Operations, db: Database,
                                                demo: CompanyRead) -> None:
    bank = _bank(db, demo)
    before = dump(db)
    ops.delete("journal", demo.id, bank)
    after = dump(db)
    assert len(after["payment"]) == len(before["payment"]) - 7
    assert ops.stack.undoText() == "Delete Journal BANK"
    assert ops.undo()
    assert dump(db) == before  # the journal and its 7 lines: same ids and line numbers
    assert ops.redo()
    assert dump(db) == after
    assert ops.undo()
    assert dump(db) == before


def test_payment_lines_create_edit_delete_undo_redo(ops: Operations, db: Database,
                                                   demo: CompanyRead) -> None:
    bank = _bank(db, demo)
    exact_start = dump(db)
    states = [dump(db, without_stamps=True)]
    line = ops.create_line(demo.id, bank.id, PaymentCreate(
        customer_number="C10010", amount=Decimal("-100.00")))
    assert ops.stack.undoText() == f"New Payment Line {line.line_number}"
    states.append(dump(db, without_stamps=True))
    edited = ops.update_line(demo.id, line, PaymentUpdate(customer_number="C10020",
                                                          amount=Decimal("-120.50")))
    assert edited.description == "School of Fine Art"  # a side effect of the customer
    assert ops.stack.undoText() == f"Edit Payment Line {line.line_number}"
    states.append(dump(db, without_stamps=True))
    lines = payments.list_all(db, demo.id, bank.id)[:3]
    ops.delete_lines(demo.id, lines)
    assert ops.stack.undoText() == "Delete 3 Payment Lines"
    states.append(dump(db, without_stamps=True))

    assert ops.undo()
    assert dump(db, without_stamps=True) == states[2]
    assert ops.undo()  # the edit: customer, description and amount come back together
    edited_back = payments.get(db, demo.id, line.id)
    assert edited_back.customer_number == "C10010"
    assert edited_back.description == "Trey Research"
    assert edited_back.amount == Decimal("-100.00")
    assert ops.undo()
    assert dump(db) == exact_start  # every row exactly as it was, versions included

    # Redo: the same records with the same ids and line numbers. (Versions move on where an
    # edit was undone in between: an undo is a new write that other windows must notice.)
    assert ops.redo()
    assert dump(db, without_stamps=True) == states[1]
    assert payments.get(db, demo.id, line.id).line_number == line.line_number
    assert ops.redo()
    assert dump(db, without_stamps=True) == states[2]
    assert ops.redo()
    assert dump(db, without_stamps=True) == states[3]
    assert ops.undo()
    assert dump(db, without_stamps=True) == states[2]


def test_undo_refused_when_changed_in_another_session(ops: Operations, db: Database,
                                                     demo: CompanyRead, db_path: Path,
                                                     boxes: Boxes) -> None:
    bank = _bank(db, demo)
    ops.update("journal", demo.id, bank, JournalUpdate(display_name="Mine"))
    other = open_database(db_path)  # another process on the same file
    try:
        theirs = journals.get(other, demo.id, bank.id)
        journals.update(other, demo.id, bank.id, JournalUpdate(display_name="Theirs"),
                        version=theirs.version)
    finally:
        other.close()
    before = dump(db)
    assert not ops.undo()
    assert dump(db) == before  # nothing applied, not even half
    assert ops.stack.index() == 1 and ops.stack.canUndo()
    assert len(boxes.warnings) == 1
    assert boxes.warnings[0].startswith("“Edit Journal BANK” cannot be undone.")
    assert "changed in another window or program" in boxes.warnings[0]
    assert journals.get(db, demo.id, bank.id).display_name == "Theirs"


def test_undo_of_an_older_step_refused_after_an_outside_change(
        ops: Operations, db: Database, demo: CompanyRead, boxes: Boxes) -> None:
    """Two edits with another program's change in between: undoing the second is fine,
    undoing the first would overwrite the outside change, so it is refused."""
    bank = _bank(db, demo)
    mine = ops.update("journal", demo.id, bank, JournalUpdate(display_name="Mine"))
    theirs = journals.update(db, demo.id, bank.id, JournalUpdate(display_name="Theirs"),
                             version=mine.version)
    ops.update("journal", demo.id, theirs, JournalUpdate(code="BANK2"))
    assert ops.undo()
    assert journals.get(db, demo.id, bank.id).code == "BANK"
    before = dump(db)
    assert not ops.undo()
    assert dump(db) == before
    assert "was changed after this step" in boxes.warnings[-1]


def test_undo_create_refused_when_lines_were_added_elsewhere(
        ops: Operations, db: Database, demo: CompanyRead, boxes: Boxes) -> None:
    created = ops.create("journal", demo.id, JournalCreate(code="NEW"))
    payments.create(db, demo.id, created.id, PaymentCreate(amount=Decimal("-1")))
    before = dump(db)
    assert not ops.undo()
    assert dump(db) == before
    assert "Journal NEW has 1 lines now" in boxes.warnings[-1]


def test_action_texts_and_history(ops: Operations, db: Database, demo: CompanyRead,
                                  qtbot: object) -> None:
    undo_action = ops.create_undo_action(ops)
    redo_action = ops.create_redo_action(ops)
    assert undo_action.text() == "Undo" and not undo_action.isEnabled()
    ops.create("journal", demo.id, JournalCreate(code="BANK9"))
    assert undo_action.text() == "Undo New Journal BANK9" and undo_action.isEnabled()
    lines = payments.list_all(db, demo.id, _bank(db, demo).id)[:3]
    ops.delete_lines(demo.id, lines)
    assert undo_action.text() == "Undo Delete 3 Payment Lines"
    undo_action.trigger()
    assert redo_action.text() == "Redo Delete 3 Payment Lines"
    assert undo_action.text() == "Undo New Journal BANK9"
    view = ops.create_history_view()
    assert view.stack() is ops.stack
    before = dump(db)
    assert ops.go_to(0)  # what clicking "<no changes yet>" in the history does
    assert journals.list_all(db, demo.id)[-1].code != "BANK9"
    assert ops.go_to(2)
    assert dump(db) != before and len(dump(db)["payment"]) == len(before["payment"]) - 3


def test_changes_signal_carries_the_change_set(ops: Operations, db: Database,
                                               demo: CompanyRead, qtbot: object) -> None:
    from app.domain.changes import ChangeSet, Kind

    seen: list[ChangeSet] = []
    ops.changes.connect(seen.append)
    bank = _bank(db, demo)
    ops.delete("journal", demo.id, bank)
    assert len(seen) == 1  # one call of the gateway, one change-set
    assert {Kind.JOURNAL, Kind.PAYMENT} <= seen[0].kinds and seen[0].company_id == demo.id
    assert seen[0].touches("journal", company_id=demo.id)
    assert not seen[0].touches("customer", "account")
    seen.clear()
    ops.undo()
    assert len(seen) == 1 and {Kind.JOURNAL, Kind.PAYMENT} <= seen[0].kinds


def test_batch_is_one_step_and_all_or_nothing(ops: Operations, db: Database,
                                              demo: CompanyRead, boxes: Boxes) -> None:
    bank = _bank(db, demo)
    before = dump(db)
    with ops.batch("Paste 2 Payment Lines"):
        first = ops.create_line(demo.id, bank.id, PaymentCreate(amount=Decimal("-1")))
        second = ops.create_line(demo.id, bank.id, PaymentCreate(amount=Decimal("-2")))
    assert ops.stack.count() == 1 and ops.stack.undoText() == "Paste 2 Payment Lines"
    # Someone changes the second line elsewhere: undoing the paste must not remove the first.
    payments.update(db, demo.id, second.id, PaymentUpdate(comment="theirs"),
                    version=second.version)
    middle = dump(db)
    assert not ops.undo()
    assert dump(db) == middle
    payments.update(db, demo.id, second.id, PaymentUpdate(comment=""), version=None)
    assert payments.get(db, demo.id, first.id).amount == Decimal("-1")
    assert "cannot be undone" in boxes.warnings[-1]
    assert len(dump(db)["payment"]) == len(before["payment"]) + 2


def test_company_and_master_data_undo(ops: Operations, db: Database, demo: CompanyRead) -> None:
    before = dump(db)
    company = ops.create("company", None, CompanyCreate(name="Second"))
    account = ops.create("account", company.id, AccountCreate(number="2910"))
    customer = ops.create("customer", company.id, CustomerCreate(
        number="K1", display_name="Kay", receivables_account_number="2910"))
    ops.create("invoice", company.id, SalesInvoiceCreate(
        number="I1", invoice_date="2026-11-01", customer_number="K1",
        total_amount_including_tax=Decimal("10")))
    ops.update("customer", company.id, customer, CustomerUpdate(city="Oslo"))
    ops.update("company", None, companies.get(db, company.id), CompanyUpdate(display_name="2nd"))
    full = dump(db, without_stamps=True)
    ops.delete("company", None, companies.get(db, company.id))
    assert customers.list_all(db, demo.id)  # the other company is untouched
    assert ops.undo()
    assert dump(db, without_stamps=True) == full
    assert ops.stack.undoText() == "Edit Company Second"
    assert ops.go_to(0)
    assert dump(db) == before
    assert ops.go_to(ops.stack.count())
    assert dump(db)["company"] == before["company"]  # redo of the delete
    assert account.number == "2910"


def test_direct_stack_undo_drops_a_refused_step(ops: Operations, db: Database,
                                                demo: CompanyRead, boxes: Boxes) -> None:
    """Code that drives QUndoStack itself gets the same refusal; the step leaves the stack."""
    bank = _bank(db, demo)
    mine = ops.update("journal", demo.id, bank, JournalUpdate(display_name="Mine"))
    journals.update(db, demo.id, bank.id, JournalUpdate(display_name="Theirs"),
                    version=mine.version)
    before = dump(db)
    ops.stack.undo()
    assert dump(db) == before
    assert ops.stack.count() == 0
    assert "cannot be undone" in boxes.warnings[-1]


@pytest.mark.parametrize("kind", ["account", "customer", "invoice"])
def test_master_data_delete_undo_exact(ops: Operations, db: Database, demo: CompanyRead,
                                       kind: str) -> None:
    from app.services import accounts, invoices

    record = {"account": lambda: next(a for a in accounts.list_all(db, demo.id)
                                      if a.number == "2920"),  # unused (6110: sales)
              "customer": lambda: customers.list_all(db, demo.id)[-1],
              "invoice": lambda: invoices.list_all(db, demo.id)[-1]}[kind]()
    if kind != "invoice":  # nothing of the ledgers is written: every row exactly
        before = dump(db)
        ops.delete(kind, demo.id, record)
        after = dump(db)
        assert ops.undo() and dump(db) == before
        assert ops.redo() and dump(db) == after
        return
    # An invoice's delete and its undo each write G/L entries under a new register (never
    # reused numbers): the books are as before in the sense of tests/ui/ledger_view.py.
    books = Books(db)
    ops.delete(kind, demo.id, record)
    deleted = Books(db)
    assert record.number not in {n for _a, _k, n, _c in deleted.balances}  # its G/L side out
    with pytest.raises(AssertionError):  # the check fails on books without the invoice
        books.assert_restored(deleted)
    assert ops.undo()
    books.assert_restored(Books(db))
    assert ops.redo()
    deleted.assert_restored(Books(db))

"""The posting screens: apply dialog, preview, test report, post action, ledger views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.db import Database
from app.services import applications, ledgers, posting
from app.ui.posting import actions
from app.ui.posting.apply_dialog import ApplyEntriesDialog
from app.ui.posting.dialogs import PreviewPostingDialog, TestReportDialog
from tests.services.books import Books, make_books, snapshot

D = Decimal


def _save(books: Books, payment_id: object) -> object:
    """The dialog saves through a gateway, as the window's Apply Entries does."""
    from app.ui.operations import Operations

    gateway = Operations(books.db)
    return lambda inputs: gateway.run(lambda: applications.set_applications(
        books.db, books.company_id, payment_id, inputs))  # type: ignore[arg-type]


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("A", "C1", "100.00", day=date(2026, 10, 1), discount="3.00",
              discount_date=date(2026, 11, 25))
    b.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    b.invoice("LATE", "C1", "10.00", day=date(2026, 11, 28))
    return b


def _row(dialog: ApplyEntriesDialog, number: str) -> int:
    return next(i for i, e in enumerate(dialog.model.entries) if e.document_number == number)


def test_apply_dialog_marks_entries_and_saves(qtbot: object, books: Books,
                                              qtmodeltester: object) -> None:
    line = books.pay("C1", "-120.00")
    dialog = ApplyEntriesDialog(books.db, books.company_id, line.id,
                                save=_save(books, line.id))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    model = dialog.model
    assert [e.document_number for e in model.entries] == ["A", "B", "LATE"]
    late = model.index(_row(dialog, "LATE"), 0)
    assert not model.flags(late) & Qt.ItemFlag.ItemIsEnabled  # posted after the payment
    # Check A: its amount defaults to the remaining amount less the discount.
    assert model.setData(model.index(_row(dialog, "A"), 0), Qt.CheckState.Checked.value,
                         Qt.ItemDataRole.CheckStateRole)
    assert model.index(0, 8).data() == "97.00"
    assert dialog.applied_label.text() == "Applied Amount: 97.00"
    # Type an amount for B.
    assert model.setData(model.index(_row(dialog, "B"), 8), "20")
    assert dialog.applied_label.text() == "Applied Amount: 117.00"
    assert "3.00" in dialog.left_label.text()
    dialog.save()
    assert dialog.result() == ApplyEntriesDialog.DialogCode.Accepted
    saved = applications.open_entries(books.db, books.company_id, line.id)
    assert {e.document_number: e.amount_to_apply for e in saved.entries if e.applied} == {
        "A": D("97.00"), "B": D("20.00")}


def test_apply_dialog_apply_to_oldest_and_refusal(qtbot: object, books: Books) -> None:
    line = books.pay("C1", "-120.00")
    dialog = ApplyEntriesDialog(books.db, books.company_id, line.id,
                                save=_save(books, line.id))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.findChild(type(dialog.buttons.buttons()[0]),  # type: ignore[attr-defined]
                                      "applyToOldestButton"), Qt.MouseButton.LeftButton)
    assert {dialog.model.entries[r].document_number: a for r in range(3)
            for a in [dialog.model.amounts.get(dialog.model.entries[r].id)] if a} == {
        "A": D("97.00"), "B": D("23.00")}
    assert dialog.left_label.text() == "The payment is fully applied"
    # Too much on B: refused with Business Central's message, nothing saved, dialog open.
    dialog.model.setData(dialog.model.index(_row(dialog, "B"), 8), "60")
    before = snapshot(books.db)
    dialog.save()
    assert "Amount to Apply must not be larger than Remaining Amount" in \
        dialog.error_label.text()
    assert dialog.result() != ApplyEntriesDialog.DialogCode.Accepted
    assert snapshot(books.db) == before


def test_preview_dialog_counts_and_drill_down(qtbot: object, books: Books,
                                              qtmodeltester: object, tmp_path: Path) -> None:
    books.pay("C1", "-97.00", invoice="A", document="P1")
    books.pay("C2", "-40.00", document="P2")
    before = snapshot(books.db)
    preview = posting.preview(books.db, books.company_id, books.journal_id)
    dialog = PreviewPostingDialog(preview)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    counts = dialog.counts
    qtmodeltester.check(counts)  # type: ignore[attr-defined]
    assert [(counts.index(r, 0).data(), counts.index(r, 1).data())
            for r in range(counts.rowCount())] == [
        ("G/L Entry", "5"), ("Cust. Ledger Entry", "2"), ("Detailed Cust. Ledg. Entry", "5")]
    assert dialog.entries_label.text() == "G/L Entry: 5 entries"  # the first table is shown
    dialog.counts_view.selectRow(2)
    assert dialog.entries_label.text() == "Detailed Cust. Ledg. Entry: 5 entries"
    qtmodeltester.check(dialog.entries_model)  # type: ignore[attr-defined]
    dialog.counts_view.selectRow(1)  # the payments, and the invoice they close
    shown = [dialog.entries_model.index(r, 3).data()
             for r in range(dialog.entries_model.rowCount())]
    assert shown == ["P1", "P2", "A"]
    assert snapshot(books.db) == before  # previewing wrote nothing
    assert dialog.grab().save(str(tmp_path / "preview.png"))  # renders without a window


def test_test_report_dialog_lists_and_saves_pdf(qtbot: object, books: Books,
                                                tmp_path: Path) -> None:
    books.pay("C1", "10.00")
    books.pay("C1", "-5.00", day=date(2027, 2, 1))
    dialog = TestReportDialog(books.db, books.company_id, books.journal_id)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 0).data() == "10000"
    assert dialog.model.index(1, 2).data() == ("Posting Date is not within your range of "
                                               "allowed posting dates.")
    target = dialog.save_pdf(tmp_path / "report.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert "Amount must be negative" in dialog.html()


def test_ledger_views(qtbot: object, books: Books, qtmodeltester: object) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    books.post()
    gl = actions.gl_entries_widget(books.db, books.company_id)
    cust = actions.customer_ledger_widget(books.db, books.company_id)
    balances = actions.customer_balances_widget(books.db, books.company_id)
    for widget in (gl, cust, balances):
        qtbot.addWidget(widget)  # type: ignore[attr-defined]
        qtmodeltester.check(widget.model)  # type: ignore[attr-defined]
    assert gl.view.objectName() == "glEntriesView"
    assert cust.view.objectName() == "customerLedgerView"
    assert gl.model.rowCount() == 2 and cust.model.rowCount() == 4
    amount_column = gl.model.column_of("amount")
    gl.model.sort(amount_column, Qt.SortOrder.DescendingOrder)
    assert gl.model.index(0, amount_column).data() == gl.model.display(
        gl.model.columns[amount_column], D("50.00"))
    assert gl.model.index(1, amount_column).data(Qt.ItemDataRole.ForegroundRole) is not None
    cust.filter.setText("P1")  # the filter box: applied once typing pauses
    qtbot.waitUntil(lambda: cust.model.rowCount() == 1, timeout=3000)  # type: ignore[attr-defined]
    assert balances.model.rowCount() == 4
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("110.00")
    assert not gl.model.index(5, 0).isValid()
    assert gl.model.data(QModelIndex()) is None


def test_apply_dialog_by_keyboard(qtbot: object, books: Books) -> None:
    line = books.pay("C1", "-40.00")
    dialog = ApplyEntriesDialog(books.db, books.company_id, line.id,
                                save=_save(books, line.id))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.view.setCurrentIndex(dialog.model.index(_row(dialog, "B"), 0))
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert dialog.applied_label.text() == "Applied Amount: 40.00"  # no more than the payment
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert dialog.applied_label.text() == "Applied Amount: 0.00"

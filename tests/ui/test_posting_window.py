"""Issue 5 end to end from the MAIN WINDOW: Shift+F11 applies, test report, preview, F9 posts
off the GUI thread, Undo reverses (and puts the lines back), Redo posts again, the ledger tabs,
Navigate, G/L Registers' Reverse, and the refusals that change nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import JournalUpdate
from app.services import applications, invoices, journals, ledgers, payments, posting
from app.ui import busy as steps  # the worker thread behind the progress dialog
from app.ui.main_window import MainWindow
from app.ui.panes.posting import POST_QUESTION, NavigateDialog
from app.ui.posting.apply_dialog import ApplyEntriesDialog
from app.ui.posting.dialogs import PreviewPostingDialog, TestReportDialog
from app.ui.settings import Settings
from tests.services.books import Books, make_books
from tests.snapshots import dump
from tests.ui.conftest import Boxes
from tests.ui.modal import when_modal

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    b.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    b.invoice("X", "C2", "80.00", day=date(2026, 10, 7))
    return b


@pytest.fixture
def win(qtbot: QtBot, books: Books, boxes: Boxes, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.set_database(books.db)
    main.select_company(books.company_id)
    main.select_journal(books.journal_id)
    yield main
    if main.posting.last_posted is not None:
        main.posting.last_posted.close()
    if main.editing.ops is not None:
        main.editing.ops.stack.clear()


def _show(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _when_modal(kind: type[QDialog], act: Callable[[QDialog], None]) -> list[QDialog]:
    """Run ``act`` on the next modal dialog of ``kind`` once it shows; ``act`` closes it."""
    return when_modal(kind, act)


def _close_posted(win: MainWindow) -> str:
    """Posting ends with the posted dialog (window-modal, opened without blocking): close it
    with Escape, as the user would; its text."""
    dialog = win.posting.last_posted
    assert dialog is not None and dialog.isVisible()
    assert dialog.objectName() == "postedDialog"
    label = dialog.findChild(QLabel, "postedText")
    assert label is not None
    said = label.text()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    return said


def _ledger_rows(win: MainWindow, name: str) -> list[object]:
    model = win.posting.ledgers[name].model
    return [model.row_at(r) for r in range(model.rowCount())]


def _invoice_remaining(books: Books) -> dict[str, Decimal]:
    return {i.number: i.remaining_amount for i in invoices.list_all(books.db, books.company_id)}


def _gl_balances(books: Books) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for entry in ledgers.page_gl_entries(books.db, ledgers.LedgerQuery(books.company_id), 0,
                                         10_000):
        totals[entry.account_number] = totals.get(entry.account_number, D(0)) + entry.amount
    return {k: v for k, v in totals.items() if v}


def test_posting_menu_and_keys(win: MainWindow) -> None:
    names = [a.objectName() for a in win.posting.menu.actions() if a.objectName()]
    assert names == ["actionApplyEntries", "actionNavigate", "actionTestReport",
                     "actionPreviewPosting", "actionPost", "actionShowLedger",
                     "actionShowRegisters", "actionReverseRegister"]
    assert win.posting.actionApplyEntries.shortcut().toString() == "Shift+F11"
    assert win.posting.actionPost.shortcut().toString() == "F9"
    assert win.posting.actionNavigate.shortcut().toString() == "Ctrl+Shift+I"
    assert all(a.isEnabled() for a in win.posting.menu.actions() if a.objectName())
    tabs = win.findChild(QTabWidget, "lookupTabs")
    assert tabs is not None
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Customers", "Open Invoices", "G/L Accounts", "G/L Entries", "Customer Ledger Entries",
        "Customer Balances", "G/L Registers"]


def test_shift_f11_opens_apply_dialog_and_the_application_is_stored(
        qtbot: QtBot, win: MainWindow, books: Books) -> None:
    line = books.pay("C1", "-120.00", document="P1")
    win.refresh_all()
    _show(qtbot, win)
    model = win.payments_model()
    win.paymentsView.setCurrentIndex(model.index(model.row_of(line.id) or 0, 1))
    win.paymentsView.setFocus()

    def apply(dialog: QDialog) -> None:
        assert isinstance(dialog, ApplyEntriesDialog)
        entries = dialog.model.entries
        row = next(i for i, e in enumerate(entries) if e.document_number == "A")
        assert dialog.model.setData(dialog.model.index(row, 0), Qt.CheckState.Checked.value,
                                    Qt.ItemDataRole.CheckStateRole)
        dialog.save()

    seen = _when_modal(ApplyEntriesDialog, apply)
    qtbot.keyClick(win.paymentsView, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    assert len(seen) == 1
    stored = applications.open_entries(books.db, books.company_id, line.id)
    assert {e.document_number: e.amount_to_apply for e in stored.entries if e.applied} == {
        "A": D("100.00")}
    # Through the gateway: an undo step, which takes the application back.
    assert win.actionUndo.text() == f"Undo Apply Entries of Payment Line {line.line_number}"
    win.actionUndo.trigger()
    stored = applications.open_entries(books.db, books.company_id, line.id)
    assert not any(e.applied for e in stored.entries)


def test_preview_from_the_window_shows_counts_and_writes_nothing(
        qtbot: QtBot, win: MainWindow, books: Books, qtmodeltester: object) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    before = dump(books.db)
    counts: list[list[tuple[str, str]]] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, PreviewPostingDialog)
        qtmodeltester.check(dialog.counts)  # type: ignore[attr-defined]
        counts.append([(dialog.counts.index(r, 0).data(), dialog.counts.index(r, 1).data())
                       for r in range(dialog.counts.rowCount())])
        dialog.accept()

    _when_modal(PreviewPostingDialog, look)
    win.posting.actionPreviewPosting.trigger()
    assert counts == [[("G/L Entry", "2"), ("Cust. Ledger Entry", "1"),
                       ("Detailed Cust. Ledg. Entry", "3")]]
    assert dump(books.db) == before


def test_preview_refused_by_the_check_shows_the_problem_and_writes_nothing(
        win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "10.00", document="P1")
    before = dump(books.db)
    win.posting.actionPreviewPosting.trigger()
    assert len(boxes.warnings) == 1 and "Amount must be negative" in boxes.warnings[0]
    assert dump(books.db) == before


def test_test_report_from_the_window_lists_the_problem(
        qtbot: QtBot, win: MainWindow, books: Books) -> None:
    books.pay("C1", "10.00", document="P1")
    before = dump(books.db)
    shown: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, TestReportDialog)
        shown.append(dialog.html())
        dialog.accept()

    _when_modal(TestReportDialog, look)
    win.posting.actionTestReport.trigger()
    assert len(shown) == 1 and "Amount must be negative" in shown[0]
    assert dump(books.db) == before


def test_post_refused_by_the_check_writes_nothing_and_shows_the_errors(
        win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "10.00", document="P1")
    before = dump(books.db)
    boxes.answers = ["Yes"]
    assert win.posting.post() is None
    assert boxes.questions == [POST_QUESTION]
    assert any("Amount must be negative" in w for w in boxes.warnings)
    assert dump(books.db) == before
    assert win.editing.ops is not None and win.editing.ops.stack.count() == 0


def test_post_answered_no_posts_nothing(win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    before = dump(books.db)
    boxes.answers = ["No"]
    assert win.posting.post() is None
    assert dump(books.db) == before


def test_f9_posts_then_undo_reverses_and_brings_the_lines_back_then_redo_posts_again(
        qtbot: QtBot, win: MainWindow, books: Books, boxes: Boxes) -> None:
    first = books.pay("C1", "-50.00", invoice="B", document="P1")
    second = books.pay("C2", "-30.00", document="P2")
    applications.set_applications(books.db, books.company_id, second.id, [
        applications.ApplicationInput(cust_ledger_entry_id=next(
            e.id for e in applications.open_entries(books.db, books.company_id,
                                                    second.id).entries
            if e.document_number == "X"), amount_to_apply=D("30.00"))])
    win.refresh_all()
    lines_before = payments.list_all(books.db, books.company_id, books.journal_id)
    applied_before = applications.of_journal(books.db, books.company_id, books.journal_id)
    remaining_before = _invoice_remaining(books)
    gl_before = _gl_balances(books)
    _show(qtbot, win)
    win.paymentsView.setFocus()
    boxes.answers = ["Yes"]
    qtbot.keyClick(win.paymentsView, Qt.Key.Key_F9)
    assert boxes.questions == [POST_QUESTION]
    _close_posted(win)
    assert boxes.warnings == []
    registers = posting.list_registers(books.db, books.company_id)
    assert [r.number for r in registers] == [1]
    assert payments.list_all(books.db, books.company_id, books.journal_id) == []
    assert win.payments_model().rowCount() == 0
    qtbot.waitUntil(lambda: win.lineCountLabel.text() == "Lines: 0")
    # The ledger tabs show the entries; the invoices' remaining amounts changed.
    gl = _ledger_rows(win, "glEntriesView")
    assert len(gl) == 4 and {e.document_number for e in gl} == {"P1", "P2"}  # type: ignore[attr-defined]
    cust = {(e.document_type, e.document_number): e.remaining_amount  # type: ignore[attr-defined]
            for e in _ledger_rows(win, "customerLedgerView")}
    assert cust[("Invoice", "B")] == D("0.00") and cust[("Invoice", "X")] == D("50.00")
    balances = {b.customer_number: b.balance  # type: ignore[attr-defined]
                for b in _ledger_rows(win, "customerBalancesView")
                if b.balance}  # type: ignore[attr-defined]
    assert balances == {"C1": D("100.00"), "C2": D("50.00")}
    assert win.posting.registers is not None
    assert win.posting.registers.model.rowCount() == 1
    open_invoices = {r.number for r in (win.model_of("invoicesView").row_at(i) for i in range(
        win.model_of("invoicesView").rowCount())) if r is not None}
    assert "B" not in open_invoices
    assert win.actionUndo.text() == "Undo Post Journal BANK"

    # Undo: the reversal, and the lines back with their ids, versions and applications.
    assert win.editing.ops is not None
    assert win.editing.ops.undo()
    assert _invoice_remaining(books) == remaining_before
    assert _gl_balances(books) == gl_before
    assert payments.list_all(books.db, books.company_id, books.journal_id) == lines_before
    assert applications.of_journal(books.db, books.company_id, books.journal_id) == \
        applied_before
    assert [(r.number, r.reversed) for r in posting.list_registers(
        books.db, books.company_id)] == [(1, True), (2, True)]
    assert win.payments_model().rowCount() == 2
    assert win.posting.registers.model.rowCount() == 2
    assert len(_ledger_rows(win, "glEntriesView")) == 8
    assert {first.id, second.id} == {line.id for line in lines_before}

    # Redo posts them again: a new register.
    assert win.editing.ops.redo()
    assert [r.number for r in posting.list_registers(books.db, books.company_id)] == [1, 2, 3]
    assert payments.list_all(books.db, books.company_id, books.journal_id) == []
    assert _invoice_remaining(books)["B"] == D("0.00")


def test_undo_of_a_posting_reversed_meanwhile_is_refused_and_changes_nothing(
        win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    boxes.answers = ["Yes"]
    register = win.posting.post()
    assert register is not None
    _close_posted(win)
    # Reversed by another program (a reversal in this window clears Edit > Undo: below).
    posting.reverse(books.db, books.company_id, register.number)
    assert [r.reversed for r in posting.list_registers(books.db, books.company_id)] == [
        True, True]
    assert _invoice_remaining(books)["B"] == D("50.00")
    before = dump(books.db)
    assert win.editing.ops is not None
    assert not win.editing.ops.undo()
    assert any("“Post Journal BANK” cannot be undone" in w and "already been involved in a "
               "reversal" in w for w in boxes.warnings)
    assert dump(books.db) == before
    assert win.editing.ops.stack.index() == 1  # still on the stack, not undone


def test_a_reversal_in_the_window_clears_undo_and_says_so(
        win: MainWindow, books: Books, boxes: Boxes) -> None:
    """A reversal cannot be undone: Undo must not skip over it to take back the posting (or
    anything older), so the steps before it are cleared, and the status bar says so."""
    books.pay("C1", "-50.00", invoice="B", document="P1")
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    assert win.actionUndo.isEnabled()
    win.posting.registers.view.selectRow(0)  # type: ignore[union-attr]
    boxes.answers = ["Yes"]
    win.posting.actionReverseRegister.trigger()
    assert [r.reversed for r in posting.list_registers(books.db, books.company_id)] == [
        True, True]
    assert win.editing.ops is not None and win.editing.ops.stack.count() == 0
    assert not win.actionUndo.isEnabled()
    assert "A reversal cannot be undone" in win.statusBar().currentMessage()


def test_posting_too_many_lines_clears_undo_and_says_so(
        win: MainWindow, books: Books, boxes: Boxes, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import operations

    books.pay("C1", "-50.00", invoice="B", document="P1")
    books.pay("C1", "-5.00", document="P2")
    assert win.editing.ops is not None
    journal = journals.get(books.db, books.company_id, books.journal_id)
    win.editing.ops.update("journal", books.company_id, journal,
                           JournalUpdate(display_name="Before posting"))  # an older step
    monkeypatch.setattr(operations, "UNDO_LINE_LIMIT", 1)
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    assert "too big to undo" in _close_posted(win)
    assert "too many to keep for Undo" in boxes.questions[-1]
    assert win.editing.ops.stack.count() == 0 and not win.actionUndo.isEnabled()
    assert "too big to undo" in win.statusBar().currentMessage()
    assert not win.editing.ops.undo()  # Ctrl+Z does nothing: the journal keeps its name
    assert journals.get(books.db, books.company_id, books.journal_id).display_name == \
        "Before posting"


def test_undo_refused_when_a_line_number_was_taken_again(
        win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    books.pay("C2", "-5.00", document="P9")  # takes line 10000 again
    before = dump(books.db)
    assert win.editing.ops is not None and not win.editing.ops.undo()
    assert any("Line 10000 already exists again in journal BANK" in w for w in boxes.warnings)
    assert dump(books.db) == before  # not even the reversal was kept


def test_redo_refused_when_the_journal_changed(win: MainWindow, books: Books,
                                               boxes: Boxes) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    ops = win.editing.ops
    assert ops is not None and ops.undo()
    books.pay("C2", "-5.00", document="P9")  # a new line since: redo would post it too
    before = dump(books.db)
    assert not ops.redo()
    assert any("“Post Journal BANK” cannot be redone" in w for w in boxes.warnings)
    assert dump(books.db) == before


def test_cancel_rolls_the_posting_back(win: MainWindow, books: Books, boxes: Boxes,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    books.pay("C1", "-50.00", invoice="B", document="P1")
    before = dump(books.db)
    real = steps._Worker.report

    def cancel_at_gl(self: steps._Worker, stage: str) -> None:
        if stage == "gl entries":  # half-way: the register is written, not committed
            self.cancel_requested.set()
        real(self, stage)

    monkeypatch.setattr(steps._Worker, "report", cancel_at_gl)
    boxes.answers = ["Yes"]
    assert win.posting.post() is None
    assert "The posting was cancelled. Nothing was posted." in boxes.warnings
    assert dump(books.db) == before
    assert win.editing.ops is not None and win.editing.ops.stack.count() == 0


def test_post_runs_off_the_gui_thread(win: MainWindow, books: Books, boxes: Boxes,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    books.pay("C1", "-50.00", invoice="B", document="P1")
    threads: list[bool] = []
    real = steps._Worker.report

    def spy(self: steps._Worker, stage: str) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        real(self, stage)

    monkeypatch.setattr(steps._Worker, "report", spy)
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    assert threads and not any(threads)


def test_navigate_from_a_line_and_from_a_ledger_entry(
        qtbot: QtBot, win: MainWindow, books: Books, boxes: Boxes,
        qtmodeltester: object) -> None:
    line = books.pay("C1", "-60.00", document="P1")
    applications.apply_to_oldest(books.db, books.company_id, line.id)
    win.refresh_all()
    _show(qtbot, win)
    win.paymentsView.setCurrentIndex(win.payments_model().index(0, 1))
    win.paymentsView.setFocus()
    seen: list[tuple[str, int, int, list[str]]] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, NavigateDialog)
        for model in dialog.models.values():
            qtmodeltester.check(model)  # type: ignore[attr-defined]
        applied = dialog.models.get("navigateAppliedView")
        seen.append((dialog.found.document_number, len(dialog.found.gl_entries),
                     len(dialog.found.customer_entries),
                     [applied.index(r, 2).data() for r in range(applied.rowCount())]
                     if applied is not None else []))
        dialog.accept()

    _when_modal(NavigateDialog, look)
    qtbot.keyClick(win.paymentsView, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seen == [("P1", 0, 0, ["A"])]  # not posted yet: what it is applied to
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    win.posting.show_tab("customerLedgerView")
    view = win.posting.ledgers["customerLedgerView"].view
    model = win.posting.ledgers["customerLedgerView"].model
    row = next(r for r in range(model.rowCount())
               if model.row_at(r).document_number == "P1")  # type: ignore[union-attr]
    view.setCurrentIndex(model.index(row, 0))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    _when_modal(NavigateDialog, look)
    win.posting.actionNavigate.trigger()
    assert seen[1] == ("P1", 2, 1, [])


def test_ledger_tabs_follow_the_company(win: MainWindow, books: Books, boxes: Boxes,
                                        db: Database, qtmodeltester: object) -> None:
    from app.domain.schemas import CompanyCreate
    from app.services import companies

    books.pay("C1", "-50.00", invoice="B", document="P1")
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    assert len(_ledger_rows(win, "glEntriesView")) == 2
    for widget in win.posting.ledgers.values():
        qtmodeltester.check(widget.model)  # type: ignore[attr-defined]
    assert win.posting.registers is not None
    qtmodeltester.check(win.posting.registers.model)  # type: ignore[attr-defined]
    other = companies.create(db, CompanyCreate(name="Other"))
    win.refresh_all()
    win.select_company(other.id)
    assert _ledger_rows(win, "glEntriesView") == []
    assert win.posting.registers.model.rowCount() == 0
    win.select_company(books.company_id)
    assert len(_ledger_rows(win, "glEntriesView")) == 2


def test_journals_list_shows_three_journals(win: MainWindow) -> None:
    box: QWidget = win.boxes["journalsView"]
    rows = win.journalsView.verticalHeader().defaultSectionSize()
    assert box.minimumHeight() >= 3 * rows + win.journalsView.horizontalHeader().sizeHint(
    ).height()


def test_company_dialog_sets_discount_account_and_posting_period(
        qtbot: QtBot, win: MainWindow, books: Books) -> None:
    from PySide6.QtWidgets import QLineEdit

    from app.services import companies
    from app.ui.dialogs import FormDialog

    _show(qtbot, win)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, FormDialog)
        for name, text in (("paymentDiscountAccountNumber", "1000"),
                           ("allowPostingFrom", "2026-11-01"),
                           ("allowPostingTo", "2026-11-30"), ("workDate", "2026-11-21")):
            edit = dialog.findChild(QLineEdit, name)
            assert edit is not None, name
            edit.setFocus()
            edit.selectAll()
            qtbot.keyClicks(edit, text)
        before = dump(books.db)
        dialog.accept()  # 1000 is a heading: refused at its field, nothing written
        assert dialog.isVisible()
        assert dump(books.db) == before
        edit = dialog.findChild(QLineEdit, "paymentDiscountAccountNumber")
        assert edit is not None
        edit.selectAll()
        qtbot.keyClicks(edit, "2920")
        dialog.accept()

    seen = _when_modal(FormDialog, fill)
    win.editing.edit("company")
    assert len(seen) == 1
    company = companies.get(books.db, books.company_id)
    assert company.payment_discount_account_number == "2920"
    assert (company.allow_posting_from, company.allow_posting_to, company.work_date) == (
        date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 21))
    assert posting.payment_discount_account(books.db, books.company_id) == "2920"
    # Undo puts the previous setup back.
    assert win.editing.ops is not None and win.editing.ops.undo()
    assert posting.payment_discount_account(books.db, books.company_id) == "9250"


def test_company_service_refuses_a_heading_as_discount_account(books: Books) -> None:
    from app.domain.errors import DomainError
    from app.domain.schemas import CompanyUpdate
    from app.services import companies

    before = dump(books.db)
    with pytest.raises(DomainError) as refused:
        companies.update(books.db, books.company_id,
                         CompanyUpdate(payment_discount_account_number="1000"), version=None)
    assert refused.value.field == "paymentDiscountAccountNumber"
    assert "Account Type must be equal to 'Posting'" in refused.value.message
    assert dump(books.db) == before


def test_a_journal_too_big_for_undo_posts_without_a_step_and_says_so(
        win: MainWindow, books: Books, boxes: Boxes, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import operations

    monkeypatch.setattr(operations, "UNDO_LINE_LIMIT", 1)
    books.pay("C1", "-50.00", invoice="B", document="P1")
    books.pay("C2", "-10.00", document="P2")
    boxes.answers = ["Yes"]
    assert win.posting.post() is not None
    _close_posted(win)
    assert "too many to keep for Undo" in boxes.questions[0]
    assert win.editing.ops is not None and win.editing.ops.stack.count() == 0
    assert len(_ledger_rows(win, "glEntriesView")) == 4  # the views refreshed all the same
    assert win.payments_model().rowCount() == 0


def test_posting_ends_with_the_posted_dialog_and_show_entries_selects_the_register(
        qtbot: QtBot, win: MainWindow, books: Books, boxes: Boxes) -> None:
    books.pay("C1", "-1050.00", document="P1")
    books.pay("C2", "-30.00", document="P2")
    win.refresh_all()
    _show(qtbot, win)
    win.paymentsView.setFocus()
    boxes.answers = ["Yes"]
    qtbot.keyClick(win.paymentsView, Qt.Key.Key_F9)
    register = posting.list_registers(books.db, books.company_id)[-1]
    dialog = win.posting.last_posted
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    text = dialog.findChild(QWidget, "postedText")
    assert text is not None
    said = text.text()  # type: ignore[attr-defined]
    assert f"G/L Register {register.number} posted" in said
    assert "2 journal lines" in said and "total 1,080.00" in said
    assert "Edit > Undo reverses the posting" in said
    assert "The journal lines were successfully posted." in win.statusBar().currentMessage()
    button = dialog.findChild(QWidget, "showEntriesButton")
    assert button is not None and button.isDefault()  # type: ignore[attr-defined]
    # Enter is Show Entries: G/L Registers, the posted register selected, the focus on it.
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    tabs = win.findChild(QTabWidget, "lookupTabs")
    assert tabs is not None and tabs.currentWidget().objectName() == "registersBox"
    selected = win.posting.lookups.selected_register()
    assert selected is not None and selected.number == register.number
    # The window's focus widget (the application's is None until the window manager gives
    # the window back its activation, which the offscreen platform may never do).
    qtbot.waitUntil(lambda: win.focusWidget() is not None
                    and win.focusWidget().objectName() == "registersView")


def test_no_garbage_collection_runs_while_the_worker_runs(qtbot: QtBot) -> None:
    """The collector would run in the worker thread if it allocated there, and freeing a Qt
    wrapper held in a cycle off the GUI thread crashes the process (the keyboard test did,
    on Ctrl+Z): run_busy turns it off for the job and back on after, even if the job fails."""
    import gc

    seen: list[bool] = []

    def job(_progress: Callable[[str], None]) -> str:
        seen.append(gc.isenabled())
        return "done"

    assert gc.isenabled()
    assert steps.run_busy(None, "Test", "Working…", job) == "done"
    assert seen == [False] and gc.isenabled()

    def fails(_progress: Callable[[str], None]) -> str:
        raise RuntimeError("the job failed")

    with pytest.raises(RuntimeError, match="the job failed"):
        steps.run_busy(None, "Test", "Working…", fails)
    assert gc.isenabled()

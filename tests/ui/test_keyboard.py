"""Keyboard alone (issue 15): F6 through every pane, Ctrl+PageDown through every tab, three
lines entered, one applied (Shift+F11), Preview (Ctrl+Shift+F9), Post (F9), the posted dialog
closed (Escape), Ctrl+Z; Ctrl+Tab out of a table; the focus widget's objectName checked at
each step, and the data through the services."""

from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead, JournalCreate
from app.services import applications, journals, payments, posting
from app.ui.main_window import MainWindow
from app.ui.posting.apply_dialog import ApplyEntriesDialog
from app.ui.posting.dialogs import PreviewPostingDialog
from tests.ui.modal import when_modal

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
    qtbot.keyClick(_focus(), key, modifier)


def _type(qtbot: QtBot, text: str) -> None:
    for char in text:
        qtbot.keyClicks(_focus(), char)


def _show(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _tab_tables(window: MainWindow) -> list[str]:
    tabs = window.findChild(QTabWidget, "lookupTabs")
    assert tabs is not None
    names = []
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        view = window.keyboard.table_of("lookupTabs")  # type: ignore[attr-defined]
        names.append(view.objectName())
    tabs.setCurrentIndex(0)
    return names


def test_keyboard_reaches_every_pane_and_tab_enters_three_lines_applies_posts_and_undoes(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    cash = journals.find_by_code(db, demo.id, "CASH")
    window.select_journal(cash.id)
    expected_tabs = _tab_tables(window)
    assert expected_tabs[:3] == ["customersView", "invoicesView", "accountsView"]
    assert "glEntriesView" in expected_tabs and "registersView" in expected_tabs
    _show(qtbot, window)
    window.companiesView.setFocus()
    assert _focus().objectName() == "companiesView"
    assert window.companiesView.property("paneFocus") is True

    _key(qtbot, Qt.Key.Key_F6)
    assert _focus().objectName() == "journalsView"
    assert window.journalsView.property("paneFocus") is True
    assert window.companiesView.property("paneFocus") is False
    _key(qtbot, Qt.Key.Key_F6)
    assert _focus().objectName() == "paymentsView"
    _key(qtbot, Qt.Key.Key_F6)
    assert _focus().objectName() == expected_tabs[0]
    for name in expected_tabs[1:]:  # every tab, its table takes the keyboard
        _key(qtbot, Qt.Key.Key_PageDown, CTRL)
        assert _focus().objectName() == name
    _key(qtbot, Qt.Key.Key_PageDown, CTRL)  # round to the first tab
    assert _focus().objectName() == expected_tabs[0]
    _key(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert _focus().objectName() == expected_tabs[-1]
    _key(qtbot, Qt.Key.Key_F6)  # round to the companies
    assert _focus().objectName() == "companiesView"
    _key(qtbot, Qt.Key.Key_F6, SHIFT)  # and back
    assert _focus().objectName() == expected_tabs[-1]
    _key(qtbot, Qt.Key.Key_F6, SHIFT)
    assert _focus().objectName() == "paymentsView"

    # three lines, by the keyboard alone, in the empty CASH journal
    tab = Qt.Key.Key_Tab
    _key(qtbot, tab)  # an empty journal: Tab starts the first line
    assert _focus().parentWidget() is window.paymentsView.viewport()  # a cell editor
    for customer, amount in (("C10000", "100"), ("C10010", "250.5"), ("C10020", "12")):
        for _ in range(3):  # date -> document no. -> external document no. -> customer
            _key(qtbot, tab)
        _type(qtbot, customer)
        for _ in range(3):
            _key(qtbot, tab)
        _type(qtbot, amount)
        for _ in range(3):  # -> applies-to -> comment -> a new line's date
            _key(qtbot, tab)
            assert window.paymentsView.isAncestorOf(_focus())
    _key(qtbot, Qt.Key.Key_Escape)
    lines = payments.list_all(db, demo.id, cash.id)
    assert [p.customer_number for p in lines[:3]] == ["C10000", "C10010", "C10020"]
    assert [p.amount for p in lines[:3]] == [Decimal("-100.00"), Decimal("-250.50"),
                                             Decimal("-12.00")]

    _apply_preview_post_and_undo_by_keys(qtbot, window, db, demo, cash.id)

    # F6 from inside an open cell editor leaves the table too (from the first line's
    # Document No., an editable cell)
    window.paymentsView.setCurrentIndex(window.payments_model().index(0, 1))
    window.paymentsView.setFocus()
    _type(qtbot, "x")
    assert _focus().parentWidget() is window.paymentsView.viewport()
    _key(qtbot, Qt.Key.Key_Escape)
    _type(qtbot, "C")
    _key(qtbot, Qt.Key.Key_F6)
    assert _focus().objectName() == expected_tabs[-1]  # the tab last shown
    assert window.paymentsView.state() != window.paymentsView.State.EditingState


def test_ctrl_tab_leaves_a_table(qtbot: QtBot, window: MainWindow, demo: CompanyRead) -> None:
    _show(qtbot, window)
    window.paymentsView.setFocus()
    _key(qtbot, Qt.Key.Key_Tab)  # Tab moves between cells
    assert _focus().objectName() in ("paymentsView", "") or \
        window.paymentsView.isAncestorOf(_focus())
    _key(qtbot, Qt.Key.Key_Escape)
    window.paymentsView.setFocus()
    _key(qtbot, Qt.Key.Key_Tab, CTRL)
    assert not window.paymentsView.isAncestorOf(_focus())
    assert _focus() is not window.paymentsView
    window.paymentsView.setFocus()
    _key(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert _focus().objectName() == "paymentsViewFilter"


def test_shift_tab_in_an_empty_journal_creates_no_line(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    empty = journals.create(db, demo.id, JournalCreate(code="EMPTY", displayName="Empty"))
    window.refresh_all()
    window.select_journal(empty.id)
    _show(qtbot, window)
    window.paymentsView.setFocus()
    _key(qtbot, Qt.Key.Key_Backtab, SHIFT)
    _key(qtbot, Qt.Key.Key_Tab, CTRL)
    assert payments.list_all(db, demo.id, empty.id) == []
    assert window.payments_model().rowCount() == 0


def _focus_in(qtbot: QtBot, dialog: QWidget) -> None:
    """A dialog takes the keyboard once it is activated (asynchronously)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and dialog.isAncestorOf(QApplication.focusWidget()))


def _back_to(qtbot: QtBot, name: str) -> None:
    """The focus lands on ``name`` once a dialog closes. The offscreen platform has no
    window manager to give the main window back its activation, so the test does that."""
    if QApplication.activeWindow() is None:
        window = QApplication.activeModalWidget()
        for top in QApplication.topLevelWidgets():
            if window is None and isinstance(top, MainWindow) and top.isVisible():
                window = top
        assert window is not None
        window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().objectName() == name)


def _apply_preview_post_and_undo_by_keys(qtbot: QtBot, window: MainWindow, db: Database,
                                         demo: CompanyRead, journal_id: uuid.UUID) -> None:
    """The lines entered: apply the first to an invoice (Shift+F11, Space, Enter), preview
    (Ctrl+Shift+F9, Escape), post (F9, Enter), close the posted dialog (Escape), Ctrl+Z."""
    window.paymentsView.setFocus()
    # Tab after the third line started a fourth, blank one: delete it (Delete, then Y: the
    # question's default is No)
    _key(qtbot, Qt.Key.Key_End, CTRL)
    assert len(payments.list_all(db, demo.id, journal_id)) == 4
    asked: list[str] = []

    def delete(box: QMessageBox) -> None:
        _focus_in(qtbot, box)
        asked.append(box.text())
        QTest.keyClick(_focus(), Qt.Key.Key_Y)  # &Yes

    when_modal(QMessageBox, delete)
    _key(qtbot, Qt.Key.Key_Delete)
    assert asked and asked[0].startswith("Do you want to delete line")
    assert [p.customer_number for p in payments.list_all(db, demo.id, journal_id)] == [
        "C10000", "C10010", "C10020"]
    _back_to(qtbot, "paymentsView")
    _key(qtbot, Qt.Key.Key_Home, CTRL)  # the first line
    assert _focus().objectName() == "paymentsView"
    first = window.posting.current_line()
    assert first is not None and first.customer_number == "C10000"

    seen_apply: list[str] = []

    def apply(dialog: ApplyEntriesDialog) -> None:
        _focus_in(qtbot, dialog)
        seen_apply.append(_focus().objectName())
        QTest.keyClick(_focus(), Qt.Key.Key_Space)  # mark the first open entry
        QTest.keyClick(_focus(), Qt.Key.Key_Return)  # OK

    when_modal(ApplyEntriesDialog, apply)
    _key(qtbot, Qt.Key.Key_F11, SHIFT)
    assert seen_apply == ["openEntriesView"]
    applied = [e for e in applications.open_entries(db, demo.id, first.id).entries
               if e.applied]
    assert len(applied) == 1 and applied[0].amount_to_apply == Decimal("100.00")
    _back_to(qtbot, "paymentsView")

    previews: list[str] = []

    def look(dialog: PreviewPostingDialog) -> None:
        _focus_in(qtbot, dialog)
        previews.append(dialog.objectName())
        QTest.keyClick(_focus(), Qt.Key.Key_Escape)

    when_modal(PreviewPostingDialog, look)
    _key(qtbot, Qt.Key.Key_F9, CTRL | SHIFT)
    assert len(previews) == 1
    assert len(payments.list_all(db, demo.id, journal_id)) == 3  # the preview wrote nothing
    _back_to(qtbot, "paymentsView")

    registers_before = len(posting.list_registers(db, demo.id))
    questions: list[str] = []

    def yes(box: QMessageBox) -> None:
        _focus_in(qtbot, box)
        questions.append(box.text())
        QTest.keyClick(_focus(), Qt.Key.Key_Return)  # Yes, the default

    when_modal(QMessageBox, yes)
    _key(qtbot, Qt.Key.Key_F9)
    assert questions and questions[0].startswith("Do you want to post")
    registers = posting.list_registers(db, demo.id)
    assert len(registers) == registers_before + 1
    assert payments.list_all(db, demo.id, journal_id) == []
    dialog = window.posting.last_posted
    assert dialog is not None and dialog.isVisible()
    _back_to(qtbot, "showEntriesButton")  # the default button
    _key(qtbot, Qt.Key.Key_Escape)  # Close: the lookups stay as they were
    assert not dialog.isVisible()
    _back_to(qtbot, "paymentsView")

    _key(qtbot, Qt.Key.Key_Z, CTRL)  # Undo: the posting reversed, the lines back
    lines = payments.list_all(db, demo.id, journal_id)
    assert [p.customer_number for p in lines] == ["C10000", "C10010", "C10020"]
    assert [r.reversed for r in posting.list_registers(db, demo.id)][-2:] == [True, True]
    again = [e for e in applications.open_entries(db, demo.id, lines[0].id).entries
             if e.applied]
    assert [e.id for e in again] == [applied[0].id]
    assert window.payments_model().rowCount() == 3
    _back_to(qtbot, "paymentsView")  # after the undo's progress dialog

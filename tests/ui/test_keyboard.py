"""Keyboard alone (issue 15): F6 through every pane, Ctrl+PageDown through every tab, three
lines entered, Ctrl+Tab out of a table; the focus widget's objectName checked at each step."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead, JournalCreate
from app.services import journals, payments
from app.ui.main_window import MainWindow

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


def test_keyboard_reaches_every_pane_and_tab_and_enters_three_lines(
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

    # F6 from inside an open cell editor leaves the table too
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

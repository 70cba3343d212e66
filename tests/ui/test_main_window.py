"""The main window: companies and journals, keyboard-only entry, refusals, filter, layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.numbering import increment_number
from app.domain.schemas import CompanyCreate, CompanyRead, JournalCreate
from app.services import companies, journals, payments
from app.ui.main_window import MainWindow
from app.ui.settings import Settings

VIEWS = ("companiesView", "journalsView", "paymentsView", "customersView", "accountsView",
         "invoicesView")


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _type(qtbot: QtBot, text: str) -> None:
    for char in text:  # to whatever has the focus: the first key may open an editor
        qtbot.keyClicks(_focus(), char)


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
         ) -> None:
    qtbot.keyClick(_focus(), key, modifier)


def _show(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_views_have_their_object_names(window: MainWindow) -> None:
    for name in VIEWS:
        assert isinstance(window.findChild(QTableView, name), QTableView), name
    for name in ("actionUndo", "actionRedo", "actionNewLine", "actionDelete", "actionFind",
                 "actionRefresh", "actionSave", "actionOpenDatabase", "actionPrint"):
        assert window.findChild(object, name) is not None, name  # type: ignore[arg-type]
    assert not window.actionUndo.isEnabled() and not window.actionRedo.isEnabled()


def test_shows_without_a_database(qtbot: QtBot, settings_path: Path) -> None:
    main = MainWindow(Settings(settings_path))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert main.db is None
    assert not main.actionNewLine.isEnabled()


def test_selecting_a_company_shows_its_journals_and_a_journal_its_lines(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    other = companies.create(db, CompanyCreate(name="Other Co"))
    journals.create(db, other.id, JournalCreate(code="ONLY"))
    window.refresh_all()
    assert window.company_id == demo.id  # the only company at set_database time
    journals_model = window.model_of("journalsView")
    assert [journals_model.row_at(r).code for r in range(journals_model.rowCount())] == [
        "BANK", "CASH"]
    assert window.journal_id == journals.find_by_code(db, demo.id, "BANK").id
    assert window.payments_model().rowCount() == 7
    assert window.lineCountLabel.text() == "Lines: 7"
    qtbot.waitUntil(lambda: window.balanceLabel.text() == "Balance: 0.00")
    assert window.totalAmountLabel.text() == "Total Amount: -24,273.03"

    window.select_company(other.id)
    assert [journals_model.row_at(r).code for r in range(journals_model.rowCount())] == [
        "ONLY"]
    assert window.payments_model().rowCount() == 0
    assert window.model_of("customersView").rowCount() == 0

    window.select_company(demo.id)
    cash = journals.find_by_code(db, demo.id, "CASH")
    window.select_journal(cash.id)
    assert window.payments_model().rowCount() == 0
    assert window.lineCountLabel.text() == "Lines: 0"
    assert window.journalsView.currentIndex().row() == 1


def test_choosing_a_journal_row_shows_its_lines(qtbot: QtBot, window: MainWindow,
                                                 db: Database, demo: CompanyRead) -> None:
    _show(qtbot, window)
    window.journalsView.setFocus()
    _key(qtbot, Qt.Key.Key_Down)  # BANK -> CASH with the keyboard
    assert window.journal_id == journals.find_by_code(db, demo.id, "CASH").id
    assert window.payments_model().rowCount() == 0
    _key(qtbot, Qt.Key.Key_Up)
    assert window.payments_model().rowCount() == 7


@pytest.mark.parametrize("undoable", [False, True])
def test_keyboard_only_entry_of_three_lines(qtbot: QtBot, window: MainWindow, db: Database,
                                            demo: CompanyRead, undoable: bool) -> None:
    from app.ui.grid_edits import UndoableGridEdits
    from app.ui.operations import Operations

    cash = journals.find_by_code(db, demo.id, "CASH")
    window.select_journal(cash.id)
    ops = Operations(db)
    if undoable:  # the same keys through the undo stack's seam
        model = window.payments_model()
        model.edits = UndoableGridEdits(ops, db, demo.id, cash.id)
        ops.changes.connect(lambda changes: model.refresh() if changes.touches("payment") else None)
    _show(qtbot, window)
    window.paymentsView.setFocus()  # Ctrl+N acts on the focused list: here a new line
    _key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New Line
    tab = Qt.Key.Key_Tab
    # line 1: date, document no. and external document no. as proposed
    for _ in range(3):
        _key(qtbot, tab)
    _type(qtbot, "c10000")  # customer number, typed in lower case
    for _ in range(3):  # customer -> description (now the name) -> amount -> received
        _key(qtbot, tab)
    _type(qtbot, "100")  # amount received
    for _ in range(3):  # -> applies-to -> comment -> leaves the last cell: a new line
        _key(qtbot, tab)
    # line 2
    _key(qtbot, tab)
    _key(qtbot, tab)
    _type(qtbot, "chk2")
    _key(qtbot, tab)
    _type(qtbot, "C10010")
    _key(qtbot, Qt.Key.Key_Return)  # Enter moves on as Tab does
    _key(qtbot, tab)
    _type(qtbot, "-250.5")  # the signed amount
    for _ in range(3):
        _key(qtbot, tab)
    _type(qtbot, "second")
    _key(qtbot, tab)
    # line 3
    for _ in range(3):
        _key(qtbot, tab)
    _type(qtbot, "C10020")
    for _ in range(3):
        _key(qtbot, tab)
    _type(qtbot, "1,234.56")
    _key(qtbot, Qt.Key.Key_Return)
    _key(qtbot, Qt.Key.Key_Escape)  # stays in the applies-to cell, nothing more

    lines = payments.list_all(db, demo.id, cash.id)
    assert [p.line_number for p in lines] == [10000, 20000, 30000]
    assert [p.posting_date for p in lines] == [demo.work_date] * 3
    assert [p.customer_number for p in lines] == ["C10000", "C10010", "C10020"]
    assert [p.description for p in lines] == [
        "Adatum Corporation", "Trey Research", "School of Fine Art"]
    assert [p.amount for p in lines] == [Decimal("-100.00"), Decimal("-250.50"),
                                         Decimal("-1234.56")]
    documents = [p.document_number for p in lines]
    assert documents[0]
    assert documents[1] == increment_number(documents[0])
    assert documents[2] == increment_number(documents[1])
    assert [p.external_document_number for p in lines] == ["", "CHK2", ""]
    assert [p.comment for p in lines] == ["", "second", ""]
    assert window.payments_model().rowCount() == 3
    qtbot.waitUntil(lambda: window.lineCountLabel.text() == "Lines: 3")
    assert window.totalAmountLabel.text() == "Total Amount: -1,585.06"
    if undoable:
        # lines 1 and 3: new, customer, amount; line 2: new, ext. doc., customer, amount, comment
        assert ops.stack.count() == 3 + 5 + 3
        assert ops.stack.undoText() == "Edit Payment Line 30000"
        while ops.stack.canUndo():
            assert ops.undo()
        assert payments.list_all(db, demo.id, cash.id) == []
        ops.stack.clear()


def _edit_cell(qtbot: QtBot, window: MainWindow, row: int, key: str, text: str) -> QWidget:
    model = window.payments_model()
    _show(qtbot, window)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(row, model.column_of(key)))
    _type(qtbot, text)
    editor = _focus()
    _key(qtbot, Qt.Key.Key_Tab)
    return editor


@pytest.mark.parametrize(("key", "text", "message"), [
    ("amount", "12x", "The amount must be a number like -1,234.56, not '12x'."),
    ("amountReceived", "1.234", "has more than 2 decimals"),
    ("customerNumber", "NOPE1", "Customer NOPE1 does not exist."),
    ("appliesToInvoiceNumber", "999999", "Sales Invoice 999999 does not exist."),
])
def test_bad_input_is_refused_at_the_cell_and_nothing_is_written(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead, key: str, text: str,
        message: str) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = payments.list_all(db, demo.id, bank.id)
    editor = _edit_cell(qtbot, window, 0, key, text)
    assert message in window.statusBar().currentMessage()
    assert isinstance(editor, QLineEdit) and editor.isVisible()  # still editing, text kept
    assert editor.text() == text.upper() if key != "amount" else editor.text() == text
    assert message in editor.toolTip()
    assert payments.list_all(db, demo.id, bank.id) == before
    _key(qtbot, Qt.Key.Key_Escape)
    assert not editor.isVisible() or QApplication.focusWidget() is window.paymentsView
    assert payments.list_all(db, demo.id, bank.id) == before
    model = window.payments_model()
    tip = model.data(model.index(0, model.column_of(key)), Qt.ItemDataRole.ToolTipRole)
    assert message in tip


def test_a_good_cell_edit_is_written(qtbot: QtBot, window: MainWindow, db: Database,
                                     demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    _edit_cell(qtbot, window, 6, "amountReceived", "300")
    line = payments.list_all(db, demo.id, bank.id)[6]
    assert line.amount == Decimal("-300.00")
    model = window.payments_model()
    assert model.data(model.index(6, model.column_of("amount"))) == "-300.00"
    qtbot.waitUntil(lambda: "Total Amount" in window.totalAmountLabel.text())


def test_delete_lines_after_confirmation(qtbot: QtBot, window: MainWindow, db: Database,
                                         demo: CompanyRead,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    _show(qtbot, window)
    window.paymentsView.setFocus()
    model = window.payments_model()
    window.paymentsView.setCurrentIndex(model.index(1, 1))
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # lines 2 and 3
    answers = iter([False, True])
    monkeypatch.setattr(window, "confirm", lambda _t, _q: next(answers))
    _key(qtbot, Qt.Key.Key_Delete)  # refused at the question: nothing happens
    assert len(payments.list_all(db, demo.id, bank.id)) == 7
    _key(qtbot, Qt.Key.Key_Delete)
    assert [p.line_number for p in payments.list_all(db, demo.id, bank.id)] == [
        10000, 40000, 50000, 60000, 70000]
    assert model.rowCount() == 5


def test_filter_narrows_the_rows(qtbot: QtBot, window: MainWindow) -> None:
    _show(qtbot, window)
    model = window.payments_model()
    assert model.rowCount() == 7
    _key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Find: the filter box
    assert _focus() is window.boxes["paymentsView"].filter
    _type(qtbot, "alpine")
    qtbot.waitUntil(lambda: model.rowCount() == 2)  # debounced, by the database
    assert {model.row_at(r).customer_number for r in range(2)} == {"C10030"}
    window.boxes["customersView"].filter.setText("coho")
    window.model_of("customersView").set_filter_text("coho")
    assert window.model_of("customersView").rowCount() == 1


def test_window_state_is_restored(qtbot: QtBot, db: Database, demo: CompanyRead,
                                  settings_path: Path) -> None:
    cash = journals.find_by_code(db, demo.id, "CASH")
    first = MainWindow(Settings(settings_path))
    qtbot.addWidget(first)
    first.set_database(db)
    first.select_journal(cash.id)
    first.resize(700, 500)
    first.show()
    qtbot.waitExposed(first)
    first.paymentsView.setColumnWidth(6, 333)
    first.select_journal(journals.find_by_code(db, demo.id, "BANK").id)
    first.paymentsView.horizontalHeader().setSortIndicator(
        first.payments_model().column_of("amount"), Qt.SortOrder.DescendingOrder)
    first.select_journal(cash.id)
    first.docks["lookups"].hide()
    first.close()
    assert settings_path.exists()

    second = MainWindow(Settings(settings_path))
    qtbot.addWidget(second)
    second.set_database(db)
    second.show()
    qtbot.waitExposed(second)
    assert second.journal_id == cash.id  # the last journal
    assert second.company_id == demo.id
    assert second.size().width() == 700 and second.size().height() == 500
    assert second.paymentsView.columnWidth(6) == 333
    assert not second.docks["lookups"].isVisible()
    query = second.payments_model().query
    assert query is not None and (query.sort, query.descending) == ("amount", True)
    header = second.paymentsView.horizontalHeader()
    assert header.sortIndicatorSection() == second.payments_model().column_of("amount")
    assert Settings(settings_path).recent_files() == []  # set_database is not a file open


def test_recent_files_are_remembered(settings_path: Path) -> None:
    settings = Settings(settings_path)
    for name in ("a", "b", "a"):
        settings.add_recent_file(f"/books/{name}.sqlite")
    assert Settings(settings_path).recent_files() == ["/books/a.sqlite", "/books/b.sqlite"]
    assert Settings(settings_path).geometry() is None
    settings.set_geometry(QByteArray(b"xyz"))
    assert Settings(settings_path).geometry() == QByteArray(b"xyz")


def test_grid_writes_become_undo_steps_through_operations(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    from app.ui.grid_edits import UndoableGridEdits
    from app.ui.operations import Operations

    ops = Operations(db)
    bank = journals.find_by_code(db, demo.id, "BANK")
    model = window.payments_model()
    model.edits = UndoableGridEdits(ops, db, demo.id, bank.id)
    ops.changes.connect(lambda changes: model.refresh() if changes.touches("payment") else None)
    before = payments.list_all(db, demo.id, bank.id)
    _edit_cell(qtbot, window, 0, "amountReceived", "5")
    assert payments.list_all(db, demo.id, bank.id)[0].amount == Decimal("-5.00")
    assert ops.stack.undoText() == "Edit Payment Line 10000"
    assert ops.undo()
    assert [(p.id, p.amount) for p in payments.list_all(db, demo.id, bank.id)] == [
        (p.id, p.amount) for p in before]
    assert model.data(model.index(0, model.column_of("amount"))) == "-913.90"
    ops.stack.clear()


def test_print_layout_of_the_journal(window: MainWindow) -> None:
    html = window.journal_html(3)
    assert "BANK Receipts to the checking account" in html
    assert html.count("<tr>") == 4  # the header and three lines
    assert "First 3 of 7 lines." in html
    assert "-913.90" in html and "Lines: 7" in html


def _open_editor(qtbot: QtBot, window: MainWindow, row: int, key: str) -> QLineEdit:
    model = window.payments_model()
    _show(qtbot, window)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(row, model.column_of(key)))
    _key(qtbot, Qt.Key.Key_F2)
    editor = _focus()
    assert isinstance(editor, QLineEdit)
    return editor


def test_customer_completion_shows_number_and_name(qtbot: QtBot, window: MainWindow) -> None:
    editor = _open_editor(qtbot, window, 0, "customerNumber")
    completer = editor.completer()
    assert completer is not None
    model = completer.model()
    assert model.rowCount() == 20
    first = model.index(0, 0)
    assert model.data(first, Qt.ItemDataRole.EditRole) == "C10000"
    assert model.data(first, Qt.ItemDataRole.DisplayRole).split() == [
        "C10000", "Adatum", "Corporation"]
    _key(qtbot, Qt.Key.Key_Escape)


def test_invoice_completion_offers_the_lines_customers_open_invoices(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    from app.services import invoices

    editor = _open_editor(qtbot, window, 0, "appliesToInvoiceNumber")  # customer C10000
    completer = editor.completer()
    assert completer is not None
    offered = {completer.model().data(completer.model().index(r, 0), Qt.ItemDataRole.EditRole)
               for r in range(completer.model().rowCount())}
    customer = [c for c in invoices.list_all(db, demo.id, open_only=True)
                if c.customer_number == "C10000"]
    assert offered == {i.number for i in customer} and offered
    _key(qtbot, Qt.Key.Key_Escape)


def test_a_line_changed_elsewhere_is_not_overwritten(qtbot: QtBot, window: MainWindow,
                                                     db: Database, demo: CompanyRead) -> None:
    from app.domain.schemas import PaymentUpdate

    bank = journals.find_by_code(db, demo.id, "BANK")
    first = payments.list_all(db, demo.id, bank.id)[0]
    model = window.payments_model()
    _show(qtbot, window)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(0, model.column_of("comment")))
    _type(qtbot, "mine")  # the grid has read the line; its cell is open
    editor = _focus()
    # Another writer on the same file (here: this Database on this thread, past the gateway,
    # as the API server would) changes the line while the cell is open: the window hears it,
    # but the open editor is not thrown away.
    payments.update(db, demo.id, first.id, PaymentUpdate(comment="from elsewhere"),
                    version=first.version)
    qtbot.wait(50)
    assert isinstance(editor, QLineEdit) and editor.text() == "mine"
    _key(qtbot, Qt.Key.Key_Tab)
    assert "changed" in window.statusBar().currentMessage().lower()
    assert payments.get(db, demo.id, first.id).comment == "from elsewhere"
    assert isinstance(editor, QLineEdit) and editor.text() == "mine"  # the input is kept
    _key(qtbot, Qt.Key.Key_Escape)
    model = window.payments_model()
    assert model.data(model.index(0, model.column_of("comment"))) == "from elsewhere"


def test_header_click_sorts_only_indexed_columns(qtbot: QtBot, window: MainWindow) -> None:
    model = window.payments_model()
    header = window.paymentsView.horizontalHeader()
    header.setSortIndicator(model.column_of("amount"), Qt.SortOrder.AscendingOrder)
    amounts = [model.row_at(r).amount for r in range(model.rowCount())]
    assert amounts == sorted(amounts)
    assert header.sortIndicatorSection() == model.column_of("amount")
    header.setSortIndicator(model.column_of("comment"), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == model.column_of("amount")  # put back
    assert model.query is not None and model.query.sort == "amount"


def test_an_empty_database_shows_no_company(qtbot: QtBot, tmp_path: Path,
                                            settings_path: Path) -> None:
    from app.db import open_database

    empty = open_database(tmp_path / "empty.sqlite")
    try:
        main = MainWindow(Settings(settings_path))
        qtbot.addWidget(main)
        main.set_database(empty)
        assert main.company_id is None and main.journal_id is None
        for name in VIEWS:
            assert main.model_of(name).rowCount() == 0, name
        assert not main.actionNewLine.isEnabled()
    finally:
        empty.close()


def test_recent_files_menu_lists_the_files(qtbot: QtBot, window: MainWindow) -> None:
    window.settings.add_recent_file("/books/one.sqlite")
    window.recentMenu.aboutToShow.emit()
    assert [a.text() for a in window.recentMenu.actions()] == ["&1 /books/one.sqlite"]

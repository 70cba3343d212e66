"""Issue 4 end to end from the main window: New / Edit / Delete through the window's actions,
keys and mouse, Undo / Redo named after the step, the history dock, refreshes, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.schemas import CompanyRead, CustomerUpdate
from app.services import customers, journals, payments
from app.ui.dialogs import FormDialog
from app.ui.main_window import MainWindow
from app.ui.operations import HistoryView
from app.ui.settings import Settings
from tests.snapshots import dump
from tests.ui.conftest import Boxes
from tests.ui.ledger_view import Books
from tests.ui.modal import when_modal

CTRL = Qt.KeyboardModifier.ControlModifier


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _key(qtbot: QtBot, key: Qt.Key,
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(_focus(), key, modifier)


def _show(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _when_dialog(act: Callable[[FormDialog], None]) -> list[FormDialog]:
    """Run ``act`` on the next modal FormDialog once it shows; ``act`` must close it."""
    return when_modal(FormDialog, act)


def _field(dialog: FormDialog, name: str) -> QLineEdit:
    found = dialog.findChild(QLineEdit, name)
    assert found is not None, name
    return found


def _type(qtbot: QtBot, dialog: FormDialog, name: str, text: str) -> None:
    edit = _field(dialog, name)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _back_to(qtbot: QtBot, window: MainWindow, view: QWidget) -> None:
    """After a dialog: the main window active again, the keyboard in ``view``."""
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)


def _rows(window: MainWindow, view: str) -> list[object]:
    model = window.model_of(view)
    return [model.row_at(r) for r in range(model.rowCount())]


def test_new_journal_via_ctrl_n_then_undo_and_redo_from_the_window(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    before = dump(db)
    _show(qtbot, window)
    window.journalsView.setFocus()
    assert window.editing.actionNew.text() == "&New Journal…"

    def fill(dialog: FormDialog) -> None:
        _type(qtbot, dialog, "code", "save")
        _type(qtbot, dialog, "displayName", "Savings receipts")
        _type(qtbot, dialog, "balancingAccountNumber", "2920")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    seen = _when_dialog(fill)
    _key(qtbot, Qt.Key.Key_N, CTRL)  # New, acting on the journals list
    assert seen and seen[0].spec.kind == "journal"
    saved = journals.find_by_code(db, demo.id, "SAVE")
    assert saved.balancing_account_number == "2920"
    assert window.journal_id == saved.id  # the new journal is shown
    assert "SAVE" in [r.code for r in _rows(window, "journalsView")]  # type: ignore[attr-defined]

    undo = window.actionUndo
    assert undo.text() == "Undo New Journal SAVE" and undo.isEnabled()
    assert undo in window.editMenu.actions() and undo in window.mainToolBar.actions()
    assert window.findChild(QAction, "actionUndo") is undo
    _back_to(qtbot, window, window.journalsView)
    _key(qtbot, Qt.Key.Key_Z, CTRL)  # the standard shortcut
    assert dump(db) == before
    assert [r.code for r in _rows(window, "journalsView")] == ["BANK", "CASH"]  # type: ignore[attr-defined]
    assert window.journal_id in {j.id for j in journals.list_all(db, demo.id)}
    assert window.actionRedo.text() == "Redo New Journal SAVE"
    window.actionRedo.trigger()
    again = journals.find_by_code(db, demo.id, "SAVE")
    assert again.id == saved.id  # the same record back
    assert "SAVE" in [r.code for r in _rows(window, "journalsView")]  # type: ignore[attr-defined]


def _edit_cell(qtbot: QtBot, window: MainWindow, row: int, key: str, text: str) -> None:
    model = window.payments_model()
    _show(qtbot, window)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(row, model.column_of(key)))
    for char in text:
        qtbot.keyClicks(_focus(), char)
    _key(qtbot, Qt.Key.Key_Tab)


def test_grid_cell_edit_is_undone_from_the_window(qtbot: QtBot, window: MainWindow,
                                                  db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db, without_stamps=True)
    first = payments.list_all(db, demo.id, bank.id)[0]
    _edit_cell(qtbot, window, 0, "customerNumber", "C10020")
    changed = payments.get(db, demo.id, first.id)
    assert (changed.customer_number, changed.description) == ("C10020", "School of Fine Art")
    assert window.actionUndo.text() == "Undo Edit Payment Line 10000"
    window.actionUndo.trigger()
    # Every column as before (side effects included); only the version and time move on,
    # as an undo is a new write that other windows must notice.
    assert dump(db, without_stamps=True) == before
    model = window.payments_model()
    assert model.data(model.index(0, model.column_of("customerNumber"))) == first.customer_number
    assert model.data(model.index(0, model.column_of("description"))) == first.description
    window.actionRedo.trigger()
    assert payments.get(db, demo.id, first.id).customer_number == "C10020"


def test_delete_two_lines_from_the_grid_and_undo(qtbot: QtBot, window: MainWindow,
                                                 db: Database, demo: CompanyRead,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db)
    lines = payments.list_all(db, demo.id, bank.id)
    _show(qtbot, window)
    window.paymentsView.setFocus()
    model = window.payments_model()
    window.paymentsView.setCurrentIndex(model.index(2, 1))
    _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # lines 3 and 4
    monkeypatch.setattr(window, "confirm", lambda _t, _q: True)
    assert window.actionDelete.text() == "&Delete Lines…"
    _key(qtbot, Qt.Key.Key_Delete)
    assert [p.line_number for p in payments.list_all(db, demo.id, bank.id)] == [
        10000, 20000, 50000, 60000, 70000]
    assert model.rowCount() == 5
    qtbot.waitUntil(lambda: window.lineCountLabel.text() == "Lines: 5")
    assert window.actionUndo.text() == "Undo Delete 2 Payment Lines"
    window.actionUndo.trigger()
    assert dump(db) == before  # same ids, line numbers, versions and times
    assert model.rowCount() == 7
    assert [(model.row_at(r).id, model.row_at(r).line_number)  # type: ignore[union-attr]
            for r in range(7)] == [(p.id, p.line_number) for p in lines]
    qtbot.waitUntil(lambda: window.lineCountLabel.text() == "Lines: 7")


def test_double_click_enter_and_f2_on_a_customer_open_its_dialog(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    _show(qtbot, window)
    view = window.customersView
    first = customers.list_all(db, demo.id)[0]
    shown: list[tuple[str, str]] = []

    def look(dialog: FormDialog) -> None:
        shown.append((_field(dialog, "number").text(), _field(dialog, "displayName").text()))
        dialog.reject()

    seen = _when_dialog(look)
    rect = view.visualRect(view.model().index(0, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.doubleClicked):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen and seen[0].spec.kind == "customer"
    assert shown == [(first.number, first.display_name)]
    for key in (Qt.Key.Key_Return, Qt.Key.Key_F2):
        _when_dialog(look)
        _back_to(qtbot, window, view)
        _key(qtbot, key)
    assert shown == [(first.number, first.display_name)] * 3
    assert window.actionUndo.text() == "Undo" and not window.actionUndo.isEnabled()


def test_delete_on_a_journal_asks_deletes_and_undo_restores_it_and_its_lines(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead,
        boxes: Boxes) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    lines = payments.list_all(db, demo.id, bank.id)
    before = dump(db)
    _show(qtbot, window)
    window.journalsView.setFocus()
    assert window.actionDelete.text() == "&Delete Journal…"
    boxes.answers = ["Cancel"]
    _key(qtbot, Qt.Key.Key_Delete)
    assert dump(db) == before
    boxes.answers = ["Delete"]
    _key(qtbot, Qt.Key.Key_Delete)
    assert boxes.questions == ["Delete journal BANK and its 7 lines?\n\nEdit > Undo brings it "
                               "back."] * 2
    assert [j.code for j in journals.list_all(db, demo.id)] == ["CASH"]
    assert [r.code for r in _rows(window, "journalsView")] == ["CASH"]  # type: ignore[attr-defined]
    assert window.journal_id == journals.find_by_code(db, demo.id, "CASH").id
    assert window.payments_model().rowCount() == 0
    assert window.actionUndo.text() == "Undo Delete Journal BANK"
    window.actionUndo.trigger()
    assert dump(db) == before
    assert [r.code for r in _rows(window, "journalsView")] == ["BANK", "CASH"]  # type: ignore[attr-defined]
    window.select_journal(bank.id)
    model = window.payments_model()
    assert [model.row_at(r).id for r in range(model.rowCount())] == [  # type: ignore[union-attr]
        p.id for p in lines]


def test_history_dock_lists_the_steps(qtbot: QtBot, window: MainWindow, db: Database,
                                      demo: CompanyRead, boxes: Boxes) -> None:
    _show(qtbot, window)
    dock = window.docks["history"]
    assert not dock.isVisible()
    window.editing.actionHistory.trigger()
    assert dock.isVisible()
    history = dock.widget()
    assert isinstance(history, HistoryView) and history.stack() is window.editing.ops.stack  # type: ignore[union-attr]
    _edit_cell(qtbot, window, 0, "comment", "first")
    window.journalsView.setFocus()
    boxes.answers = ["Delete"]
    _key(qtbot, Qt.Key.Key_Delete)  # BANK
    model = history.model()
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert texts == ["<no changes yet>", "Edit Payment Line 10000", "Delete Journal BANK"]
    # a click on a step goes back to it (the journal comes back, the comment stays)
    rect = history.visualRect(model.index(1, 0))
    qtbot.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.actionUndo.text() == "Undo Edit Payment Line 10000"
    assert [r.code for r in _rows(window, "journalsView")] == ["BANK", "CASH"]  # type: ignore[attr-defined]


def test_a_stale_edit_in_the_window_gives_the_conflict_message(
        qtbot: QtBot, window: MainWindow, db: Database, db_path: Path, demo: CompanyRead,
        boxes: Boxes) -> None:
    first = customers.list_all(db, demo.id)[0]
    _show(qtbot, window)
    window.customersView.setFocus()
    window.customersView.setCurrentIndex(window.model_of("customersView").index(0, 0))
    states: list[tuple[bool, str, str]] = []

    def edit(dialog: FormDialog) -> None:
        other = open_database(db_path)  # another program on the same file
        try:
            customers.update(other, demo.id, first.id, CustomerUpdate(city="Elsewhere"),
                             version=first.version)
        finally:
            other.close()
        _type(qtbot, dialog, "displayName", " (mine)")
        boxes.answers = ["Keep editing"]
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        error = dialog.findChild(QLabel, "formError")
        assert error is not None
        states.append((dialog.isVisible(), error.text(), _field(dialog, "displayName").text()))
        dialog.reject()

    seen = _when_dialog(edit)
    window.editing.edit_actions["customer"].trigger()
    assert seen
    assert len(boxes.questions) == 1
    assert f"Customer {first.number} was changed in another window or by another program" \
        in boxes.questions[0]
    visible, error, typed = states[0]
    assert visible  # the dialog stayed open ...
    assert error.startswith("Not saved: the record was changed elsewhere.")
    assert typed.endswith(" (mine)")  # ... with the user's input
    saved = customers.get(db, demo.id, first.id)
    assert (saved.city, saved.display_name) == ("Elsewhere", first.display_name)
    assert not window.actionUndo.isEnabled()


KIND_ACTIONS = [("company", "Company"), ("journal", "Journal"), ("payment", "Line"),
                ("customer", "Customer"), ("account", "Account"), ("invoice", "Invoice")]


@pytest.mark.parametrize(("kind", "stem"), KIND_ACTIONS)
def test_every_resource_has_new_edit_delete_in_menus_and_context_menus(
        qtbot: QtBot, window: MainWindow, kind: str, stem: str, boxes: Boxes) -> None:
    from app.ui.window_editing import VIEW_OF_KIND

    _show(qtbot, window)
    editing = window.editing
    new, edit, delete = (editing.new_actions[kind], editing.edit_actions[kind],
                         editing.delete_actions[kind])
    names = ((f"actionNew{stem}Form" if kind == "payment" else f"actionNew{stem}"),
             f"actionEdit{stem}", f"actionDelete{stem}{'s' if kind == 'payment' else ''}")
    assert (new.objectName(), edit.objectName(), delete.objectName()) == names
    in_menus = {a for menu in editing.menus.values() for a in menu.actions()}
    assert {new, edit, delete} <= in_menus
    view = window.findChild(QTableView, VIEW_OF_KIND[kind])
    assert view is not None and {new, edit, delete} <= set(view.actions())
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    model = view.model()
    view.setCurrentIndex(model.index(0, 1))
    view.selectionModel().select(model.index(0, 1), QItemSelectionModel.SelectionFlag.Select)
    for action in (new, edit):
        seen = _when_dialog(lambda d: d.reject())
        action.trigger()
        assert seen and seen[0].spec.kind == kind, action.objectName()


def test_new_line_in_a_form_and_edit_line_from_the_grid(qtbot: QtBot, window: MainWindow,
                                                        db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")

    def fill(dialog: FormDialog) -> None:
        _type(qtbot, dialog, "customerNumber", "C10010")
        _type(qtbot, dialog, "amount", "-42")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _show(qtbot, window)
    _when_dialog(fill)
    window.editing.new_actions["payment"].trigger()
    created = payments.list_all(db, demo.id, bank.id)[-1]
    assert (created.line_number, created.customer_number) == (80000, "C10010")
    model = window.payments_model()
    assert model.rowCount() == 8
    assert window.paymentsView.currentIndex().row() == 7  # the new line is current
    assert window.actionUndo.text() == "Undo New Payment Line 80000"

    def comment(dialog: FormDialog) -> None:
        _type(qtbot, dialog, "comment", "from the form")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _back_to(qtbot, window, window.paymentsView)
    _when_dialog(comment)
    _key(qtbot, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)  # Edit Line…
    assert payments.get(db, demo.id, created.id).comment == "from the form"
    assert model.data(model.index(7, model.column_of("comment"))) == "from the form"
    assert window.actionUndo.text() == "Undo Edit Payment Line 80000"


def test_another_database_gets_a_new_empty_undo_stack(qtbot: QtBot, window: MainWindow,
                                                      tmp_path: Path,
                                                      settings_path: Path) -> None:
    _edit_cell(qtbot, window, 0, "comment", "x")
    old = window.editing.ops
    assert window.actionUndo.isEnabled()
    other = open_database(tmp_path / "other.sqlite")
    try:
        window.set_database(other)
        assert window.editing.ops is not old and window.editing.ops.db is other  # type: ignore[union-attr]
        assert not window.actionUndo.isEnabled() and window.actionUndo.text() == "Undo"
        assert window.actionUndo in window.editMenu.actions()
        assert len([a for a in window.editMenu.actions() if a.objectName() == "actionUndo"]) == 1
        assert not window.editing.new_actions["journal"].isEnabled()  # no company yet
        assert window.editing.new_actions["company"].isEnabled()
    finally:
        window.set_database(old.db)  # type: ignore[union-attr]
        other.close()
    fresh = MainWindow(Settings(settings_path))
    qtbot.addWidget(fresh)
    assert not fresh.editing.new_actions["company"].isEnabled()  # no database


def test_undo_from_the_menu_saves_the_open_cell_first(qtbot: QtBot, window: MainWindow,
                                                      db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    _edit_cell(qtbot, window, 0, "comment", "first")  # a saved change: Undo is enabled
    before = dump(db, without_stamps=True)
    model = window.payments_model()
    window.paymentsView.setCurrentIndex(model.index(1, model.column_of("comment")))
    for char in "typed":
        qtbot.keyClicks(_focus(), char)
    assert window.paymentsView.state() == QTableView.State.EditingState
    window.actionUndo.trigger()  # as a click in the menu or the toolbar
    # the typed text was saved as a step and that step taken back; line 1 keeps "first"
    assert dump(db, without_stamps=True) == before
    assert window.actionUndo.text() == "Undo Edit Payment Line 10000"
    assert window.actionRedo.text() == "Redo Edit Payment Line 20000"
    assert window.paymentsView.state() != QTableView.State.EditingState
    window.actionRedo.trigger()
    assert payments.list_all(db, demo.id, bank.id)[1].comment == "typed"
    assert model.data(model.index(1, model.column_of("comment"))) == "typed"


@pytest.mark.parametrize("kind", ["account", "invoice", "company"])
def test_delete_key_on_master_data_and_undo_from_the_window(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead, boxes: Boxes,
        kind: str) -> None:
    from app.services import accounts, companies, invoices
    from app.ui.window_editing import VIEW_OF_KIND

    record = {"account": lambda: next(a for a in accounts.list_all(db, demo.id)
                                      if a.number == "2920"),
              "invoice": lambda: invoices.list_all(db, demo.id)[-1],
              "company": lambda: demo}[kind]()
    listed = {"account": lambda: accounts.list_all(db, demo.id),
              "invoice": lambda: invoices.list_all(db, demo.id),
              "company": lambda: companies.list_all(db)}[kind]
    # Exactly as before: every row (ids and entry numbers too), but for an invoice, whose
    # delete and undo each write G/L entries under a new register: see ledger_view.
    before = Books(db) if kind == "invoice" else dump(db)
    _show(qtbot, window)
    view = window.findChild(QTableView, VIEW_OF_KIND[kind])
    assert view is not None
    if kind in ("account", "invoice"):
        window.docks["lookups"].widget().setCurrentIndex(  # type: ignore[attr-defined]
            {"invoice": 1, "account": 2}[kind])
    model = window.model_of(VIEW_OF_KIND[kind])
    row = model.find_row(lambda r: r.id == record.id)
    assert row is not None
    view.setCurrentIndex(model.index(row, 0))
    _back_to(qtbot, window, view)
    boxes.answers = ["Delete"]
    _key(qtbot, Qt.Key.Key_Delete)
    assert record.id not in {r.id for r in listed()}
    assert model.find_row(lambda r: r.id == record.id) is None  # the list was refreshed
    if kind == "company":
        assert window.company_id is None and window.payments_model().rowCount() == 0
    assert window.actionUndo.text().startswith("Undo Delete ")
    window.actionUndo.trigger()
    if isinstance(before, Books):
        before.assert_restored(Books(db))
    else:
        assert dump(db) == before
    assert model.find_row(lambda r: r.id == record.id) is not None
    if kind == "company":
        assert window.company_id == demo.id and window.payments_model().rowCount() == 7


def test_too_many_lines_are_deleted_without_undo_after_saying_so(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import operations

    bank = journals.find_by_code(db, demo.id, "BANK")
    monkeypatch.setattr(operations, "UNDO_LINE_LIMIT", 2)  # 50,000 in the app
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm", lambda _t, q: asked.append(q) or True)
    _edit_cell(qtbot, window, 0, "comment", "kept")  # an earlier step
    model = window.payments_model()
    window.paymentsView.setCurrentIndex(model.index(4, 1))
    for _ in range(2):
        _key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # lines 5 to 7
    _key(qtbot, Qt.Key.Key_Delete)
    assert asked == ["Do you want to delete these 3 lines?\n\nThis cannot be undone: 3 lines "
                     "are too many to keep for Undo."]
    assert len(payments.list_all(db, demo.id, bank.id)) == 4 and model.rowCount() == 4
    # No step for these, and the earlier step is gone too: Undo never skips over a change
    # it cannot take back (issue 15: undo that never surprises).
    assert window.actionUndo.text() == "Undo" and not window.actionUndo.isEnabled()
    assert window.statusBar().currentMessage().startswith("3 lines deleted.")
    assert window.editing.ops is not None and window.editing.ops.stack.count() == 0

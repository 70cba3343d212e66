"""Issue 4 wired into the main window: the undo stack, New / Edit / Delete for every resource,
the history dock, and the views refreshed after every change.

``WindowEditing`` belongs to one ``MainWindow``. ``attach(db)`` (called by ``set_database``)
makes the ``Operations`` for that database (a new database gets a new, empty undo stack),
puts its Undo / Redo actions in the Edit menu and the toolbar, its history view in the
Edit > History dock, and routes the payment grid's writes through ``UndoableGridEdits``.

The generic actions (New, Edit, Delete) act on the view that has (or last had) the keyboard
focus; the per-resource actions (Company, Journal, Lines, Master Data menus and each view's
context menu) act on their own view's current row, whatever has the focus.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMenu, QTableView, QWidget

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.main_window import MainWindow
    from app.ui.models.lazy import LazyTableModel
    from app.ui.operations import Operations

# view objectName -> resource kind (app/ui/resources.py)
KIND_OF_VIEW = {
    "companiesView": "company",
    "journalsView": "journal",
    "paymentsView": "payment",
    "customersView": "customer",
    "accountsView": "account",
    "invoicesView": "invoice",
}
VIEW_OF_KIND = {kind: view for view, kind in KIND_OF_VIEW.items()}
# what the menus call one record of each kind
LABEL = {"company": "Company", "journal": "Journal", "payment": "Line", "customer": "Customer",
         "account": "G/L Account", "invoice": "Sales Invoice"}
# objectName stem of the per-resource actions: actionNewJournal, actionEditJournal, ...
STEM = {"company": "Company", "journal": "Journal", "payment": "Line", "customer": "Customer",
        "account": "Account", "invoice": "Invoice"}
EDIT_KEYS = (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter)
# how far around the old row a refreshed list looks for the selected record
FIND_LIMIT = 1000


class WindowEditing(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ops: Operations | None = None
        self.focused_view = "paymentsView"
        self.new_actions: dict[str, QAction] = {}
        self.edit_actions: dict[str, QAction] = {}
        self.delete_actions: dict[str, QAction] = {}
        self._build_actions()
        for name in KIND_OF_VIEW:
            view = self._view(name)
            view.installEventFilter(self)
            if name != "paymentsView":  # the grid's double-click edits the cell
                view.doubleClicked.connect(
                    lambda _index, n=name: self.edit(KIND_OF_VIEW[n]))
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addActions(self._context_actions(KIND_OF_VIEW[name]))
        app = cast(QApplication, QApplication.instance())
        app.focusChanged.connect(self._focus_changed)
        self.update_actions()

    # --- actions and menus ---------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        a = w._action
        key = QKeySequence.StandardKey
        self.actionNew = a("actionNew", "&New", lambda: self.new(self.focused_kind()), key.New,
                           "New record in the list that has the focus (Ctrl+N)")
        self.actionEdit = a("actionEdit", "&Edit…", lambda: self.edit(self.focused_kind()),
                            None, "Edit the selected record (F2, Enter or double-click in a "
                                  "list; in the journal lines F2 edits the cell)")
        for kind, stem in STEM.items():
            label = LABEL[kind]
            if kind == "payment":
                new = a("actionNewLineForm", "New Line (&Form)…",
                        lambda: self.new_with_dialog("payment"), None,
                        "A new journal line, entered in a form")
                edit = a("actionEditLine", "&Edit Line…", lambda: self.edit("payment"), None,
                         "Edit the current journal line in a form (Shift+F2, Ctrl+E)")
                edit.setShortcuts([QKeySequence("Shift+F2"), QKeySequence("Ctrl+E")])
                delete = a("actionDeleteLines", "&Delete Lines…",
                           lambda: self.delete("payment"), None,
                           "Delete the selected journal lines")
            else:
                new = a(f"actionNew{stem}", f"&New {label}…",
                        lambda _c=False, k=kind: self.new(k), None, f"Create a {label}")
                edit = a(f"actionEdit{stem}", f"&Edit {label}…",
                         lambda _c=False, k=kind: self.edit(k), None,
                         f"Edit the selected {label}")
                delete = a(f"actionDelete{stem}", f"&Delete {label}…",
                           lambda _c=False, k=kind: self.delete(k), None,
                           f"Delete the selected {label}")
            self.new_actions[kind], self.edit_actions[kind] = new, edit
            self.delete_actions[kind] = delete

        menu_bar = w.menuBar()
        before = w.helpMenu.menuAction()
        company = QMenu("&Company", w)
        company.setObjectName("companyMenu")
        company.addActions([self.new_actions["company"], self.edit_actions["company"],
                            self.delete_actions["company"]])
        journal = QMenu("&Journal", w)
        journal.setObjectName("journalMenu")
        journal.addActions([self.new_actions["journal"], self.edit_actions["journal"],
                            self.delete_actions["journal"]])
        lines = QMenu("&Lines", w)
        lines.setObjectName("linesMenu")
        lines.addActions([w.actionNewLine, self.new_actions["payment"],
                          self.edit_actions["payment"], self.delete_actions["payment"]])
        master = QMenu("&Master Data", w)
        master.setObjectName("masterDataMenu")
        for number, kind in enumerate(("customer", "invoice", "account")):
            if number:
                master.addSeparator()
            master.addActions([self.new_actions[kind], self.edit_actions[kind],
                               self.delete_actions[kind]])
        for menu in (company, journal, lines, master):
            menu_bar.insertMenu(before, menu)
        self.menus = {"company": company, "journal": journal, "lines": lines,
                      "masterData": master}

        edit_menu = w.editMenu
        edit_menu.insertActions(w.actionNewLine, [self.actionNew, self.actionEdit])
        edit_menu.removeAction(w.actionNewLine)
        self.actionHistory = w.docks["history"].toggleViewAction()
        self.actionHistory.setObjectName("actionHistory")
        self.actionHistory.setText("&History")
        self.actionHistory.setShortcut(QKeySequence("Ctrl+H"))
        self.actionHistory.setStatusTip("The list of changes; click a step to go back to it")
        w.addAction(self.actionHistory)
        edit_menu.addSeparator()
        edit_menu.addAction(self.actionHistory)

        toolbar = w.mainToolBar
        toolbar.insertActions(w.actionNewLine, [self.actionNew, self.actionEdit])
        toolbar.removeAction(w.actionNewLine)

    def _context_actions(self, kind: str) -> list[QAction]:
        w = self.window
        if kind == "payment":
            return [w.actionNewLine, self.new_actions[kind], self.edit_actions[kind],
                    self.delete_actions[kind]]
        return [self.new_actions[kind], self.edit_actions[kind], self.delete_actions[kind]]

    def update_actions(self) -> None:
        """Enable what makes sense now; name the generic actions after the focused list."""
        w = self.window
        has_db = w.db is not None and self.ops is not None
        has_company = has_db and w.company_id is not None
        has_journal = has_company and w.journal_id is not None
        for kind in KIND_OF_VIEW.values():
            allowed = has_journal if kind == "payment" else (
                has_db if kind == "company" else has_company)
            for actions in (self.new_actions, self.edit_actions, self.delete_actions):
                actions[kind].setEnabled(allowed)
        kind = self.focused_kind()
        label = LABEL[kind]
        self.actionNew.setText(f"&New {label}" if kind == "payment" else f"&New {label}…")
        self.actionEdit.setText(f"&Edit {label}…")
        self.window.actionDelete.setText(
            "&Delete Lines…" if kind == "payment" else f"&Delete {label}…")
        enabled = self.new_actions[kind].isEnabled()
        self.actionNew.setEnabled(enabled)
        self.actionEdit.setEnabled(enabled)
        self.window.actionDelete.setEnabled(enabled)

    # --- the database ---------------------------------------------------------------------
    def attach(self, db: Database) -> None:
        """A database was opened: a new Operations (its own, empty undo stack)."""
        from app.ui.operations import Operations

        w = self.window
        old = self.ops
        if old is not None:
            old.changed.disconnect(self.on_changed)
            old.stack.clear()
        ops = Operations(db, w, window=w)
        ops.changed.connect(self.on_changed)
        ops.refusal.connect(w.show_message)
        self.ops = ops
        undo = ops.create_undo_action(w)
        undo.setIconText("Undo")  # the toolbar stays short; menu and tooltip name the step
        undo.setObjectName("actionUndo")
        undo.setStatusTip("Take back the last change")
        redo = ops.create_redo_action(w)
        redo.setIconText("Redo")
        redo.setObjectName("actionRedo")
        redo.setStatusTip("Make the change taken back again")
        for widget in (w.editMenu, w.mainToolBar):
            widget.insertAction(w.actionUndo, undo)
            widget.insertAction(w.actionUndo, redo)
            widget.removeAction(w.actionUndo)
            widget.removeAction(w.actionRedo)
        for previous in (w.actionUndo, w.actionRedo):
            w.removeAction(previous)
            previous.deleteLater()
        # The cell being edited is saved first, so Undo takes back what was just typed
        # (every change is saved as it is made) rather than a step under the open editor.
        for action, go in ((undo, ops.undo), (redo, ops.redo)):
            action.triggered.disconnect()
            action.triggered.connect(lambda _c=False, g=go: self._step(g))
        w.addActions([undo, redo])
        w.actionUndo, w.actionRedo = undo, redo
        dock = w.docks["history"]
        placeholder = dock.widget()
        dock.setWidget(ops.create_history_view(dock))
        if placeholder is not None:
            placeholder.deleteLater()
        if old is not None:
            old.deleteLater()
        self.update_actions()

    def _step(self, go: Any) -> None:
        """Undo or redo, after saving the cell being edited; not if the cell is refused."""
        w = self.window
        view = w.paymentsView
        if view.state() == QAbstractItemView.State.EditingState:
            view.commit_editor()
            refusal = w.payments_model().last_refusal
            if refusal is not None:
                w.show_message(f"Correct the cell or press Escape first: {refusal}")
                return
        go()

    def wire_grid(self) -> None:
        """After the grid shows another journal: its writes become undo steps."""
        from app.ui.grid_edits import UndoableGridEdits

        w = self.window
        model = w.payments_model()
        if self.ops is not None and model.edits is not None \
                and not isinstance(model.edits, UndoableGridEdits):
            edits = model.edits
            model.edits = UndoableGridEdits(self.ops, edits.db, edits.company_id,
                                            edits.journal_id)

    # --- which list --------------------------------------------------------------------
    def _view(self, name: str) -> QTableView:
        view = self.window.findChild(QTableView, name)
        assert view is not None, name
        return view

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and widget is not self.window:
            name = widget.objectName()
            if name in KIND_OF_VIEW:
                break
            if name.endswith("Filter") and name[:-len("Filter")] in KIND_OF_VIEW:
                name = name[:-len("Filter")]
                break
            widget = widget.parentWidget()
        else:
            return
        if name != self.focused_view:
            self.focused_view = name
            self.update_actions()

    def focused_kind(self) -> str:
        return KIND_OF_VIEW[self.focused_view]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QTableView) \
                and watched.objectName() in KIND_OF_VIEW \
                and watched.objectName() != "paymentsView":
            key_event = cast(QKeyEvent, event)
            if key_event.key() in EDIT_KEYS and key_event.modifiers() in (
                    Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                self.edit(KIND_OF_VIEW[watched.objectName()])
                return True
        return super().eventFilter(watched, event)

    def _model(self, kind: str) -> LazyTableModel[Any]:
        return self.window.model_of(VIEW_OF_KIND[kind])

    def current_row(self, kind: str) -> Any:
        """The record (browse row, with the version the list read) current in a view."""
        if not self.window._models:
            return None
        view = self._view(VIEW_OF_KIND[kind])
        index = view.currentIndex()
        return self._model(kind).row_at(index.row()) if index.isValid() else None

    def _company_for(self, kind: str) -> uuid.UUID | None:
        return None if kind == "company" else self.window.company_id

    def _ready(self, kind: str) -> bool:
        w = self.window
        if self.ops is None or w.db is None:
            w.show_message("Open or create a database first (File menu).")
            return False
        if kind != "company" and w.company_id is None:
            w.show_message("Select or create a company first.")
            return False
        if kind == "payment" and w.journal_id is None:
            w.show_message("Select or create a customer payment journal first.")
            return False
        return True

    # --- New, Edit, Delete ----------------------------------------------------------------
    def new(self, kind: str) -> None:
        """New in a list: a dialog; in the journal lines: a new line in the grid."""
        if kind == "payment":
            if self._ready(kind):
                self.window._new_line()
            return
        self.new_with_dialog(kind)

    def new_with_dialog(self, kind: str) -> None:
        from app.ui import dialogs

        if not self._ready(kind):
            return
        w = self.window
        assert self.ops is not None
        w.paymentsView.commit_editor()
        created = dialogs.open_new(w, self.ops, kind, self._company_for(kind),
                                   journal_id=w.journal_id if kind == "payment" else None)
        if created is None:
            return
        if kind == "company":
            w.select_company(created.id)
        elif kind == "journal":
            w.select_journal(created.id)
        else:
            self.select_record(kind, created.id)
        w.show_message(f"{LABEL[kind]} created. Edit > Undo takes it back.")

    def edit(self, kind: str) -> None:
        from app.ui import dialogs

        if not self._ready(kind):
            return
        w = self.window
        row = self.current_row(kind)
        if row is None:
            w.show_message(f"Select a {LABEL[kind].lower()} to edit first.")
            return
        assert self.ops is not None
        w.paymentsView.commit_editor()
        dialogs.open_edit(w, self.ops, kind, self._company_for(kind), row.id)

    def delete(self, kind: str) -> None:
        """Delete the focused list's selection (journal lines: all selected, one step)."""
        from app.domain.errors import DomainError
        from app.ui import dialogs

        if not self._ready(kind):
            return
        w = self.window
        if kind == "payment":
            w._delete_lines()
            return
        row = self.current_row(kind)
        if row is None:
            w.show_message(f"Select a {LABEL[kind].lower()} to delete first.")
            return
        assert self.ops is not None
        cid = self._company_for(kind)
        try:
            record = self.ops.get(kind, cid, row.id)
        except DomainError as exc:  # deleted elsewhere since the list showed it
            w.show_message(exc.message)
            self.ops.notify((kind,))
            return
        # The version the list showed: if the record changed since, the delete is refused.
        record = record.model_copy(update={"version": row.version})
        if dialogs.delete_records(w, self.ops, kind, cid, [record]):
            w.show_message(f"{LABEL[kind]} deleted. Edit > Undo brings it back.")

    # --- refreshing -----------------------------------------------------------------------
    def on_changed(self, kind: str) -> None:
        """``Operations.changed``: read the affected list again, keeping the selection."""
        w = self.window
        if w.db is None or not w._models or kind not in VIEW_OF_KIND:
            return  # "ledger": the posted views refresh themselves (app/ui/posting/window.py)
        if kind == "company":
            self._refresh_keeping(kind, w.company_id)
            self._reselect_company()
        elif kind == "journal":
            self._refresh_keeping(kind, w.journal_id)
            self._reselect_journal()
        elif kind == "payment":
            self._refresh_payments()
        else:
            if kind == "customer":
                w.customer_directory.invalidate()
            current = self.current_row(kind)
            self._refresh_keeping(kind, current.id if current is not None else None)
        self.update_actions()

    def _refresh_keeping(self, kind: str, record_id: uuid.UUID | None) -> None:
        view = self._view(VIEW_OF_KIND[kind])
        model = self._model(kind)
        old = view.currentIndex()
        model.refresh()
        if record_id is None:
            return
        row = self._find(model, record_id, old.row())
        if row is not None:
            selection = view.selectionModel()
            selection.blockSignals(True)  # the same record: no re-selection of company etc.
            view.setCurrentIndex(model.index(row, max(old.column(), 0)))
            view.selectRow(row)
            selection.blockSignals(False)
            view.viewport().update()

    @staticmethod
    def _find(model: LazyTableModel[Any], record_id: uuid.UUID, near: int) -> int | None:
        found = model.row_at(near) if near >= 0 else None
        if found is not None and found.id == record_id:
            return near
        return model.find_row(lambda r: r.id == record_id, limit=max(near, 0) + FIND_LIMIT)

    def _reselect_company(self) -> None:
        w = self.window
        model = self._model("company")
        if w.company_id is not None and \
                model.find_row(lambda r: r.id == w.company_id) is not None:
            return
        first = model.row_at(0)
        w.company_id = None  # the company shown is gone (deleted, or its creation undone)
        w.journal_id = None
        if first is not None:
            w.select_company(first.id)
        else:
            w._clear_company()

    def _reselect_journal(self) -> None:
        w = self.window
        if w.company_id is None:
            return
        model = self._model("journal")
        if w.journal_id is not None and \
                model.find_row(lambda r: r.id == w.journal_id) is not None:
            return
        first = model.row_at(0)
        w.journal_id = None
        if first is not None:
            w.select_journal(first.id)
        else:
            w.payments_model().set_journal(None, None, None)
            w.update_footer()
            w._enable_journal_actions()

    def _refresh_payments(self) -> None:
        w = self.window
        model = w.payments_model()
        if model.writing:  # its own write: the grid updated its rows itself
            return
        view = w.paymentsView
        current = view.currentIndex()
        line = model.row_at(current.row()) if current.isValid() else None
        model.refresh()  # closes an open cell editor (Undo / Redo saved it first)
        w._footer_timer.start()
        if not model.rowCount():
            return
        row = model.row_of(line.id) if line is not None else None
        if row is None and current.isValid():
            row = min(current.row(), model.rowCount() - 1)
        if row is not None:
            column = current.column() if current.isValid() else 1
            view.setCurrentIndex(model.index(row, column))

    def select_record(self, kind: str, record_id: uuid.UUID) -> None:
        """Show a record just created or restored in its list."""
        view = self._view(VIEW_OF_KIND[kind])
        model = self._model(kind)
        if kind == "payment":
            row = self.window.payments_model().row_of(record_id)
        else:
            row = model.find_row(lambda r: r.id == record_id)
        if row is not None:
            index = model.index(row, 1 if kind == "payment" else 0)
            view.setCurrentIndex(index)
            view.scrollTo(index)


def placeholder_history() -> QWidget:
    label = QLabel("Open a database: its changes are listed here, and a click on one goes "
                   "back to it.")
    label.setObjectName("historyPlaceholder")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setMargin(6)
    return label


__all__ = ["KIND_OF_VIEW", "VIEW_OF_KIND", "WindowEditing", "placeholder_history"]

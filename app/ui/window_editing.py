"""The editing component of the main window: New / Edit / Delete for every resource, the
Undo / Redo actions and the history dock of the gateway.

``WindowEditing`` takes the host and the panes (their public methods only). ``attach(ops)``
(called by ``set_database`` with the new database's gateway: a new, empty undo stack) puts
its Undo / Redo actions in the Edit menu and the toolbar and its history view in the
Edit > History dock. What a change changed reaches the panes as a change-set, not from here.

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

from app.ui.descriptions import DESCRIPTIONS

if TYPE_CHECKING:
    from app.ui.operations import Operations
    from app.ui.panes.companies import CompaniesPane
    from app.ui.panes.host import Host, Shell
    from app.ui.panes.lookups import LookupsPane
    from app.ui.panes.payments import PaymentsPane

# view objectName -> resource kind, from the one description of each resource
KIND_OF_VIEW = {d.view: d.kind for d in DESCRIPTIONS.values()}
VIEW_OF_KIND = {kind: view for view, kind in KIND_OF_VIEW.items()}
EDIT_KEYS = (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WindowEditing(QObject):
    def __init__(self, window: Shell, host: Host, companies: CompaniesPane,
                 payments: PaymentsPane, lookups: LookupsPane) -> None:
        super().__init__(window.menuBar())  # deleted with the window
        self.window = window
        self.host = host
        self.companies, self.payments, self.lookups = companies, payments, lookups
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
        a = self.host.make_action
        key = QKeySequence.StandardKey
        self.actionNew = a("actionNew", "&New", lambda: self.new(self.focused_kind()), key.New,
                           "New record in the list that has the focus (Ctrl+N)")
        self.actionEdit = a("actionEdit", "&Edit…", lambda: self.edit(self.focused_kind()),
                            None, "Edit the selected record (F2, Enter or double-click in a "
                                  "list; in the journal lines F2 edits the cell)")
        for kind, description in DESCRIPTIONS.items():
            stem, label = description.stem, description.menu_label
            if kind == "payment":
                new = a(f"actionNew{stem}Form", f"New {label} (&Form)…",
                        lambda: self.new_with_dialog("payment"), None,
                        "A new journal line, entered in a form")
                edit = a(f"actionEdit{stem}", f"&Edit {label}…", lambda: self.edit("payment"),
                         None,
                         "Edit the current journal line in a form (Shift+F2, Ctrl+E)")
                edit.setShortcuts([QKeySequence("Shift+F2"), QKeySequence("Ctrl+E")])
                delete = a(f"actionDelete{stem}s", f"&Delete {label}s…",
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
        company = QMenu("&Company", w.menuBar())
        company.setObjectName("companyMenu")
        company.addActions([self.new_actions["company"], self.edit_actions["company"],
                            self.delete_actions["company"]])
        journal = QMenu("&Journal", w.menuBar())
        journal.setObjectName("journalMenu")
        journal.addActions([self.new_actions["journal"], self.edit_actions["journal"],
                            self.delete_actions["journal"]])
        lines = QMenu("&Lines", w.menuBar())
        lines.setObjectName("linesMenu")
        lines.addActions([w.actionNewLine, self.new_actions["payment"],
                          self.edit_actions["payment"], self.delete_actions["payment"]])
        master = QMenu("&Master Data", w.menuBar())
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
        h = self.host
        has_db = h.db is not None and self.ops is not None
        has_company = has_db and h.selection.company_id is not None
        has_journal = has_company and h.selection.journal_id is not None
        for kind in KIND_OF_VIEW.values():
            allowed = has_journal if kind == "payment" else (
                has_db if kind == "company" else has_company)
            for actions in (self.new_actions, self.edit_actions, self.delete_actions):
                actions[kind].setEnabled(allowed)
        kind = self.focused_kind()
        label = DESCRIPTIONS[kind].menu_label
        self.actionNew.setText(f"&New {label}" if kind == "payment" else f"&New {label}…")
        self.actionEdit.setText(f"&Edit {label}…")
        self.window.actionDelete.setText(
            "&Delete Lines…" if kind == "payment" else f"&Delete {label}…")
        enabled = self.new_actions[kind].isEnabled()
        self.actionNew.setEnabled(enabled)
        self.actionEdit.setEnabled(enabled)
        self.window.actionDelete.setEnabled(enabled)

    # --- the database ---------------------------------------------------------------------
    def attach(self, ops: Operations) -> None:
        """A database was opened: its gateway (with its own, empty undo stack)."""
        w = self.window
        old = self.ops
        if old is not None:
            old.stack.clear()
        ops.refusal.connect(self.host.show_message)
        ops.notice.connect(self.host.show_message)
        self.ops = ops
        undo = ops.create_undo_action(w.menuBar())
        undo.setIconText("Undo")  # the toolbar stays short; menu and tooltip name the step
        undo.setObjectName("actionUndo")
        undo.setStatusTip("Take back the last change")
        redo = ops.create_redo_action(w.menuBar())
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
        self.update_actions()

    def _step(self, go: Any) -> None:
        """Undo or redo, after saving the cell being edited; not if the cell is refused."""
        view = self.payments.paymentsView
        if view.state() == QAbstractItemView.State.EditingState:
            view.commit_editor()
            refusal = self.payments.payments_model().last_refusal
            if refusal is not None:
                self.host.show_message(f"Correct the cell or press Escape first: {refusal}")
                return
        go()

    # --- which list --------------------------------------------------------------------
    def _view(self, name: str) -> QTableView:
        views: dict[str, QTableView] = {**self.companies.views, **self.lookups.views,
                                        "paymentsView": self.payments.paymentsView}
        return views[name]

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

    def current_row(self, kind: str) -> Any:
        """The record (browse row, with the version the list read) current in a view."""
        view = VIEW_OF_KIND[kind]
        if kind == "payment":
            return self.payments.current_line()
        if kind in ("company", "journal"):
            return self.companies.current_row(view)
        return self.lookups.current_row(view)

    def _company_for(self, kind: str) -> uuid.UUID | None:
        return None if kind == "company" else self.host.selection.company_id

    def _ready(self, kind: str) -> bool:
        h = self.host
        if self.ops is None or h.db is None:
            h.show_message("Open or create a database first (File menu).")
            return False
        if kind != "company" and h.selection.company_id is None:
            h.show_message("Select or create a company first.")
            return False
        if kind == "payment" and h.selection.journal_id is None:
            h.show_message("Select or create a customer payment journal first.")
            return False
        return True

    # --- New, Edit, Delete ----------------------------------------------------------------
    def new(self, kind: str) -> None:
        """New in a list: a dialog; in the journal lines: a new line in the grid."""
        if kind == "payment":
            if self._ready(kind):
                self.payments.new_line()
            return
        self.new_with_dialog(kind)

    def new_with_dialog(self, kind: str) -> None:
        from app.ui import dialogs

        if not self._ready(kind):
            return
        assert self.ops is not None
        self.payments.paymentsView.commit_editor()
        journal_id = self.host.selection.journal_id if kind == "payment" else None
        created = dialogs.open_new(self.ops.window, self.ops, kind, self._company_for(kind),
                                   journal_id=journal_id)
        if created is None:
            return
        self.select_record(kind, created.id)
        self.host.show_message(f"{DESCRIPTIONS[kind].menu_label} created. Edit > Undo takes "
                               "it back.")

    def edit(self, kind: str) -> None:
        from app.ui import dialogs

        if not self._ready(kind):
            return
        row = self.current_row(kind)
        if row is None:
            self.host.show_message(f"Select a {DESCRIPTIONS[kind].menu_label.lower()} to "
                                   "edit first.")
            return
        assert self.ops is not None
        self.payments.paymentsView.commit_editor()
        dialogs.open_edit(self.ops.window, self.ops, kind, self._company_for(kind), row.id)

    def delete(self, kind: str) -> None:
        """Delete the focused list's selection (journal lines: all selected, one step)."""
        from app.domain.errors import DomainError
        from app.ui import dialogs

        if not self._ready(kind):
            return
        if kind == "payment":
            self.payments.delete_lines()
            return
        label = DESCRIPTIONS[kind].menu_label
        row = self.current_row(kind)
        if row is None:
            self.host.show_message(f"Select a {label.lower()} to delete first.")
            return
        assert self.ops is not None
        cid = self._company_for(kind)
        try:
            record = self.ops.get(kind, cid, row.id)
        except DomainError as exc:  # deleted elsewhere since the list showed it
            self.host.show_message(exc.message)
            self.ops.refresh_kinds((kind,), cid)
            return
        # The version the list showed: if the record changed since, the delete is refused.
        record = record.model_copy(update={"version": row.version})
        if dialogs.delete_records(self.ops.window, self.ops, kind, cid, [record]):
            self.host.show_message(f"{label} deleted. Edit > Undo brings it back.")

    def select_record(self, kind: str, record_id: uuid.UUID) -> None:
        """Show a record just created or restored in its list."""
        if kind == "payment":
            self.payments.select_record(record_id)
        elif kind in ("company", "journal"):
            self.companies.select_record(VIEW_OF_KIND[kind], record_id)
        else:
            self.lookups.select_record(VIEW_OF_KIND[kind], record_id)


def placeholder_history() -> QWidget:
    label = QLabel("Open a database: its changes are listed here, and a click on one goes "
                   "back to it.")
    label.setObjectName("historyPlaceholder")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setMargin(6)
    return label


__all__ = ["KIND_OF_VIEW", "VIEW_OF_KIND", "WindowEditing", "placeholder_history"]

"""Issue 5 wired into the main window: the Posting menu and toolbar, the posted views as tabs
beside Customers / Open Invoices / G/L Accounts, Navigate, and posting as an undo step.

``WindowPosting`` belongs to one ``MainWindow``. Its actions exist from the start (the menu
paints with the window); the ledger tabs' models and the services load when a database is
set (``attach``), as the rest of the window does (DESIGN.md 7).

Actions (objectName, key):
- actionApplyEntries (Shift+F11, as Business Central): Apply Customer Entries for the
  current journal line.
- actionTestReport: the Test Report of the journal (print / PDF from there).
- actionPreviewPosting: Preview Posting (writes nothing).
- actionPost (F9): "Do you want to post the journal lines?", then posting on a worker
  thread behind a progress dialog with Cancel (Cancel rolls the whole posting back); the
  step "Post Journal BANK" goes on the undo stack: its undo is the reversal.
- actionNavigate (Ctrl+Shift+I, Business Central's Find Entries): every entry of the
  current document (a journal line, a ledger entry, an open invoice).
- actionReverseRegister: reverse the register selected in the G/L Registers tab.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui import messages

if TYPE_CHECKING:
    from app.db import Database
    from app.domain.ledger_schemas import RegisterRead
    from app.ui.main_window import MainWindow
    from app.ui.operations import Operations
    from app.ui.posting.actions import LedgerWidget
    from app.ui.posting.models import RowsModel

POST_QUESTION = "Do you want to post the journal lines?"
POSTED_MESSAGE = "The journal lines were successfully posted."
LEDGER_TABS = (("glEntriesView", "G/L Entries"), ("customerLedgerView",
                                                  "Customer Ledger Entries"),
               ("customerBalancesView", "Customer Balances"))


class RegistersBox(QWidget):
    """G/L Registers of the company, newest first, with Reverse."""

    def __init__(self, posting: WindowPosting, parent: QWidget | None = None) -> None:
        from app.ui.posting.models import Field, RowsModel

        super().__init__(parent)
        self.model: RowsModel = RowsModel((
            Field("number", "No.", True), Field("journalCode", "Journal"),
            Field("sourceCode", "Source Code"), Field("fromEntryNumber", "From Entry No.", True),
            Field("toEntryNumber", "To Entry No.", True),
            Field("glEntryCount", "G/L Entries", True),
            Field("custEntryCount", "Cust. Entries", True),
            Field("created", "Created"), Field("userId", "User ID"),
            Field("reversed", "Reversed"),
            Field("reversedByRegisterNumber", "Reversed by Register", True),
            Field("reversalOfRegisterNumber", "Reverses Register", True)), (), self)
        self.view = QTableView(self)
        self.view.setObjectName("registersView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.addAction(posting.actionReverseRegister)
        self.view.addAction(posting.actionNavigate)
        self.reverse_button = QPushButton("&Reverse Register…", self)
        self.reverse_button.setObjectName("reverseRegisterButton")
        self.reverse_button.clicked.connect(posting.reverse_selected)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        note = QLabel("Each posting writes one register; reversing one writes another "
                      "(the entries stay, marked reversed).")
        note.setWordWrap(True)  # else its text would set the window's minimum width
        top.addWidget(note, 1)
        top.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def set_company(self, db: Database | None, company_id: uuid.UUID | None) -> None:
        from app.services import posting

        rows: list[SimpleNamespace] = []
        if db is not None and company_id is not None:
            # Newest first; the time as the user reads it (local, to the second).
            # The read model dumps by alias (camelCase) by default; the fields read
            # attributes (snake_case): without by_alias=False most columns were blank.
            rows = [SimpleNamespace(**r.model_dump(by_alias=False), register=r,
                                    created=r.created_at.astimezone().strftime(
                                        "%Y-%m-%d %H:%M:%S"))
                    for r in reversed(posting.list_registers(db, company_id))]
        self.model.set_rows(rows)
        for column in range(self.model.columnCount()):
            self.view.resizeColumnToContents(column)
        if rows:
            self.view.selectRow(0)

    def selected(self) -> RegisterRead | None:
        index = self.view.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.register if row is not None else None


class NavigateDialog(QDialog):
    """Find Entries (Navigate) for one document number: its G/L entries and customer ledger
    entries; for a journal line not posted yet, what it is applied to."""

    def __init__(self, db: Database, company_id: uuid.UUID, document_number: str,
                 applied: list[Any], parent: QWidget | None = None) -> None:
        from app.services import ledgers
        from app.ui.posting.models import Field, RowsModel

        super().__init__(parent)
        self.setObjectName("navigateDialog")
        self.setWindowTitle(f"Navigate — Document No. {document_number}")
        found = ledgers.entries_for_document(db, company_id, document_number)
        self.found = found
        layout = QVBoxLayout(self)
        summary = (f"Document No. {found.document_number}: "
                   f"{len(found.gl_entries)} G/L entries, "
                   f"{len(found.customer_entries)} customer ledger entries.")
        if not found.gl_entries and not found.customer_entries:
            summary += " Nothing is posted with this document number yet."
        self.summary = QLabel(summary)
        self.summary.setObjectName("navigateSummary")
        layout.addWidget(self.summary)
        self.models: dict[str, RowsModel] = {}
        tables: list[tuple[str, str, tuple[Field, ...], Sequence[Any]]] = [
            ("navigateGLView", "G/L Entries", (
                Field("entryNumber", "Entry No.", True), Field("postingDate", "Posting Date"),
                Field("documentType", "Document Type"), Field("accountNumber", "G/L Account"),
                Field("accountName", "Name"), Field("description", "Description"),
                Field("amount", "Amount", True), Field("registerNumber", "Register", True),
                Field("reversed", "Reversed")), found.gl_entries),
            ("navigateCustomerView", "Customer Ledger Entries", (
                Field("entryNumber", "Entry No.", True), Field("postingDate", "Posting Date"),
                Field("documentType", "Document Type"), Field("customerNumber", "Customer"),
                Field("customerName", "Name"), Field("amount", "Amount", True),
                Field("remainingAmount", "Remaining Amount", True), Field("open", "Open")),
             found.customer_entries),
        ]
        if applied:
            tables.append(("navigateAppliedView", "Applied to (not posted yet)", (
                Field("entryNumber", "Entry No.", True), Field("documentType", "Document Type"),
                Field("documentNumber", "Document No."), Field("postingDate", "Posting Date"),
                Field("remainingAmount", "Remaining Amount", True),
                Field("amountToApply", "Amount to Apply", True)), applied))
        for name, title, fields, rows in tables:
            layout.addWidget(QLabel(f"<b>{title}</b> ({len(rows)})"))
            model = RowsModel(fields, rows, self)
            view = QTableView(self)
            view.setObjectName(name)
            view.setModel(model)
            view.verticalHeader().hide()
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.horizontalHeader().setStretchLastSection(True)
            view.resizeColumnsToContents()
            layout.addWidget(view, 1)
            self.models[name] = model
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 560)


class WindowPosting(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ops: Operations | None = None
        self.ledgers: dict[str, LedgerWidget] = {}
        self.registers: RegistersBox | None = None
        self.last_navigate: NavigateDialog | None = None
        self._build_actions()

    # --- actions and menus ---------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        a = w._action
        self.actionApplyEntries = a(
            "actionApplyEntries", "&Apply Entries…", self.apply_entries, "Shift+F11",
            "Apply the current journal line to the customer's open entries (Shift+F11)")
        self.actionTestReport = a("actionTestReport", "&Test Report…", self.test_report,
                                  None, "Check the journal without posting; print or save "
                                        "the problems as PDF")
        self.actionPreviewPosting = a("actionPreviewPosting", "Pre&view Posting…",
                                      self.preview, None, "Show the entries posting would "
                                                          "write; nothing is saved")
        self.actionPost = a("actionPost", "&Post…", self.post, "F9",
                            "Post the journal's lines (F9); Edit > Undo reverses the posting")
        self.actionNavigate = a("actionNavigate", "&Navigate…", self.navigate,
                                "Ctrl+Shift+I", "Find the entries of the current document "
                                                "(Ctrl+Shift+I)")
        self.actionReverseRegister = a("actionReverseRegister", "&Reverse Register…",
                                       self.reverse_selected, None,
                                       "Reverse the register selected in G/L Registers")
        self.actionShowRegisters = a("actionShowRegisters", "G/L &Registers",
                                     lambda: self.show_tab("registersBox"), None,
                                     "Show the G/L registers")
        self.actionShowLedger = a("actionShowLedger", "&Ledger Entries",
                                  lambda: self.show_tab("customerLedgerView"), None,
                                  "Show the customer ledger entries")
        menu = QMenu("&Posting", w)
        menu.setObjectName("postingMenu")
        menu.addActions([self.actionApplyEntries, self.actionNavigate])
        menu.addSeparator()
        menu.addActions([self.actionTestReport, self.actionPreviewPosting, self.actionPost])
        menu.addSeparator()
        menu.addActions([self.actionShowLedger, self.actionShowRegisters,
                         self.actionReverseRegister])
        w.menuBar().insertMenu(w.helpMenu.menuAction(), menu)
        self.menu = menu
        toolbar = w.mainToolBar
        toolbar.addSeparator()
        toolbar.addActions([self.actionApplyEntries, self.actionPreviewPosting,
                            self.actionPost])
        w.paymentsView.addActions([self.actionApplyEntries, self.actionNavigate])
        self.update_actions()

    def update_actions(self) -> None:
        w = self.window
        ready = w.db is not None and self.ops is not None and w.company_id is not None
        has_journal = ready and w.journal_id is not None
        for action in (self.actionApplyEntries, self.actionTestReport,
                       self.actionPreviewPosting, self.actionPost):
            action.setEnabled(has_journal)
        for action in (self.actionNavigate, self.actionReverseRegister,
                       self.actionShowRegisters, self.actionShowLedger):
            action.setEnabled(ready)

    # --- the database and the company ------------------------------------------------------
    def attach(self, ops: Operations) -> None:
        """A database was set: its Operations; the ledger tabs are made the first time."""
        self.ops = ops  # the old one (another database's) is deleted with its connections
        ops.changed.connect(self.on_changed)
        if not self.ledgers:
            self._build_tabs()
        self.company_changed()

    def _build_tabs(self) -> None:
        from app.ui.posting.actions import (
            customer_balances_widget,
            customer_ledger_widget,
            gl_entries_widget,
        )

        tabs = self.tabs()
        for (name, title), make in zip(LEDGER_TABS, (gl_entries_widget, customer_ledger_widget,
                                                     customer_balances_widget), strict=True):
            widget = make(None, None, tabs)
            widget.setObjectName(f"{name}Box")
            widget.view.setAlternatingRowColors(True)
            widget.view.setWordWrap(False)
            widget.view.horizontalHeader().setStretchLastSection(True)
            widget.view.verticalHeader().setDefaultSectionSize(
                widget.view.fontMetrics().height() + 8)
            header = widget.view.horizontalHeader()
            for column in range(widget.model.columnCount()):  # no title cut short
                heading = str(widget.model.headerData(column, Qt.Orientation.Horizontal)
                              or "")
                needed = header.fontMetrics().horizontalAdvance(heading) + 12
                widget.view.setColumnWidth(column, max(widget.view.columnWidth(column),
                                                       needed))
            widget.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            if name != "customerBalancesView":
                widget.view.addAction(self.actionNavigate)
                widget.view.doubleClicked.connect(lambda _i: self.navigate())
            self.ledgers[name] = widget
            tabs.addTab(widget, title)
        self.registers = RegistersBox(self, tabs)
        self.registers.setObjectName("registersBox")
        tabs.addTab(self.registers, "G/L Registers")

    def tabs(self) -> QTabWidget:
        tabs = self.window.findChild(QTabWidget, "lookupTabs")
        assert tabs is not None
        return tabs

    def show_tab(self, name: str) -> None:
        tabs = self.tabs()
        widget = self.window.findChild(QWidget, name if name == "registersBox"
                                       else f"{name}Box")
        if widget is not None:
            self.window.docks["lookups"].show()
            tabs.setCurrentWidget(widget)

    def company_changed(self) -> None:
        """Show the selected company's entries (none when no company is selected)."""
        from app.services.ledgers import LedgerQuery

        w = self.window
        for name, widget in self.ledgers.items():
            query = None
            if w.db is not None and w.company_id is not None:
                # The newest entries on top: after a posting, what it wrote shows first.
                query = LedgerQuery(w.company_id, sort="customerNumber") \
                    if name == "customerBalancesView" else LedgerQuery(w.company_id,
                                                                      descending=True)
                model = widget.model
                if model.query is not None and model.query.company_id == w.company_id:
                    continue  # the same company: keep filter and sort
                if model.query is not None:
                    query = LedgerQuery(w.company_id, filter_text=model.query.filter_text,
                                        sort=model.query.sort,
                                        descending=model.query.descending)
            if query is None:
                widget.model.set_ledger_query(None, None)
            else:
                widget.set_query(w.db, query)  # type: ignore[arg-type]
        if self.registers is not None:
            self.registers.set_company(w.db, w.company_id)
        self.update_actions()

    def refresh(self) -> None:
        for widget in self.ledgers.values():
            if widget.model.query is not None:
                widget.refresh()
        if self.registers is not None:
            self.registers.set_company(self.window.db, self.window.company_id)

    def on_changed(self, kind: str) -> None:
        if kind == "ledger":
            self.refresh()

    # --- commands ----------------------------------------------------------------------------
    def _ready(self) -> tuple[Database, uuid.UUID, uuid.UUID] | None:
        w = self.window
        if w.db is None or w.company_id is None or w.journal_id is None:
            w.show_message("Select a customer payment journal first.")
            return None
        w.paymentsView.commit_editor()
        return w.db, w.company_id, w.journal_id

    def _journal_code(self) -> str:
        w = self.window
        row = w.model_of("journalsView").find_row(lambda r: r.id == w.journal_id)
        journal = w.model_of("journalsView").row_at(row) if row is not None else None
        return journal.code if journal is not None else ""

    def current_line(self) -> Any:
        w = self.window
        index = w.paymentsView.currentIndex()
        return w.payments_model().row_at(index.row()) if index.isValid() else None

    def apply_entries(self) -> None:
        from app.ui.posting.actions import apply_entries

        ready = self._ready()
        if ready is None:
            return
        db, company_id, _journal = ready
        line = self.current_line()
        if line is None:
            self.window.show_message("Select the journal line to apply first.")
            return
        if not line.customer_number:
            messages.warn(self.window, "Apply Entries", "Account No. must have a value in "
                          f"line {line.line_number}: choose the customer first.")
            return
        if apply_entries(self.window, db, company_id, line.id):
            self.window.show_message(f"Applications of line {line.line_number} saved.")
        assert self.ops is not None
        self.ops.notify(("payment",))  # Business Central may fill the amount in

    def test_report(self) -> None:
        from app.ui.posting.actions import show_test_report

        ready = self._ready()
        if ready is not None:
            show_test_report(self.window, *ready)

    def preview(self) -> None:
        from app.ui.posting.actions import preview_posting

        ready = self._ready()
        if ready is not None:
            preview_posting(self.window, *ready)

    def post(self) -> RegisterRead | None:
        """Confirm, post off the GUI thread, push "Post Journal ...". None if not posted."""
        from app.domain.errors import DomainError
        from app.services import applications, journals, payments, posting
        from app.ui.operations import UNDO_LINE_LIMIT
        from app.ui.posting.steps import Cancelled, PostStep, run_busy

        ready = self._ready()
        if ready is None or self.ops is None:
            return None
        db, company_id, journal_id = ready
        w = self.window
        count = journals.line_count(db, company_id, journal_id)
        if count == 0:
            messages.warn(w, "Post", "There is nothing to post.")
            return None
        undoable = count <= UNDO_LINE_LIMIT
        question = POST_QUESTION if undoable else (
            f"{POST_QUESTION}\n\n{count:,} lines are too many to keep for Undo: to take the "
            "posting back, reverse its register in G/L Registers.")
        if messages.ask(w, "Post", question, ["Yes", "No"], 0) != "Yes":
            return None
        code = self._journal_code()
        lines = payments.list_all(db, company_id, journal_id) if undoable else []
        applied = applications.of_journal(db, company_id, journal_id) if undoable else {}

        def job(progress: Any) -> RegisterRead:
            return posting.post(db, company_id, journal_id, progress=progress,
                                expected_lines={line.id: line.version for line in lines}
                                if undoable else None)

        try:
            register = run_busy(w, "Post", f"Posting {count:,} lines of journal {code}…", job,
                                cancellable=True)
        except Cancelled:
            self.ops.notify(("payment",))
            messages.warn(w, "Post", "The posting was cancelled. Nothing was posted.")
            return None
        except DomainError as error:
            self.ops.notify(("payment",))  # the lines may have changed: show them as they are
            messages.warn(w, "Post", "\n".join(e.message for e in error.errors))
            return None
        for line in lines:
            self.ops.book.gone(line.id)
        if undoable:
            self.ops.push(PostStep(self.ops, w, company_id, journal_id, code, register,
                                    lines, applied))
        else:
            self.ops.notify(PostStep.kinds)
        w.show_message(f"{POSTED_MESSAGE} G/L Register {register.number}: entries "
                       f"{register.from_entry_number} to {register.to_entry_number}."
                       + (" Edit > Undo reverses the posting." if undoable else ""))
        return register

    def reverse_selected(self) -> None:
        from app.domain.errors import DomainError
        from app.services import posting

        w = self.window
        if w.db is None or w.company_id is None or self.registers is None or self.ops is None:
            return
        self.show_tab("registersBox")
        register = self.registers.selected()
        if register is None:
            w.show_message("Select a G/L register to reverse first.")
            return
        if messages.ask(w, "Reverse Register", "Do you want to reverse the entries of G/L "
                        f"Register {register.number}?\n\nThe reversal is posted: Edit > "
                        "Undo does not take it back.", ["Yes", "No"], 1) != "Yes":
            return
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            result = posting.reverse(w.db, w.company_id, register.number)
        except DomainError as error:
            QApplication.restoreOverrideCursor()
            messages.warn(w, "Reverse Register", error.message)
            return
        QApplication.restoreOverrideCursor()
        self.ops.notify(("invoice", "customer", "payment", "ledger"))
        w.show_message(f"G/L Register {register.number} reversed by register "
                       f"{result.reversal.number}; {result.reopened_entries} entries "
                       "reopened.")

    def document_at_focus(self) -> tuple[str, list[Any]]:
        """The document number of what has (or last had) the focus, and for a journal line
        not posted yet its applications."""
        from app.services import applications

        w = self.window
        focus = QApplication.focusWidget()
        for name, widget in self.ledgers.items():
            if name != "customerBalancesView" and focus is widget.view:
                index = widget.view.currentIndex()
                row = widget.model.row_at(index.row()) if index.isValid() else None
                return (row.document_number if row is not None else "", [])
        if focus is w.invoicesView:
            index = w.invoicesView.currentIndex()
            row = w.model_of("invoicesView").row_at(index.row()) if index.isValid() else None
            if row is not None:
                return row.number, []
        if self.registers is not None and focus is self.registers.view:
            return "", []
        line = self.current_line()
        if line is None or w.db is None or w.company_id is None:
            return "", []
        applied: list[Any] = []
        if line.customer_number:
            read = applications.open_entries(w.db, w.company_id, line.id)
            applied = [e for e in read.entries if e.applied]
        return line.document_number, applied

    def navigate(self) -> None:
        w = self.window
        if w.db is None or w.company_id is None:
            return
        number, applied = self.document_at_focus()
        if not number:
            w.show_message("Select a journal line, a ledger entry or an invoice to navigate "
                           "from.")
            return
        dialog = NavigateDialog(w.db, w.company_id, number, applied, w)
        self.last_navigate = dialog
        dialog.exec()


__all__ = ["POST_QUESTION", "NavigateDialog", "RegistersBox", "WindowPosting"]

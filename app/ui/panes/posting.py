"""The posting component of the main window: the Posting menu and toolbar, Apply Entries,
Test Report, Preview, Post, Reverse and Navigate. Every write (applications, posting,
reversal) is one call of the gateway (app/ui/operations.py), which shows the progress, the
errors and broadcasts what changed; the ledger tabs it fills live in the lookups pane
(app/ui/panes/lookups.py) and re-read from the change-sets.

``WindowPosting`` takes the host, the payments, companies and lookups panes (their public
methods only). Its actions exist from the start (the menu paints with the window).

Actions (objectName, key):
- actionApplyEntries (Shift+F11, as Business Central): Apply Customer Entries for the
  current journal line.
- actionTestReport: the Test Report of the journal (print / PDF from there).
- actionPreviewPosting (Ctrl+Shift+F9): Preview Posting (writes nothing).
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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import ChangeSet
from app.ui import messages
from app.ui.panes.lookups import LEDGER_TABS, RegistersBox

if TYPE_CHECKING:
    from app.db import Database
    from app.domain.ledger_schemas import RegisterRead
    from app.ui.panes.companies import CompaniesPane
    from app.ui.panes.host import Host
    from app.ui.panes.lookups import LookupsPane
    from app.ui.panes.payments import PaymentsPane

POST_QUESTION = "Do you want to post the journal lines?"
POSTED_MESSAGE = "The journal lines were successfully posted."


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
    def __init__(self, host: Host, payments: PaymentsPane, companies: CompaniesPane,
                 lookups: LookupsPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.payments = payments
        self.companies = companies
        self.lookups = lookups
        self.last_navigate: NavigateDialog | None = None
        self.last_posted: QDialog | None = None  # the confirmation of the last posting
        self._build_actions()
        lookups.use_posting_actions(self.actionReverseRegister, self.actionNavigate)
        host.selection.changed.connect(lambda _c, _j: self.update_actions())

    # the ledger tabs, for the tests and the main window's contract
    @property
    def ledgers(self) -> dict[str, Any]:
        return self.lookups.ledgers

    @property
    def registers(self) -> RegistersBox | None:
        return self.lookups.registers

    # --- actions and menus ---------------------------------------------------------------
    def _build_actions(self) -> None:
        a = self.host.make_action
        self.actionApplyEntries = a(
            "actionApplyEntries", "&Apply Entries…", self.apply_entries, "Shift+F11",
            "Apply the current journal line to the customer's open entries (Shift+F11)")
        self.actionTestReport = a("actionTestReport", "&Test Report…", self.test_report,
                                  None, "Check the journal without posting; print or save "
                                        "the problems as PDF")
        self.actionPreviewPosting = a("actionPreviewPosting", "Pre&view Posting…",
                                      self.preview, "Ctrl+Shift+F9",
                                      "Show the entries posting would write; nothing is "
                                      "saved (Ctrl+Shift+F9)")
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
        menu = QMenu("&Posting")
        menu.setObjectName("postingMenu")
        menu.addActions([self.actionApplyEntries, self.actionNavigate])
        menu.addSeparator()
        menu.addActions([self.actionTestReport, self.actionPreviewPosting, self.actionPost])
        menu.addSeparator()
        menu.addActions([self.actionShowLedger, self.actionShowRegisters,
                         self.actionReverseRegister])
        self.menu = menu
        self.payments.paymentsView.addActions([self.actionApplyEntries, self.actionNavigate])
        self.update_actions()

    def update_actions(self) -> None:
        h = self.host
        ready = h.db is not None and h.gateway is not None and h.selection.company_id is not None
        has_journal = ready and h.selection.journal_id is not None
        for action in (self.actionApplyEntries, self.actionTestReport,
                       self.actionPreviewPosting, self.actionPost):
            action.setEnabled(has_journal)
        for action in (self.actionNavigate, self.actionReverseRegister,
                       self.actionShowRegisters, self.actionShowLedger):
            action.setEnabled(ready)

    def show_tab(self, name: str) -> None:
        self.lookups.show_tab(name)

    # --- commands ----------------------------------------------------------------------------
    def _ready(self) -> tuple[Database, uuid.UUID, uuid.UUID] | None:
        h = self.host
        company_id, journal_id = h.selection.company_id, h.selection.journal_id
        if h.db is None or company_id is None or journal_id is None or h.gateway is None:
            h.show_message("Select a customer payment journal first.")
            return None
        self.payments.paymentsView.commit_editor()
        return h.db, company_id, journal_id

    def current_line(self) -> Any:
        return self.payments.current_line()

    def apply_entries(self) -> None:
        from app.services import applications
        from app.ui.posting.apply_dialog import ApplyEntriesDialog
        from app.ui.posting.steps import ApplyStep, applied_of

        ready = self._ready()
        if ready is None:
            return
        db, company_id, _journal = ready
        gateway = self.host.gateway
        assert gateway is not None
        line = self.current_line()
        if line is None:
            self.host.show_message("Select the journal line to apply first.")
            return
        if not line.customer_number:
            messages.warn(None, "Apply Entries", "Account No. must have a value in "
                          f"line {line.line_number}: choose the customer first.")
            return

        before = applied_of(applications.open_entries(db, company_id, line.id))

        def step(read: Any) -> ApplyStep | None:
            after = applied_of(read)
            return ApplyStep(gateway, company_id, line.id, line.line_number, before,
                             after) if after != before else None

        def save(inputs: Any) -> Any:  # the dialog shows a refusal at its entries
            return gateway.run(lambda: applications.set_applications(
                db, company_id, line.id, inputs), step=step, scope=company_id)

        dialog = ApplyEntriesDialog(db, company_id, line.id, self.payments.paymentsView,
                                    save=save)
        if dialog.exec():
            self.host.show_message(f"Applications of line {line.line_number} saved.")

    def test_report(self) -> None:
        from app.ui.posting.actions import show_test_report

        ready = self._ready()
        if ready is not None:
            show_test_report(self.payments.paymentsView, *ready)

    def preview(self) -> None:
        from app.ui.posting.actions import preview_posting

        ready = self._ready()
        if ready is not None:
            preview_posting(self.payments.paymentsView, *ready)

    def post(self) -> RegisterRead | None:
        """Confirm, post off the GUI thread, push "Post Journal ...". None if not posted."""
        from app.services import applications, journals, payments, posting
        from app.ui.operations import UNDO_LINE_LIMIT
        from app.ui.posting.steps import PostStep

        ready = self._ready()
        gateway = self.host.gateway
        if ready is None or gateway is None:
            return None
        db, company_id, journal_id = ready
        parent = gateway.window
        count = journals.line_count(db, company_id, journal_id)
        if count == 0:
            messages.warn(parent, "Post", "There is nothing to post.")
            return None
        undoable = count <= UNDO_LINE_LIMIT
        question = POST_QUESTION if undoable else (
            f"{POST_QUESTION}\n\n{count:,} lines are too many to keep for Undo: to take the "
            "posting back, reverse its register in G/L Registers.")
        if messages.ask(parent, "Post", question, ["Yes", "No"], 0) != "Yes":
            return None
        code = self.companies.journal_code()
        lines = payments.list_all(db, company_id, journal_id) if undoable else []
        applied = applications.of_journal(db, company_id, journal_id) if undoable else {}

        def job(progress: Any) -> RegisterRead:
            return posting.post(db, company_id, journal_id, progress=progress,
                                expected_lines={line.id: line.version for line in lines}
                                if undoable else None)

        def step(register: RegisterRead) -> PostStep | None:
            for line in lines:
                gateway.book.gone(line.id)
            if not undoable:
                return None
            return PostStep(gateway, parent, company_id, journal_id, code, register, lines,
                            applied)

        register = gateway.attempt_long(
            "Post", f"Posting {count:,} lines of journal {code}…", job, step=step,
            refresh=ChangeSet.of("payment", company_id=company_id), cancellable=True,
            cancelled="The posting was cancelled. Nothing was posted.",
            final=None if undoable else f"Posting {count:,} lines")
        if register is None:
            return None
        self.host.show_message(
            f"{POSTED_MESSAGE} G/L Register {register.number}: entries "
            f"{register.from_entry_number} to {register.to_entry_number}."
            + (" Edit > Undo reverses the posting." if undoable else
               " It is too big to undo (reverse its register to take it back), so Edit > Undo "
               "starts again from here."))
        self._confirm(register, count)
        return register

    def _confirm(self, register: RegisterRead, count: int) -> None:
        """The posted dialog, window-modal and non-blocking (see app/ui/panes/posted.py)."""
        from app.ui.operations import UNDO_LINE_LIMIT
        from app.ui.panes.posted import PostedDialog, posted_text

        if self.last_posted is not None:  # the previous posting's, closed by now
            self.last_posted.close()
            self.last_posted.deleteLater()
        number = register.number
        dialog = PostedDialog(
            posted_text(number, count, register.total_debit, register.from_entry_number,
                        register.to_entry_number, undoable=count <= UNDO_LINE_LIMIT),
            lambda: self.show_register(number), self.payments.paymentsView.window())
        self.last_posted = dialog  # kept (hidden once closed) until the next posting
        dialog.open()

    def show_register(self, number: int) -> None:
        """G/L Registers with register ``number`` selected and the focus on it."""
        self.show_tab("registersBox")
        box = self.lookups.registers
        if box is None:
            return
        model = box.model
        row = next((r for r in range(model.rowCount())
                    if getattr(model.row_at(r), "number", None) == number), None)
        if row is not None:
            box.view.selectRow(row)
            box.view.scrollTo(box.model.index(row, 0))
        box.view.setFocus()

    def reverse_selected(self) -> None:
        from app.services import posting

        h = self.host
        db, company_id, gateway = h.db, h.selection.company_id, h.gateway
        if db is None or company_id is None or gateway is None:
            return
        self.show_tab("registersBox")
        register = self.lookups.selected_register()
        if register is None:
            h.show_message("Select a G/L register to reverse first.")
            return
        if messages.ask(gateway.window, "Reverse Register", "Do you want to reverse the "
                        f"entries of G/L Register {register.number}?\n\nThe reversal is "
                        "posted: Edit > Undo does not take it back.", ["Yes", "No"],
                        1) != "Yes":
            return
        result = gateway.attempt_long(
            "Reverse Register", f"Reversing G/L Register {register.number}…",
            lambda _progress: posting.reverse(db, company_id, register.number),
            final=f"Reversing G/L Register {register.number}")
        if result is None:
            return
        h.show_message(f"G/L Register {register.number} reversed by register "
                       f"{result.reversal.number}; {result.reopened_entries} entries "
                       "reopened. A reversal cannot be undone: Edit > Undo starts again from "
                       "here.")

    def document_at_focus(self) -> tuple[str, list[Any]]:
        """The document number of what has (or last had) the focus, and for a journal line
        not posted yet its applications."""
        from app.services import applications

        h = self.host
        number = self.lookups.document_at_focus()
        if number is not None:
            return number, []
        line = self.current_line()
        if line is None or h.db is None or h.selection.company_id is None:
            return "", []
        applied: list[Any] = []
        if line.customer_number:
            read = applications.open_entries(h.db, h.selection.company_id, line.id)
            applied = [e for e in read.entries if e.applied]
        return line.document_number, applied

    def navigate(self) -> None:
        h = self.host
        if h.db is None or h.selection.company_id is None:
            return
        number, applied = self.document_at_focus()
        if not number:
            h.show_message("Select a journal line, a ledger entry or an invoice to navigate "
                           "from.")
            return
        dialog = NavigateDialog(h.db, h.selection.company_id, number, applied,
                                self.payments.paymentsView.window())
        self.last_navigate = dialog
        dialog.exec()


__all__ = ["LEDGER_TABS", "POST_QUESTION", "NavigateDialog", "RegistersBox", "WindowPosting"]

"""The journal's lines: the payment grid, its footer (lines, total, balance), New Line,
Delete Lines and the printed journal. Its writes go through the grid's edits, which are
calls of the gateway; it re-reads its lines when a change-set touches its journal.

A change from elsewhere (another program, the API) that arrives while a cell is being edited
waits until the editor closes: what the user is typing is never thrown away (it is saved, or
conflicts with the newer line, as any edit)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel

from app.domain.changes import ChangeSet, Kind
from app.ui.panes.common import TableBox, install_model
from app.ui.payment_grid import CustomerDirectory, PaymentGridView

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.models.tables import PaymentsModel
    from app.ui.panes.host import Host

FOOTER_DELAY_MS = 150


class PaymentsPane(QObject):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.selection = host.selection
        self.customer_directory = CustomerDirectory(self)
        self.paymentsView = PaymentGridView(self.customer_directory)
        self.paymentsView.message.connect(host.show_message)
        self.box = TableBox(self.paymentsView, "lines by customer or document no.")
        self.model: PaymentsModel | None = None
        self.lineCountLabel = QLabel()
        self.lineCountLabel.setObjectName("lineCountLabel")
        self.totalAmountLabel = QLabel()
        self.totalAmountLabel.setObjectName("totalAmountLabel")
        self.balanceLabel = QLabel()
        self.balanceLabel.setObjectName("balanceLabel")
        self.footer_timer = QTimer(self)
        self.footer_timer.setSingleShot(True)
        self.footer_timer.setInterval(FOOTER_DELAY_MS)
        self.footer_timer.timeout.connect(self.update_footer)
        self._waiting: ChangeSet | None = None  # arrived while a cell was being edited
        self.selection.changed.connect(self._selection_changed)

    @property
    def labels(self) -> tuple[QLabel, QLabel, QLabel]:
        return self.lineCountLabel, self.totalAmountLabel, self.balanceLabel

    def ensure_model(self) -> PaymentsModel:
        if self.model is None:
            from app.ui.models.tables import PaymentsModel

            self.model = PaymentsModel(self)
            install_model(self.paymentsView, self.box, self.model, self.host.settings)
            self.model.linesChanged.connect(self.footer_timer.start)
            self.model.editRefused.connect(lambda _index, text: self.host.show_message(text))
        return self.model

    def payments_model(self) -> PaymentsModel:
        return self.ensure_model()

    def attach(self, db: Database) -> None:
        """A new database (and gateway): the grid writes through it."""
        model = self.ensure_model()
        model.gateway = self.host.gateway
        self.customer_directory.invalidate()
        self._waiting = None
        model.set_journal(None, None, None)

    # --- the journal shown ---------------------------------------------------------------
    def _selection_changed(self, _company_changed: bool, journal_changed: bool) -> None:
        if journal_changed:
            self.show_journal()

    def show_journal(self) -> None:
        model = self.ensure_model()
        db, company_id = self.host.db, self.selection.company_id
        journal_id = self.selection.journal_id
        if db is None or company_id is None or journal_id is None:
            model.set_journal(None, None, None)
            self.update_footer()
            return
        model.set_journal(db, company_id, journal_id)
        if model.rowCount():
            self.paymentsView.setCurrentIndex(model.index(0, 1))
        # The lines show first; the sums follow a moment later (a SUM over every line).
        count = self.paymentsView.locale().toString(model.rowCount())
        self.lineCountLabel.setText(f"Lines: {count}"
                                    if not model.query or not model.query.filter_text
                                    else "")
        self.totalAmountLabel.setText("Total Amount: …")
        self.balanceLabel.setText("Balance: …")
        QTimer.singleShot(0, self.update_footer)

    def has_journal(self) -> bool:
        return self.model is not None and self.model.edits is not None

    # --- changes -------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        company_id, journal_id = self.selection.company_id, self.selection.journal_id
        if changes.touches(Kind.CUSTOMER, company_id=company_id):
            self.customer_directory.invalidate()
        if self.model is None or journal_id is None or not changes.touches(
                Kind.PAYMENT, company_id=company_id, journal_id=journal_id):
            return
        if changes.source != "local" and \
                self.paymentsView.state() == QAbstractItemView.State.EditingState:
            if self.model.absorb_while_editing(self.paymentsView.currentIndex().row()):
                self.footer_timer.start()
                return
            self._waiting = changes if self._waiting is None else self._waiting.merge(changes)
            return
        self._reread()

    def apply_waiting(self) -> None:
        """Changes from elsewhere that waited for the cell editor to close."""
        if self._waiting is not None and \
                self.paymentsView.state() != QAbstractItemView.State.EditingState:
            self._waiting = None
            self._reread()

    def refresh(self) -> None:
        if self.model is not None and self.selection.journal_id is not None:
            self._reread()
        else:
            self.update_footer()

    def _reread(self) -> None:
        model = self.ensure_model()
        if model.writing:  # its own write: the grid updated its rows itself
            return
        view = self.paymentsView
        current = view.currentIndex()
        line = model.row_at(current.row()) if current.isValid() else None
        model.refresh()  # closes an open cell editor (Undo / Redo saved it first)
        self.footer_timer.start()
        if not model.rowCount():
            return
        row = model.row_of(line.id) if line is not None else None
        if row is None and current.isValid():
            row = min(current.row(), model.rowCount() - 1)
        if row is not None:
            column = current.column() if current.isValid() else 1
            view.setCurrentIndex(model.index(row, column))

    # --- footer --------------------------------------------------------------------------
    def update_footer(self) -> None:
        """Business Central's journal footer: lines, total amount, balance."""
        from app.ui.formats import format_amount

        db, journal_id = self.host.db, self.selection.journal_id
        if db is None or journal_id is None:
            for label in self.labels:
                label.setText("")
            return
        from app.domain.errors import EnvironmentProblem
        from app.services.browse import journal_summary

        try:
            summary = journal_summary(db, journal_id)
        except EnvironmentProblem as exc:  # a timer's read: the file or server went away
            for label in self.labels:
                label.setText("")
            self.host.show_message(exc.message)
            return
        locale = self.paymentsView.locale()
        self.lineCountLabel.setText(f"Lines: {locale.toString(summary.line_count)}")
        self.totalAmountLabel.setText(f"Total Amount: {format_amount(summary.total_amount)}")
        self.balanceLabel.setText(f"Balance: {format_amount(summary.balance)}")

    # --- commands ------------------------------------------------------------------------
    def current_line(self) -> Any:
        if self.model is None:
            return None
        index = self.paymentsView.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def new_line(self) -> None:
        self.paymentsView.setFocus()
        self.paymentsView.new_line_and_edit()

    def select_record(self, record_id: uuid.UUID) -> None:
        model = self.ensure_model()
        row = model.row_of(record_id)
        if row is not None:
            index = model.index(row, 1)
            self.paymentsView.setCurrentIndex(index)
            self.paymentsView.scrollTo(index)

    def delete_lines(self) -> None:
        from app.domain.errors import DomainError
        from app.ui import operations

        model = self.model
        if model is None or model.edits is None:
            return
        rows = self.paymentsView.selected_rows()
        if not rows:
            self.host.show_message("Select the lines to delete first.")
            return
        lines = [line for line in (model.row_at(r) for r in rows) if line is not None]
        what = (f"line {lines[0].line_number}" if len(lines) == 1
                else f"these {len(lines)} lines")
        # Lines kept for Undo stay in memory: past the limit the delete is final (and says so).
        undoable = len(lines) <= operations.UNDO_LINE_LIMIT
        after = ("Edit > Undo brings them back." if undoable else
                 f"This cannot be undone: {len(lines):,} lines are too many to keep for Undo.")
        if not self.host.confirm("Delete Lines", f"Do you want to delete {what}?\n\n{after}"):
            return
        try:
            count = model.delete_rows(rows, undoable=undoable)
        except DomainError as exc:
            model.refresh()
            self.host.show_message(exc.message)
            return
        if model.rowCount():
            row = min(rows[0], model.rowCount() - 1)
            self.paymentsView.setCurrentIndex(model.index(row, 1))
        self.host.show_message(f"{count} line{'s' if count != 1 else ''} deleted. "
                               + (after if undoable else "This cannot be undone."))
        self.update_footer()

    def journal_html(self, title: str, limit: int) -> str:
        """The journal's lines as shown (filter, sort), as an HTML table for printing."""
        from html import escape

        model = self.ensure_model()
        head = "".join(f"<th>{escape(c.header)}</th>" for c in model.columns)
        body = []
        for row in range(min(model.rowCount(), limit)):
            cells = []
            for column in range(model.columnCount()):
                align = "right" if model.columns[column].kind in ("amount", "int") else "left"
                text = model.data(model.index(row, column)) or ""
                cells.append(f"<td align='{align}'>{escape(str(text))}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        more = (f"<p>First {limit:,} of {model.rowCount():,} lines.</p>"
                if model.rowCount() > limit else "")
        footer = " &nbsp; ".join(escape(label.text()) for label in self.labels)
        return (f"<h3>{escape(title)}</h3><table border='1' cellspacing='0' cellpadding='2'>"
                f"<tr>{head}</tr>{''.join(body)}</table>{more}<p>{footer}</p>")



__all__ = ["PaymentsPane"]

"""Entry points of the posting screens, for the main window's menus.

- ``show_test_report(parent, db, company_id, journal_id)``: the Test Report dialog.
- ``preview_posting(parent, db, company_id, journal_id)``: the Posting Preview dialog (or the
  problems that stop posting).
- ``GLEntriesWidget`` / ``CustomerLedgerWidget`` / ``CustomerBalancesWidget``: the posted
  views (``glEntriesView``, ``customerLedgerView``, ``customerBalancesView``) with a filter.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.domain.errors import DomainError
from app.services import posting
from app.services.ledgers import LedgerQuery
from app.ui import messages
from app.ui.posting.dialogs import PreviewPostingDialog, TestReportDialog
from app.ui.posting.models import (
    CustomerBalancesModel,
    CustomerLedgerModel,
    GLEntriesModel,
    LedgerModel,
)


def _error(parent: QWidget | None, title: str, error: DomainError) -> None:
    messages.warn(parent, title, "\n".join(e.message for e in error.errors))


def show_test_report(parent: QWidget | None, db: Database, company_id: uuid.UUID,
                     journal_id: uuid.UUID) -> None:
    TestReportDialog(db, company_id, journal_id, parent).exec()


def preview_posting(parent: QWidget | None, db: Database, company_id: uuid.UUID,
                    journal_id: uuid.UUID) -> PreviewPostingDialog | None:
    try:
        preview = posting.preview(db, company_id, journal_id)
    except DomainError as error:
        _error(parent, "Preview Posting", error)
        return None
    dialog = PreviewPostingDialog(preview, parent)
    dialog.exec()
    return dialog


class LedgerWidget(QWidget):
    """A filter box over a lazy ledger view, sortable by clicking a header."""

    def __init__(self, model: LedgerModel[Any], view_name: str, db: Database | None = None,
                 query: LedgerQuery | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        model.setParent(self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"{view_name}Filter")
        self.filter.setPlaceholderText("Filter: document no., account or customer no., "
                                       "description")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.filter_later)
        self.view = QTableView(self)
        self.view.setObjectName(view_name)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        for number, column in enumerate(self.model.columns):
            self.view.setColumnWidth(number, column.width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        if db is not None and query is not None:
            self.set_query(db, query)

    def set_query(self, db: Database, query: LedgerQuery) -> None:
        self.model.set_ledger_query(db, query)
        shown = self.model.sort_column()  # the header shows the order the rows are in
        if shown is not None:
            self.view.horizontalHeader().setSortIndicator(*shown)

    def refresh(self) -> None:
        self.model.refresh()


def gl_entries_widget(db: Database | None = None, company_id: uuid.UUID | None = None,
                      parent: QWidget | None = None) -> LedgerWidget:
    query = LedgerQuery(company_id) if company_id else None
    return LedgerWidget(GLEntriesModel(), "glEntriesView", db, query, parent)


def customer_ledger_widget(db: Database | None = None, company_id: uuid.UUID | None = None,
                           parent: QWidget | None = None) -> LedgerWidget:
    query = LedgerQuery(company_id) if company_id else None
    return LedgerWidget(CustomerLedgerModel(), "customerLedgerView", db, query, parent)


def customer_balances_widget(db: Database | None = None, company_id: uuid.UUID | None = None,
                             parent: QWidget | None = None) -> LedgerWidget:
    query = LedgerQuery(company_id, sort="customerNumber") if company_id else None
    return LedgerWidget(CustomerBalancesModel(), "customerBalancesView", db, query, parent)

"""Customers, open invoices and G/L accounts of the selected company, and the posted ledgers
(G/L entries, customer ledger entries, customer balances, G/L registers) as tabs beside them.
Each list re-reads when a change-set touches its kind in the company shown."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import ChangeSet, Kind
from app.ui.panes.common import (
    TableBox,
    browse_view,
    current_record,
    install_model,
    keep_query,
    refresh_keeping,
)

if TYPE_CHECKING:
    from app.db import Database
    from app.domain.ledger_schemas import RegisterRead
    from app.ui.models.lazy import LazyTableModel
    from app.ui.panes.host import Host
    from app.ui.posting.actions import LedgerWidget
    from app.ui.posting.models import RowsModel

LEDGER_TABS = (("glEntriesView", "G/L Entries"), ("customerLedgerView",
                                                  "Customer Ledger Entries"),
               ("customerBalancesView", "Customer Balances"))
# the kind each list shows
KIND_OF = {"customersView": Kind.CUSTOMER, "invoicesView": Kind.INVOICE,
           "accountsView": Kind.ACCOUNT}


class RegistersBox(QWidget):
    """G/L Registers of the company, newest first, with Reverse."""

    def __init__(self, reverse: QAction, navigate: QAction,
                 parent: QWidget | None = None) -> None:
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
        self.view.addAction(reverse)
        self.view.addAction(navigate)
        self.reverse_button = QPushButton("&Reverse Register…", self)
        self.reverse_button.setObjectName("reverseRegisterButton")
        self.reverse_button.clicked.connect(reverse.trigger)
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


class LookupsPane(QObject):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.selection = host.selection
        self.customersView = browse_view("customersView")
        self.accountsView = browse_view("accountsView")
        self.invoicesView = browse_view("invoicesView")
        self.boxes = {"customersView": TableBox(self.customersView, "customers"),
                      "invoicesView": TableBox(self.invoicesView, "open invoices"),
                      "accountsView": TableBox(self.accountsView, "G/L accounts")}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("lookupTabs")
        self.tabs.addTab(self.boxes["customersView"], "Customers")
        self.tabs.addTab(self.boxes["invoicesView"], "Open Invoices")
        self.tabs.addTab(self.boxes["accountsView"], "G/L Accounts")
        self.dock: QDockWidget | None = None  # set by the window that shows the tabs
        self.models: dict[str, LazyTableModel[Any]] = {}
        self.ledgers: dict[str, LedgerWidget] = {}
        self.registers: RegistersBox | None = None
        self._ledger_actions: tuple[QAction, QAction] | None = None
        self.selection.changed.connect(self._selection_changed)

    @property
    def views(self) -> dict[str, QTableView]:
        return {"customersView": self.customersView, "accountsView": self.accountsView,
                "invoicesView": self.invoicesView}

    def use_posting_actions(self, reverse: QAction, navigate: QAction) -> None:
        """Reverse Register and Navigate, for the ledgers' context menus (made by posting)."""
        self._ledger_actions = (reverse, navigate)

    # --- the database ------------------------------------------------------------------
    def ensure_models(self) -> None:
        if self.models:
            return
        from app.ui.models import tables

        self.models = {"customersView": tables.CustomersModel(self),
                       "accountsView": tables.AccountsModel(self),
                       "invoicesView": tables.InvoicesModel(self)}
        for name, model in self.models.items():
            install_model(self.views[name], self.boxes[name], model, self.host.settings)

    def attach(self, _db: Database) -> None:
        self.ensure_models()
        if not self.ledgers:
            self._build_ledger_tabs()
        for model in self.models.values():
            model.set_query(self.host.db, None)
        self._show_company()

    def _build_ledger_tabs(self) -> None:
        from app.ui.posting.actions import (
            customer_balances_widget,
            customer_ledger_widget,
            gl_entries_widget,
        )

        assert self._ledger_actions is not None, "use_posting_actions first"
        reverse, navigate = self._ledger_actions
        tabs = self.tabs
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
                widget.view.addAction(navigate)
                widget.view.doubleClicked.connect(lambda _i: navigate.trigger())
            self.ledgers[name] = widget
            tabs.addTab(widget, title)
        self.registers = RegistersBox(reverse, navigate, tabs)
        self.registers.setObjectName("registersBox")
        tabs.addTab(self.registers, "G/L Registers")

    def show_tab(self, name: str) -> None:
        widget = self.tabs.findChild(QWidget, name if name == "registersBox" else f"{name}Box")
        if widget is not None:
            if self.dock is not None:
                self.dock.show()
            self.tabs.setCurrentWidget(widget)

    # --- the company shown ---------------------------------------------------------------
    def _selection_changed(self, company_changed: bool, _journal_changed: bool) -> None:
        if company_changed:
            self._show_company()

    def _show_company(self) -> None:
        from app.services.browse import BrowseQuery
        from app.services.ledgers import LedgerQuery

        db, company_id = self.host.db, self.selection.company_id
        if self.models:
            for name, model in self.models.items():
                if db is None or company_id is None:
                    model.set_query(db, None)
                    continue
                keep_query(model, db, BrowseQuery(company_id=company_id,
                                                  open_only=name == "invoicesView"))
        for name, widget in self.ledgers.items():
            query = None
            if db is not None and company_id is not None:
                # The newest entries on top: after a posting, what it wrote shows first.
                query = LedgerQuery(company_id, sort="customerNumber") \
                    if name == "customerBalancesView" else LedgerQuery(company_id,
                                                                      descending=True)
                model = widget.model
                if model.query is not None and model.query.company_id == company_id:
                    continue  # the same company: keep filter and sort
                if model.query is not None:
                    query = LedgerQuery(company_id, filter_text=model.query.filter_text,
                                        sort=model.query.sort,
                                        descending=model.query.descending)
            if query is None:
                widget.model.set_ledger_query(None, None)
            else:
                assert db is not None
                widget.set_query(db, query)
        if self.registers is not None:
            self.registers.set_company(db, company_id)

    # --- changes -------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        company_id = self.selection.company_id
        if self.host.db is None or company_id is None or not self.models:
            return
        for name, kind in KIND_OF.items():
            if changes.touches(kind, company_id=company_id):
                current = current_record(self.views[name])
                refresh_keeping(self.views[name], current.id if current is not None else None)
        if changes.touches(Kind.LEDGER, company_id=company_id):
            self.refresh_ledgers()

    def refresh_ledgers(self) -> None:
        for widget in self.ledgers.values():
            if widget.model.query is not None:
                widget.refresh()
        if self.registers is not None:
            self.registers.set_company(self.host.db, self.selection.company_id)

    # --- what the commands may ask -------------------------------------------------------
    def current_row(self, view_name: str) -> Any:
        return current_record(self.views[view_name]) if self.models else None

    def select_record(self, view_name: str, record_id: uuid.UUID) -> None:
        view = self.views[view_name]
        model = self.models[view_name]
        row = model.find_row(lambda r: r.id == record_id)
        if row is not None:
            index = model.index(row, 0)
            view.setCurrentIndex(index)
            view.scrollTo(index)

    def selected_register(self) -> RegisterRead | None:
        return self.registers.selected() if self.registers is not None else None

    def document_at_focus(self) -> str | None:
        """The document number of the ledger entry or invoice that has the focus; "" for
        the registers; None when the focus is elsewhere."""
        focus = QApplication.focusWidget()
        for name, widget in self.ledgers.items():
            if name != "customerBalancesView" and focus is widget.view:
                index = widget.view.currentIndex()
                row = widget.model.row_at(index.row()) if index.isValid() else None
                return row.document_number if row is not None else ""
        if focus is self.invoicesView:
            row = self.current_row("invoicesView")
            if row is not None:
                return str(row.number)
        if self.registers is not None and focus is self.registers.view:
            return ""
        return None



__all__ = ["LEDGER_TABS", "LookupsPane", "RegistersBox"]

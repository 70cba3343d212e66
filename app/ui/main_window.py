"""The main window: companies, the customer payment journals of the selected company and the
selected journal's lines at the centre; customers, open invoices and G/L accounts beside them.

Contract (other parts of the app rely on it):
- ``MainWindow(settings=None)`` shows without a database; ``set_database(db)`` loads the
  companies and restores the last company and journal; ``select_company(id)``,
  ``select_journal(id)``; ``refresh_all()`` after a change made elsewhere (a dialog, undo,
  posting).
- Views by objectName: companiesView, journalsView, paymentsView, customersView,
  accountsView, invoicesView. Actions by objectName: actionNewLine, actionOpenDatabase,
  actionNewDatabase, actionSave, actionDelete, actionUndo, actionRedo, actionFind,
  actionRefresh, actionPrint, actionAbout, actionQuit; the posting actions of
  app/ui/posting/window.py (actionApplyEntries, actionTestReport, actionPreviewPosting,
  actionPost, actionNavigate, actionReverseRegister) and its ledger tabs (glEntriesView,
  customerLedgerView, customerBalancesView, registersView).
- The payment grid writes only through ``paymentsView.model().edits``
  (app/ui/grid_edits.py), where the undo stack wraps every write.

The database layers (SQLAlchemy, the services) are imported only once a database is set, so
the window paints before they load (DESIGN.md 7).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.ui.payment_grid import CustomerDirectory, PaymentGridView
from app.ui.settings import Settings

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.models.lazy import LazyTableModel
    from app.ui.models.tables import PaymentsModel
    from app.ui.window_editing import WindowEditing

FOOTER_DELAY_MS = 150
MAX_PRINTED_LINES = 5000


class TableBox(QWidget):
    """A table view under its filter box (the database filters, debounced while typing)."""

    def __init__(self, view: QTableView, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"{view.objectName()}Filter")
        self.filter.setPlaceholderText(f"Filter {title}…")
        self.filter.setClearButtonEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(view)

    def bind(self, model: LazyTableModel[Any]) -> None:
        self.filter.textEdited.connect(model.filter_later)
        self.filter.returnPressed.connect(lambda: model.set_filter_text(self.filter.text()))


def _browse_view(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class MainWindow(QMainWindow):
    editMenu: QMenu
    helpMenu: QMenu
    mainToolBar: QToolBar
    editing: WindowEditing

    firstPainted = Signal()
    databaseReady = Signal()  # a database is set and the last journal shown

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.db: Database | None = None
        self.company_id: uuid.UUID | None = None
        self.journal_id: uuid.UUID | None = None
        self._owned_db: Database | None = None
        self._painted = False
        self.painted_at: float | None = None  # time.time() of the first paint (benchmarks)
        self._models: dict[str, LazyTableModel[Any]] = {}
        self.customer_directory = CustomerDirectory(self)
        self.setWindowTitle(APP_NAME)
        self._build_views()
        self._build_actions()
        self._build_status_bar()
        self._footer_timer = QTimer(self)
        self._footer_timer.setSingleShot(True)
        self._footer_timer.setInterval(FOOTER_DELAY_MS)
        self._footer_timer.timeout.connect(self.update_footer)
        self.resize(1360, 860)
        if (geometry := self.settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        if (state := self.settings.window_state()) is not None:
            self.restoreState(state)
        from app.ui import live

        self.live = live.install(self)  # other clients' changes on a server book

    # --- layout ----------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.companiesView = _browse_view("companiesView")
        self.journalsView = _browse_view("journalsView")
        self.customersView = _browse_view("customersView")
        self.accountsView = _browse_view("accountsView")
        self.invoicesView = _browse_view("invoicesView")
        self.paymentsView = PaymentGridView(self.customer_directory)
        self.paymentsView.message.connect(self.show_message)

        self.boxes = {
            "companiesView": TableBox(self.companiesView, "companies"),
            "journalsView": TableBox(self.journalsView, "journals"),
            "paymentsView": TableBox(self.paymentsView, "lines by customer or document no."),
            "customersView": TableBox(self.customersView, "customers"),
            "invoicesView": TableBox(self.invoicesView, "open invoices"),
            "accountsView": TableBox(self.accountsView, "G/L accounts"),
        }
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.setObjectName("centreSplitter")
        centre.addWidget(self.boxes["journalsView"])
        centre.addWidget(self.boxes["paymentsView"])
        centre.setStretchFactor(0, 1)
        centre.setStretchFactor(1, 5)
        # The journals list shows about five journals (header, filter and rows) and never
        # shrinks below three, so a third journal is never half hidden.
        row_height = self.journalsView.verticalHeader().defaultSectionSize()
        header_height = self.journalsView.horizontalHeader().sizeHint().height()
        filter_height = self.boxes["journalsView"].filter.sizeHint().height()
        chrome = header_height + filter_height + 12
        self.boxes["journalsView"].setMinimumHeight(chrome + 3 * row_height)
        centre.setCollapsible(0, False)
        centre.setSizes([chrome + 5 * row_height, 500])
        self.setCentralWidget(centre)

        companies = QDockWidget("Companies", self)
        companies.setObjectName("companiesDock")
        companies.setWidget(self.boxes["companiesView"])
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, companies)

        tabs = QTabWidget()
        tabs.setObjectName("lookupTabs")
        tabs.addTab(self.boxes["customersView"], "Customers")
        tabs.addTab(self.boxes["invoicesView"], "Open Invoices")
        tabs.addTab(self.boxes["accountsView"], "G/L Accounts")
        lookups = QDockWidget("Lookups", self)
        lookups.setObjectName("lookupsDock")
        lookups.setWidget(tabs)
        # Below the journal, beside the companies: the lines keep the full width.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, lookups)
        self.resizeDocks([companies], [190], Qt.Orientation.Horizontal)
        self.resizeDocks([lookups], [230], Qt.Orientation.Vertical)
        from app.ui.window_editing import placeholder_history

        history = QDockWidget("History", self)
        history.setObjectName("historyDock")
        history.setWidget(placeholder_history())
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, history)
        self.resizeDocks([history], [230], Qt.Orientation.Horizontal)
        history.hide()  # Edit > History (Ctrl+H) shows it
        self.docks = {"companies": companies, "lookups": lookups, "history": history}

    def _action(self, name: str, text: str, slot: Any = None,
                shortcut: QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        self.actionNewDatabase = a("actionNewDatabase", "&New Database…", self._new_database,
                                   "Ctrl+Shift+N", "Create a new, empty database file")
        self.actionOpenDatabase = a("actionOpenDatabase", "&Open Database…",
                                    self._open_database, key.Open, "Open a database file")
        self.actionSave = a("actionSave", "&Save", self._save, key.Save,
                            "Finish the cell being edited (every change is saved as it is made)")
        self.actionPrint = a("actionPrint", "&Print Journal…", self._print, key.Print,
                             "Print the journal's lines as shown")
        self.actionQuit = a("actionQuit", "&Quit", self.close, key.Quit)
        # Placeholders until a database is open: WindowEditing.attach replaces them by the
        # Operations' actions ("Undo New Journal BANK"), in the menu and the toolbar.
        self.actionUndo = a("actionUndo", "&Undo", None, key.Undo)
        self.actionRedo = a("actionRedo", "&Redo", None, key.Redo)
        self.actionUndo.setEnabled(False)
        self.actionRedo.setEnabled(False)
        # Ctrl+N is actionNew (WindowEditing): a new line when the journal lines have focus.
        self.actionNewLine = a("actionNewLine", "New &Line", self._new_line, None,
                               "Start a new journal line with the defaults (Ctrl+N in the "
                               "lines)")
        self.actionDelete = a("actionDelete", "&Delete", lambda: self.editing.delete(
            self.editing.focused_kind()), key.Delete,
                              "Delete the selection of the list that has the focus")
        self.actionFind = a("actionFind", "&Find…", self._find, key.Find,
                            "Filter the journal lines")
        self.actionRefresh = a("actionRefresh", "&Refresh", self.refresh_all, key.Refresh,
                               "Read everything again from the database")
        self.actionAbout = a("actionAbout", "&About Ledgerdesk", self._about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.actionNewDatabase, self.actionOpenDatabase])
        self.recentMenu = file_menu.addMenu("Open &Recent")
        self.recentMenu.setObjectName("recentMenu")
        self.recentMenu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.actionSave, self.actionPrint])
        file_menu.addSeparator()
        file_menu.addAction(self.actionQuit)
        edit_menu = self.editMenu = menu.addMenu("&Edit")
        edit_menu.addActions([self.actionUndo, self.actionRedo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.actionNewLine, self.actionDelete])
        edit_menu.addSeparator()
        edit_menu.addAction(self.actionFind)
        view_menu = menu.addMenu("&View")
        view_menu.addAction(self.actionRefresh)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        help_menu = self.helpMenu = menu.addMenu("&Help")
        help_menu.addAction(self.actionAbout)

        toolbar = self.mainToolBar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.actionOpenDatabase, self.actionSave])
        toolbar.addSeparator()
        toolbar.addActions([self.actionNewLine, self.actionDelete, self.actionUndo,
                            self.actionRedo])
        toolbar.addSeparator()
        toolbar.addActions([self.actionFind, self.actionRefresh, self.actionPrint])
        from app.ui.window_editing import WindowEditing

        self.editing = WindowEditing(self)
        from app.ui.posting.window import WindowPosting

        self.posting = WindowPosting(self)
        self._enable_journal_actions()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.lineCountLabel = QLabel()
        self.lineCountLabel.setObjectName("lineCountLabel")
        self.totalAmountLabel = QLabel()
        self.totalAmountLabel.setObjectName("totalAmountLabel")
        self.balanceLabel = QLabel()
        self.balanceLabel.setObjectName("balanceLabel")
        for label in (self.lineCountLabel, self.totalAmountLabel, self.balanceLabel):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        bar.showMessage("Opening…" if self.db is None else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted_at = time.time()
            QTimer.singleShot(0, self.firstPainted.emit)

    # --- models ----------------------------------------------------------------------------
    def _ensure_models(self) -> None:
        if self._models:
            return
        from app.ui.models import tables

        made: dict[str, LazyTableModel[Any]] = {
            "companiesView": tables.CompaniesModel(self),
            "journalsView": tables.JournalsModel(self),
            "paymentsView": tables.PaymentsModel(self),
            "customersView": tables.CustomersModel(self),
            "accountsView": tables.AccountsModel(self),
            "invoicesView": tables.InvoicesModel(self),
        }
        for name, model in made.items():
            view = self.findChild(QTableView, name)
            assert view is not None
            view.setModel(model)
            self.boxes[name].bind(model)
            model.filterApplied.connect(
                lambda box=self.boxes[name], m=model: self._sync_filter_box(box, m))
            header = view.horizontalHeader()
            for column, spec in enumerate(model.columns):
                view.setColumnWidth(column, spec.width)
            if name == "companiesView":  # the dock is narrow: the name says enough
                view.setColumnHidden(model.column_of("workDate"), True)
                view.setColumnHidden(model.column_of("displayName"), True)
            state = self.settings.header_state(name)
            restored = state is not None and header.restoreState(state)
            header.setSectionsClickable(True)
            header.setSortIndicatorShown(True)
            if restored:  # the sort last used, taken by the model's first query
                model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            else:
                header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
            header.sortIndicatorChanged.connect(
                lambda column, order, v=view, m=model: self._sort(v, m, column, order))
        self._models = made
        payments = self.payments_model()
        payments.linesChanged.connect(self._footer_timer.start)
        payments.editRefused.connect(lambda _index, text: self.show_message(text))
        payments.modelReset.connect(self._enable_journal_actions)
        cast(Any, self.companiesView.selectionModel()).currentRowChanged.connect(
            self._company_row_changed)
        cast(Any, self.journalsView.selectionModel()).currentRowChanged.connect(
            self._journal_row_changed)

    def payments_model(self) -> PaymentsModel:
        return cast("PaymentsModel", self._models["paymentsView"])

    def model_of(self, view_name: str) -> LazyTableModel[Any]:
        return self._models[view_name]

    def _sort(self, view: QTableView, model: LazyTableModel[Any], column: int,
              order: Qt.SortOrder) -> None:
        model.sort(column, order)
        header = view.horizontalHeader()
        current = model.sort_column()
        header.blockSignals(True)
        if current is None:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            header.setSortIndicator(*current)
        header.blockSignals(False)

    @staticmethod
    def _sync_filter_box(box: TableBox, model: LazyTableModel[Any]) -> None:
        text = model.query.filter_text if model.query is not None else ""
        if box.filter.text() != text and not box.filter.hasFocus():
            box.filter.setText(text)

    # --- database, company, journal --------------------------------------------------------
    def set_database(self, db: Database) -> None:
        from app.services.browse import BrowseQuery

        self._ensure_models()
        if self._owned_db is not None and self._owned_db is not db:
            self._owned_db.close()
            self._owned_db = None
        self.db = db
        self.company_id = self.journal_id = None
        self.editing.attach(db)  # a new undo stack for this database
        assert self.editing.ops is not None
        self.posting.attach(self.editing.ops)  # the ledger tabs, refreshed by its changes
        self.customer_directory.invalidate()
        self.setWindowTitle(f"{APP_NAME} — {self.database_name()}")
        companies = self._models["companiesView"]
        companies.set_query(db, BrowseQuery())
        last = self.settings.last_company(self.database_name())
        row = companies.find_row(lambda r: r.id == last) if last is not None else None
        if row is None and companies.rowCount() > 0:
            row = 0
        first = companies.row_at(row) if row is not None else None
        if first is not None:
            self.select_company(first.id)
        else:
            self._clear_company()
        self.statusBar().showMessage(f"Opened {self.database_name()}", 5000)
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or isinstance(focus, QLineEdit)):
            self.paymentsView.setFocus()  # the keyboard starts in the journal
        self.databaseReady.emit()

    def database_name(self) -> str:
        if self.db is None:
            return ""
        return str(self.db.path) if self.db.path is not None else self.db.url

    def _clear_company(self) -> None:
        for name in ("journalsView", "customersView", "accountsView", "invoicesView"):
            self._models[name].set_query(self.db, None)
        self.payments_model().set_journal(None, None, None)
        self.posting.company_changed()
        self.update_footer()

    def select_company(self, company_id: uuid.UUID) -> None:
        from app.services.browse import BrowseQuery

        if self.db is None:
            raise RuntimeError("No database is open.")
        changed = company_id != self.company_id
        self.company_id = company_id
        self._select_row(self.companiesView, company_id)
        if not changed:
            return
        self.journal_id = None
        for name in ("journalsView", "customersView", "accountsView"):
            self._keep_query(name, BrowseQuery(company_id=company_id))
        self._keep_query("invoicesView", BrowseQuery(company_id=company_id, open_only=True))
        self.settings.set_last_company(self.database_name(), company_id)
        self.posting.company_changed()
        journals = self._models["journalsView"]
        last = self.settings.last_journal(self.database_name(), company_id)
        row = journals.find_row(lambda r: r.id == last) if last is not None else None
        if row is None and journals.rowCount() > 0:
            row = 0
        journal = journals.row_at(row) if row is not None else None
        if journal is not None:
            self.select_journal(journal.id)
        else:
            self.payments_model().set_journal(None, None, None)
            self.update_footer()

    def _keep_query(self, name: str, query: Any) -> None:
        """Set a view's scope, keeping its filter text and sort."""
        from dataclasses import replace

        model = self._models[name]
        if model.query is not None:
            query = replace(query, filter_text=model.query.filter_text, sort=model.query.sort,
                            descending=model.query.descending)
        model.set_query(self.db, query)

    def select_journal(self, journal_id: uuid.UUID) -> None:
        if self.db is None or self.company_id is None:
            raise RuntimeError("Select a company first.")
        changed = journal_id != self.journal_id
        self.journal_id = journal_id
        self._select_row(self.journalsView, journal_id)
        if not changed:
            return
        self.payments_model().set_journal(self.db, self.company_id, journal_id)
        self.editing.wire_grid()  # the grid's writes become undo steps
        self.settings.set_last_journal(self.database_name(), self.company_id, journal_id)
        payments = self.payments_model()
        if payments.rowCount():
            self.paymentsView.setCurrentIndex(payments.index(0, 1))
        self._enable_journal_actions()
        # The lines show first; the sums follow a moment later (a SUM over every line).
        self.lineCountLabel.setText(f"Lines: {self.locale().toString(payments.rowCount())}"
                                    if not payments.query or not payments.query.filter_text
                                    else "")
        self.totalAmountLabel.setText("Total Amount: …")
        self.balanceLabel.setText("Balance: …")
        QTimer.singleShot(0, self.update_footer)

    def _select_row(self, view: QTableView, record_id: uuid.UUID) -> None:
        model = cast("LazyTableModel[Any]", view.model())
        row = model.find_row(lambda r: r.id == record_id)
        if row is None or view.currentIndex().row() == row:
            return
        selection = view.selectionModel()
        selection.blockSignals(True)
        view.setCurrentIndex(model.index(row, 0))
        view.selectRow(row)
        selection.blockSignals(False)
        view.viewport().update()

    def _company_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self._models["companiesView"].row_at(current.row())
        if row is not None and row.id != self.company_id:
            self.select_company(row.id)

    def _journal_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self._models["journalsView"].row_at(current.row())
        if row is not None and row.id != self.journal_id:
            self.select_journal(row.id)

    def refresh_all(self) -> None:
        """Read everything again (after a change made by a dialog, undo, posting, ...)."""
        if self.db is None:
            return
        current = self.paymentsView.currentIndex()
        self.customer_directory.invalidate()
        for model in self._models.values():
            model.refresh()
        self.posting.refresh()
        if self.company_id is not None:
            self._select_row(self.companiesView, self.company_id)
        if self.journal_id is not None:
            self._select_row(self.journalsView, self.journal_id)
        payments = self.payments_model()
        if current.isValid() and payments.rowCount():
            self.paymentsView.setCurrentIndex(
                payments.index(min(current.row(), payments.rowCount() - 1), current.column()))
        self.update_footer()

    # --- footer ----------------------------------------------------------------------------
    def update_footer(self) -> None:
        """Business Central's journal footer: lines, total amount, balance."""
        from app.ui.formats import format_amount

        if self.db is None or self.journal_id is None:
            for label in (self.lineCountLabel, self.totalAmountLabel, self.balanceLabel):
                label.setText("")
            return
        from app.services.browse import journal_summary

        summary = journal_summary(self.db, self.journal_id)
        locale = self.locale()
        self.lineCountLabel.setText(f"Lines: {locale.toString(summary.line_count)}")
        self.totalAmountLabel.setText(f"Total Amount: {format_amount(summary.total_amount)}")
        self.balanceLabel.setText(f"Balance: {format_amount(summary.balance)}")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _enable_journal_actions(self) -> None:
        has_journal = bool(self._models) and self.payments_model().edits is not None
        self.actionNewLine.setEnabled(has_journal)
        self.actionDelete.setEnabled(has_journal)
        self.actionPrint.setEnabled(has_journal)
        self.actionRefresh.setEnabled(self.db is not None)
        if hasattr(self, "editing"):
            self.editing.update_actions()
        if hasattr(self, "posting"):
            self.posting.update_actions()

    # --- commands --------------------------------------------------------------------------
    def _new_line(self) -> None:
        self.paymentsView.setFocus()
        self.paymentsView.new_line_and_edit()

    def _save(self) -> None:
        self.paymentsView.commit_editor()
        self.show_message("Every change is saved as it is made.")

    def confirm(self, title: str, question: str) -> bool:
        """Ask before something that cannot be taken back by closing a dialog."""
        answer = QMessageBox.question(self, title, question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _delete_lines(self) -> None:
        from app.domain.errors import DomainError

        model = self.payments_model() if self._models else None
        if model is None or model.edits is None:
            return
        rows = self.paymentsView.selected_rows()
        if not rows:
            self.show_message("Select the lines to delete first.")
            return
        lines = [line for line in (model.row_at(r) for r in rows) if line is not None]
        from app.ui import operations

        what = (f"line {lines[0].line_number}" if len(lines) == 1
                else f"these {len(lines)} lines")
        # Lines kept for Undo stay in memory: past the limit the delete is final (and says so).
        undoable = len(lines) <= operations.UNDO_LINE_LIMIT
        after = ("Edit > Undo brings them back." if undoable else
                 f"This cannot be undone: {len(lines):,} lines are too many to keep for Undo.")
        if not self.confirm("Delete Lines", f"Do you want to delete {what}?\n\n{after}"):
            return
        try:
            count = model.delete_rows(rows, undoable=undoable)
        except DomainError as exc:
            model.refresh()
            self.show_message(exc.message)
            return
        if model.rowCount():
            row = min(rows[0], model.rowCount() - 1)
            self.paymentsView.setCurrentIndex(model.index(row, 1))
        self.show_message(f"{count} line{'s' if count != 1 else ''} deleted. "
                          + (after if undoable else "This cannot be undone."))
        self.update_footer()

    def _find(self) -> None:
        box = self.boxes["paymentsView"].filter
        box.setFocus()
        box.selectAll()

    def _about(self) -> None:
        where = self.database_name() or "no database open"
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME} {__version__}</b><br>Customer payment journals in "
                          f"the Business Central model.<br><br>Database: {where}")

    def _print(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        model = self.payments_model()
        if model.edits is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(self.journal_html(MAX_PRINTED_LINES))
        document.print_(printer)

    def journal_html(self, limit: int) -> str:
        """The journal's lines as shown (filter, sort), as an HTML table for printing."""
        from html import escape

        model = self.payments_model()
        journal = self._models["journalsView"].row_at(self.journalsView.currentIndex().row())
        title = f"{journal.code} {journal.display_name}" if journal is not None else ""
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
        footer = " &nbsp; ".join(escape(label.text()) for label in
                                 (self.lineCountLabel, self.totalAmountLabel,
                                  self.balanceLabel))
        return (f"<h3>{escape(title)}</h3><table border='1' cellspacing='0' cellpadding='2'>"
                f"<tr>{head}</tr>{''.join(body)}</table>{more}<p>{footer}</p>")

    # --- files -----------------------------------------------------------------------------
    def open_target(self, target: str | Path, *, demo: bool = False) -> bool:
        """Open a database file (or URL) and show it; a plain message if it cannot be."""
        from app.db import open_database
        from app.domain.errors import EnvironmentProblem

        self.statusBar().showMessage(f"Opening {target}…")
        try:
            db = open_database(target)
        except EnvironmentProblem as exc:  # a bad file; a server away, a refused login
            self.statusBar().clearMessage()
            QMessageBox.warning(self, "Cannot open the database", str(exc))
            return False
        except OSError as exc:
            self.statusBar().clearMessage()
            QMessageBox.warning(self, "Cannot open the database",
                                f"{target}: {exc.strerror or exc}")
            return False
        if demo:
            from app.services import companies
            from app.services.demo import create_demo_company

            if not companies.list_all(db):
                create_demo_company(db)
        self.set_database(db)
        self._owned_db = db
        if db.path is not None:
            self.settings.add_recent_file(str(db.path))
        return True

    def close_database(self) -> None:
        if self._owned_db is not None:
            self._owned_db.close()
            self._owned_db = None

    def _new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New Database", "",
                                              "Ledgerdesk database (*.sqlite);;All files (*)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".sqlite"
        if Path(path).exists():
            QMessageBox.warning(self, "New Database",
                                f"{path} already exists. Use Open Database to open it.")
            return
        self.open_target(path)

    def _open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Database", "",
                                              "Ledgerdesk database (*.sqlite *.db);;"
                                              "All files (*)")
        if path:
            self.open_target(path)

    def _fill_recent_menu(self) -> None:
        self.recentMenu.clear()
        files = self.settings.recent_files()
        if not files:
            self.recentMenu.addAction("(none)").setEnabled(False)
        for number, path in enumerate(files, 1):
            action = self.recentMenu.addAction(f"&{number} {path}")
            action.triggered.connect(lambda _checked=False, p=path: self.open_target(p))

    # --- closing ---------------------------------------------------------------------------
    def save_layout(self) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        if self._models:
            for name in self._models:
                view = self.findChild(QTableView, name)
                if view is not None:
                    self.settings.set_header_state(name, view.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.paymentsView.commit_editor()
        self.save_layout()
        super().closeEvent(event)

"""The main window: companies, the customer payment journals of the selected company and the
selected journal's lines at the centre; customers, open invoices and G/L accounts beside them.

Contract (other parts of the app rely on it):
- ``MainWindow(settings=None)`` shows without a database; ``set_database(db)`` loads the
  companies and restores the last company and journal; ``select_company(id)``,
  ``select_journal(id)``; ``apply_changes(changes)`` is the one entry point for a change-set
  made elsewhere (app/domain/changes.py: the API, another program, another user);
  ``refresh_all()`` re-reads everything (View > Refresh).
- Views by objectName: companiesView, journalsView, paymentsView, customersView,
  accountsView, invoicesView. Actions by objectName: actionNewLine, actionOpenDatabase,
  actionNewDatabase, actionSave, actionDelete, actionUndo, actionRedo, actionFind,
  actionRefresh, actionPrint, actionAbout, actionQuit; the posting actions of
  app/ui/panes/posting.py (actionApplyEntries, actionTestReport, actionPreviewPosting,
  actionPost, actionNavigate, actionReverseRegister) and its ledger tabs (glEntriesView,
  customerLedgerView, customerBalancesView, registersView).
- Every change goes through the gateway ``window.gateway`` (app/ui/operations.py); what it
  changed comes back as a ``ChangeSet`` and each pane re-reads what it shows of it. Commits
  of another thread on the same ``Database`` (the API server) arrive through its listener,
  queued to the GUI thread; commits of another process are polled (``PRAGMA data_version``,
  every ``WATCH_INTERVAL_MS``).

The window is a frame around its components (app/ui/panes/: companies and journals, the
payment grid, lookups and ledgers; app/ui/panes/posting.py: posting; app/ui/window_editing.py:
New / Edit / Delete and undo). They share one ``Selection`` and the change-sets, nothing else.

The database layers (SQLAlchemy, the services) are imported only once a database is set, so
the window paints before they load (DESIGN.md 7).
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
)

from app import APP_NAME, __version__
from app.domain.changes import ChangeSet, with_followers
from app.ui.panes.common import TableBox
from app.ui.panes.companies import CompaniesPane
from app.ui.panes.lookups import LookupsPane
from app.ui.panes.payments import PaymentsPane
from app.ui.selection import Selection
from app.ui.settings import Settings

if TYPE_CHECKING:
    from app.db import Database
    from app.db.changes import ChangeWatcher
    from app.ui.models.lazy import LazyTableModel
    from app.ui.models.tables import PaymentsModel
    from app.ui.operations import Operations
    from app.ui.panes.posting import WindowPosting
    from app.ui.window_editing import WindowEditing

MAX_PRINTED_LINES = 5000
WATCH_INTERVAL_MS = 500  # another program's change shows within about half a second


class _Bridge(QObject):
    """Hands a change-set committed on another thread (the API server) to the GUI thread."""

    arrived = Signal(object)


class MainWindow(QMainWindow):
    editMenu: QMenu
    helpMenu: QMenu
    mainToolBar: QToolBar
    editing: WindowEditing
    posting: WindowPosting

    firstPainted = Signal()
    databaseReady = Signal()  # a database is set and the last journal shown
    changesApplied = Signal(object)  # a ChangeSet, after every pane re-read its part

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self._db: Database | None = None
        self._gateway: Operations | None = None
        self._owned_db: Database | None = None
        self._watcher: ChangeWatcher | None = None
        self._painted = False
        self.painted_at: float | None = None  # time.time() of the first paint (benchmarks)
        self.selection = Selection(self)
        self.companies = CompaniesPane(self, self)
        self.payments = PaymentsPane(self, self)
        self.lookups = LookupsPane(self, self)
        self.customer_directory = self.payments.customer_directory
        self._bridge = _Bridge(self)
        self._bridge.arrived.connect(self.apply_changes, Qt.ConnectionType.QueuedConnection)
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self.watch)
        self.setWindowTitle(APP_NAME)
        self._build_views()
        self._build_actions()
        self._build_status_bar()
        self.selection.changed.connect(lambda _c, _j: self._enable_journal_actions())
        self.resize(1360, 860)
        if (geometry := self.settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        if (state := self.settings.window_state()) is not None:
            self.restoreState(state)
        from app.ui import live

        self.live = live.install(self)  # other clients' changes on a server book

    # --- what the panes see (app/ui/panes/host.py) -----------------------------------------
    @property
    def db(self) -> Database | None:
        return self._db

    @property
    def gateway(self) -> Operations | None:
        return self._gateway

    @property
    def company_id(self) -> uuid.UUID | None:
        return self.selection.company_id

    @property
    def journal_id(self) -> uuid.UUID | None:
        return self.selection.journal_id

    # --- layout ----------------------------------------------------------------------------
    def _build_views(self) -> None:
        c, p, lk = self.companies, self.payments, self.lookups
        self.companiesView, self.journalsView = c.companiesView, c.journalsView
        self.paymentsView = p.paymentsView
        self.customersView, self.accountsView = lk.customersView, lk.accountsView
        self.invoicesView = lk.invoicesView
        self.boxes: dict[str, TableBox] = {**c.boxes, "paymentsView": p.box, **lk.boxes}
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

        lookups = QDockWidget("Lookups", self)
        lookups.setObjectName("lookupsDock")
        lookups.setWidget(self.lookups.tabs)
        self.lookups.dock = lookups
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

    def make_action(self, name: str, text: str, slot: Any = None,
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
        a = self.make_action
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
        # gateway's actions ("Undo New Journal BANK"), in the menu and the toolbar.
        self.actionUndo = a("actionUndo", "&Undo", None, key.Undo)
        self.actionRedo = a("actionRedo", "&Redo", None, key.Redo)
        self.actionUndo.setEnabled(False)
        self.actionRedo.setEnabled(False)
        # Ctrl+N is actionNew (WindowEditing): a new line when the journal lines have focus.
        self.actionNewLine = a("actionNewLine", "New &Line", self.payments.new_line, None,
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
        file_menu.addAction("&Import Customers and Invoices…", lambda: __import__(  # lazy: no db
            "app.ui.import_mapping", fromlist=["run"]).run(self))  # layers before first paint
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
        view_menu.setObjectName("viewMenu")
        view_menu.addAction(self.actionRefresh)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        help_menu = self.helpMenu = menu.addMenu("&Help")
        help_menu.addAction(self.actionAbout)
        from app.ui.reports_menu import install as install_reports
        install_reports(self)  # the Reports menu (reports, Export View, No. Series)

        toolbar = self.mainToolBar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.actionOpenDatabase, self.actionSave])
        toolbar.addSeparator()
        toolbar.addActions([self.actionNewLine, self.actionDelete, self.actionUndo,
                            self.actionRedo])
        toolbar.addSeparator()
        toolbar.addActions([self.actionFind, self.actionRefresh, self.actionPrint])
        from app.ui.panes.posting import WindowPosting
        from app.ui.window_editing import WindowEditing

        self.editing = WindowEditing(self, self, self.companies, self.payments, self.lookups)
        self.posting = WindowPosting(self, self.payments, self.companies, self.lookups, self)
        menu.insertMenu(self.helpMenu.menuAction(), self.posting.menu)
        toolbar.addSeparator()
        toolbar.addActions([self.posting.actionApplyEntries,
                            self.posting.actionPreviewPosting, self.posting.actionPost])
        from app.ui.api_server import install as install_api_server

        install_api_server(self)  # Tools menu: the local API (app/ui/api_server.py)
        from app.ui import bank_import_menu  # Journal > Import Bank Statement…, drop on the grid

        self.actionImportBankStatement = bank_import_menu.install(self)
        self._enable_journal_actions()
        from app.ui import window_polish

        window_polish.install(self)  # keyboard panes, empty states, help, theme (issue 15)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.lineCountLabel, self.totalAmountLabel, self.balanceLabel = self.payments.labels
        for label in self.payments.labels:
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        bar.showMessage("Opening…" if self.db is None else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted_at = time.time()
            QTimer.singleShot(0, self.firstPainted.emit)

    # --- models (for the tests and the benchmarks) ---------------------------------------
    def payments_model(self) -> PaymentsModel:
        return self.payments.payments_model()

    def model_of(self, view_name: str) -> LazyTableModel[Any]:
        models: dict[str, LazyTableModel[Any]] = {
            **self.companies.models, **self.lookups.models,
            "paymentsView": self.payments.payments_model()}
        return models[view_name]

    # --- database, company, journal --------------------------------------------------------
    def set_database(self, db: Database) -> None:
        from app.ui.operations import Operations

        if self._owned_db is not None and self._owned_db is not db:
            self._stop_watching()
            self._owned_db.close()
            self._owned_db = None
        self._stop_watching()
        self._db = db
        old = self._gateway
        gateway = Operations(db, self, window=self)
        gateway.changes.connect(self.apply_changes)
        self._gateway = gateway
        self.companies.ensure_models()
        self.lookups.ensure_models()
        self.payments.attach(db)
        self.editing.attach(gateway)  # a new undo stack for this database
        if old is not None:
            old.deleteLater()
        self.lookups.attach(db)
        self.setWindowTitle(f"{APP_NAME} — {self.database_name()}")
        self.companies.attach(db)
        self._start_watching(db)
        self._enable_journal_actions()
        self.statusBar().showMessage(f"Opened {self.database_name()}", 5000)
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or isinstance(focus, QLineEdit)):
            self.paymentsView.setFocus()  # the keyboard starts in the journal
        self.databaseReady.emit()

    def database_name(self) -> str:
        if self.db is None:
            return ""
        return str(self.db.path) if self.db.path is not None else self.db.url

    def select_company(self, company_id: uuid.UUID) -> None:
        self.companies.select_company(company_id)

    def select_journal(self, journal_id: uuid.UUID) -> None:
        self.companies.select_journal(journal_id)

    # --- changes ---------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        """The one entry point for what changed (the gateway, another thread, another
        program): each pane re-reads what it shows of it."""
        if self.db is None or not changes:
            return
        changes = ChangeSet(with_followers(changes.kinds), changes.company_id,
                            changes.journal_ids, changes.ids, changes.source)
        self.companies.apply_changes(changes)
        self.lookups.apply_changes(changes)
        self.payments.apply_changes(changes)
        self._enable_journal_actions()
        self.changesApplied.emit(changes)

    def _listen(self, changes: ChangeSet) -> None:
        """``Database`` listener (called in the committing thread): a commit that did not
        come through the gateway (the API server's thread, another client's change heard by
        the NOTIFY listener) is queued to the GUI thread."""
        from app.ui.operations import in_gateway

        if in_gateway():
            return
        try:
            # Another thread's commit (the API server's) is "local" to the handle; another
            # client's (the NOTIFY listener's) keeps its source.
            self._bridge.arrived.emit(changes if changes.source != "local"
                                      else changes.with_source("api"))
        except RuntimeError:  # the window is gone (closed without close_database)
            if self._db is not None:
                self._db.remove_listener(self._listen)

    def _start_watching(self, db: Database) -> None:
        from app.db.changes import ChangeWatcher

        db.add_listener(self._listen)
        self._watcher = ChangeWatcher(db)
        self._watch_timer.start()

    def _stop_watching(self) -> None:
        self._watch_timer.stop()
        if self._db is not None:
            self._db.remove_listener(self._listen)
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def watch(self) -> None:
        """The timer's tick: what other programs committed since the last tick."""
        from app.domain.errors import DomainError

        self.payments.apply_waiting()
        if self._watcher is None:
            return
        try:
            found = self._watcher.poll()
        except DomainError as exc:  # the file is gone, the server down (classified)
            self.show_message(f"Cannot watch the database for other programs' changes: {exc}")
            return
        for changes in found:
            self.apply_changes(changes)

    def refresh_all(self) -> None:
        """Read everything again (View > Refresh)."""
        if self.db is None:
            return
        self.payments.paymentsView.commit_editor()
        self.apply_changes(ChangeSet.everything())

    def update_footer(self) -> None:
        self.payments.update_footer()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _enable_journal_actions(self) -> None:
        has_journal = self.payments.has_journal()
        self.actionNewLine.setEnabled(has_journal)
        self.actionDelete.setEnabled(has_journal)
        self.actionPrint.setEnabled(has_journal)
        self.actionRefresh.setEnabled(self.db is not None)
        self.editing.update_actions()
        self.posting.update_actions()

    # --- commands --------------------------------------------------------------------------
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
        from app.ui.report_views import print_journal

        if not self.payments.has_journal():
            return
        print_journal(self)  # a print preview on proper pages (app/ui/report_views.py)

    def journal_html(self, limit: int) -> str:
        """The journal's lines as shown (filter, sort), as an HTML table for printing."""
        return self.payments.journal_html(self.companies.journal_title(), limit)

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
        self.set_database(db)
        self._owned_db = db
        if demo:
            from app.services import companies
            from app.services.demo import create_demo_company

            if not companies.list_all(db):
                assert self.gateway is not None
                self.gateway.attempt("Demo", lambda: create_demo_company(db))
        if db.path is not None:
            self.settings.add_recent_file(str(db.path))
        return True

    def close_database(self) -> None:
        self._stop_watching()
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
        for view in (*self.companies.views.values(), *self.lookups.views.values(),
                     self.paymentsView):
            if view.model() is not None:
                self.settings.set_header_state(view.objectName(),
                                               view.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.paymentsView.commit_editor()
        self.save_layout()
        self._watch_timer.stop()
        super().closeEvent(event)

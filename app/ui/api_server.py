"""Tools > Start/Stop API Server: the local API (app/api) in-process, on the window's database.

The same server as ``python -m app serve``, run by uvicorn in a background thread. Its writes
go through the services on the window's ``Database``, so each commit's change-set reaches the
window: a listener registered here (called in the server's thread) hands the change-set to the
GUI thread through a queued signal, and the window re-reads when the change touches what it
shows. (When the window has its own change-set listener, this one can go: see the note.)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from app.domain.changes import ChangeSet

if TYPE_CHECKING:
    from app.api.server import ApiServer
    from app.db import Database
    from app.ui.main_window import MainWindow


class ApiServerControl(QObject):
    """Starts and stops the API on the window's database; shows the URL, copies the token."""

    changed = Signal(object)  # a ChangeSet, emitted in the server's thread
    stateChanged = Signal(bool)

    def __init__(self, window: MainWindow, *, port: int = 7048) -> None:
        super().__init__(window)
        self.setObjectName("apiServerControl")
        self.window = window
        self.port = port
        self.server: ApiServer | None = None
        self._db: Database | None = None
        # Queued: the slot runs in the GUI thread whatever thread emits.
        self.changed.connect(self._apply, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else ""

    def start(self) -> str:
        """Start serving the window's database; returns the base URL."""
        if self.running:
            return self.url
        db = self.window.db
        if db is None:
            raise RuntimeError("Open a database first.")
        from app.api.server import ApiServer

        self.server = ApiServer(db, port=self.port)
        self.server.start()
        self._db = db
        db.add_listener(self._on_commit)
        self.window.statusBar().showMessage(
            f"API server listening on {self.server.url}api/v2.0/ (Tools > Copy API Token)")
        self.stateChanged.emit(True)
        return self.server.url

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.stop()
        self.server = None
        if self._db is not None:
            self._db.remove_listener(self._on_commit)
            self._db = None
        self.window.statusBar().showMessage("API server stopped.", 5000)
        self.stateChanged.emit(False)

    def shutdown(self) -> None:
        """Stop the server without touching widgets (the application is quitting)."""
        if self.server is not None:
            self.server.stop()
            self.server = None

    def copy_token(self) -> str:
        token = self.server.token if self.server is not None else ""
        if token:
            QGuiApplication.clipboard().setText(token)
            self.window.statusBar().showMessage("API token copied to the clipboard.", 5000)
        return token

    def _on_commit(self, changes: ChangeSet) -> None:
        # The window's own edits commit in the GUI thread and refresh what they touched; the
        # API's commit in the server's worker threads.
        if threading.current_thread() is not threading.main_thread():
            self.changed.emit(changes.with_source("api"))

    def _apply(self, changes: Any) -> None:
        window = self.window
        if not isinstance(changes, ChangeSet) or window.db is None:
            return
        company = changes.company_id
        if company is None or company == window.company_id:
            window.refresh_all()


def install(window: MainWindow) -> ApiServerControl:
    """Add the Tools menu (objectName ``toolsMenu``) with Start/Stop API Server and Copy API
    Token to the window; returns the control (``window.apiServer``)."""
    control = ApiServerControl(window)
    menu = QMenu("&Tools", window)
    menu.setObjectName("toolsMenu")
    start = QAction("Start &API Server", window)
    start.setObjectName("actionStartApiServer")
    stop = QAction("S&top API Server", window)
    stop.setObjectName("actionStopApiServer")
    copy = QAction("&Copy API Token", window)
    copy.setObjectName("actionCopyApiToken")

    def started(on: bool) -> None:
        start.setEnabled(not on)
        stop.setEnabled(on)
        copy.setEnabled(on)
        start.setText("Start &API Server" if not on else f"API Server: {control.url}")

    def do_start() -> None:
        try:
            control.start()
        except (RuntimeError, OSError) as exc:
            from app.ui import messages

            messages.warn(window, "API Server", f"The API server cannot start: {exc}")

    start.triggered.connect(do_start)
    stop.triggered.connect(control.stop)
    copy.triggered.connect(control.copy_token)
    control.stateChanged.connect(started)
    started(False)
    menu.addActions([start, stop, copy])
    help_menu = getattr(window, "helpMenu", None)
    bar = window.menuBar()
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    window.apiServer = control  # type: ignore[attr-defined]
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(control.shutdown)
    return control

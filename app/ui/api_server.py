"""Tools > Start/Stop API Server: the local API (app/api) in-process, on the window's database.

The same server as ``python -m app serve``, run by uvicorn in a background thread. Its writes
go through the services on the window's ``Database``, so each commit's change-set reaches the
window through the window's own database listener (queued to the GUI thread), and each pane
re-reads what the change touches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

if TYPE_CHECKING:
    from app.api.server import ApiServer
    from app.ui.main_window import MainWindow


class ApiServerControl(QObject):
    """Starts and stops the API on the window's database; shows the URL, copies the token."""

    stateChanged = Signal(bool)

    def __init__(self, window: MainWindow, *, port: int = 7048) -> None:
        super().__init__(window)
        self.setObjectName("apiServerControl")
        self.window = window
        self.port = port
        self.server: ApiServer | None = None

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
        # The API's commits reach the window through its database listener (MainWindow
        # ._listen, queued to the GUI thread), like any change made outside the gateway.
        self.server.start()
        self.window.statusBar().showMessage(
            f"API server listening on {self.server.url}api/v2.0/ (Tools > Copy API Token)")
        self.stateChanged.emit(True)
        return self.server.url

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.stop()
        self.server = None
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

"""The window half of ``--self-test`` (app/selftest.py does the rest, without Qt).

It opens the real main window on the self-test's database, selects the company and the
journal the services created, and waits (with a timeout) until the payments view shows the
journal's lines. The window is shown, offscreen unless the caller chose a platform.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QMessageLogContext,
    QModelIndex,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication

from app.selftest import Made, SelfTestFailure
from app.ui.identity import app_icon, apply_identity
from app.ui.main_window import MainWindow
from app.ui.settings import Settings

TIMEOUT_S = 10.0
# Harmless notes of the offscreen platform (size hints, raise(), keyboard grabs), kept out of
# the self-test's one-line report.
QUIET_PREFIX = "This plugin does not support "


def _message_handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if message.startswith(QUIET_PREFIX):
        return
    if sys.stderr is not None:
        print(f"qt: {message}", file=sys.stderr, flush=True)


def check_main_window(db_path: Path, made: Made, timeout: float = TIMEOUT_S) -> float:
    """Show the main window on ``db_path``; return the seconds until it was shown."""
    previous = qInstallMessageHandler(_message_handler)
    try:
        return _check_main_window(db_path, made, timeout)
    finally:
        qInstallMessageHandler(previous)


def _check_main_window(db_path: Path, made: Made, timeout: float) -> float:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    if not isinstance(app, QApplication):
        raise SelfTestFailure("a non-widget Qt application is already running")
    apply_identity(app)
    if app_icon().pixmap(64, 64).isNull():
        raise SelfTestFailure("the application icon cannot be drawn (SVG support missing?)")
    from app.db import open_database

    db = open_database(db_path)
    # The window's settings (layout, recent files, last company) go to the temporary folder:
    # a self-test leaves the user's settings alone.
    window = MainWindow(Settings(db_path.parent / "settings.ini"))
    try:
        window.set_database(db)
        window.show()
        _wait(app, lambda: window.painted_at is not None, timeout,
              "the main window was never painted")
        shown_after = time.perf_counter() - started
        views = {}
        for name in ("companiesView", "journalsView", "paymentsView"):
            found = window.findChild(QAbstractItemView, name)
            if found is None:
                raise SelfTestFailure(f"the main window has no view named {name}")
            views[name] = found
        window.select_company(made.company_id)
        window.select_journal(made.journal_id)
        # The views may load later (lazy models): wait until each shows what was created.
        for name, rows in (("companiesView", 1), ("journalsView", 1),
                           ("paymentsView", made.line_count)):
            _wait_rows(app, views[name], rows, timeout)
        model = views["paymentsView"].model()
        wanted = (made.customer_number, made.customer_name)
        if not _shows_any(model, wanted):
            raise SelfTestFailure(
                f"paymentsView does not show the line's customer ({' or '.join(wanted)})")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        db.close()
    return shown_after


def _wait(app: QApplication, condition: Callable[[], bool], timeout: float,
          failure: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailure(failure)
        app.processEvents()
        time.sleep(0.01)


def _row_count(view: QAbstractItemView) -> int:
    model = view.model()
    return -1 if model is None else model.rowCount()


def _wait_rows(app: QApplication, view: QAbstractItemView, rows: int, timeout: float) -> None:
    try:
        _wait(app, lambda: _row_count(view) == rows, timeout, "")
    except SelfTestFailure:
        raise SelfTestFailure(
            f"{view.objectName()} did not show {rows} row(s) within {timeout:g} s "
            f"(it shows {_row_count(view)})") from None


def _shows_any(model: QAbstractItemModel, texts: tuple[str, ...]) -> bool:
    """True if some cell of the first row displays one of ``texts``."""
    for column in range(model.columnCount()):
        value = model.index(0, column, QModelIndex()).data(Qt.ItemDataRole.DisplayRole)
        if value is not None and any(text in str(value) for text in texts):
            return True
    return False


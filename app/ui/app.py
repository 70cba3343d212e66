"""Starting the GUI. The window paints first; the database opens right after.

Only Qt and the window's own modules load on the GUI thread before the first paint;
SQLAlchemy, Pydantic, the services and the table models are imported meanwhile by a
background thread, and the database is opened once the window has painted
(``MainWindow.firstPainted``), so start-up feels as quick as a bare Qt window (DESIGN.md 7).
Alembic is imported only if the file needs a migration.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui import crash
from app.ui.identity import apply_identity
from app.ui.main_window import MainWindow
from app.ui.settings import Settings

PAINT_FALLBACK_MS = 400  # open anyway if the platform never paints (a minimized start)
# Imported in the background while Qt builds and paints the window: SQLAlchemy, Pydantic,
# the services and the table models (about 0.45 s of imports).
PRELOAD = ("app.db", "app.services.browse", "app.services.companies", "app.ui.models.tables")


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # the real import, on the GUI thread, reports it
            return


def start_gui(db_target: str | Path | None, *, demo: bool = False,
              settings: Settings | None = None) -> tuple[QApplication, MainWindow]:
    """Create the application and window, show it, and open the database after it paints."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_identity(app)
    crash.install()
    loader = threading.Thread(target=_preload, name="preload", daemon=True)
    window = MainWindow(settings)
    window.show()
    loader.start()  # after the window is built: the imports do not compete with it
    opened = False

    def open_now() -> None:
        nonlocal opened
        if opened:
            return
        opened = True
        loader.join()
        from app import paths

        window.open_target(db_target or paths.default_database(), demo=demo)

    window.firstPainted.connect(open_now)
    QTimer.singleShot(PAINT_FALLBACK_MS, open_now)
    return app, window


def run_gui(db_target: str | Path | None, *, demo: bool = False) -> int:
    app, window = start_gui(db_target, demo=demo)
    try:
        return app.exec()
    finally:
        window.close_database()

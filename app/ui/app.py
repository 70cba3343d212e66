"""Starting the GUI. The window paints first; the database opens right after.

Only Qt and the window's own modules load before the first paint; SQLAlchemy, the services
and (when a migration is needed) Alembic load when the first paint has happened
(``MainWindow.firstPainted``), so start-up feels as quick as a bare Qt window (DESIGN.md 7).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__
from app.ui import crash
from app.ui.main_window import MainWindow
from app.ui.settings import Settings

PAINT_FALLBACK_MS = 400  # open anyway if the platform never paints (a minimized start)


def start_gui(db_target: str | Path | None, *, demo: bool = False,
              settings: Settings | None = None) -> tuple[QApplication, MainWindow]:
    """Create the application and window, show it, and open the database after it paints."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    crash.install()
    window = MainWindow(settings)
    window.show()
    opened = False

    def open_now() -> None:
        nonlocal opened
        if opened:
            return
        opened = True
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

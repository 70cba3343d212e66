"""Starting the GUI. The window shows first; the database opens right after."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from app import APP_NAME, __version__


def run_gui(db_target: str | Path | None, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    from app import paths
    from app.db import open_database
    from app.services import companies
    from app.services.demo import create_demo_company

    db = open_database(db_target or paths.default_database())
    if demo and not companies.list_all(db):
        create_demo_company(db)
    names = ", ".join(c.name for c in companies.list_all(db)) or "no company yet"
    window.setCentralWidget(QLabel(f"{APP_NAME} {__version__}\n{db.path or db.url}\n{names}"))
    window.resize(900, 600)
    window.show()
    return app.exec()

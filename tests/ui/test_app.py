"""Start-up: the window shows, then the database opens; bad files get a plain message;
bugs get the crash dialog and a log file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import APP_ID, APP_NAME, __version__, paths
from app.db import Database
from app.domain.schemas import CompanyRead
from app.ui import crash
from app.ui.app import start_gui
from app.ui.settings import Settings


def test_start_gui_paints_then_opens_the_database(qtbot: QtBot, db_path: Path,
                                                  tmp_path: Path) -> None:
    app, window = start_gui(db_path, demo=True, settings=Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    # The identity from app/__init__.py, set by the one helper the self-test uses too.
    assert (app.applicationName(), app.applicationVersion(), app.desktopFileName()) == (
        APP_NAME, __version__, APP_ID)
    assert not app.windowIcon().isNull()
    with qtbot.waitSignal(window.databaseReady, timeout=20_000):
        pass
    assert window.painted_at is not None
    assert window.db is not None and window.company_id is not None
    assert window.payments_model().rowCount() == 7  # the demo's BANK journal
    assert Settings(tmp_path / "s.ini").recent_files() == [str(db_path.resolve())]
    window.close()
    window.close_database()


def test_a_file_that_is_not_a_database_gets_a_plain_message(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("shopping list\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *args: shown.append(text))
    from app.ui.main_window import MainWindow

    window = MainWindow(Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert not window.open_target(bad)
    assert shown == [f"{bad} is not a Ledgerdesk database (not an SQLite file)."]
    assert window.db is None
    assert bad.read_text() == "shopping list\n"


def test_an_unexpected_error_is_logged_and_shown(qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()))
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        crash.report(*sys.exc_info())  # type: ignore[arg-type]
    assert len(shown) == 1 and "RuntimeError: boom in a slot" in shown[0]
    log = (paths.log_dir() / "crash.log").read_text()
    assert "RuntimeError: boom in a slot" in log


def test_refresh_all_keeps_company_and_journal(qtbot: QtBot, db: Database, demo: CompanyRead,
                                               tmp_path: Path) -> None:
    from app.ui.main_window import MainWindow

    window = MainWindow(Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.set_database(db)
    journal = window.journal_id
    window.refresh_all()
    assert (window.company_id, window.journal_id) == (demo.id, journal)
    assert window.journalsView.currentIndex().row() == 0

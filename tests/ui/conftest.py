"""GUI fixtures: a main window on the demo database, settings isolated in a temp file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead
from app.ui.main_window import MainWindow
from app.ui.settings import Settings


@pytest.fixture(autouse=True)
def _english_locale() -> Iterator[None]:
    """Amounts and dates as in the US, whatever the machine's locale."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def window(qtbot: QtBot, db: Database, demo: CompanyRead,
           settings_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(settings_path))
    qtbot.addWidget(main)
    main.set_database(db)
    yield main

"""GUI fixtures: a fixed locale, message boxes answered by the test, a main window on the
demo database with its settings isolated in a temp file."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead
from app.ui import messages
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.ui.gateway_guard import write_functions

_WRITES = write_functions()


@pytest.fixture(autouse=True)
def _writes_only_through_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every GUI test runs with the write services guarded: app/ui code calling one outside
    the gateway (app/ui/operations.py) fails the test (tests/ui/gateway_guard.py)."""
    from tests.ui import gateway_guard

    gateway_guard.install(monkeypatch, _WRITES)


@pytest.fixture(autouse=True)
def _english_locale() -> Iterator[None]:
    """Amounts and dates as in the US, whatever the machine's locale."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@dataclass
class Boxes:
    """Message boxes shown during a test; ``answers`` are given to ``ask`` in order."""

    warnings: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    shown = Boxes()

    def warn(parent: object, title: str, text: str) -> None:
        shown.warnings.append(text)

    def ask(parent: object, title: str, text: str, choices: list[str], default: int = 0,
            *, escape: int | None = None) -> str | None:
        shown.questions.append(text)
        assert shown.answers, f"unexpected question: {text}"
        answer = shown.answers.pop(0)
        assert answer in choices
        return answer

    monkeypatch.setattr(messages, "warn", warn)
    monkeypatch.setattr(messages, "ask", ask)
    return shown


@pytest.fixture
def ops(qtbot: object, db: Database, boxes: Boxes) -> Iterator[object]:
    from app.ui.operations import Operations

    operations = Operations(db)
    yield operations
    operations.stack.clear()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def window(qtbot: QtBot, db: Database, demo: CompanyRead,
           settings_path: Path) -> Iterator[MainWindow]:
    # Collect what earlier tests left (tests/test_cli_bank.py before this file segfaulted
    # in MainWindow(), at the grid's viewport(), only when a cyclic collection happened to
    # run inside the construction: with gc disabled it passes). Root cause not pinned yet.
    gc.collect()
    main = MainWindow(Settings(settings_path))
    qtbot.addWidget(main)
    main.set_database(db)
    yield main

"""Fixtures for the editing tests: a fixed locale, message boxes answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QLocale

from app.db import Database
from app.ui import messages


@pytest.fixture(autouse=True)
def _english_locale() -> Iterator[None]:
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

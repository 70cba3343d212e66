"""Driving modal dialogs from a test: they run their own event loop, so the test acts on
them from a timer once they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

D = TypeVar("D", bound=QDialog)


def when_modal(kind: type[D], act: Callable[[D], None]) -> list[D]:
    """Run ``act`` on the next modal dialog of ``kind`` once it shows (``act`` must close
    it); the list returned holds the dialog seen, empty if none showed within 5 s."""
    seen: list[D] = []
    tries = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            act(dialog)
        elif tries[0] < 500:
            tries[0] += 1
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen

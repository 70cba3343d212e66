"""Issue 15 wired into the main window in one call: pane navigation (app/ui/keyboard.py),
and the window's other keyboard-first and self-explaining parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    from app.ui import empty_states, help, keyboard

    keyboard.install(window)
    empty_states.install(window)
    help.install(window)

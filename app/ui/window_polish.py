"""Issue 15 wired into the main window in one call: pane navigation (app/ui/keyboard.py),
empty-state hints (empty_states.py), help (help.py), View > Theme (theme.py), toolbar icons
(icons.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    from app.ui import columns, empty_states, help_window, icons, keyboard, theme

    keyboard.install(window)
    empty_states.install(window)
    help_window.install(window)
    theme.install(window)
    icons.install(window)
    columns.install(window)

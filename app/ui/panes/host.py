"""What a pane may use of the window that holds it (typed as a Protocol: no pane imports the
window, so there is no import cycle between them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar, QToolBar

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.operations import Operations
    from app.ui.selection import Selection
    from app.ui.settings import Settings


class Host(Protocol):
    settings: Settings
    selection: Selection

    @property
    def db(self) -> Database | None: ...

    @property
    def gateway(self) -> Operations | None: ...

    def show_message(self, text: str) -> None: ...

    def database_name(self) -> str: ...

    def confirm(self, title: str, question: str) -> bool: ...

    def make_action(self, name: str, text: str, slot: Any = None,
                    shortcut: QKeySequence.StandardKey | str | None = None,
                    tip: str = "") -> QAction: ...


class Shell(Protocol):
    """The window's frame, for the components that put actions in its menus and toolbar."""

    editMenu: QMenu
    helpMenu: QMenu
    mainToolBar: QToolBar
    docks: dict[str, QDockWidget]
    actionNewLine: QAction
    actionDelete: QAction
    actionUndo: QAction
    actionRedo: QAction

    def menuBar(self) -> QMenuBar: ...

    def addAction(self, action: QAction, /) -> None: ...

    def addActions(self, actions: list[QAction], /) -> None: ...

    def removeAction(self, action: QAction, /) -> None: ...


__all__ = ["Host", "Shell"]

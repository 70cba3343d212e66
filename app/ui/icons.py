"""Toolbar icons (issue 15, part 6): the platform theme's (``QIcon.fromTheme``, freedesktop
names), with small SVGs of our own as fallbacks (app/resources/icons/, package data).

The Save button leaves the toolbar: every change is saved as it is made. File > Save
(Ctrl+S) stays: it finishes the cell being edited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

# action objectName -> (freedesktop theme name, bundled fallback file)
ICONS = {
    "actionOpenDatabase": ("document-open", "open.svg"),
    "actionNew": ("document-new", "new.svg"),
    "actionNewLine": ("document-new", "new.svg"),
    "actionEdit": ("document-properties", "edit.svg"),
    "actionDelete": ("edit-delete", "delete.svg"),
    "actionUndo": ("edit-undo", "undo.svg"),
    "actionRedo": ("edit-redo", "redo.svg"),
    "actionFind": ("edit-find", "find.svg"),
    "actionRefresh": ("view-refresh", "refresh.svg"),
    "actionPrint": ("document-print", "print.svg"),
    "actionApplyEntries": ("insert-link", "apply.svg"),
    "actionPreviewPosting": ("document-print-preview", "preview.svg"),
    "actionPost": ("document-send", "post.svg"),
}

_cache: dict[str, QIcon] = {}


def bundled(file_name: str) -> QIcon:
    from PySide6.QtGui import QIcon

    from app.resources import path

    return QIcon(str(path(f"icons/{file_name}")))


def icon(theme_name: str, file_name: str) -> QIcon:
    """The theme's icon if the platform has one, else ours."""
    key = f"{theme_name}|{file_name}"
    if key not in _cache:
        from PySide6.QtGui import QIcon

        _cache[key] = QIcon.fromTheme(theme_name, bundled(file_name))
    return _cache[key]


def decorate(window: MainWindow) -> None:
    """Give the toolbar's actions their icons (again after a database replaced Undo/Redo)."""
    from PySide6.QtCore import QSize

    window.mainToolBar.setIconSize(QSize(16, 16))
    window.mainToolBar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in window.findChildren(QAction):
        names = ICONS.get(action.objectName())
        if names is not None and action.icon().isNull():
            action.setIcon(icon(*names))


def install(window: MainWindow) -> None:
    toolbar = window.mainToolBar
    toolbar.removeAction(window.actionSave)  # every change is saved at once
    # After the first paint (icon files and the SVG plugin load then), and again after a
    # database replaced Undo / Redo.
    window.firstPainted.connect(lambda: decorate(window))
    window.databaseReady.connect(lambda: decorate(window))

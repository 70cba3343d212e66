"""Columns that fit and can be chosen (issue 15, part 4).

- Each list's columns are sized to their title and to the rows in sight, so a title is never
  cut ("mount Received"), until the user sizes them (the saved header state wins).
- Right-clicking a header lists the columns with a check mark: choosing one shows or hides
  it, and that is remembered at once (app/ui/settings.py, by the columns' keys).
- The lookups pane takes about a quarter of the window's height, so the journal's lines are
  its largest part (also at 1280x800), unless the user's own layout was restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MIN_WIDTH = 48
MAX_WIDTH = 320
LOOKUPS_SHARE = 0.26  # of the window's height, when no saved layout says otherwise


def column_keys(view: QTableView) -> list[str]:
    """A stable key per column: the model's column key, else its title."""
    model = view.model()
    if model is None:
        return []
    columns = getattr(model, "columns", None)
    if columns is not None:
        return [getattr(c, "key", None) or str(getattr(c, "header", i))
                for i, c in enumerate(columns)]
    return [str(model.headerData(i, Qt.Orientation.Horizontal) or i)
            for i in range(model.columnCount())]


def fit_columns(view: QTableView) -> None:
    """Every column as wide as its title and the rows in sight (within bounds)."""
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader()
    last = model.columnCount() - 1
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        title = header.sectionSizeHint(column) + 6  # the sort arrow's room included
        content = view.sizeHintForColumn(column) if model.rowCount() else 0
        width = max(MIN_WIDTH, title, min(content + 8, MAX_WIDTH))
        if column == last and header.stretchLastSection():
            width = title
        view.setColumnWidth(column, width)


class ColumnChooser:
    def __init__(self, window: MainWindow, view: QTableView) -> None:
        self.window = window
        self.view = view
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)

    def menu(self) -> QMenu:
        menu = QMenu(self.view)
        menu.setObjectName(f"{self.view.objectName()}ColumnsMenu")
        model = self.view.model()
        if model is None:
            return menu
        visible = [c for c in range(model.columnCount()) if not self.view.isColumnHidden(c)]
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.setEnabled(visible != [column])  # the last visible column stays
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
            menu.addAction(action)
        menu.addSeparator()
        fit = menu.addAction("Fit Columns to Content")
        fit.triggered.connect(lambda: fit_columns(self.view))
        return menu

    def show_menu(self, position: QPoint) -> None:
        self.menu().popup(self.view.horizontalHeader().mapToGlobal(position))

    def set_shown(self, column: int, shown: bool) -> None:
        self.view.setColumnHidden(column, not shown)
        if shown and self.view.columnWidth(column) < MIN_WIDTH:
            self.view.setColumnWidth(column, max(MIN_WIDTH,
                                                 self.view.horizontalHeader()
                                                 .sectionSizeHint(column)))
        self.save()

    def save(self) -> None:
        keys = column_keys(self.view)
        hidden = [k for c, k in enumerate(keys) if self.view.isColumnHidden(c)]
        settings = self.window.settings
        settings.set_hidden_columns(self.view.objectName(), hidden)
        settings.set_header_state(self.view.objectName(),
                                  self.view.horizontalHeader().saveState())
        settings.sync()

    def restore(self) -> None:
        hidden = self.window.settings.hidden_columns(self.view.objectName())
        if not hidden and not self.window.settings.has_hidden_columns(self.view.objectName()):
            return
        for column, key in enumerate(column_keys(self.view)):
            self.view.setColumnHidden(column, key in hidden)


def install(window: MainWindow) -> dict[str, ColumnChooser]:
    choosers: dict[str, ColumnChooser] = {}
    state: dict[str, Any] = {"fitted": False}

    def ready() -> None:
        for name in window.boxes:
            view = window.findChild(QTableView, name)
            if view is None or view.model() is None:
                continue
            if name not in choosers:
                choosers[name] = ColumnChooser(window, view)
            choosers[name].restore()
            if window.settings.header_state(name) is None and not state.get(name):
                fit_columns(view)  # the user's own widths, once saved, win
                state[name] = True
        for name, widget in getattr(window.posting, "ledgers", {}).items():
            view = getattr(widget, "view", None)
            if isinstance(view, QTableView) and name not in choosers:
                choosers[name] = ColumnChooser(window, view)
                choosers[name].restore()

    window.databaseReady.connect(ready)
    if window.settings.window_state() is None:
        window.installEventFilter(LinesFirst(window))
    window.column_choosers = choosers  # type: ignore[attr-defined]
    return choosers


class LinesFirst(QObject):
    """At the first show (no saved layout), the lookups pane gets a quarter of the height
    and the journals list about five rows: the lines take the rest."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            share_lookups(self.window)
        return False


def share_lookups(window: MainWindow) -> None:
    height = window.height()
    window.resizeDocks([window.docks["lookups"]], [int(height * LOOKUPS_SHARE)],
                       Qt.Orientation.Vertical)

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
# Hidden until the user shows them (header menu): the description shows the customer's name
# already (it is its default), as Business Central's journal does without a name column; the
# User ID (who entered the line) is for looking into now and then, and with it shown the
# lines would scroll sideways at 1280 pixels.
DEFAULT_HIDDEN = {"paymentsView": ["customerName", "userId"]}


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


def title_width(view: QTableView, column: int) -> int:
    """The width a column's title needs, in bold (the current column's title is bold), with
    room for the sort arrow on the column the list is sorted by (``keep_sorted_fit``
    widens a column when the list is sorted by it)."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle

    model = view.model()
    header = view.horizontalHeader()
    font = header.font()
    font.setBold(True)
    title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    style = header.style()
    width = QFontMetrics(font).horizontalAdvance(title) \
        + 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 6
    if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
        width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + 4
    return width


def last_visible(view: QTableView) -> int:
    """The column shown rightmost (the one a stretching header stretches), or -1."""
    header = view.horizontalHeader()
    for visual in reversed(range(header.count())):
        column = header.logicalIndex(visual)
        if not header.isSectionHidden(column):
            return column
    return -1


# What a column of each kind must show whole, whatever rows are (or are not yet) loaded: a lazy
# model has fetched no rows when the window is first laid out, and a cut amount ("-6,108….")
# is the one thing an accountant must never see.
SAMPLES = {"amount": "-9,999,999.99", "date": "2026-12-31", "int": "999999"}
CODE_SAMPLE = "C100000"  # numbers and codes (Code[20] fields are rarely longer)
TEXT_FLOOR = 130


def content_floor(view: QTableView, column: int) -> int:
    model = view.model()
    columns = getattr(model, "columns", None)
    if not columns or column >= len(columns):
        return 0
    spec = columns[column]
    grid = view.objectName() == "paymentsView"  # its rows are loaded: only amounts need it
    # The grid must not scroll sideways at 1280 px: it guarantees five-figure amounts whole.
    sample = ("-99,999.99" if spec.kind == "amount" else "") if grid else (
        SAMPLES.get(spec.kind) or (CODE_SAMPLE if spec.upper else ""))
    if sample:
        return view.fontMetrics().horizontalAdvance(sample) + 12
    # Lists beside the grid (their last column stretches): a text column keeps a useful part
    # of its designed width; the grid fits its titles, so the lines never scroll sideways.
    return 0 if grid else min(spec.width, TEXT_FLOOR)


def fit_columns(view: QTableView) -> None:
    """Every column as wide as its title and the rows in sight (within bounds), and never
    narrower than its kind of value needs (``SAMPLES``)."""
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader()
    last = last_visible(view)
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        title = title_width(view, column)
        content = view.sizeHintForColumn(column) if model.rowCount() else 0
        width = max(MIN_WIDTH, title, content_floor(view, column),
                    min(content + 4, MAX_WIDTH))
        if column == last and header.stretchLastSection():
            width = title
        view.setColumnWidth(column, width)


class ColumnChooser:
    def __init__(self, window: MainWindow, view: QTableView) -> None:
        self.window = window
        self.view = view
        header = view.horizontalHeader()
        header.sortIndicatorChanged.connect(self._sorted)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)

    def menu(self) -> QMenu:
        menu = QMenu(self.view)
        menu.setObjectName(f"{self.view.objectName()}ColumnsMenu")
        model = self.view.model()
        if model is None:
            return menu
        visible = [c for c in range(model.columnCount()) if not self.view.isColumnHidden(c)]
        keys = column_keys(self.view)
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.setEnabled(visible != [column])  # the last visible column stays
            action.setObjectName(f"showColumn-{keys[column]}")
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
            menu.addAction(action)
        menu.addSeparator()
        fit = menu.addAction("Fit Columns to Content")
        fit.triggered.connect(lambda: fit_columns(self.view))
        return menu

    def _sorted(self, column: int, _order: Qt.SortOrder) -> None:
        """The sort arrow takes room: the sorted column's title must still show whole."""
        if column >= 0 and not self.view.isColumnHidden(column):
            needed = title_width(self.view, column)
            if self.view.columnWidth(column) < needed:
                self.view.setColumnWidth(column, needed)

    def show_menu(self, position: QPoint) -> None:
        self.menu().popup(self.view.horizontalHeader().mapToGlobal(position))

    def set_shown(self, column: int, shown: bool) -> None:
        self.view.setColumnHidden(column, not shown)
        if shown and self.view.columnWidth(column) < MIN_WIDTH:
            self.view.setColumnWidth(column, max(MIN_WIDTH, title_width(self.view, column)))
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
        name = self.view.objectName()
        settings = self.window.settings
        hidden = settings.hidden_columns(name) if settings.has_hidden_columns(name) \
            else DEFAULT_HIDDEN.get(name)
        if hidden is None:
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

    # The grid's last column (Comment) takes what is left, so the lines never scroll sideways
    # for a few pixels.
    window.paymentsView.horizontalHeader().setStretchLastSection(True)
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

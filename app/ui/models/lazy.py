"""A table model over the services' query API that holds only a row count and a few pages.

``LazyTableModel`` asks its source for ``count(query)`` and, when a view paints a row that is
not cached, for the page of rows around it (``page(query, offset, limit)``). Pages live in a
small LRU cache, so a journal of a million lines costs the memory of a few hundred rows.
Sorting and filtering change the query and let the database do the work (app/services/
browse.py). ``refresh()`` is how other code says "the data changed": it re-counts and drops
the cache.

``data()`` stays cheap: no database call except on a cache miss, once per page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush

from app.ui.colours import negative_colour
from app.ui.formats import format_amount, format_date

if TYPE_CHECKING:
    from app.services.browse import BrowseQuery

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
FILTER_DELAY_MS = 250


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its API property name, header, how to read it from a row, how to show it."""

    key: str
    header: str
    value: Callable[[R], Any]
    kind: str = "text"  # text | amount | date | int | bool
    sort_key: str | None = None  # the API property the database sorts by (None: unsortable)
    invert_sort: bool = False  # e.g. "Amount received" sorts by amount, the other way round
    editable: bool = False
    width: int = 100
    max_length: int = 0
    upper: bool = False  # a Code: upper-cased as typed


class LazyTableModel(QAbstractTableModel, Generic[R]):
    PAGE_SIZE = 200
    MAX_PAGES = 12

    filterApplied = Signal()

    def __init__(self, columns: Sequence[Column[R]],
                 count: Callable[[Any, BrowseQuery], int],
                 page: Callable[..., list[R]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._count_fn = count
        self._page_fn = page
        self.db: Any = None
        self.query: BrowseQuery | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()
        self._locale = QLocale()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_pending_filter)
        self._pending_filter = ""
        self._initial_sort: tuple[str, bool] | None = None  # sort() before any query

    # --- scope and refresh -----------------------------------------------------------------
    def set_query(self, db: Any, query: BrowseQuery | None) -> None:
        """Show another scope (a company, a journal); None shows nothing."""
        self.db = db
        if query is not None and not query.sort and self._initial_sort is not None:
            query = replace(query, sort=self._initial_sort[0],
                            descending=self._initial_sort[1])
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        """The data changed: count again and forget every cached row."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._count_fn(self.db, self.query) \
            if self.db is not None and self.query is not None else 0
        self.endResetModel()

    def forget_rows(self) -> None:
        """Rows changed in place (same count): drop the cache and repaint."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self._count - 1, len(self.columns) - 1))

    # --- rows ------------------------------------------------------------------------------
    def row_at(self, row: int) -> R | None:
        if not 0 <= row < self._count or self.query is None:
            return None
        number, within = divmod(row, self.PAGE_SIZE)
        rows = self._pages.get(number)
        if rows is None:
            rows = self._page_fn(self.db, self.query, number * self.PAGE_SIZE, self.PAGE_SIZE,
                                 total=self._count)
            self._pages[number] = rows
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows[within] if within < len(rows) else None

    def put_row(self, row: int, value: R) -> None:
        """Replace a cached row (after an edit) and repaint it."""
        number, within = divmod(row, self.PAGE_SIZE)
        rows = self._pages.get(number)
        if rows is not None and within < len(rows):
            rows[within] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def find_row(self, predicate: Callable[[R], bool], limit: int = 5000) -> int | None:
        """The first row (among the first ``limit``) that matches; for small tables."""
        for row in range(min(self._count, limit)):
            found = self.row_at(row)
            if found is not None and predicate(found):
                return row
        return None

    def column_of(self, key: str) -> int:
        for number, column in enumerate(self.columns):
            if column.key == key:
                return number
        raise KeyError(key)

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("amount", "int"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            row = self.row_at(index.row())
            if row is None:
                return None
            column = self.columns[index.column()]
            return self.display(column, column.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.columns[index.column()].kind in ("amount", "int"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            column = self.columns[index.column()]
            if column.kind == "amount":
                row = self.row_at(index.row())
                value = column.value(row) if row is not None else None
                if isinstance(value, Decimal) and value < 0:
                    return QBrush(negative_colour())
            return None
        return self.extra_data(index, role)

    def extra_data(self, index: Index, role: int) -> Any:
        """Other roles, for subclasses (tooltips of refused input)."""
        return None

    def display(self, column: Column[R], value: Any) -> str:
        if value is None:
            return ""
        if column.kind == "amount":
            return format_amount(value, self._locale)
        if column.kind == "date":
            return format_date(value, self._locale) if isinstance(value, date) else ""
        if column.kind == "int":
            return self._locale.toString(int(value))
        if column.kind == "bool":
            return "Yes" if value else "No"
        return str(value)

    # --- sort and filter -------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        spec = self.columns[column]
        if spec.sort_key is None:
            return
        descending = (order == Qt.SortOrder.DescendingOrder) != spec.invert_sort
        if self.query is None:  # a restored header: used by the first query
            self._initial_sort = (spec.sort_key, descending)
            return
        if (self.query.sort, self.query.descending) == (spec.sort_key, descending):
            return
        self.query = replace(self.query, sort=spec.sort_key, descending=descending)
        self.refresh()

    def sort_column(self) -> tuple[int, Qt.SortOrder] | None:
        """The column and order the rows are sorted by, for the header's indicator."""
        if self.query is None:
            return None
        for number, spec in enumerate(self.columns):
            if spec.sort_key == (self.query.sort or self.default_sort()) and not spec.invert_sort:
                descending = self.query.descending
                return number, (Qt.SortOrder.DescendingOrder if descending
                                else Qt.SortOrder.AscendingOrder)
        return None

    def default_sort(self) -> str:
        for spec in self.columns:
            if spec.sort_key:
                return spec.sort_key
        return ""

    def set_filter_text(self, text: str) -> None:
        """Filter now (the database filters); see ``filter_later`` for typing."""
        self._filter_timer.stop()
        if self.query is None or self.query.filter_text == text:
            return
        self.query = replace(self.query, filter_text=text)
        self.refresh()
        self.filterApplied.emit()

    def filter_later(self, text: str) -> None:
        """Debounced filter for a filter box: applied once typing pauses."""
        self._pending_filter = text
        self._filter_timer.start()

    def _apply_pending_filter(self) -> None:
        self.set_filter_text(self._pending_filter)

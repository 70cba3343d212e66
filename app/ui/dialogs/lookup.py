"""Lookups for fields that name another record (customer, G/L account, invoice): completion
on number and name as the user types, and a searchable list on F4 or the button beside."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

SEARCH_COLUMN = 3  # "number  name": what completion matches on (hidden in the list)
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class LookupRow:
    number: str
    name: str
    detail: str = ""


class LookupSource:
    """Rows to pick from, loaded through the services when first needed.

    ``depends_on`` names form properties the rows depend on (an invoice lookup shows only
    the invoices of the customer typed in ``customerNumber``); ``load`` gets their values."""

    def __init__(self, title: str, headers: tuple[str, str, str],
                 load: Callable[[Mapping[str, Any]], list[LookupRow]],
                 depends_on: tuple[str, ...] = (),
                 name: Callable[[str], str | None] | None = None) -> None:
        self.title = title
        self.headers = headers
        self._load = load
        self._name = name  # one indexed query, so showing a name does not load the list
        self.depends_on = depends_on
        self._cache: dict[tuple[Any, ...], list[LookupRow]] = {}

    def rows(self, context: Mapping[str, Any] | None = None) -> list[LookupRow]:
        key = tuple((context or {}).get(name) for name in self.depends_on)
        if key not in self._cache:
            self._cache[key] = self._load(context or {})
        return self._cache[key]

    def name_of(self, number: str, context: Mapping[str, Any] | None = None) -> str | None:
        wanted = number.strip().upper()
        if self._name is not None:
            return self._name(wanted)
        for row in self.rows(context):
            if row.number == wanted:
                return row.name
        return None

    def invalidate(self) -> None:
        self._cache.clear()


class LookupModel(QAbstractTableModel):
    """A small list-backed table of lookup rows (a few thousand customers at most)."""

    def __init__(self, headers: tuple[str, str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[LookupRow] = []

    def set_rows(self, rows: list[LookupRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> LookupRow:
        return self._rows[row]

    def rows(self) -> list[LookupRow]:
        return self._rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else SEARCH_COLUMN + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.EditRole):
            return None
        row = self._rows[index.row()]
        return (row.number, row.name, row.detail,
                f"{row.number}  {row.name}")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section <= SEARCH_COLUMN:
            return (*self._headers, "Search")[section]
        return None


class LookupFilter(QSortFilterProxyModel):
    """Filters on number, name and detail at once (case-insensitive, "contains"), from
    lower-cased texts made once, so a list of 20,000 customers filters as you type."""

    def __init__(self, model: LookupModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self._texts = [f"{r.number}\t{r.name}\t{r.detail}".casefold()
                       for r in model.rows()]
        self._needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()  # Qt 6.10's way to say the filter (rows only) changed
        self._needle = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return not self._needle or self._needle in self._texts[source_row]


class LookupCompleter(QCompleter):
    """Completes on number and name ("adat" finds "C10000  Adatum Corporation") and puts
    the number into the field."""

    def __init__(self, parent: QWidget) -> None:
        self.lookup_model = LookupModel(("No.", "Name", ""), parent)
        super().__init__(self.lookup_model, parent)
        self.setCompletionColumn(SEARCH_COLUMN)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def pathFromIndex(self, index: AnyIndex) -> str:
        if not index.isValid():
            return ""
        return str(index.model().index(index.row(), 0, index.parent()).data())


class LookupDialog(QDialog):
    """A searchable list: a filter box over a table of number, name and detail."""

    def __init__(self, source: LookupSource, rows: list[LookupRow], current: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lookupDialog")
        self.setWindowTitle(source.title)
        self.model = LookupModel(source.headers, self)
        self.model.set_rows(rows)
        self.proxy = LookupFilter(self.model, self)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("lookupFilter")
        self.filter.setPlaceholderText("Search number or name")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)

        self.table = QTableView(self)
        self.table.setObjectName("lookupTable")
        self.table.setModel(self.proxy)
        self.table.setColumnHidden(SEARCH_COLUMN, True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Rows come sorted by number; a click on a header sorts by that column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if not source.headers[2]:
            self.table.setColumnHidden(2, True)
        self.table.doubleClicked.connect(lambda _index: self.accept())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.count = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self._select(current)
        self._update_count()

    def _filter(self, text: str) -> None:
        self.proxy.set_needle(text)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()}")

    def _select(self, number: str) -> None:
        wanted = number.strip().upper()
        for row, item in enumerate(self.model.rows()):
            if item.number == wanted:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                return
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.filter and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown,
                                Qt.Key.Key_PageUp):
            self.table.setFocus()
            self.table.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        rows = self.table.selectionModel().selectedRows(0)
        return str(rows[0].data()) if rows else None

"""Table models of the posting screens.

``LedgerModel`` shows one of the ledgers' sources (app/services/ledgers.py: a count and pages
of read models, sorted and filtered by the database) and keeps only a few pages in memory, so
it scales to millions of entries. ``RowsModel`` shows a short list already in memory (the
entries a preview plans, the problems of a test report).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.db import Database
from app.services.ledgers import LedgerQuery, Source

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
NEGATIVE = QColor(180, 0, 0)
_ROOT = QModelIndex()


def show_value(value: Any) -> str:
    """How a value reads in a cell: amounts with two decimals, dates ISO, booleans Yes/No."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Field:
    """A column: its API property name, its header, and whether it is a number."""

    key: str
    title: str
    numeric: bool = False

    def attribute(self) -> str:
        out = []
        for char in self.key:
            out.append("_" + char.lower() if char.isupper() else char)
        return "".join(out)


class _TableBase(QAbstractTableModel, Generic[R]):
    def __init__(self, fields: Sequence[Field], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)

    def row_at(self, row: int) -> R | None:
        raise NotImplementedError

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.fields[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole and self.fields[section].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def value(self, index: Index) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        return getattr(row, self.fields[index.column()].attribute(), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(self.value(index))
        if role == Qt.ItemDataRole.TextAlignmentRole and self.fields[index.column()].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            value = self.value(index)
            if isinstance(value, Decimal) and value < 0:
                return QBrush(NEGATIVE)
        return None


class LedgerModel(_TableBase[R]):
    """A ledger of millions of rows: a count, and pages fetched when a view paints them."""

    PAGE_SIZE = 200
    MAX_PAGES = 10

    def __init__(self, source: Source[R], parent: QObject | None = None) -> None:
        super().__init__([Field(c.key, c.title, c.numeric) for c in source.columns], parent)
        self.source = source
        self.db: Database | None = None
        self.query: LedgerQuery | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()

    def set_query(self, db: Database | None, query: LedgerQuery | None) -> None:
        self.db, self.query = db, query
        self.refresh()

    def set_filter(self, text: str) -> None:
        if self.query is not None and self.query.filter_text != text:
            self.query = replace(self.query, filter_text=text)
            self.refresh()

    def refresh(self) -> None:
        """The data changed (a posting, a reversal): count again, forget cached pages."""
        self.beginResetModel()
        self._pages.clear()
        self._count = (self.source.count(self.db, self.query)
                       if self.db is not None and self.query is not None else 0)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._count

    def row_at(self, row: int) -> R | None:
        if self.db is None or self.query is None or not 0 <= row < self._count:
            return None
        number, within = divmod(row, self.PAGE_SIZE)
        rows = self._pages.get(number)
        if rows is None:
            rows = self.source.page(self.db, self.query, number * self.PAGE_SIZE,
                                    self.PAGE_SIZE)
            self._pages[number] = rows
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows[within] if within < len(rows) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.query is None or not 0 <= column < len(self.fields):
            return
        self.query = replace(self.query, sort=self.fields[column].key,
                             descending=order == Qt.SortOrder.DescendingOrder)
        self.refresh()


class RowsModel(_TableBase[Any]):
    """A short list of rows held in memory."""

    def __init__(self, fields: Sequence[Field], rows: Sequence[Any] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(fields, parent)
        self.rows = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None


GL_FIELDS = [Field("entryNumber", "Entry No.", True), Field("postingDate", "Posting Date"),
             Field("documentType", "Document Type"), Field("documentNumber", "Document No."),
             Field("accountNumber", "G/L Account No."), Field("accountName", "G/L Account Name"),
             Field("description", "Description"), Field("amount", "Amount", True),
             Field("sourceNumber", "Source No.")]
CUST_FIELDS = [Field("entryNumber", "Entry No.", True), Field("postingDate", "Posting Date"),
               Field("documentType", "Document Type"), Field("documentNumber", "Document No."),
               Field("customerNumber", "Customer No."), Field("customerName", "Customer Name"),
               Field("amount", "Amount", True), Field("remainingAmount", "Remaining Amount", True),
               Field("open", "Open"), Field("closedByEntryNumber", "Closed by Entry No.", True)]
DETAIL_FIELDS = [Field("custLedgerEntryNumber", "Cust. Ledger Entry No.", True),
                 Field("entryType", "Entry Type"), Field("postingDate", "Posting Date"),
                 Field("documentType", "Document Type"), Field("documentNumber", "Document No."),
                 Field("customerNumber", "Customer No."), Field("amount", "Amount", True),
                 Field("appliedEntryNumber", "Applied Cust. Ledger Entry No.", True)]
PROBLEM_FIELDS = [Field("lineNumber", "Line No.", True), Field("field", "Field"),
                  Field("message", "Problem")]


def make_rows_model(fields: Sequence[Field], rows: Sequence[Any],
                    parent: QObject | None = None) -> RowsModel:
    return RowsModel(fields, rows, parent)


def sum_of(rows: Sequence[Any], getter: Callable[[Any], Decimal]) -> Decimal:
    return sum((getter(r) for r in rows), Decimal("0.00"))

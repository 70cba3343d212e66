"""Table models of the posting screens.

``GLEntriesModel``, ``CustomerLedgerModel`` and ``CustomerBalancesModel`` show the ledgers'
sources (app/services/ledgers.py: a count and pages of read models, sorted and filtered by the
database) through the shared lazy model, so they scale to millions of entries. ``RowsModel``
shows a short list already in memory (the entries a preview plans, a test report's problems).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from app.db import Database
from app.domain.ledger_schemas import CustLedgerEntryRead, CustomerBalanceRead, GLEntryRead
from app.services import ledgers
from app.services.ledgers import LedgerQuery, Source
from app.ui import localized
from app.ui.colours import negative_colour
from app.ui.models.lazy import Column as LazyColumn
from app.ui.models.lazy import LazyTableModel

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def show_value(value: Any) -> str:
    """How a value reads in a cell: amounts and dates in the locale's way (as in every other
    view), booleans Yes/No."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return localized.format_amount(value)
    if isinstance(value, date):
        return localized.format_date(value)
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
                return QBrush(negative_colour())
        return None


def _paged(page: Callable[[Database, LedgerQuery, int, int], list[R]]) -> Any:
    """A ledger page function in the shape the lazy model calls (it also passes the total)."""
    def fetch(db: Database, query: LedgerQuery, offset: int, limit: int,
              total: int = 0) -> list[R]:
        return page(db, query, offset, limit)
    return fetch


class LedgerModel(LazyTableModel[R]):
    """A posted ledger over the shared lazy model (app/ui/models/lazy.py): a count, and the
    pages a view paints; the database sorts and filters (app/services/ledgers.py)."""

    def __init__(self, source: Source[R], columns: Sequence[LazyColumn[R]],
                 parent: QObject | None = None) -> None:
        super().__init__(columns, cast(Any, source.count), _paged(source.page), parent)
        self.source = source

    def set_ledger_query(self, db: Database | None, query: LedgerQuery | None) -> None:
        self.set_query(db, cast(Any, query))


def _col(key: str, header: str, attribute: str, kind: str = "text", *, sort: bool = True,
         width: int = 100) -> LazyColumn[Any]:
    return LazyColumn(key, header, lambda row: getattr(row, attribute), kind=kind,
                      sort_key=key if sort else None, width=width)


class GLEntriesModel(LedgerModel[GLEntryRead]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(ledgers.GL_ENTRIES, [
            _col("postingDate", "Posting Date", "posting_date", "date", width=90),
            _col("documentType", "Document Type", "document_type", sort=False, width=105),
            _col("documentNumber", "Document No.", "document_number", width=100),
            _col("accountNumber", "G/L Account No.", "account_number", width=90),
            _col("accountName", "G/L Account Name", "account_name", sort=False, width=170),
            _col("description", "Description", "description", width=200),
            _col("amount", "Amount", "amount", "amount", width=110),
            LazyColumn("debitAmount", "Debit Amount",
                       lambda row: row.amount if row.amount > 0 else None, kind="amount",
                       sort_key=None, width=110),
            LazyColumn("creditAmount", "Credit Amount",
                       lambda row: -row.amount if row.amount < 0 else None, kind="amount",
                       sort_key=None, width=110),
            _col("sourceNumber", "Source No.", "source_number", width=80),
            _col("entryNumber", "Entry No.", "entry_number", "int", width=70),
            _col("reversed", "Reversed", "reversed", "bool", sort=False, width=60),
        ], parent)


class CustomerLedgerModel(LedgerModel[CustLedgerEntryRead]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(ledgers.CUSTOMER_ENTRIES, [
            _col("postingDate", "Posting Date", "posting_date", "date", width=90),
            _col("documentType", "Document Type", "document_type", width=105),
            _col("documentNumber", "Document No.", "document_number", width=100),
            _col("customerNumber", "Customer No.", "customer_number", width=90),
            _col("customerName", "Customer Name", "customer_name", sort=False, width=170),
            _col("description", "Description", "description", width=170),
            _col("dueDate", "Due Date", "due_date", "date", width=90),
            _col("amount", "Amount", "amount", "amount", width=110),
            _col("remainingAmount", "Remaining Amount", "remaining_amount", "amount",
                 width=125),
            _col("open", "Open", "open", "bool", width=50),
            _col("entryNumber", "Entry No.", "entry_number", "int", width=70),
        ], parent)


class CustomerBalancesModel(LedgerModel[CustomerBalanceRead]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(ledgers.CUSTOMER_BALANCES, [
            _col("customerNumber", "No.", "customer_number", width=90),
            _col("customerName", "Name", "customer_name", width=220),
            _col("balance", "Balance (LCY)", "balance", "amount", width=120),
            _col("openEntries", "Open Entries", "open_entries", "int", width=90),
        ], parent)


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

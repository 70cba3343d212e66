"""Apply Customer Entries: mark the open entries a payment line pays, with an amount each.

The dialog edits a copy; nothing is saved until OK, which calls
``applications.set_applications`` (one transaction). A refused application keeps the dialog
open with Business Central's message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.domain.errors import DomainError, EnvironmentProblem
from app.domain.ledger_schemas import ApplicationInput, ApplicationsRead, OpenEntryRead
from app.services import applications
from app.ui.colours import error_style, negative_colour
from app.ui.posting.models import show_value

Index = QModelIndex | QPersistentModelIndex
ZERO = Decimal("0.00")
_ROOT = QModelIndex()
GREY = QColor(128, 128, 128)

COLUMNS = [("applied", "Apply"), ("documentType", "Document Type"),
           ("documentNumber", "Document No."), ("postingDate", "Posting Date"),
           ("dueDate", "Due Date"), ("pmtDiscountDate", "Pmt. Discount Date"),
           ("remainingAmount", "Remaining Amount"),
           ("remainingPmtDiscPossible", "Pmt. Disc. Possible"),
           ("amountToApply", "Amount to Apply")]
APPLIED, AMOUNT = 0, len(COLUMNS) - 1
NUMERIC = {"remainingAmount", "remainingPmtDiscPossible", "amountToApply"}


class OpenEntriesModel(QAbstractTableModel):
    """The customer's open entries; the Apply check box and Amount to Apply are editable."""

    totalsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[OpenEntryRead] = []
        self.amounts: dict[int, Decimal] = {}
        self.payment = ZERO  # what the payment brings (positive)

    def load(self, read: ApplicationsRead) -> None:
        self.beginResetModel()
        self.entries = list(read.entries)
        self.amounts = {e.id: e.amount_to_apply for e in read.entries if e.applied}
        self.payment = -read.payment_amount
        self.endResetModel()
        self.totalsChanged.emit()

    # --- totals ----------------------------------------------------------------------------
    def applied_amount(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    def left(self) -> Decimal:
        """What is left of the payment (positive: stays open as a credit on the customer)."""
        return self.payment - self.applied_amount()

    # --- editing ---------------------------------------------------------------------------
    def set_applied(self, row: int, applied: bool) -> None:
        entry = self.entries[row]
        if applied:
            room = self.left() if self.payment > 0 else entry.default_amount_to_apply
            amount = min(entry.default_amount_to_apply, room) if room > 0 else \
                entry.default_amount_to_apply
            self.amounts[entry.id] = amount
        else:
            self.amounts.pop(entry.id, None)
        self._changed(row)

    def set_amount(self, row: int, amount: Decimal) -> None:
        entry = self.entries[row]
        if amount == 0:
            self.amounts.pop(entry.id, None)
        else:
            self.amounts[entry.id] = amount
        self._changed(row)

    def apply_to_oldest(self) -> None:
        """Mark the oldest entries until the payment is used up (entries are oldest first)."""
        self.amounts.clear()
        left = self.payment
        for entry in self.entries:
            if left <= 0:
                break
            if not entry.can_apply:
                continue
            amount = min(entry.default_amount_to_apply, left)
            self.amounts[entry.id] = amount
            left -= amount
        self._changed_all()

    def clear(self) -> None:
        self.amounts.clear()
        self._changed_all()

    def inputs(self) -> list[ApplicationInput]:
        return [ApplicationInput(cust_ledger_entry_id=entry_id, amount_to_apply=amount)
                for entry_id, amount in self.amounts.items()]

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.totalsChanged.emit()

    def _changed_all(self) -> None:
        if self.entries:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.entries) - 1, len(COLUMNS) - 1))
        self.totalsChanged.emit()

    # --- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS) and \
                role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        entry = self.entries[index.row()]
        if not entry.can_apply and entry.id not in self.amounts:
            return Qt.ItemFlag.ItemIsSelectable  # shown, not applicable
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == APPLIED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == AMOUNT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _value(self, entry: OpenEntryRead, key: str) -> Any:
        if key == "amountToApply":
            return self.amounts.get(entry.id, ZERO)
        if key == "applied":
            return None
        attribute = "".join("_" + c.lower() if c.isupper() else c for c in key)
        return getattr(entry, attribute)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == APPLIED:
            return (Qt.CheckState.Checked if entry.id in self.amounts
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(self._value(entry, key))
        if role == Qt.ItemDataRole.EditRole and index.column() == AMOUNT:
            return str(self.amounts.get(entry.id, ZERO))
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not entry.can_apply:
                return QBrush(GREY)
            value = self._value(entry, key)
            if isinstance(value, Decimal) and value < 0:
                return QBrush(negative_colour())
        if role == Qt.ItemDataRole.ToolTipRole and entry.reason:
            return entry.reason
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        if index.column() == APPLIED and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
            self.set_applied(index.row(), checked)
            return True
        if index.column() == AMOUNT and role == Qt.ItemDataRole.EditRole:
            try:
                amount = Decimal(str(value).replace(",", "").strip() or "0").quantize(ZERO)
            except InvalidOperation:
                return False
            if amount < 0:
                return False
            self.set_amount(index.row(), amount)
            return True
        return False


class ApplyEntriesDialog(QDialog):
    """Apply Customer Entries for one payment line. ``exec()`` returns Accepted once the
    applications are saved; ``result_read`` then holds what was saved."""

    def __init__(self, db: Database, company_id: uuid.UUID, payment_id: uuid.UUID,
                 parent: QWidget | None = None, *,
                 save: Callable[[list[ApplicationInput]], ApplicationsRead]) -> None:
        super().__init__(parent)
        self._save = save  # a call of the gateway (app/ui/operations.py)
        self.setObjectName("applyEntriesDialog")
        self.setWindowTitle("Apply Customer Entries")
        self.db, self.company_id, self.payment_id = db, company_id, payment_id
        self.result_read: ApplicationsRead | None = None
        read = applications.open_entries(db, company_id, payment_id)

        self.model = OpenEntriesModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("openEntriesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.heading = QLabel(self)
        self.heading.setObjectName("paymentHeading")
        self.heading.setText(
            f"Customer {read.customer_number}  ·  payment {show_value(-read.payment_amount)}"
            f"  ·  posting date {show_value(read.posting_date)}")
        self.applied_label = QLabel(self)
        self.applied_label.setObjectName("appliedAmount")
        self.left_label = QLabel(self)
        self.left_label.setObjectName("remainingAmount")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())

        oldest = QPushButton("Apply to &Oldest", self)
        oldest.setObjectName("applyToOldestButton")
        oldest.clicked.connect(self.model.apply_to_oldest)
        clear = QPushButton("&Clear", self)
        clear.setObjectName("clearButton")
        clear.clicked.connect(self.model.clear)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        totals = QHBoxLayout()
        totals.addWidget(self.applied_label)
        totals.addStretch(1)
        totals.addWidget(self.left_label)
        actions = QHBoxLayout()
        actions.addWidget(oldest)
        actions.addWidget(clear)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(totals)
        layout.addWidget(self.error_label)
        layout.addLayout(actions)

        self.model.totalsChanged.connect(self._show_totals)
        self.model.load(read)
        self.view.installEventFilter(self)
        self.resize(1120, 420)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space marks or unmarks the current entry (keyboard first, as Set Applies-to ID)."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Space and \
                self.view.state() != QAbstractItemView.State.EditingState:
            self.toggle_current()
            return True
        return super().eventFilter(watched, event)

    def toggle_current(self) -> None:
        row = self.view.currentIndex().row()
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, APPLIED)
            if self.model.flags(index) & Qt.ItemFlag.ItemIsEnabled:
                self.model.set_applied(row, self.model.entries[row].id not in self.model.amounts)

    def _show_totals(self) -> None:
        applied = self.model.applied_amount()
        left = self.model.left()
        self.applied_label.setText(f"Applied Amount: {show_value(applied)}")
        if not self.model.amounts:
            text = ("Nothing is marked yet: press Space on an entry to apply the payment "
                    "to it" if self.model.entries else "The customer has no open entries")
        elif self.model.payment == 0:
            text = "The line has no amount yet: it takes the applied amount"
        elif left > 0:
            text = f"Left of the payment: {show_value(left)} (stays open as a credit)"
        elif left < 0:
            text = f"Applied more than the payment by {show_value(-left)}"
        else:
            text = "The payment is fully applied"
        self.left_label.setText(text)

    def save(self) -> None:
        try:
            self.result_read = self._save(self.model.inputs())
        except EnvironmentProblem:
            return  # the gateway showed it; the dialog stays open
        except DomainError as error:
            self.error_label.setText("\n".join(e.message for e in error.errors))
            return
        self.accept()

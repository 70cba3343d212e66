"""The No. Series dialog: every series of the company with its starting number, increment,
last number used and whether manual numbers are allowed; new, change, delete."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.schemas import NumberSeriesCreate, NumberSeriesRead, NumberSeriesUpdate
from app.services import number_series

if TYPE_CHECKING:
    from app.ui.operations import Operations

HEADERS = ("Code", "Description", "Starting No.", "Increment-by No.", "Last No. Used",
           "Manual Nos.")


class NumberSeriesDialog(QDialog):
    def __init__(self, ops: Operations, company_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        """``ops``: the gateway (app/ui/operations.py) every save and delete goes through."""
        super().__init__(parent)
        self.ops, self.db, self.company_id = ops, ops.db, company_id
        self.setObjectName("numberSeriesDialog")
        self.setWindowTitle("No. Series")
        self.series: list[NumberSeriesRead] = []
        self.list = QTableWidget(0, len(HEADERS), self)
        self.list.setObjectName("numberSeriesList")
        self.list.setHorizontalHeaderLabels(HEADERS)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().hide()
        self.list.itemSelectionChanged.connect(self._show_selected)
        self.code = QLineEdit()
        self.description = QLineEdit()
        self.starting = QLineEdit()
        self.increment = QSpinBox()
        self.increment.setRange(1, 1_000_000)
        self.last_used = QLineEdit()
        self.manual = QCheckBox("Lines may carry numbers that do not continue the series")
        for name, widget in (("code", self.code), ("description", self.description),
                             ("startingNumber", self.starting),
                             ("incrementBy", self.increment),
                             ("lastNumberUsed", self.last_used),
                             ("manualNumbers", self.manual)):
            widget.setObjectName(name)
        form = QFormLayout()
        form.addRow("Code", self.code)
        form.addRow("Description", self.description)
        form.addRow("Starting No.", self.starting)
        form.addRow("Increment-by No.", self.increment)
        form.addRow("Last No. Used", self.last_used)
        form.addRow("Manual Nos.", self.manual)
        self.error = QLabel()
        self.error.setObjectName("numberSeriesError")
        self.error.setStyleSheet("color: #b40000")
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, name, slot in (("&New", "newSeries", self.new),
                                 ("&Save", "saveSeries", self.save),
                                 ("&Delete", "deleteSeries", self.delete),
                                 ("Close", "closeSeries", self.accept)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(720, 480)
        self.current: NumberSeriesRead | None = None
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.series = number_series.list_all(self.db, self.company_id)
        self.list.setRowCount(len(self.series))
        for row, s in enumerate(self.series):
            for column, value in enumerate((s.code, s.description, s.starting_number,
                                            str(s.increment_by), s.last_number_used,
                                            "Yes" if s.manual_numbers else "No")):
                self.list.setItem(row, column, QTableWidgetItem(value))
        self.list.resizeColumnsToContents()
        codes = [s.code for s in self.series]
        if select in codes:
            self.list.selectRow(codes.index(select))
        elif self.series:
            self.list.selectRow(0)
        else:
            self.new()

    def _show_selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return
        self.current = s = self.series[rows[0].row()]
        self.code.setText(s.code)
        self.description.setText(s.description)
        self.starting.setText(s.starting_number)
        self.increment.setValue(s.increment_by)
        self.last_used.setText(s.last_number_used)
        self.manual.setChecked(s.manual_numbers)
        self.error.setText("")

    def new(self) -> None:
        self.current = None
        self.list.clearSelection()
        for edit in (self.code, self.description, self.starting, self.last_used):
            edit.clear()
        self.increment.setValue(1)
        self.manual.setChecked(False)
        self.code.setFocus()

    def _values(self) -> dict[str, Any]:
        return {"code": self.code.text().strip().upper(),
                "description": self.description.text().strip(),
                "startingNumber": self.starting.text().strip().upper(),
                "incrementBy": self.increment.value(),
                "lastNumberUsed": self.last_used.text().strip().upper(),
                "manualNumbers": self.manual.isChecked()}

    def save(self) -> bool:
        from pydantic import ValidationError

        values = self._values()
        try:
            db, cid, current = self.db, self.company_id, self.current
            if current is None:
                created = NumberSeriesCreate.model_validate(values)
                saved = self.ops.run(lambda: number_series.create(db, cid, created))
            else:
                changed = NumberSeriesUpdate.model_validate(values)
                saved = self.ops.run(lambda: number_series.update(
                    db, cid, current.id, changed, version=current.version))
        except ValidationError as exc:
            first = exc.errors()[0]
            self.error.setText(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
            return False
        except DomainError as exc:
            self.error.setText(f"{exc.field}: {exc.message}" if exc.field else exc.message)
            return False
        self.error.setText("")
        self.reload(saved.code)
        return True

    def delete(self) -> None:
        if self.current is None:
            return
        db, cid, current = self.db, self.company_id, self.current
        try:
            self.ops.run(lambda: number_series.delete(db, cid, current.id,
                                                      version=current.version))
        except DomainError as exc:
            self.error.setText(exc.message)
            return
        self.reload()


def open_number_series(window: Any) -> NumberSeriesDialog | None:
    ops = window.editing.ops
    if ops is None or window.company_id is None:
        QMessageBox.information(window, "No. Series", "Open a company first.")
        return None
    dialog = NumberSeriesDialog(ops, window.company_id, window)
    dialog.exec()
    return dialog

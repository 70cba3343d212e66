"""Journal > Import Bank Statement… (also a file dropped on the journal grid): a statement
is read, matched, reviewed line by line, and written into the journal as ONE undo step.

- ``install(window)`` adds the action to the Journal menu and the drop to the grid (the only
  hooks into the main window).
- ``CsvProfileDialog``: the CSV mapping (sniffed, adjustable, previewed, saved by name).
- ``BankReviewDialog``: each line with its proposed customer, invoices, confidence and
  reasons; Accept, Change… (the Apply Entries table), Leave Unapplied, Skip; "Needs review".
- ``BankImportStep``: undo takes the lines and their import keys out again; redo writes
  the same decisions again.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.domain.bank import Statement, StatementLine
from app.domain.bank_matching import Confidence
from app.domain.errors import DomainError
from app.io.bank import CsvProfile, csv_format, detect_format, read_statement
from app.io.bank import read_file as read_bank_file
from app.services import bank_accounts, bank_import
from app.services.bank_import import Decision, ImportPlan, ProposedLine
from app.ui import messages
from app.ui.posting.apply_dialog import OpenEntriesModel
from app.ui.posting.models import show_value
from app.ui.undo import Step

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.operations import Operations

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
GREY = QColor(128, 128, 128)
CONFIDENCE_COLOURS = {3: QColor(0, 120, 0), 2: QColor(160, 110, 0), 1: QColor(180, 60, 0),
                      0: QColor(128, 128, 128)}
FILE_FILTER = ("Bank statements (*.xml *.sta *.mt940 *.940 *.txt *.ofx *.qfx *.csv);;"
               "All files (*)")


# --- the review model ----------------------------------------------------------------------

COLUMNS = [("include", "Import"), ("bookingDate", "Date"), ("amount", "Amount"),
           ("counterparty", "Counterparty"), ("remittance", "Remittance"),
           ("customer", "Customer"), ("invoices", "Invoices"), ("confidence", "Confidence"),
           ("reasons", "Reasons"), ("status", "Status")]
INCLUDE, AMOUNT = 0, 2


class ReviewModel(QAbstractTableModel):
    """The statement's credit lines with the decision for each (what will be written)."""

    def __init__(self, plan: ImportPlan, customers: dict[uuid.UUID, tuple[str, str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.rows: list[ProposedLine] = list(plan.lines)
        self.customers = customers
        self.decisions: dict[int, Decision] = {
            p.index: plan.default_decision(p) for p in plan.new_lines}
        self.documents: dict[int, str] = {}  # entry id -> document number (for display)
        for p in plan.lines:
            for a in p.match.applications:
                self.documents[a.entry_id] = a.document_number
            for c in p.match.candidates:
                self.documents[c.entry_id] = c.document_number
        self.changed_by_hand: set[int] = set()

    def proposed(self, row: int) -> ProposedLine:
        return self.rows[row]

    def needs_review(self, row: int) -> bool:
        p = self.rows[row]
        return p.needs_review and p.index not in self.changed_by_hand

    def decide(self, row: int, decision: Decision, *, by_hand: bool = True) -> None:
        p = self.rows[row]
        if p.duplicate:
            return
        self.decisions[p.index] = decision
        if by_hand:
            self.changed_by_hand.add(p.index)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def accept_proposal(self, row: int) -> None:
        p = self.rows[row]
        match = p.match
        if match.customer is None:
            return
        self.decide(row, Decision(match.customer.id, tuple(
            (a.entry_id, Decimal(a.amount) / 100) for a in match.applications)))

    def status(self, row: int) -> str:
        p = self.rows[row]
        decision = self.decisions.get(p.index)
        if p.duplicate:
            return "Duplicate: already imported"
        if decision is not None and decision.skip:
            return "Skipped"
        if p.index in self.changed_by_hand:
            return "Applied by you" if decision and decision.applications else "Reviewed"
        if p.match.tie:
            return "Tie: choose"
        if p.auto:
            return "Applied"
        return "Needs review"

    def _invoices(self, p: ProposedLine) -> str:
        decision = self.decisions.get(p.index)
        if decision is not None and decision.applications:
            return ", ".join(self.documents.get(e, f"entry {e}") for e, _ in
                             decision.applications)
        if p.match.candidates:
            return "? " + " / ".join(c.document_number for c in p.match.candidates)
        return ""

    def _customer(self, p: ProposedLine) -> str:
        decision = self.decisions.get(p.index)
        customer_id = decision.customer_id if decision else None
        if customer_id is None:
            return ""
        number, name = self.customers.get(customer_id, ("?", ""))
        return f"{number} {name}"

    def value(self, row: int, key: str) -> Any:
        p = self.rows[row]
        line = p.line
        if key == "bookingDate":
            return show_value(line.booking_date)
        if key == "amount":
            return show_value(line.amount)
        if key == "counterparty":
            return " ".join(t for t in (line.counterparty_name, line.counterparty_iban) if t)
        if key == "remittance":
            return " ".join(t for t in (line.structured_remittance, line.remittance) if t)
        if key == "customer":
            return self._customer(p)
        if key == "invoices":
            return self._invoices(p)
        if key == "confidence":
            return "" if p.duplicate else p.match.confidence.label
        if key == "reasons":
            return "" if p.duplicate else p.match.reasons
        if key == "status":
            return self.status(row)
        return None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == INCLUDE and not self.rows[index.row()].duplicate:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, key = index.row(), COLUMNS[index.column()][0]
        p = self.rows[row]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == INCLUDE:
            decision = self.decisions.get(p.index)
            included = not p.duplicate and decision is not None and not decision.skip
            return Qt.CheckState.Checked if included else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return None if key == "include" else self.value(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if p.duplicate:
                return QBrush(GREY)
            if key == "confidence":
                return QBrush(CONFIDENCE_COLOURS[int(p.match.confidence)])
        if role == Qt.ItemDataRole.ToolTipRole and key in ("remittance", "reasons",
                                                            "counterparty"):
            text = self.value(row, key)
            return text or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != INCLUDE or \
                role != Qt.ItemDataRole.CheckStateRole:
            return False
        p = self.rows[index.row()]
        if p.duplicate:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        decision = self.decisions.get(p.index) or Decision(None)
        self.decide(index.row(), replace(decision, skip=not checked), by_hand=False)
        return True


class NeedsReviewFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.only_review = False

    def set_only_review(self, on: bool) -> None:
        self.beginFilterChange()  # Qt 6.10's way to say the filter (rows only) changed
        self.only_review = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not self.only_review or not isinstance(model, ReviewModel):
            return True
        return model.needs_review(source_row)


# --- Change…: the Apply Entries table for a line not written yet ---------------------------------

class ChangeDialog(QDialog):
    """Choose the line's customer and mark the entries it pays (Apply Customer Entries'
    table and defaults)."""

    def __init__(self, db: Database, company_id: uuid.UUID, line: StatementLine,
                 decision: Decision, customers: list[tuple[uuid.UUID, str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bankChangeDialog")
        self.setWindowTitle("Change Application")
        self.db, self.company_id, self.line = db, company_id, line
        self.customer = QComboBox(self)
        self.customer.setObjectName("customerNumber")
        self.customer.addItem("(no customer)", "")
        for cid, number, name in customers:
            self.customer.addItem(f"{number}  {name}", str(cid))  # str: Qt compares it
        if decision.customer_id is not None:
            self.customer.setCurrentIndex(
                max(self.customer.findData(str(decision.customer_id)), 0))
        self.model = OpenEntriesModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("openEntriesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.totals = QLabel(self)
        self.totals.setObjectName("appliedAmount")
        oldest = QPushButton("Apply to &Oldest", self)
        oldest.clicked.connect(self.model.apply_to_oldest)
        clear = QPushButton("&Clear", self)
        clear.clicked.connect(self.model.clear)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b40000")
        heading = QLabel(f"{show_value(line.booking_date)}  ·  {show_value(line.amount)}  ·  "
                         f"{line.counterparty_name}  ·  {line.remittance[:80]}", self)
        form = QFormLayout()
        form.addRow("&Customer:", self.customer)
        row = QHBoxLayout()
        row.addWidget(oldest)
        row.addWidget(clear)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.model.totalsChanged.connect(self._show_totals)
        self._marked = dict(decision.applications)
        self.customer.currentIndexChanged.connect(self._load)
        self._load()
        self.resize(1000, 420)
        self.result_decision: Decision | None = None

    def chosen_customer(self) -> uuid.UUID | None:
        data = self.customer.currentData()
        return uuid.UUID(data) if data else None

    def _load(self) -> None:
        customer_id = self.chosen_customer()
        if customer_id is None:
            self.model.beginResetModel()
            self.model.entries, self.model.amounts = [], {}
            self.model.payment = self.line.amount
            self.model.endResetModel()
            self._show_totals()
            return
        read = bank_import.open_entries_for(self.db, self.company_id, customer_id, self.line,
                                            self._marked)
        self._marked = {}
        self.model.load(read)

    def _show_totals(self) -> None:
        self.totals.setText(f"Applied Amount: {show_value(self.model.applied_amount())}  ·  "
                            f"left of the payment: {show_value(self.model.left())}")

    def _accept(self) -> None:
        if self.model.left() < 0:
            self.error.setText("The amounts to apply are larger than the payment.")
            return
        self.result_decision = Decision(self.chosen_customer(), tuple(
            (i.cust_ledger_entry_id, i.amount_to_apply) for i in self.model.inputs()))
        self.accept()


# --- the review dialog --------------------------------------------------------------------------

class BankReviewDialog(QDialog):
    """Review a planned import; ``exec()`` Accepted means: write ``decisions()``."""

    def __init__(self, db: Database, company_id: uuid.UUID, plan: ImportPlan,
                 title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bankReviewDialog")
        self.setWindowTitle(f"Import Bank Statement{f' - {title}' if title else ''}")
        self.db, self.company_id, self.plan = db, company_id, plan
        self.customer_list = bank_import.customer_choices(db, company_id)
        names = {cid: (number, name) for cid, number, name in self.customer_list}
        self.model = ReviewModel(plan, names, self)
        self.proxy = NeedsReviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setObjectName("statementLinesView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((56, 88, 90, 230, 220, 200, 130, 84, 270, 150)):
            self.view.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.change())

        s = plan.statement
        self.summary = QLabel(self)
        self.summary.setObjectName("statementSummary")
        self.summary.setText(self._summary(s))
        self.summary.setWordWrap(True)
        self.review_filter = QCheckBox("Show only lines that &need review", self)
        self.review_filter.setObjectName("needsReviewFilter")
        self.review_filter.toggled.connect(self.proxy.set_only_review)
        self.counts = QLabel(self)
        self.counts.setObjectName("reviewCounts")

        self.accept_button = QPushButton("&Accept Proposal", self)
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.clicked.connect(self.accept_selected)
        self.change_button = QPushButton("&Change…", self)
        self.change_button.setObjectName("changeButton")
        self.change_button.clicked.connect(self.change)
        self.unapply_button = QPushButton("&Leave Unapplied", self)
        self.unapply_button.setObjectName("leaveUnappliedButton")
        self.unapply_button.clicked.connect(self.leave_unapplied)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.review_filter)
        top.addStretch(1)
        top.addWidget(self.counts)
        actions = QHBoxLayout()
        actions.addWidget(self.accept_button)
        actions.addWidget(self.change_button)
        actions.addWidget(self.unapply_button)
        actions.addStretch(1)
        actions.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        self.model.dataChanged.connect(lambda *_a: self._show_counts())
        self._show_counts()
        self.resize(1500, 560)

    @staticmethod
    def _summary(s: Statement) -> str:
        credits, debits = s.credits, s.debits
        parts = [f"{s.format.upper()}" + (f" · account {s.account}" if s.account else "")]
        parts.append(f"opening {show_value(s.opening.amount) if s.opening else '-'}")
        parts.append(f"closing {show_value(s.closing.amount) if s.closing else '-'}")
        parts.append(f"{len(credits)} credits, sum "
                     f"{show_value(sum((x.amount for x in credits), Decimal('0.00')))}")
        parts.append(f"{len(debits)} debits skipped (sum "
                     f"{show_value(sum((x.amount for x in debits), Decimal('0.00')))})")
        complete = s.is_complete()
        if complete is True:
            parts.append("opening + lines = closing ✓")
        elif complete is False:
            parts.append("opening + lines ≠ closing: the statement is incomplete!")
        return "  ·  ".join(parts)

    def _show_counts(self) -> None:
        m = self.model
        rows = range(m.rowCount())
        review = sum(1 for r in rows if m.needs_review(r))
        dup = sum(1 for p in m.rows if p.duplicate)
        applied = sum(1 for d in m.decisions.values() if d.applications and not d.skip)
        included = sum(1 for d in m.decisions.values() if not d.skip)
        self.counts.setText(f"{included} to import · {applied} applied · {review} need "
                            f"review · {dup} duplicates")

    def selected_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.proxy.mapToSource(self.view.currentIndex()).row()}
        return sorted(rows)

    def accept_selected(self) -> None:
        for row in self.selected_rows():
            self.model.accept_proposal(row)

    def leave_unapplied(self) -> None:
        for row in self.selected_rows():
            p = self.model.proposed(row)
            decision = self.model.decisions.get(p.index) or Decision(None)
            self.model.decide(row, Decision(decision.customer_id))

    def change(self) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        p = self.model.proposed(row)
        if p.duplicate:
            return
        decision = self.model.decisions.get(p.index) or Decision(None)
        if decision.customer_id is None and p.match.candidates:
            decision = Decision(p.match.candidates[0].customer_id)
        dialog = ChangeDialog(self.db, self.company_id, p.line, decision, self.customer_list,
                              self)
        if dialog.exec() and dialog.result_decision is not None:
            for entry in dialog.model.entries:
                self.model.documents[entry.id] = entry.document_number
            self.model.decide(row, dialog.result_decision)

    def decisions(self) -> dict[int, Decision]:
        return dict(self.model.decisions)


# --- CSV mapping ----------------------------------------------------------------------------------

ROLE_LABELS = {"booking_date": "Booking date", "value_date": "Value date", "amount": "Amount",
               "credit_amount": "Credit amount", "debit_amount": "Debit amount",
               "indicator": "Credit/debit mark", "counterparty_name": "Counterparty name",
               "counterparty_iban": "Counterparty IBAN", "remittance": "Remittance",
               "bank_reference": "Bank reference", "end_to_end_id": "End-to-end id",
               "currency": "Currency"}


class CsvProfileDialog(QDialog):
    """The CSV mapping: sniffed on first import, adjustable, previewed as it reads the file,
    and saved by name for the next statement of that bank."""

    def __init__(self, data: bytes, profile: CsvProfile, names: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvProfileDialog")
        self.setWindowTitle("CSV Statement Mapping")
        self.data = data
        self.name = QLineEdit(profile.name, self)
        self.name.setObjectName("profileName")
        self.name.setPlaceholderText("name to save it under (e.g. Sparkasse)")
        self.encoding = QLineEdit(profile.encoding, self)
        self.encoding.setObjectName("encoding")
        self.delimiter = QLineEdit(profile.delimiter, self)
        self.delimiter.setObjectName("delimiter")
        self.decimal = QLineEdit(profile.decimal_separator, self)
        self.decimal.setObjectName("decimalSeparator")
        self.thousands = QLineEdit(profile.thousands_separator, self)
        self.thousands.setObjectName("thousandsSeparator")
        self.date_format = QLineEdit(profile.date_format, self)
        self.date_format.setObjectName("dateFormat")
        self.skip = QSpinBox(self)
        self.skip.setObjectName("skipRows")
        self.skip.setRange(0, 100)
        self.skip.setValue(profile.skip_rows)
        self.header = QCheckBox("The first row read is a header", self)
        self.header.setObjectName("hasHeader")
        self.header.setChecked(profile.has_header)
        self.sign = QComboBox(self)
        self.sign.setObjectName("sign")
        self.sign.addItems(list(csv_format.SIGNS))
        self.sign.setCurrentText(profile.sign)
        self.columns: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow("Profile &name:", self.name)
        form.addRow("&Encoding:", self.encoding)
        form.addRow("&Delimiter:", self.delimiter)
        form.addRow("Decimal separator:", self.decimal)
        form.addRow("Thousands separator:", self.thousands)
        form.addRow("Date &format:", self.date_format)
        form.addRow("Rows before the header:", self.skip)
        form.addRow("", self.header)
        form.addRow("&Sign convention:", self.sign)
        for role, label in ROLE_LABELS.items():
            edit = QLineEdit(profile.columns.get(role, ""), self)
            edit.setObjectName(f"column_{role}")
            edit.setPlaceholderText("header text or #column number")
            self.columns[role] = edit
            form.addRow(f"{label}:", edit)
        self.preview = QTableWidget(self)
        self.preview.setObjectName("csvPreview")
        self.problem = QLabel(self)
        self.problem.setObjectName("csvProblem")
        self.problem.setStyleSheet("color: #b40000")
        self.problem.setWordWrap(True)
        refresh = QPushButton("&Preview", self)
        refresh.clicked.connect(self.show_preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.save = QCheckBox("Save this mapping under its name", self)
        self.save.setObjectName("saveProfile")
        self.save.setChecked(bool(profile.name) and profile.name not in names)
        body = QHBoxLayout()
        left = QWidget(self)
        left.setLayout(form)
        body.addWidget(left)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.problem)
        right.addWidget(refresh)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        for edit in (self.encoding, self.delimiter, self.decimal, self.thousands,
                     self.date_format, *self.columns.values()):
            edit.editingFinished.connect(self.show_preview)
        self.skip.valueChanged.connect(lambda _v: self.show_preview())
        self.sign.currentIndexChanged.connect(lambda _v: self.show_preview())
        self.header.toggled.connect(lambda _v: self.show_preview())
        self.show_preview()
        self.resize(1200, 640)

    def profile(self) -> CsvProfile:
        return CsvProfile(
            name=self.name.text().strip(), encoding=self.encoding.text().strip() or "utf-8",
            delimiter=(self.delimiter.text() or ";")[:1].replace("t", "\t"),
            decimal_separator=self.decimal.text()[:1] or ".",
            thousands_separator=self.thousands.text()[:1],
            date_format=self.date_format.text().strip() or "%Y-%m-%d",
            skip_rows=self.skip.value(), has_header=self.header.isChecked(),
            sign=self.sign.currentText(),
            columns={r: e.text().strip() for r, e in self.columns.items() if e.text().strip()})

    def show_preview(self) -> None:
        try:
            lines, problem = csv_format.preview(self.data, self.profile())
        except LookupError as exc:  # an unknown encoding name
            lines, problem = [], f"Unknown encoding: {exc}"
        heads = ["Date", "Credit", "Amount", "Counterparty", "IBAN", "Remittance", "Reference"]
        self.preview.clear()
        self.preview.setColumnCount(len(heads))
        self.preview.setHorizontalHeaderLabels(heads)
        self.preview.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, value in enumerate((
                    show_value(line.booking_date), "Credit" if line.credit else "Debit",
                    show_value(line.amount), line.counterparty_name, line.counterparty_iban,
                    line.remittance, line.bank_reference)):
                self.preview.setItem(row, column, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()
        self.problem.setText(problem or "")

    def _accept(self) -> None:
        _lines, problem = csv_format.preview(self.data, self.profile())
        if problem:
            self.problem.setText(problem)
            return
        if self.save.isChecked() and not self.name.text().strip():
            self.problem.setText("Give the mapping a name to save it.")
            return
        self.accept()


# --- the undo step --------------------------------------------------------------------------------

class BankImportStep(Step):
    """"Import Bank Statement into BANK (n lines)": undo deletes the lines and their keys;
    redo writes the same decisions again (each through the gateway, behind a progress
    dialog)."""

    kinds = ("payment", "application")

    def __init__(self, ops: Operations, plan: ImportPlan, decisions: dict[int, Decision],
                 result: bank_import.ImportResult) -> None:
        super().__init__(ops, f"Import Bank Statement into {plan.journal_code} "
                              f"({result.written} lines)")
        self.plan, self.decisions, self.result = plan, decisions, result

    def perform_undo(self) -> None:
        db, plan, ids = self.ops.db, self.plan, self.result.payment_ids
        self.ops.run_long("Undo", f"Taking {len(ids):,} statement lines out…",
                          lambda _p: bank_import.undo(db, plan.company_id, plan.journal_id, ids))

    def perform_redo(self) -> None:
        db, plan, decisions = self.ops.db, self.plan, self.decisions
        self.result = self.ops.run_long("Redo", f"Writing {len(plan.lines):,} statement lines…",
                                        lambda _p: bank_import.write(db, plan, decisions))


# --- entry points ----------------------------------------------------------------------------

def read_file(parent: QWidget | None, ops: Operations, company_id: uuid.UUID,
              path: Path) -> Statement | None:
    """The statement in ``path`` (a CSV through the mapping dialog, whose mapping is saved
    through the gateway ``ops`` when asked); None when cancelled or refused (the reason
    shown)."""
    db = ops.db
    try:
        data = read_bank_file(path)
        fmt = detect_format(data)
        profile = None
        if fmt == "csv":
            names = bank_accounts.csv_profile_names(db, company_id)
            sniffed = None
            for name in names:  # a saved profile that reads the file wins
                saved = CsvProfile.from_json(bank_accounts.csv_profile(db, company_id, name))
                if not csv_format.preview(data, saved)[1]:
                    sniffed = saved
                    break
            dialog = CsvProfileDialog(data, sniffed or csv_format.sniff(data), names, parent)
            if not dialog.exec():
                return None
            profile = dialog.profile()
            if dialog.save.isChecked():
                name, text = profile.name, profile.to_json()
                ops.run(lambda: bank_accounts.save_csv_profile(db, company_id, name, text))
        return read_statement(data, fmt, profile=profile)
    except (DomainError, OSError) as exc:
        text = exc.message if isinstance(exc, DomainError) else str(exc)
        messages.warn(parent, "Import Bank Statement", f"{path.name}: {text}")
        return None


def run_import(window: MainWindow, path: Path) -> bank_import.ImportResult | None:
    db, company_id, journal_id = window.db, window.company_id, window.journal_id
    ops = window.editing.ops
    if db is None or company_id is None or journal_id is None or ops is None:
        messages.warn(window, "Import Bank Statement", "Choose a journal first.")
        return None
    statement = read_file(window, ops, company_id, path)
    if statement is None:
        return None
    try:
        plan = bank_import.plan(db, company_id, journal_id, statement,
                                min_confidence=Confidence.HIGH)
    except DomainError as exc:
        messages.warn(window, "Import Bank Statement", exc.message)
        return None
    dialog = BankReviewDialog(db, company_id, plan, path.name, window)
    if not dialog.exec():
        return None
    return write_reviewed(window, ops, plan, dialog.decisions())


def write_reviewed(parent: QWidget | None, ops: Operations, plan: ImportPlan,
                   decisions: dict[int, Decision]) -> bank_import.ImportResult | None:
    """Write the reviewed import through the gateway, as one undo step (a refusal is
    shown in a box; None then)."""
    return ops.attempt_long(
        "Import Bank Statement", f"Writing {len(plan.lines):,} statement lines…",
        lambda _progress: bank_import.write(ops.db, plan, decisions),
        step=lambda result: BankImportStep(ops, plan, decisions, result))


def open_bank_accounts(window: MainWindow) -> None:
    from app.ui.bank_accounts import CustomerBankAccountsDialog

    customer = window.editing.current_row("customer")
    ops = window.editing.ops
    if ops is None or window.company_id is None or customer is None:
        messages.warn(window, "Customer Bank Accounts", "Select a customer first.")
        return
    CustomerBankAccountsDialog(ops, window.company_id, customer.id,
                               f"{customer.number} {customer.display_name}", window).exec()

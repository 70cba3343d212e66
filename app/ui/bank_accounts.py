"""Master Data > Customer Bank Accounts…: the IBANs a bank statement line is matched by, for
the customer selected (list, add with the IBAN checked as typed, delete). Adding and
deleting write through the gateway (app/ui/operations.py)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.bank import format_iban, iban_problem
from app.domain.bank_schemas import CustomerBankAccountCreate
from app.domain.errors import DomainError
from app.domain.validation import parse
from app.services import bank_accounts

if TYPE_CHECKING:
    from app.ui.operations import Operations


class CustomerBankAccountsDialog(QDialog):
    def __init__(self, ops: Operations, company_id: uuid.UUID, customer_id: uuid.UUID,
                 customer_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerBankAccountsDialog")
        self.setWindowTitle(f"Customer Bank Accounts - {customer_label}")
        self.ops, self.db = ops, ops.db
        self.company_id, self.customer_id = company_id, customer_id
        self.table = QTableWidget(self)
        self.table.setObjectName("bankAccountsView")
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels(["Code", "IBAN", "Name"])
        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.iban = QLineEdit(self)
        self.iban.setObjectName("iban")
        self.iban.setPlaceholderText("DE89 3704 0044 0532 0130 00")
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("color: #b40000")
        self.error.setWordWrap(True)
        self.iban.textChanged.connect(self._check_iban)
        add = QPushButton("&Add", self)
        add.setObjectName("addButton")
        add.clicked.connect(self.add)
        delete = QPushButton("&Delete", self)
        delete.setObjectName("deleteButton")
        delete.clicked.connect(self.delete_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Code:", self.code)
        form.addRow("&IBAN:", self.iban)
        form.addRow("&Name:", self.name)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(delete)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.accounts = bank_accounts.list_of_customer(self.db, company_id, customer_id)
        self._fill()
        self.resize(620, 360)

    def _fill(self) -> None:
        self.accounts = bank_accounts.list_of_customer(self.db, self.company_id,
                                                       self.customer_id)
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            for column, value in enumerate((account.code, format_iban(account.iban),
                                            account.name)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _check_iban(self, text: str) -> None:
        """The IBAN is checked as it is typed (once it is long enough to be one)."""
        compact = "".join(text.split())
        self.error.setText((iban_problem(text) or "") if len(compact) >= 15 else "")

    def add(self) -> bool:
        try:
            data = parse(CustomerBankAccountCreate, {
                "customerId": str(self.customer_id), "code": self.code.text(),
                "iban": self.iban.text(), "name": self.name.text()})
            self.ops.run(lambda: bank_accounts.create(self.db, self.company_id, data))
        except DomainError as error:
            self.error.setText("\n".join(e.message for e in error.errors))
            return False
        self.error.setText("")
        self.code.clear()
        self.iban.clear()
        self.name.clear()
        self._fill()
        return True

    def delete_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.accounts):
            account = self.accounts[row]
            try:
                self.ops.run(lambda: bank_accounts.delete(self.db, self.company_id, account.id,
                                                          version=account.version))
            except DomainError as error:
                self.error.setText(error.message)
            self._fill()

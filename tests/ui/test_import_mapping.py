"""File > Import Customers and Invoices…: the mapping step, its preview, saved mappings, and
the import (nothing written when a row is wrong; the problems shown in the dialog)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyCreate
from app.services import companies, invoices
from app.ui import import_mapping
from app.ui.import_mapping import NONE, ImportMappingDialog
from tests.helpers import dump


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["Customer Number,Display Name,Number,Invoice Date,Amount",
                               *rows]) + "\n", encoding="utf-8")
    return path


def dialog_for(qtbot: QtBot, db: Database, path: Path) -> ImportMappingDialog:
    company = companies.create(db, CompanyCreate(name="Mapped"))
    dialog = ImportMappingDialog(None, db, company.id, path, "csv")
    qtbot.addWidget(dialog)
    return dialog


def test_map_preview_save_and_import(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "open.csv", ["K1,Alpine,F-1,2024-01-05,100.50",
                                         "K2,Coho,F-2,2024-01-06,20"])
    dialog = dialog_for(qtbot, db, path)
    combo = dialog.combos
    # Guessed from the headers: the invoice's customer is the customer's number too.
    assert combo[("salesInvoices", "customerNumber")].currentText() == "Customer Number"
    assert combo[("customers", "number")].currentText() == "Customer Number"
    assert combo[("salesInvoices", "number")].currentText() == "Number"
    combo[("salesInvoices", "totalAmountIncludingTax")].setCurrentText("Amount")
    assert dialog.preview.rowCount() == 2
    headers = [dialog.preview.horizontalHeaderItem(c).text()
               for c in range(dialog.preview.columnCount())]
    column = headers.index("Invoice totalAmountIncludingTax")
    assert dialog.preview.item(0, column).text() == "100.50"

    saved = dialog.save_as("Old system")
    assert saved.exists() and "Old system" in import_mapping.saved_mappings()
    combo[("salesInvoices", "totalAmountIncludingTax")].setCurrentText(NONE)
    dialog.savedBox.setCurrentText("Old system")  # loading it maps Amount again
    assert combo[("salesInvoices", "totalAmountIncludingTax")].currentText() == "Amount"

    dialog.importButton.click()
    assert dialog.result() == ImportMappingDialog.DialogCode.Accepted
    assert dialog.summary is not None and dialog.summary.created["sales invoices"] == 2
    assert {i.number for i in invoices.list_all(db, dialog.company_id)} == {"F-1", "F-2"}


def test_a_bad_row_is_shown_and_nothing_is_written(qtbot: QtBot, db: Database,
                                                   tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", ["K1,Alpine,F-1,5 Jan,100.50"])
    dialog = dialog_for(qtbot, db, path)
    dialog.combos[("salesInvoices", "totalAmountIncludingTax")].setCurrentText("Amount")
    last = dialog.preview.columnCount() - 1
    assert dialog.preview.horizontalHeaderItem(last).text() == "Problems"
    assert "must be a date written YYYY-MM-DD" in dialog.preview.item(0, last).text()
    before = dump(db)
    dialog.importButton.click()
    assert dialog.summary is None
    assert dialog.result() == ImportMappingDialog.DialogCode.Rejected  # still open, not done
    assert dump(db) == before
    assert ('row 2, column "Invoice Date" (invoiceDate): must be a date written YYYY-MM-DD'
            in dialog.problems.toPlainText())

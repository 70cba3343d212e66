"""Reports in the window, Export View, the No. Series dialog, and the ledger tabs' columns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.db.models import GLEntry
from app.domain.schemas import CompanyRead
from app.services import journals, number_series, posting, reports
from app.ui.main_window import MainWindow
from app.ui.number_series_dialog import NumberSeriesDialog
from app.ui.operations import Operations
from app.ui.report_views import ReportDialog, view_table
from tests.conftest import WORK_DATE


def _texts(view: QTableView, row: int) -> list[str]:
    model = view.model()
    return [str(model.data(model.index(row, c)) or "") for c in range(model.columnCount())]


def test_reports_menu_opens_a_report_and_exports_it(qtbot: QtBot, window: MainWindow,
                                                    db: Database, demo: CompanyRead,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    names = {a.objectName() for a in window.findChildren(QAction)}
    assert {"actionReport-trial-balance", "actionReport-aged-receivables",
            "actionReport-statement", "actionReport-customer-balances",
            "actionExportView-xlsx", "actionNumberSeries"} <= names
    dialog = ReportDialog(db, demo.id, "aged-receivables", today=WORK_DATE, parent=window)
    qtbot.addWidget(dialog)
    expected = reports.aged_receivables(db, demo.id, as_of=WORK_DATE)
    assert dialog.model.rowCount() == len(expected.customers) + 1
    last = _texts(dialog.view, dialog.model.rowCount() - 1)
    assert last[1] == "Total" and last[-1] == f"{expected.total_balance_due:,.2f}"
    target = tmp_path / "aged.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "Excel workbook (*.xlsx)"))
    dialog.buttons["xlsx"].click()
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A2"].value == "Aged Accounts Receivable"
    assert sheet.cell(7, 3).data_type == "n"
    # A wrong option: the message, and nothing to export.
    dialog.period.setText("3X")
    dialog.buttons["run"].click()
    assert "The date formula '3X' is not valid" in dialog.error.text()
    assert not dialog.buttons["xlsx"].isEnabled()


def test_statement_dialog_with_one_customer(qtbot: QtBot, db: Database,
                                            demo: CompanyRead) -> None:
    dialog = ReportDialog(db, demo.id, "statement", today=WORK_DATE)
    qtbot.addWidget(dialog)
    dialog.customer.setText("C10000")
    dialog.style_box.setCurrentText("open-items")
    dialog.buttons["run"].click()
    assert dialog.error.text() == ""
    assert _texts(dialog.view, 0)[1] == "C10000"


def test_export_view_reads_the_model_typed(qtbot: QtBot, window: MainWindow) -> None:
    view = window.findChild(QTableView, "accountsView")
    assert view is not None
    table = view_table(view, "G/L Accounts", "CRONUS Demo Ltd.")
    assert [c.title for c in table.columns][-1] == "Balance"
    assert table.columns[-1].kind == "amount"
    receivables = next(r for r in table.rows if r.values[0] == "2310")
    assert isinstance(receivables.values[-1], Decimal) and receivables.values[-1] > 0


def test_ledger_tabs_show_every_column(qtbot: QtBot, window: MainWindow, db: Database,
                                       demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    register = posting.post(db, demo.id, bank.id, user_id="tester")
    posting.reverse(db, demo.id, register.number, user_id="tester")
    window.refresh_all()
    view = window.findChild(QTableView, "registersView")
    assert view is not None
    reversal, original = _texts(view, 0), _texts(view, 1)
    headers = [str(view.model().headerData(c, Qt.Orientation.Horizontal))
               for c in range(view.model().columnCount())]
    row = dict(zip(headers, original, strict=True))
    assert row["Journal"] == "BANK" and row["Source Code"] == "CASHRCPT"
    assert row["From Entry No."] and row["To Entry No."] and row["G/L Entries"] == "14"
    assert row["Cust. Entries"] == "7" and row["User ID"] == "tester"
    assert row["Reversed"] == "Yes" and row["Reversed by Register"] == str(register.number + 1)
    assert dict(zip(headers, reversal, strict=True))["Reverses Register"] == str(
        register.number)
    # G/L entries show Debit and Credit.
    from app.services.ledgers import LedgerQuery
    from app.ui.posting.models import GLEntriesModel

    model = GLEntriesModel()
    model.set_ledger_query(db, LedgerQuery(company_id=demo.id))
    titles = [c.header for c in model.columns]
    debit, credit = titles.index("Debit Amount"), titles.index("Credit Amount")
    first = model.row_at(0)
    assert first is not None and first.amount > 0
    assert model.data(model.index(0, debit)) and not model.data(model.index(0, credit))


def test_number_series_dialog(qtbot: QtBot, db: Database, demo: CompanyRead,
                              ops: Operations) -> None:
    dialog = NumberSeriesDialog(ops, demo.id)  # it writes through the gateway
    qtbot.addWidget(dialog)
    assert dialog.list.rowCount() == 2
    dialog.new()
    dialog.code.setText("PAY")
    dialog.starting.setText("ABC")
    before = number_series.list_all(db, demo.id)
    assert not dialog.save()
    assert dialog.error.text().startswith("startingNumber: The starting number ABC")
    assert number_series.list_all(db, demo.id) == before
    dialog.starting.setText("P0001")
    dialog.increment.setValue(10)
    dialog.manual.setChecked(True)
    assert dialog.save()
    made = next(s for s in number_series.list_all(db, demo.id) if s.code == "PAY")
    assert (made.starting_number, made.increment_by, made.manual_numbers) == ("P0001", 10, True)
    dialog.manual.setChecked(False)
    assert dialog.save()
    assert not next(s for s in number_series.list_all(db, demo.id)
                    if s.code == "PAY").manual_numbers


def test_trial_balance_reconciles_on_the_demo(db: Database, demo: CompanyRead) -> None:
    report = reports.trial_balance(db, demo.id, end=date(2027, 12, 31))
    assert report.total_balance == 0
    with db.reading() as session:
        receivables = session.scalar(select(func.sum(GLEntry.amount)).where(
            GLEntry.company_id == demo.id, GLEntry.account_number == "2310"))
    balances = reports.customer_balances(db, demo.id, as_of=date(2027, 12, 31))
    assert receivables == balances.total


def test_printed_journal_has_proper_pages(qtbot: QtBot, window: MainWindow,
                                          tmp_path: Path) -> None:
    import subprocess

    from PySide6.QtPrintSupport import QPrinter

    from app.ui.report_views import paint_pages

    view = window.findChild(QTableView, "paymentsView")
    assert view is not None
    table = view_table(view, "Journal BANK", "CRONUS Demo Ltd.")
    table.rows = table.rows * 40  # several pages
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "journal.pdf"
    printer.setOutputFileName(str(target))
    pages = paint_pages(printer, table)
    assert pages > 1
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    chunks = [c for c in text.split("\f") if c.strip()]
    assert len(chunks) == pages
    for number, chunk in enumerate(chunks, start=1):
        assert "CRONUS Demo Ltd." in chunk and "Journal BANK" in chunk
        assert f"Page {number} of {pages}" in chunk
        # The header row on every page, its words whole (never "Docum ent").
        for column in table.columns:
            for word in column.title.split():
                assert word in chunk.split(), (number, word)


def test_navigate_from_a_statement_line(qtbot: QtBot, db: Database,
                                        demo: CompanyRead) -> None:
    from PySide6.QtCore import QDate

    from app.services import ledgers
    from app.ui.panes.posting import NavigateDialog
    from tests.ui.modal import when_modal

    dialog = ReportDialog(db, demo.id, "statement", today=WORK_DATE)
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2020, 1, 1))
    dialog.customer.setText("C10000")
    dialog.buttons["run"].click()
    assert dialog.table is not None
    rows = dialog.table.rows
    line = next(i for i, r in enumerate(rows) if r.document_number)
    number = rows[line].document_number
    assert number == rows[line].values[2]  # the hidden key is the shown Document No.
    # The opening line carries nothing: the window says so, no dialog.
    opening = next(i for i, r in enumerate(rows)
                   if not r.document_number and not r.customer_number)
    dialog.view.setCurrentIndex(dialog.model.index(opening, 0))
    dialog.actionNavigate.trigger()
    assert "no document or customer" in dialog.status.text()
    # A line with a document number: Navigate (Ctrl+Shift+I) opens Find Entries for it.
    dialog.view.setCurrentIndex(dialog.model.index(line, 0))
    assert dialog.actionNavigate.shortcut().toString() == "Ctrl+Shift+I"
    seen = when_modal(NavigateDialog, lambda d: d.reject())
    dialog.actionNavigate.trigger()
    assert len(seen) == 1
    assert seen[0].windowTitle() == f"Navigate — Document No. {number}"
    expected = ledgers.entries_for_document(db, demo.id, number)
    assert seen[0].models["navigateCustomerView"].rowCount() == len(
        expected.customer_entries) > 0
    # Enter / double-click (activated) does the same.
    seen = when_modal(NavigateDialog, lambda d: d.reject())
    dialog.view.activated.emit(dialog.model.index(line, 1))
    assert len(seen) == 1 and seen[0].found.document_number == number


def test_navigate_from_a_customer_line_opens_its_statement(qtbot: QtBot, db: Database,
                                                           demo: CompanyRead) -> None:
    dialog = ReportDialog(db, demo.id, "customer-balances", today=WORK_DATE)
    qtbot.addWidget(dialog)
    assert dialog.table is not None
    first = dialog.table.rows[0]
    assert first.customer_number == first.values[0]
    dialog.view.setCurrentIndex(dialog.model.index(0, 1))
    dialog.navigate()
    statement = dialog.last_navigate
    assert isinstance(statement, ReportDialog) and statement.name == "statement"
    assert statement.customer.text() == first.customer_number
    assert statement.table is not None and statement.table.rows[0].values[1] == \
        first.customer_number
    statement.close()
    # Nothing selected: it says what to select.
    dialog.view.setCurrentIndex(dialog.model.index(-1, -1))
    dialog.navigate()
    assert dialog.status.text().startswith("Select a report line")


def test_statement_options_show_overdue_and_include_reversed(qtbot: QtBot, db: Database,
                                                             demo: CompanyRead) -> None:
    from PySide6.QtCore import QDate

    bank = journals.find_by_code(db, demo.id, "BANK")
    register = posting.post(db, demo.id, bank.id, user_id="tester")
    posting.reverse(db, demo.id, register.number, user_id="tester")
    dialog = ReportDialog(db, demo.id, "statement", today=date(2026, 12, 31))
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 1, 1))

    def documents() -> list[str]:
        assert dialog.table is not None
        return [r.document_number for r in dialog.table.rows if r.document_number]

    dialog.buttons["run"].click()
    plain = documents()
    dialog.include_reversed.setChecked(True)
    dialog.buttons["run"].click()
    everything = documents()
    expected = reports.statements(db, demo.id, start=date(2026, 1, 1), end=date(2026, 12, 31),
                                  include_reversed=True)
    assert everything == [r.document_number for s in expected.statements for r in s.rows]
    assert len(everything) > len(plain)
    dialog.include_reversed.setChecked(False)
    dialog.show_overdue.setChecked(True)
    dialog.buttons["run"].click()
    assert dialog.table is not None
    assert ("Show overdue entries", "yes") in dialog.table.options
    assert any(str(r.values[3]).startswith("Overdue entries ") for r in dialog.table.rows)
    assert len(documents()) > len(plain)  # the overdue entries, navigable too

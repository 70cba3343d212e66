"""The bank statement review dialog (pytest-qt): proposals, the needs-review filter, accept /
change / leave unapplied / skip, the import as ONE undo step (undo and redo), the CSV
mapping dialog's preview, the menu action and a file dropped on the grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead
from app.io.bank import csv_format, read_statement, samples
from app.services import bank_accounts, bank_import, journals, payments
from app.services.demo import demo_statement_lines
from app.ui import bank_import as ui
from app.ui.main_window import MainWindow
from app.ui.operations import Operations
from tests.conftest import WORK_DATE
from tests.ui.conftest import Boxes
from tests.ui.modal import when_modal

SAMPLES = Path(__file__).parent.parent / "io" / "bank_samples"


def _statement_file(db: Database, company: CompanyRead, tmp_path: Path, fmt: str = "camt053"
                    ) -> Path:
    lines = demo_statement_lines(db, company.id, WORK_DATE)
    path = tmp_path / f"statement.{ {'camt053': 'xml', 'mt940': 'sta'}.get(fmt, fmt) }"
    path.write_bytes(samples.write(samples.statement_of(lines), fmt))
    return path


def _plan(db: Database, company: CompanyRead, tmp_path: Path) -> bank_import.ImportPlan:
    journal = journals.find_by_code(db, company.id, "CASH")
    statement = read_statement(_statement_file(db, company, tmp_path).read_bytes())
    return bank_import.plan(db, company.id, journal.id, statement)


def test_review_dialog_shows_proposals_and_filters(qtbot: QtBot, qtmodeltester: object,
                                                   db: Database, demo: CompanyRead,
                                                   tmp_path: Path) -> None:
    plan = _plan(db, demo, tmp_path)
    dialog = ui.BankReviewDialog(db, demo.id, plan, "statement.xml")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    model = dialog.model
    assert model.rowCount() == len(plan.lines) == 14
    first = [model.value(0, k) for k in ("confidence", "reasons", "status")]
    assert first == ["High", "IBAN + invoice 103009 + amount", "Applied"]
    assert model.value(0, "invoices") == "103009"
    assert "opening 1,000.00" in dialog.summary.text()
    assert "1 debits skipped" in dialog.summary.text()
    review = sum(1 for r in range(model.rowCount()) if model.needs_review(r))
    assert review == 4  # two amount-only (Medium), two with nothing to go by
    dialog.review_filter.setChecked(True)
    assert dialog.proxy.rowCount() == review
    assert {dialog.proxy.index(r, 9).data() for r in range(review)} == {"Needs review"}
    dialog.review_filter.setChecked(False)
    assert dialog.proxy.rowCount() == 14


def test_accept_change_and_leave_unapplied(qtbot: QtBot, db: Database, demo: CompanyRead,
                                           tmp_path: Path) -> None:
    plan = _plan(db, demo, tmp_path)
    dialog = ui.BankReviewDialog(db, demo.id, plan)
    qtbot.addWidget(dialog)
    model = dialog.model
    medium = next(r for r in range(model.rowCount())
                  if model.proposed(r).match.confidence.label == "Medium")
    dialog.view.selectRow(medium)
    dialog.accept_selected()
    assert model.status(medium) == "Applied by you"
    assert model.decisions[model.proposed(medium).index].applications
    dialog.leave_unapplied()
    assert model.status(medium) == "Reviewed"
    decision = model.decisions[model.proposed(medium).index]
    assert decision.customer_id is not None and decision.applications == ()
    # Change…: the Apply Entries table; apply to the customer's oldest entries.
    rows: list[int] = []

    def act(change: ui.ChangeDialog) -> None:
        rows.append(change.model.rowCount())
        change.model.apply_to_oldest()
        change._accept()
        if change.isVisible():
            change.reject()

    seen = when_modal(ui.ChangeDialog, act)
    dialog.change()
    assert seen and rows[0] > 0 and model.status(medium) == "Applied by you"
    assert model.decisions[model.proposed(medium).index].applications
    # Unticking Import skips the line.
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value,
                  Qt.ItemDataRole.CheckStateRole)
    assert model.status(0) == "Skipped"
    assert model.decisions[model.proposed(0).index].skip


def test_import_from_the_window_is_one_undo_step(qtbot: QtBot, window: MainWindow,
                                                 db: Database, demo: CompanyRead,
                                                 tmp_path: Path, boxes: Boxes) -> None:
    cash = journals.find_by_code(db, demo.id, "CASH")
    window.select_journal(cash.id)
    path = _statement_file(db, demo, tmp_path, "mt940")
    seen = when_modal(ui.BankReviewDialog, lambda d: d.import_button.click())
    result = ui.run_import(window, path)
    assert seen and result is not None and result.written == 14
    assert len(payments.list_all(db, demo.id, cash.id)) == 14
    ops = window.editing.ops
    assert ops is not None
    assert ops.stack.undoText() == "Import Bank Statement into CASH (14 lines)"
    assert ops.undo()
    assert payments.list_all(db, demo.id, cash.id) == []
    assert ops.redo()
    assert len(payments.list_all(db, demo.id, cash.id)) == 14
    # The same file again: everything is a duplicate, nothing to import.
    seen = when_modal(ui.BankReviewDialog, lambda d: d.import_button.click())
    again = ui.run_import(window, path)
    assert again is not None and (again.written, again.duplicates) == (0, 14)
    assert boxes.warnings == []


def test_menu_action_and_drop_on_the_grid(qtbot: QtBot, window: MainWindow, db: Database,
                                          demo: CompanyRead, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    journal_menu = window.editing.menus["journal"]
    assert window.actionImportBankStatement in journal_menu.actions()
    cash = journals.find_by_code(db, demo.id, "CASH")
    window.select_journal(cash.id)
    path = _statement_file(db, demo, tmp_path)
    dropped: list[Path] = []
    monkeypatch.setattr(ui, "run_import", lambda w, p: dropped.append(p))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    # The grid's viewport filter (Qt delivers a real drop only after a drag has entered).
    drop = window._bank_drop  # type: ignore[attr-defined]
    assert drop.eventFilter(window.paymentsView.viewport(), event) is True
    assert dropped == [path]


def test_csv_mapping_dialog_previews_and_saves(qtbot: QtBot, db: Database, demo: CompanyRead,
                                               boxes: Boxes, ops: Operations,
                                               tmp_path: Path) -> None:
    data = (SAMPLES / "csv_sparkasse_cp1252.csv").read_bytes()
    dialog = ui.CsvProfileDialog(data, csv_format.sniff(data, "Sparkasse"), [])
    qtbot.addWidget(dialog)
    assert dialog.preview.rowCount() == 4 and dialog.problem.text() == ""
    assert dialog.preview.item(0, 2).text() == "1,234.56"
    dialog.decimal.setText(".")
    dialog.thousands.setText("")
    dialog.show_preview()
    assert dialog.preview.rowCount() == 0
    assert dialog.problem.text() == "line 5: '1.234,56' is not an amount."
    dialog.decimal.setText(",")
    dialog.thousands.setText(".")
    dialog.show_preview()
    assert dialog.profile() == csv_format.sniff(data, "Sparkasse")
    assert dialog.save.isChecked()
    # Through read_file: the mapping is saved (through the gateway) under its name on OK,
    # and found again.
    def save(d: ui.CsvProfileDialog) -> None:
        d.name.setText("Sparkasse")
        d.save.setChecked(True)
        d._accept()

    file = tmp_path / "umsaetze.csv"
    file.write_bytes(data)
    seen = when_modal(ui.CsvProfileDialog, save)
    statement = ui.read_file(None, ops, demo.id, file)
    assert seen and statement is not None and len(statement.lines) == 4
    assert bank_accounts.csv_profile_names(db, demo.id) == ["Sparkasse"]
    seen = when_modal(ui.CsvProfileDialog, lambda d: d._accept())
    assert ui.read_file(None, ops, demo.id, file) is not None
    assert seen[0].name.text() == "Sparkasse"


def test_customer_bank_accounts_dialog(qtbot: QtBot, db: Database, demo: CompanyRead,
                                       boxes: Boxes, ops: Operations) -> None:
    from app.services import customers
    from app.ui.bank_accounts import CustomerBankAccountsDialog

    customer = next(c for c in customers.list_all(db, demo.id) if c.number == "C10190")
    dialog = CustomerBankAccountsDialog(ops, demo.id, customer.id, "C10190 Fourth Coffee")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0  # the last demo customers have no account
    dialog.code.setText("main")
    dialog.iban.setText("DE89 3704 0044 0532 0130 01")
    assert "check digits do not match" in dialog.error.text()
    assert not dialog.add()
    dialog.iban.setText("GB29 NWBK 6016 1331 9268 19")
    assert dialog.error.text() == ""
    assert dialog.add()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "GB29 NWBK 6016 1331 9268 19"
    dialog.table.setCurrentCell(0, 0)
    dialog.delete_selected()
    assert dialog.table.rowCount() == 0

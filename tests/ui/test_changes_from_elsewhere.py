"""Changes that do not start in the window reach it as change-sets: another process on the
same file (polled), another thread on the same Database (its listener), and each pane
re-reads only what a change-set touches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.changes import ChangeSet, Kind
from app.domain.schemas import CompanyRead, PaymentCreate
from app.services import journals, payments
from app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _journal_codes(window: MainWindow) -> list[str]:
    model = window.model_of("journalsView")
    return [model.row_at(r).code for r in range(model.rowCount())]


def test_a_cli_import_in_another_process_appears_in_the_open_window_within_2_s(
        qtbot: QtBot, window: MainWindow, db: Database, db_path: Path, tmp_path: Path) -> None:
    document = {"value": [{"code": "FROMCLI", "displayName": "Imported by the CLI",
                           "balancingAccountNumber": "2910", "customerPayments": [
                               {"customerNumber": "C10000", "amount": -12.5},
                               {"customerNumber": "C10000", "amount": -7.25}]}]}
    path = tmp_path / "payments.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "FROMCLI" not in _journal_codes(window)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "app", "import", str(path), "--db",
                             str(db_path)], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    # From here the window has 2 seconds (it polls every 0.5 s), with no refresh asked.
    qtbot.waitUntil(lambda: "FROMCLI" in _journal_codes(window), timeout=2000)
    imported = journals.find_by_code(db, window.company_id, "FROMCLI")  # type: ignore[arg-type]
    window.select_journal(imported.id)
    assert window.payments_model().rowCount() == 2
    assert window.lineCountLabel.text() == "Lines: 2"


def test_another_handle_adds_a_line_while_a_cell_is_open_the_edit_is_kept(
        qtbot: QtBot, window: MainWindow, db: Database, db_path: Path,
        demo: CompanyRead) -> None:
    """Another program (here a second handle on the file) adds a line to the journal shown
    while the user types in a cell: the new line shows, the editor and its text stay, and
    the cell saves to its own line."""
    bank = journals.find_by_code(db, demo.id, "BANK")
    model = window.payments_model()
    count = model.rowCount()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(0, model.column_of("comment")))
    edited = model.row_at(0)
    for char in "mine":
        qtbot.keyClicks(QApplication.focusWidget(), char)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    other = open_database(db_path)
    try:
        payments.create(other, demo.id, bank.id, PaymentCreate(customer_number="C10000",
                                                              amount=Decimal("-3")))
    finally:
        other.close()
    qtbot.waitUntil(lambda: model.rowCount() == count + 1, timeout=2000)  # shown meanwhile
    assert window.paymentsView.indexWidget(window.paymentsView.currentIndex()) is editor \
        or QApplication.focusWidget() is editor
    assert editor.text() == "mine"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # saved: the line it belongs to did not change
    assert payments.get(db, demo.id, edited.id).comment == "mine"
    assert model.rowCount() == count + 1


def test_a_commit_on_another_thread_reaches_the_window_through_the_listener(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead) -> None:
    """The API server will write through the window's own Database from its thread: the
    commit is handed to the GUI thread (the poller ignores this handle's own commits)."""
    bank = journals.find_by_code(db, demo.id, "BANK")
    model = window.payments_model()
    count = model.rowCount()
    seen: list[ChangeSet] = []
    window.changesApplied.connect(seen.append)

    def write() -> None:
        payments.create(db, demo.id, bank.id, PaymentCreate(customer_number="C10000",
                                                           amount=Decimal("-4")))

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: model.rowCount() == count + 1, timeout=2000)
    assert seen and seen[0].source == "api" and Kind.PAYMENT in seen[0].kinds


def test_a_one_cell_edit_re_reads_only_the_grid(qtbot: QtBot, window: MainWindow,
                                                db: Database, demo: CompanyRead) -> None:
    """The change-set of a cell edit names the journal's lines: no other list resets."""
    resets: dict[str, int] = {}
    for name in ("companiesView", "journalsView", "customersView", "accountsView",
                 "invoicesView"):
        model = window.model_of(name)
        resets[name] = 0
        model.modelReset.connect(lambda n=name: resets.__setitem__(n, resets[n] + 1))
    ledger_resets: list[str] = []
    for name, widget in window.posting.ledgers.items():
        widget.model.modelReset.connect(lambda n=name: ledger_resets.append(n))
    seen: list[ChangeSet] = []
    window.changesApplied.connect(seen.append)
    model = window.payments_model()
    assert model.setData(model.index(0, model.column_of("comment")), "just this")
    assert seen and seen[-1].touches(Kind.PAYMENT, company_id=demo.id,
                                     journal_id=window.journal_id)
    assert resets == dict.fromkeys(resets, 0)
    assert ledger_resets == []
    assert model.data(model.index(0, model.column_of("comment"))) == "just this"


def test_apply_changes_is_the_one_entry_point_for_changes_from_outside(
        window: MainWindow, db: Database, demo: CompanyRead) -> None:
    """A change-set handed in (as the API or another user's notice will) re-reads what it
    names; one for another company leaves this company's lists alone."""
    import uuid

    customers = window.model_of("customersView")
    resets: list[int] = []
    customers.modelReset.connect(lambda: resets.append(1))
    window.apply_changes(ChangeSet.of(Kind.CUSTOMER, company_id=uuid.uuid4(), source="api"))
    assert resets == []
    window.apply_changes(ChangeSet.of(Kind.CUSTOMER, company_id=demo.id, source="api"))
    assert resets == [1]




def test_another_program_changes_the_line_being_edited_the_save_conflicts(
        qtbot: QtBot, window: MainWindow, db: Database, db_path: Path,
        demo: CompanyRead) -> None:
    """The line under the open editor was changed by another program: the editor stays
    with the user's text, and saving it is refused as a conflict (no silent overwrite)."""
    from app.domain.schemas import PaymentUpdate

    model = window.payments_model()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.paymentsView.setFocus()
    window.paymentsView.setCurrentIndex(model.index(0, model.column_of("comment")))
    edited = model.row_at(0)
    for char in "mine":
        qtbot.keyClicks(QApplication.focusWidget(), char)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    seen: list[ChangeSet] = []
    window.changesApplied.connect(seen.append)
    other = open_database(db_path)
    try:
        payments.update(other, demo.id, edited.id, PaymentUpdate(comment="theirs"),
                        version=edited.version)
    finally:
        other.close()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)  # the window heard of it
    assert seen[0].source == "file" and editor.text() == "mine"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert "changed" in window.statusBar().currentMessage().lower()
    assert payments.get(db, demo.id, edited.id).comment == "theirs"
    assert editor.text() == "mine"  # the input is kept

"""Lookups: completion on number and name, F4 / the button opens a searchable list, and the
balancing-account lookup offers only accounts a journal may post to."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QToolButton
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import AccountUpdate, CompanyRead
from app.services import accounts, journals
from app.ui.dialogs import build_new_dialog
from app.ui.dialogs.fields import LookupEditor
from app.ui.dialogs.lookup import LookupDialog, LookupModel, LookupRow
from app.ui.dialogs.specs import lookups_for
from app.ui.operations import Operations


def _numbers(rows: list[LookupRow]) -> list[str]:
    return [row.number for row in rows]


def test_balancing_lookup_offers_only_direct_posting_accounts(db: Database,
                                                              demo: CompanyRead) -> None:
    source = lookups_for(db, demo.id)["posting_account"]
    assert _numbers(source.rows()) == ["2910", "2920", "2940", "6110", "9250"]
    savings = next(a for a in accounts.list_all(db, demo.id) if a.number == "2920")
    accounts.update(db, demo.id, savings.id, AccountUpdate(blocked=True), version=None)
    source.invalidate()
    assert "2920" not in _numbers(source.rows())


def test_invoice_lookup_follows_the_customer(db: Database, demo: CompanyRead) -> None:
    source = lookups_for(db, demo.id)["invoice"]
    everyone = source.rows({})
    assert len(everyone) == 50
    adatum = source.rows({"customerNumber": "C10000"})
    assert adatum and len(adatum) < len(everyone)
    assert all(row.name == "Adatum Corporation" for row in adatum)


def test_completion_on_number_and_name(qtbot: QtBot, ops: Operations, demo: CompanyRead) -> None:
    dialog = build_new_dialog(ops, "invoice", demo.id)
    qtbot.addWidget(dialog)
    editor = dialog.editors["customerNumber"]
    assert isinstance(editor, LookupEditor)
    editor.refresh_completion()
    completer = editor.completer
    for typed, expected in (("adat", "C10000"), ("C1001", "C10010"), ("trey", "C10010")):
        completer.setCompletionPrefix(typed)
        assert completer.completionCount() >= 1
        completer.setCurrentRow(0)
        assert completer.pathFromIndex(completer.currentIndex()) == expected
    completer.setCompletionPrefix("no such customer")
    assert completer.completionCount() == 0


def _answer_lookup(qtbot: QtBot, search: str, seen: list[str]) -> None:
    """Act in the modal lookup list once it is open: search, then Enter."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LookupDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog.windowTitle())
        box = dialog.findChild(QLineEdit, "lookupFilter")
        table = dialog.findChild(QTableView, "lookupTable")
        assert box is not None and table is not None
        qtbot.keyClicks(box, search)
        seen.append(str(table.model().rowCount()))
        qtbot.keyClick(box, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Return)
    QTimer.singleShot(0, act)


def test_f4_opens_a_searchable_list(qtbot: QtBot, ops: Operations, db: Database,
                                    demo: CompanyRead) -> None:
    dialog = build_new_dialog(ops, "journal", demo.id)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.findChild(QLineEdit, "balancingAccountNumber")
    assert field is not None
    seen: list[str] = []
    _answer_lookup(qtbot, "savings", seen)
    qtbot.keyClick(field, Qt.Key.Key_F4)
    assert seen == ["G/L Accounts open for direct posting", "1"]
    assert field.text() == "2920"
    assert dialog.findChild(type(dialog.form_error), "balancingAccountNumberName").text() == \
        "Bank, Savings"


def test_lookup_button_on_customer_field(qtbot: QtBot, ops: Operations, db: Database,
                                         demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = build_new_dialog(ops, "payment", demo.id, journal_id=bank.id)
    qtbot.addWidget(dialog)
    dialog.show()
    button = dialog.findChild(QToolButton, "customerNumberLookup")
    assert button is not None
    seen: list[str] = []
    _answer_lookup(qtbot, "wood", seen)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == ["Customers", "1"]
    assert dialog.findChild(QLineEdit, "customerNumber").text() == "C10120"  # type: ignore[union-attr]
    assert "customerNumber" in dialog._touched


def test_lookup_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = LookupModel(("No.", "Name", "City"))
    model.set_rows([LookupRow("C1", "One", "Oslo"), LookupRow("C2", "Two")])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_lookup_list_filters_on_number_name_and_detail(qtbot: QtBot) -> None:
    from app.ui.dialogs.lookup import LookupSource

    rows = [LookupRow("C1", "Adatum", "Oslo"), LookupRow("C2", "Trey", "Bergen"),
            LookupRow("C3", "Fabrikam", "Oslo")]
    source = LookupSource("Customers", ("No.", "Name", "City"), lambda _ctx: rows)
    dialog = LookupDialog(source, source.rows(), "C3")
    qtbot.addWidget(dialog)
    assert dialog.chosen() == "C3"
    for needle, count in (("oslo", 2), ("trey", 1), ("c", 3), ("zzz", 0), ("", 3)):
        dialog.filter.setText(needle)
        assert dialog.proxy.rowCount() == count, needle
    assert dialog.count.text() == "3 of 3"

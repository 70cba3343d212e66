"""Delete asks first, deletes what the user saw (or nothing), and can be undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.schemas import CompanyRead, PaymentUpdate
from app.services import journals, payments
from app.ui import operations
from app.ui.dialogs import delete_records
from app.ui.operations import Operations
from tests.snapshots import dump
from tests.ui.conftest import Boxes


def test_delete_journal_asks_and_undo_restores(ops: Operations, db: Database,
                                               demo: CompanyRead, boxes: Boxes) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db)
    boxes.answers = ["Cancel"]
    assert not delete_records(None, ops, "journal", demo.id, [bank])
    assert dump(db) == before
    boxes.answers = ["Delete"]
    assert delete_records(None, ops, "journal", demo.id, [bank])
    assert boxes.questions == ["Delete journal BANK and its 7 lines?\n\nEdit > Undo brings it "
                               "back."] * 2
    assert ops.stack.undoText() == "Delete Journal BANK"
    assert ops.undo() and dump(db) == before


def test_delete_lines_seen_stale_deletes_nothing(ops: Operations, db: Database, db_path: Path,
                                                 demo: CompanyRead, boxes: Boxes) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    lines = payments.list_all(db, demo.id, bank.id)[:3]
    other = open_database(db_path)
    try:
        payments.update(other, demo.id, lines[1].id, PaymentUpdate(comment="theirs"),
                        version=lines[1].version)
    finally:
        other.close()
    before = dump(db)
    boxes.answers = ["Delete"]
    assert not delete_records(None, ops, "payment", demo.id, lines)
    assert boxes.questions == ["Delete 3 payment lines?\n\nEdit > Undo brings them back."]
    assert boxes.warnings[0].startswith("It was changed in another window or program since it "
                                        "was shown here, so nothing was deleted.")
    assert dump(db) == before and ops.stack.count() == 0


def test_refused_delete_names_the_reason(ops: Operations, db: Database, demo: CompanyRead,
                                         boxes: Boxes) -> None:
    from app.services import customers

    adatum = customers.list_all(db, demo.id)[0]
    before = dump(db)
    boxes.answers = ["Delete"]
    assert not delete_records(None, ops, "customer", demo.id, [adatum])
    assert boxes.warnings == ["You cannot delete customer C10000 because journal lines for it "
                              "exist."]
    assert dump(db) == before


def test_a_huge_journal_is_deleted_without_undo_after_saying_so(
        ops: Operations, db: Database, demo: CompanyRead, boxes: Boxes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ui.dialogs as dialogs

    monkeypatch.setattr(operations, "UNDO_LINE_LIMIT", 5)
    monkeypatch.setattr(dialogs, "UNDO_LINE_LIMIT", 5)
    bank = journals.find_by_code(db, demo.id, "BANK")
    boxes.answers = ["Delete"]
    assert delete_records(None, ops, "journal", demo.id, [bank])
    assert "This cannot be undone: 7 lines are too many to keep for Undo." in boxes.questions[0]
    assert ops.stack.count() == 0
    assert [j.code for j in journals.list_all(db, demo.id)] == ["CASH"]


def test_history_view_click_undoes_to_the_step(qtbot: QtBot, ops: Operations, db: Database,
                                               demo: CompanyRead) -> None:
    from app.domain.schemas import JournalCreate

    start = dump(db)
    for code in ("A1", "A2", "A3"):
        ops.create("journal", demo.id, JournalCreate(code=code))
    view = ops.create_history_view()
    qtbot.addWidget(view)
    view.show()
    assert view.model().rowCount() == 4  # "<no changes yet>" and three steps
    assert view.model().index(2, 0).data() == "New Journal A2"
    rect = view.visualRect(view.model().index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ops.stack.index() == 1
    assert [j.code for j in journals.list_all(db, demo.id)] == ["A1", "BANK", "CASH"]
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dump(db) == start
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert ops.stack.index() == 3
    assert view.indexAt(QPoint(-5, -5)).isValid() is False

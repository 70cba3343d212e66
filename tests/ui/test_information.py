"""Information in sight (issue 15 part 3): Applies-to names several invoices, the test
report uses the grid's titles, Apply Entries tells nothing-marked from fully applied."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import applications
from app.ui.main_window import MainWindow
from app.ui.models import tables
from app.ui.posting.apply_dialog import ApplyEntriesDialog
from app.ui.posting.dialogs import TestReportDialog
from app.ui.settings import Settings
from tests.services.books import Books, make_books
from tests.ui.conftest import Boxes


@pytest.fixture
def books(db: object) -> Books:
    b = make_books(db)  # type: ignore[arg-type]
    b.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    b.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    return b


@pytest.fixture
def win(qtbot: QtBot, books: Books, boxes: Boxes, tmp_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(main)
    main.set_database(books.db)
    main.select_company(books.company_id)
    main.select_journal(books.journal_id)
    yield main
    if main.editing.ops is not None:
        main.editing.ops.stack.clear()


def test_a_line_applied_to_two_invoices_says_so_with_a_tooltip(
        win: MainWindow, books: Books, monkeypatch: pytest.MonkeyPatch) -> None:
    several = books.pay("C1", "-150.00", document="P1")
    single = books.pay("C1", "-10.00", document="P2", invoice="A")
    applications.apply_to_oldest(books.db, books.company_id, several.id)
    calls: list[int] = []
    real = tables.applied_entries

    def counted(db: object, ids: list[object]) -> object:
        calls.append(len(ids))
        return real(db, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(tables, "applied_entries", counted)
    win.refresh_all()
    model = win.payments_model()
    column = model.column_of("appliesToInvoiceNumber")
    texts = {}
    for _ in range(3):  # painted again and again: read once per page, never per cell
        for row in range(model.rowCount()):
            line = model.row_at(row)
            assert line is not None
            texts[line.document_number] = model.index(row, column).data()
    assert texts == {"P1": "2 invoices", "P2": "A"}
    assert calls == [2]
    tip = model.index(model.row_of(several.id) or 0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "Invoice A: 100.00" in tip and "Invoice B: 50.00" in tip
    # the editor gets the stored value (blank), not the summary
    assert model.index(model.row_of(several.id) or 0, column).data(
        Qt.ItemDataRole.EditRole) == ""
    assert single.applies_to_invoice_number == "A"
    applications.clear_applications(books.db, books.company_id, several.id)
    model.refresh()
    assert model.index(model.row_of(several.id) or 0, column).data() == ""


def test_the_test_report_uses_the_titles_the_user_sees(qtbot: QtBot, books: Books) -> None:
    books.pay(None, "-10.00", document="P3")  # no customer
    dialog = TestReportDialog(books.db, books.company_id, books.journal_id)
    qtbot.addWidget(dialog)
    fields = {p.field for p in dialog.problems}
    assert "Customer No." in fields, fields
    assert not any(f and f[0].islower() for f in fields), fields
    assert "customerNumber" not in dialog.html() and "Customer No." in dialog.html()
    assert tables.field_title("appliesToInvoiceNumber") == "Applies-to Inv. No."
    assert tables.field_title("someOtherField") == "Some other field"


def test_apply_entries_tells_nothing_marked_from_fully_applied(qtbot: QtBot,
                                                              books: Books) -> None:
    line = books.pay("C1", "-150.00")
    saved: list[object] = []  # marking is not saving: the dialog's save (a call of the
    dialog = ApplyEntriesDialog(books.db, books.company_id, line.id,  # gateway) is not made
                                save=saved.append)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.left_label.text().startswith("Nothing is marked yet")
    dialog.model.apply_to_oldest()
    assert dialog.left_label.text() == "The payment is fully applied"
    dialog.model.clear()
    assert dialog.left_label.text().startswith("Nothing is marked yet")
    assert saved == []


def test_completer_popups_are_wide_enough_for_number_name_due_date_and_remaining(
        qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit

    window.show()
    qtbot.waitExposed(window)
    model = window.payments_model()
    for key in ("customerNumber", "appliesToInvoiceNumber"):
        column = model.column_of(key)
        index = model.index(0, column)
        window.paymentsView.setCurrentIndex(index)
        window.paymentsView.edit(index)
        editor = window.paymentsView.indexWidget(index)
        assert isinstance(editor, QLineEdit)
        completer = editor.completer()
        assert completer is not None
        popup = completer.popup()
        texts = [str(completer.model().index(r, 0).data())
                 for r in range(completer.model().rowCount())]
        assert texts
        widest = max(popup.fontMetrics().horizontalAdvance(t) for t in texts)
        assert popup.minimumWidth() > widest
        assert popup.minimumWidth() > window.paymentsView.columnWidth(column)
        if key == "appliesToInvoiceNumber":
            assert " due " in texts[0] and texts[0].rstrip()[-1].isdigit()
        window.paymentsView.closeEditor(editor,
                                        QAbstractItemDelegate.EndEditHint.RevertModelCache)


def test_empty_views_name_the_next_step(qtbot: QtBot, tmp_path: Path, settings_path: Path,
                                        boxes: Boxes) -> None:
    from app.db import open_database
    from app.domain.schemas import CompanyCreate, JournalCreate
    from app.services import companies, journals

    main = MainWindow(Settings(settings_path))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    hints = main.empty_hints  # type: ignore[attr-defined]
    qtbot.waitUntil(hints["companiesView"].label.isVisible)  # right after the first paint
    assert "Open Database" in hints["companiesView"].label.text()
    db = open_database(tmp_path / "empty.sqlite")
    try:
        main.set_database(db)
        assert hints["companiesView"].label.text() == \
            "No companies yet: press Ctrl+N here to create one."
        assert hints["companiesView"].label.isVisible()
        company = companies.create(db, CompanyCreate(name="ACME", displayName="Acme"))
        main.refresh_all()
        main.select_company(company.id)
        assert not hints["companiesView"].label.isVisible()
        assert hints["journalsView"].label.text() == \
            "No journals yet: press Ctrl+N to create one."
        assert hints["journalsView"].label.isVisible()
        journal = journals.create(db, company.id, JournalCreate(code="BANK", displayName="B"))
        main.refresh_all()
        main.select_journal(journal.id)
        assert not hints["journalsView"].label.isVisible()
        assert hints["paymentsView"].label.text() == \
            "No lines yet: press Enter or Ctrl+N to start the first one."
        assert hints["paymentsView"].label.isVisible()
        main.paymentsView.setFocus()
        main.paymentsView.new_line_and_edit()
        assert not hints["paymentsView"].label.isVisible()
    finally:
        if main.editing.ops is not None:
            main.editing.ops.stack.clear()
        db.close()

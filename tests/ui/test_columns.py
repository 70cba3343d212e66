"""Columns fit their titles, can be hidden from the header and stay hidden; at 1280x800 the
journal's lines are the largest part of the window (issue 15 part 4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead
from app.ui.columns import title_width
from app.ui.main_window import MainWindow
from app.ui.settings import Settings


def test_no_header_is_cut(qtbot: QtBot, window: MainWindow) -> None:
    for name in window.boxes:
        view = window.boxes[name].view
        header = view.horizontalHeader()
        for column in range(view.model().columnCount()):
            if not view.isColumnHidden(column):
                assert view.columnWidth(column) >= title_width(view, column), (
                    name, view.model().headerData(column, header.orientation()))


def test_right_clicking_a_header_hides_a_column_and_it_stays_hidden(
        qtbot: QtBot, window: MainWindow, db: Database, demo: CompanyRead,
        settings_path: Path) -> None:
    chooser = window.column_choosers["paymentsView"]  # type: ignore[attr-defined]
    menu = chooser.menu()
    titles = [a.text() for a in menu.actions() if a.isCheckable()]
    assert "Ext. Document No." in titles and "Amount Received" in titles
    action = next(a for a in menu.actions() if a.text() == "Ext. Document No.")
    assert action.isChecked()
    action.trigger()
    model = window.payments_model()
    column = model.column_of("externalDocumentNumber")
    assert window.paymentsView.isColumnHidden(column)
    assert Settings(settings_path).hidden_columns("paymentsView") == [
        "externalDocumentNumber", "customerName", "userId"]  # hidden until shown
    again = MainWindow(Settings(settings_path))
    qtbot.addWidget(again)
    again.set_database(db)
    assert again.paymentsView.isColumnHidden(column)
    shown = again.column_choosers["paymentsView"].menu()  # type: ignore[attr-defined]
    back = next(a for a in shown.actions() if a.text() == "Ext. Document No.")
    assert not back.isChecked()
    back.trigger()
    assert not again.paymentsView.isColumnHidden(column)
    assert Settings(settings_path).hidden_columns("paymentsView") == ["customerName", "userId"]
    if again.editing.ops is not None:
        again.editing.ops.stack.clear()


def test_at_1280_by_800_the_lines_are_the_largest_part(qtbot: QtBot, db: Database,
                                                       demo: CompanyRead,
                                                       tmp_path: Path) -> None:
    main = MainWindow(Settings(tmp_path / "fresh.ini"))
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    main.set_database(db)
    qtbot.wait(50)
    lines = main.paymentsView.height()
    tabs = main.findChild(QTabWidget, "lookupTabs")
    assert tabs is not None
    assert lines > main.journalsView.height() and lines > tabs.height()
    assert lines > 0.35 * main.height()
    assert main.paymentsView.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    rows = main.journalsView.viewport().height() / main.journalsView.rowHeight(0)
    assert rows >= 3, (main.journalsView.viewport().height(), main.journalsView.rowHeight(0),
                       main.boxes["journalsView"].height(), main.paymentsView.height())
    # The User ID is hidden until shown from the header's menu (then it is the rightmost
    # column, and its title shows whole).
    view = main.paymentsView
    user = main.payments_model().column_of("userId")
    comment = main.payments_model().column_of("comment")
    assert view.isColumnHidden(user) and not view.isColumnHidden(comment)
    chooser = main.column_choosers["paymentsView"]  # type: ignore[attr-defined]
    menu = chooser.menu()
    show = next(a for a in menu.actions() if a.text() == "User ID")
    assert not show.isChecked()
    show.trigger()
    assert not view.isColumnHidden(user)
    assert view.columnWidth(user) >= title_width(view, user)
    assert view.columnWidth(comment) >= title_width(view, comment)
    assert Settings(tmp_path / "fresh.ini").hidden_columns("paymentsView") == ["customerName"]
    if main.editing.ops is not None:
        main.editing.ops.stack.clear()

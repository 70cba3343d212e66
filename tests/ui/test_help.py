"""F1 help, offline, and the keyboard map generated from the window's actions (issue 15)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui import help
from app.ui.help_window import HelpWindow
from app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_help_pages_are_the_docs() -> None:
    for name, _title in help.TOPICS:
        shipped = help.help_dir() / name
        assert shipped.read_text(encoding="utf-8") == \
            (ROOT / "docs" / name).read_text(encoding="utf-8"), (
            f"app/resources/help/{name} differs from docs/{name}: copy docs/{name} there")


def test_f1_opens_the_help_with_the_docs(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.paymentsView.setFocus()
    qtbot.keyClick(window.paymentsView, Qt.Key.Key_F1)
    shown = window.findChild(HelpWindow, "helpWindow")
    assert shown is not None and shown.isVisible()
    text = shown.browser.toPlainText()
    assert "The main window and the payment grid" in text
    assert "screenshot-" not in shown.browser.toMarkdown()  # no broken images
    for row in range(1, shown.topics.count()):
        shown.topics.setCurrentRow(row)
        assert shown.browser.toPlainText().strip()
    shown.close()


def test_keyboard_shortcuts_lists_every_shortcut_of_the_window(
        qtbot: QtBot, window: MainWindow) -> None:
    action = window.findChild(QAction, "actionKeyboardShortcuts")
    assert action is not None and action in window.helpMenu.actions()
    action.trigger()
    shown = window.findChild(HelpWindow, "helpWindow")
    assert shown is not None
    text = shown.browser.toPlainText()
    every = {a for a in window.findChildren(QAction) if a.shortcuts()}
    assert len(every) > 15
    for each in every:
        for key in each.shortcuts():
            assert key.toString() in text, (each.objectName(), key.toString())
    for expected in ("F6", "Shift+F6", "Ctrl+PgDown", "F9", "Shift+F11", "F1", "Ctrl+Z"):
        assert expected in text, expected
    assert "Posting" in text and "Next Pane" in text
    shown.close()
    assert QApplication.instance() is not None

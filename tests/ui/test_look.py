"""Light and dark, remembered; colours readable in both; toolbar icons (issue 15 part 6)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui import colours, icons, theme
from app.ui.main_window import MainWindow
from app.ui.settings import Settings


@pytest.fixture(autouse=True)
def _restore_look() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), app.palette()
    yield
    theme.apply("system")
    app.setStyle(style)
    app.setPalette(palette)


_contrast = theme.contrast


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_amounts_errors_and_selection_are_readable(qtbot: QtBot, mode: str) -> None:
    theme.apply(mode)
    palette = QGuiApplication.palette()
    assert colours.is_dark() == (mode == "dark")
    base = palette.color(QPalette.ColorRole.Base)
    alternate = palette.color(QPalette.ColorRole.AlternateBase)
    for background in (base, alternate):  # WCAG AA for text: 4.5
        assert _contrast(colours.negative_colour(), background) >= 4.5
        assert _contrast(colours.error_colour(), background) >= 4.5
        assert _contrast(palette.color(QPalette.ColorRole.Text), background) >= 4.5
    assert _contrast(palette.color(QPalette.ColorRole.HighlightedText),
                     palette.color(QPalette.ColorRole.Highlight)) >= 4.5


def test_negative_amounts_in_the_grid_use_the_theme(qtbot: QtBot, window: MainWindow) -> None:
    model = window.payments_model()
    column = model.column_of("amount")
    row = next(r for r in range(model.rowCount())
               if (line := model.row_at(r)) is not None and line.amount < Decimal(0))
    for mode in ("light", "dark"):
        theme.apply(mode)
        brush = model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
        assert brush.color() == colours.negative_colour()


def test_view_theme_is_remembered(qtbot: QtBot, window: MainWindow,
                                  settings_path: Path) -> None:
    menu = window.theme_menu  # type: ignore[attr-defined]
    assert [a.text() for a in menu.menu.actions()] == ["&System", "&Light", "&Dark"]
    assert menu.actions["system"].isChecked()
    menu.actions["dark"].trigger()
    assert colours.is_dark()
    assert Settings(settings_path).theme() == "dark"
    again = MainWindow(Settings(settings_path))
    qtbot.addWidget(again)
    assert again.theme_menu.actions["dark"].isChecked()  # type: ignore[attr-defined]
    menu.actions["light"].trigger()
    assert not colours.is_dark()
    assert Settings(settings_path).theme() == "light"
    with pytest.raises(ValueError, match="theme must be one of system, light, dark"):
        Settings(settings_path).set_theme("pink")


def test_the_toolbar_has_icons_and_no_save_button(window: MainWindow) -> None:
    shown = [a for a in window.mainToolBar.actions() if not a.isSeparator()]
    assert window.actionSave not in shown
    assert window.actionSave.shortcut().toString() == "Ctrl+S"  # still commits the cell
    assert all(not a.icon().isNull() for a in shown), [
        a.objectName() for a in shown if a.icon().isNull()]
    for _theme_name, file_name in icons.ICONS.values():
        assert not icons.bundled(file_name).pixmap(16, 16).isNull(), file_name
    assert isinstance(window.findChild(QAction, "actionUndo"), QAction)

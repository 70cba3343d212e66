"""Alt+letter mnemonics are unique in every menu of the real main window (issue 15)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.db import Database
from app.domain.schemas import CompanyRead
from app.ui.main_window import MainWindow


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _clashes(menu_texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in menu_texts:
        letter = _mnemonic(text)
        if letter is not None:
            seen.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in seen.items() if len(texts) > 1}


def test_every_menu_has_unique_mnemonics(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.menuBar()
    top = [a.text() for a in bar.actions() if a.isVisible()]
    assert not _clashes(top), top
    assert all(_mnemonic(t) for t in top), top
    menus = window.findChildren(QMenu)
    assert len(menus) >= 8
    problems = {}
    for menu in menus:
        menu.aboutToShow.emit()  # menus filled when shown (Open Recent)
        texts = [a.text() for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        if clashes := _clashes(texts):
            problems[menu.title() or menu.objectName()] = clashes
    assert not problems


def test_the_test_report_buttons_have_unique_mnemonics(
        qtbot: QtBot, db: Database, demo: CompanyRead) -> None:
    from PySide6.QtWidgets import QAbstractButton

    from app.services import journals
    from app.ui.posting.dialogs import TestReportDialog

    cash = journals.find_by_code(db, demo.id, "CASH")
    dialog = TestReportDialog(db, demo.id, cash.id)
    qtbot.addWidget(dialog)
    texts = [b.text() for b in dialog.findChildren(QAbstractButton) if b.text()]
    assert not _clashes(texts), texts

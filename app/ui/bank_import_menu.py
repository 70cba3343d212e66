"""Journal > Import Bank Statement…, Master Data > Customer Bank Accounts… and the drop of a
statement file on the journal grid. Installed while the window is built, before its first
paint, so it imports nothing of the import itself: app/ui/bank_import.py (the services, the
statement readers, SQLAlchemy) is imported when an action runs or a file is dropped
(DESIGN.md 7, issue 15 item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _import_file(window: MainWindow, path: Path) -> None:
    from app.ui.bank_import import run_import

    result = run_import(window, path)
    if result is not None:
        window.show_message(result.line())


class GridDrop(QObject):
    """A statement file dropped on the journal grid is imported."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            mime = event.mimeData()  # type: ignore[attr-defined]
            if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
            if urls:
                event.acceptProposedAction()
                _import_file(self.window, Path(urls[0].toLocalFile()))
                return True
        return super().eventFilter(watched, event)


def _choose(window: MainWindow) -> None:
    from app.ui.bank_import import FILE_FILTER

    name, _ = QFileDialog.getOpenFileName(window, "Import Bank Statement", "", FILE_FILTER)
    if name:
        _import_file(window, Path(name))


def _bank_accounts(window: MainWindow) -> None:
    from app.ui.bank_import import open_bank_accounts

    open_bank_accounts(window)


def install(window: MainWindow) -> QAction:
    """Journal > Import Bank Statement… and the drop on the journal grid."""
    action = QAction("Import &Bank Statement…", window)
    action.setObjectName("actionImportBankStatement")
    action.setStatusTip("Read a CAMT.053, MT940, OFX or CSV statement into this journal, "
                        "matched to open invoices")
    action.triggered.connect(lambda: _choose(window))
    window.addAction(action)
    journal_menu = window.editing.menus.get("journal")
    if journal_menu is not None:
        journal_menu.addSeparator()
        journal_menu.addAction(action)
    accounts = QAction("Customer &Bank Accounts…", window)
    accounts.setObjectName("actionCustomerBankAccounts")
    accounts.setStatusTip("The IBANs of the selected customer (statement lines are matched "
                          "by them)")
    accounts.triggered.connect(lambda: _bank_accounts(window))
    window.addAction(accounts)
    master = window.editing.menus.get("masterData")
    if master is not None:
        master.addSeparator()
        master.addAction(accounts)
    grid = window.paymentsView
    grid.setAcceptDrops(True)
    grid.viewport().setAcceptDrops(True)
    drop = GridDrop(window)
    grid.viewport().installEventFilter(drop)
    window._bank_drop = drop  # type: ignore[attr-defined]  # kept alive with the window
    return action

"""Tools > Start API Server: a line POSTed through the API appears in the open window."""

from __future__ import annotations

import httpx
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def test_a_line_posted_through_the_api_appears_in_the_window(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    menu = window.findChild(QMenu, "toolsMenu")
    assert menu is not None
    start, stop, copy = (_action(window, n) for n in (
        "actionStartApiServer", "actionStopApiServer", "actionCopyApiToken"))
    assert start.isEnabled() and not stop.isEnabled() and not copy.isEnabled()
    control = window.apiServer  # type: ignore[attr-defined]
    control.port = 0
    start.trigger()
    try:
        assert control.running and stop.isEnabled() and copy.isEnabled()
        assert control.url in start.text()
        copy.trigger()
        token = QGuiApplication.clipboard().text()
        assert token == control.server.token and len(token) > 30
        model = window.payments_model()
        before = model.rowCount()
        url = (f"{control.url}api/v2.0/companies({window.company_id})/customerPaymentJournals"
               f"({window.journal_id})/customerPayments")
        response = httpx.post(url, json={"customerNumber": "C10000", "amount": -12.34,
                                         "comment": "from the API"},
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.text
        qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=5000)
        last = model.row_at(model.rowCount() - 1)
        assert last is not None and last.comment == "from the API"
        assert str(last.amount) == "-12.34"
        # The footer's sums follow a moment later (a SUM over every line).
        qtbot.waitUntil(lambda: str(before + 1) in window.lineCountLabel.text(), timeout=5000)
    finally:
        stop.trigger()
    assert not control.running and start.isEnabled() and not stop.isEnabled()

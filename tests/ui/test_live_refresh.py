"""Live refresh between two clients of one PostgreSQL book: a line client A adds through the
services appears in client B's window within a second (NOTIFY, app/db/listen.py and
app/ui/live.py), on the PostgreSQL test server (tests/backends.py); and a server that
cannot be reached."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.schemas import CompanyRead, PaymentCreate
from app.services import payments
from app.ui.main_window import MainWindow


@pytest.mark.postgresql
def test_a_line_client_a_adds_appears_in_client_b_window(qtbot: QtBot, window: MainWindow,
                                                          db: Database,
                                                          demo: CompanyRead) -> None:
    live = window.live
    assert live.listener is not None and live.listener.connected.wait(5)
    assert window.journal_id is not None
    sources: list[str] = []
    window.changesApplied.connect(lambda changes: sources.append(changes.source))
    model = window.payments_model()
    before = model.rowCount()
    client_a = open_database(db.engine.url.render_as_string(hide_password=False))
    try:
        payments.create(client_a, demo.id, window.journal_id, PaymentCreate(
            customer_number="C10000", amount=Decimal("-123.45"), description="From client A"))
        qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=1000)
    finally:
        client_a.close()
    shown = [model.row_at(row) for row in range(model.rowCount())]
    line = next(r for r in shown if r is not None and r.description == "From client A")
    assert line.user_id == "postgres"  # the User ID column: who wrote it
    assert model.index(shown.index(line), model.column_of("userId")).data() == "postgres"
    assert "server" in sources  # through the NOTIFY listener


@pytest.mark.postgresql
def test_the_window_does_not_refresh_for_its_own_commits(qtbot: QtBot, window: MainWindow,
                                                         db: Database,
                                                         demo: CompanyRead) -> None:
    live = window.live
    assert live.listener is not None and live.listener.connected.wait(5)
    assert window.journal_id is not None
    sources: list[str] = []
    window.changesApplied.connect(lambda changes: sources.append(changes.source))
    payments.create(db, demo.id, window.journal_id, PaymentCreate(
        customer_number="C10000", amount=Decimal("-1.00")))
    qtbot.wait(300)
    assert "server" not in sources  # the listener skips the window's own commits


def test_a_server_that_cannot_be_reached_gets_a_plain_message(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No server needed: nothing listens on port 1."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui.settings import Settings

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *args: shown.append(text))
    window = MainWindow(Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert not window.open_target("postgresql+psycopg://anna:secret@127.0.0.1:1/books")
    assert len(shown) == 1 and "cannot be reached" in shown[0]
    assert "secret" not in shown[0] and "anna:***@127.0.0.1:1/books" in shown[0]
    assert window.db is None

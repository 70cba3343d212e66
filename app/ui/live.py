"""Live refresh on a server book: other users' commits appear by themselves.

``install(window)`` follows the window's database (``databaseReady``). On a PostgreSQL book it
starts the NOTIFY listener (app/db/listen.py), which publishes other clients' change-sets on
the database (``Database.publish``); the window hears them through its own database listener
(``MainWindow._listen``, queued to the GUI thread) like any change made outside its gateway,
and each pane re-reads what the change touches. A SQLite file needs no listener: the window
polls its ``ChangeWatcher``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:  # the database layers load after the first paint (DESIGN.md 7)
    from app.db import Database
    from app.db.listen import Listener


class LiveRefresh(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.db: Database | None = None
        self.listener: Listener | None = None
        window.databaseReady.connect(self._follow)
        window.destroyed.connect(self.detach)

    def _follow(self) -> None:
        db = self.window.db
        if db is not self.db:
            self.attach(db)

    def attach(self, db: Database | None) -> None:
        self.detach()
        if db is None or db.is_sqlite:
            return
        from app.db.listen import start_listening

        self.db = db
        self.listener = start_listening(db)

    def detach(self, *_args: Any) -> None:
        if self.listener is not None:
            self.listener.stop()
        self.db, self.listener = None, None


def install(window: Any) -> LiveRefresh:
    """Make the window follow other clients' changes; returns the object doing it."""
    return LiveRefresh(window)

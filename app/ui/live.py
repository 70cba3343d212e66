"""Live refresh in the window: other users' and processes' commits appear by themselves.

``install(window)`` follows the window's database (``databaseReady``). On a PostgreSQL book it
starts the NOTIFY listener (app/db/listen.py) and listens on the database's change-sets
(``Database.add_listener``), which hear the window's own commits and those the listener
publishes. (A SQLite file is left to the window's own change path, which the change-path
work gives a ``ChangeWatcher``.) Change-sets arrive in any thread; a queued signal brings
them to the GUI thread, where the bursts of one moment are merged and the window reads
everything again once. The window's own commits (source ``local``) are left to its own
change path.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.db import Database
from app.db.listen import Listener, start_listening
from app.domain.changes import ChangeSet

COALESCE_MS = 50


class LiveRefresh(QObject):
    arrived = Signal(object)  # a ChangeSet, from any thread

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.db: Database | None = None
        self.listener: Listener | None = None
        self.pending: ChangeSet = ChangeSet()
        self.refreshes = 0
        self.arrived.connect(self._queue, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._apply)
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
        self.db = db
        db.add_listener(self._on_change)
        self.listener = start_listening(db)

    def detach(self, *_args: Any) -> None:
        if self.db is not None:
            self.db.remove_listener(self._on_change)
        if self.listener is not None:
            self.listener.stop()
        self.db, self.listener = None, None

    def _on_change(self, changes: ChangeSet) -> None:
        if changes.source != "local":  # any thread: hand it to the GUI thread
            self.arrived.emit(changes)

    def _queue(self, changes: ChangeSet) -> None:
        self.pending = self.pending.merge(changes)
        if not self._timer.isActive():
            self._timer.start()

    def _apply(self) -> None:
        if not self.pending or self.window.db is None:
            return
        self.pending = ChangeSet()
        self.refreshes += 1
        self.window.refresh_all()


def install(window: Any) -> LiveRefresh:
    """Make the window follow other clients' changes; returns the object doing it."""
    return LiveRefresh(window)

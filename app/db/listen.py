"""Live refresh on PostgreSQL: other clients' commits, heard through LISTEN/NOTIFY.

Every commit on a server book sends its change-set with ``pg_notify('ledgerdesk', ...)`` in
the committing transaction (app/db/changes.py ``log``): the server delivers it at commit,
never for a rollback. ``start_listening(db)`` opens one autocommit psycopg connection of its
own, ``LISTEN``s in a daemon thread and hands every change-set from another origin to
``db.publish`` (so the same listeners hear it as hear local commits; a GUI bridges them to
its thread). Notifications are not replayed to a client that was not listening: after a
lost connection the thread reconnects with a growing pause and then publishes
``ChangeSet.everything(source="server")`` so everything is read again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from typing import TYPE_CHECKING, Any

from app.db.changes import CHANNEL
from app.domain.changes import ChangeSet

if TYPE_CHECKING:
    from app.db.database import Database

log = logging.getLogger(__name__)
SOURCE = "server"
BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)  # seconds between reconnection attempts
POLL = 0.25  # how often the thread looks whether it should stop


class Listener:
    """One listening connection and its thread; ``stop()`` ends both."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._stop = threading.Event()
        self.connected = threading.Event()  # set while LISTEN is in force (tests wait on it)
        self.reconnects = 0
        self._thread = threading.Thread(target=self._run, name="ledgerdesk-listen", daemon=True)

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _connect(self) -> Any:
        engine = self.db.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        connection = engine.dialect.loaded_dbapi.connect(*cargs, **cparams)
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _run(self) -> None:
        attempt = 0
        lost = False
        while not self._stop.is_set():
            try:
                connection = self._connect()
            except Exception as exc:  # the server is away: try again, a little later each time
                log.info("listening for changes: cannot connect (%s)", exc)
                self._stop.wait(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                attempt += 1
                lost = True
                continue
            attempt = 0
            self.connected.set()
            if lost:  # nothing is replayed: whatever happened meanwhile, read it all again
                self.reconnects += 1
                self._deliver(ChangeSet.everything(source=SOURCE))
                lost = False
            try:
                while not self._stop.is_set():
                    for notify in connection.notifies(timeout=POLL):
                        self._heard(notify.payload)
            except Exception as exc:  # the connection broke: reconnect
                log.info("listening for changes: connection lost (%s)", exc)
                lost = True
            finally:
                self.connected.clear()
                with contextlib.suppress(Exception):  # already broken
                    connection.close()

    def _heard(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            if data.get("origin") == self.db.origin:
                return  # our own commit: its listeners heard it already
            changes = ChangeSet.from_dict(data["changes"]).with_source(SOURCE)
        except (ValueError, KeyError, TypeError):
            log.warning("listening for changes: a notification that is not a change-set")
            return
        self._deliver(changes)

    def _deliver(self, changes: ChangeSet) -> None:
        try:
            self.db.publish(changes)
        except Exception:  # a listener's bug must not end the listening
            log.exception("a change listener failed")


def start_listening(db: Database) -> Listener | None:
    """Listen for other clients' commits on a PostgreSQL book (None on SQLite: there
    ``ChangeWatcher`` polls). The listener stops when the database is closed."""
    if db.engine.dialect.name != "postgresql":
        return None
    listener = Listener(db).start()
    db.on_close(listener.stop)
    return listener

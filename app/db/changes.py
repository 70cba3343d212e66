"""Change capture: every write transaction turns into one ``ChangeSet`` at commit.

Services do not build change-sets by hand. While a transaction is open its collector hears
two things:
- the ORM flush (``after_flush``): the records added, changed and deleted, with their
  company, journal and id;
- every INSERT, UPDATE or DELETE the connection runs (``before_cursor_execute``, and
  ``note_statement`` for the raw ``executemany`` of bulk writes): the kind from the table.
A service may narrow the company with ``note(session, company_id=...)``.

At commit the change-set is written to ``change_log`` (inside the same transaction, so it
exists exactly when the change does), then handed to the in-process listeners
(``Database.add_listener``) and to a ``capture()`` open in the committing thread: that is how
the GUI's gateway learns what its call changed. ``ChangeWatcher`` reads the rows other
handles wrote: another process on the same file, the API server, another user.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, event, insert, select, text
from sqlalchemy.orm import Session

from app.domain.changes import ChangeSet, Kind

if TYPE_CHECKING:
    from app.db.database import Database

TABLE_KINDS: dict[str, Kind] = {
    "company": Kind.COMPANY,
    "number_series": Kind.NUMBER_SERIES,
    "account": Kind.ACCOUNT,
    "customer": Kind.CUSTOMER,
    "sales_invoice": Kind.INVOICE,
    "journal": Kind.JOURNAL,
    "payment": Kind.PAYMENT,
    "gl_register": Kind.LEDGER,
    "gl_entry": Kind.LEDGER,
    "cust_ledger_entry": Kind.LEDGER,
    "detailed_cust_ledg_entry": Kind.LEDGER,
    "payment_application": Kind.APPLICATION,
    "customer_bank_account": Kind.BANK_ACCOUNT,
}
# Tables whose writes are bookkeeping of the change mechanism itself.
QUIET_TABLES = frozenset({"change_log", "alembic_version"})
KEEP_ROWS = 2000  # change_log rows kept; a watcher further behind re-reads everything
_WRITE = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
                    r"\s+\"?(\w+)\"?", re.IGNORECASE)
_INFO_KEY = "ledgerdesk.changes"
CHANNEL = "ledgerdesk"  # PostgreSQL's NOTIFY channel of committed change-sets
NOTIFY_LIMIT = 7900  # bytes; PostgreSQL refuses a payload of 8,000 or more


def notify_payload(origin: str, changes: ChangeSet) -> str:
    """What NOTIFY carries: the origin (listeners skip their own) and the change-set, its id
    hints dropped if they would not fit."""
    body = changes.to_json()
    if len(body) > NOTIFY_LIMIT - 100:
        body = changes.to_json(max_ids=0)
    return f'{{"origin":"{origin}","changes":{body}}}'


@dataclass
class Collector:
    """What one transaction has written so far."""

    kinds: set[Kind] = field(default_factory=set)
    companies: set[uuid.UUID] = field(default_factory=set)
    journals: set[uuid.UUID] = field(default_factory=set)
    ids: set[uuid.UUID] = field(default_factory=set)
    unknown_company: bool = False
    unknown_journal: bool = False
    unknown_ids: bool = False
    scope_company: uuid.UUID | None = None
    flushing: bool = False  # the ORM is flushing: record() tells more than table()

    def table(self, name: str) -> None:
        """A statement wrote to ``name``: its kind, nothing more precise."""
        if name in QUIET_TABLES or self.flushing:
            return
        kind = TABLE_KINDS.get(name, Kind.OTHER)
        self.kinds.add(kind)
        self.unknown_company = True
        self.unknown_ids = True
        if kind is Kind.PAYMENT or kind is Kind.JOURNAL:
            self.unknown_journal = True

    def record(self, obj: Any) -> None:
        """The ORM flushed ``obj``: its kind, company, journal and id."""
        name = getattr(getattr(obj, "__table__", None), "name", None)
        if name is None or name in QUIET_TABLES:
            return
        kind = TABLE_KINDS.get(name, Kind.OTHER)
        self.kinds.add(kind)
        company = obj.id if kind is Kind.COMPANY else getattr(obj, "company_id", None)
        if isinstance(company, uuid.UUID):
            self.companies.add(company)
        journal = obj.id if kind is Kind.JOURNAL else getattr(obj, "journal_id", None)
        if isinstance(journal, uuid.UUID):
            self.journals.add(journal)
        if isinstance(getattr(obj, "id", None), uuid.UUID):
            self.ids.add(obj.id)

    def change_set(self, source: str = "local") -> ChangeSet:
        if not self.kinds:
            return ChangeSet()
        company: uuid.UUID | None = self.scope_company
        if company is None and len(self.companies) == 1 and not self.unknown_company:
            company = next(iter(self.companies))
        return ChangeSet(
            frozenset(self.kinds), company,
            frozenset() if self.unknown_journal else frozenset(self.journals),
            frozenset() if self.unknown_ids else frozenset(self.ids), source)


def collector_of(session: Session) -> Collector | None:
    found = session.info.get(_INFO_KEY)
    return found if isinstance(found, Collector) else None


def note(session: Session, *, company_id: uuid.UUID | None = None,
         kinds: tuple[Kind, ...] = ()) -> None:
    """A service says what its transaction concerns: the company (narrows the change-set
    when Core statements left it unknown) or kinds no statement shows."""
    found = collector_of(session)
    if found is None:
        return
    if company_id is not None:
        found.scope_company = company_id
    found.kinds.update(kinds)


def note_statement(connection: Any, sql: str) -> None:
    """A raw DBAPI write on ``connection`` (bulk ``executemany``): record its table."""
    found = connection.info.get(_INFO_KEY)
    match = _WRITE.match(sql)
    if isinstance(found, Collector) and match:
        found.table(match.group(1).lower())


def install(engine: Any) -> None:
    """Listen to every statement of the engine (once per engine)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any,
                   _many: bool) -> None:
        found = conn.info.get(_INFO_KEY)
        if isinstance(found, Collector):
            match = _WRITE.match(statement)
            if match:
                found.table(match.group(1).lower())


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    found = collector_of(session)
    if found is not None:
        found.flushing = True


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    found = collector_of(session)
    if found is None:
        return
    found.flushing = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        found.record(obj)


@contextmanager
def collecting(session: Session) -> Iterator[Collector]:
    """Attach a collector to the session and to its connection for one transaction."""
    found = Collector()
    session.info[_INFO_KEY] = found
    connection = session.connection()
    connection.info[_INFO_KEY] = found
    try:
        yield found
    finally:
        session.info.pop(_INFO_KEY, None)
        connection.info.pop(_INFO_KEY, None)


def log(session: Session, origin: str, changes: ChangeSet) -> None:
    """Write the change-set into ``change_log`` in the committing transaction; keep only the
    newest ``KEEP_ROWS`` rows."""
    from app.db.models import ChangeLog, utc_now

    connection = session.connection()
    found = connection.info.pop(_INFO_KEY, None)  # our own bookkeeping is not a change
    try:
        body = changes.to_json()
        if connection.dialect.name == "postgresql":
            # Live refresh (app/db/listen.py): NOTIFY in the same statement as the log row,
            # one round trip; the server delivers it at commit, and never on rollback.
            new_id = connection.execute(text(
                "INSERT INTO change_log (origin, changes, committed_at) "
                "SELECT :origin, :changes, :at FROM (SELECT pg_notify(:channel, :payload)) "
                "AS notified RETURNING id"),
                {"origin": origin, "changes": body, "at": utc_now().replace(tzinfo=None),
                 "channel": CHANNEL, "payload": notify_payload(origin, changes)}).scalar_one()
        else:
            new_id = connection.execute(insert(ChangeLog).values(
                origin=origin, changes=body).returning(ChangeLog.id)).scalar_one()
        if new_id % 100 == 0:
            connection.execute(delete(ChangeLog).where(ChangeLog.id <= new_id - KEEP_ROWS))
    finally:
        if found is not None:
            connection.info[_INFO_KEY] = found


class Captures(threading.local):
    """The ``capture()`` boxes open in this thread, innermost last."""

    def __init__(self) -> None:
        self.boxes: list[CapturedChanges] = []


@dataclass
class CapturedChanges:
    changes: ChangeSet = field(default_factory=ChangeSet)


class ChangeWatcher:
    """Reads the change-sets that other handles committed since the last ``poll()``.

    On SQLite ``PRAGMA data_version`` tells, without reading any table, whether another
    connection committed; only then is ``change_log`` read. Polling is cheap enough for a
    timer of a second or less. A watcher that fell behind by more than the rows kept gets
    ``ChangeSet.everything``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection = db.engine.connect()
        self._version = self._data_version()
        self._last_id = self._max_id()

    def _data_version(self) -> int | None:
        if not self.db.is_sqlite:
            return None
        value = self._connection.exec_driver_sql("PRAGMA data_version").scalar()
        self._connection.rollback()
        return int(value) if value is not None else None

    def _max_id(self) -> int:
        from app.db.models import ChangeLog

        value = self._connection.execute(
            select(ChangeLog.__table__.c.id).order_by(ChangeLog.__table__.c.id.desc())
            .limit(1)).scalar()
        self._connection.rollback()
        return int(value or 0)

    def poll(self, source: str = "file") -> list[ChangeSet]:
        """The change-sets other handles committed since the last poll, oldest first.
        Environment problems (the file gone, the server down) come as typed errors."""
        from app.db.errors import translated

        with translated():
            return self._poll(source)

    def _poll(self, source: str) -> list[ChangeSet]:
        from app.db.models import ChangeLog

        if self.db.is_sqlite:
            version = self._data_version()
            if version == self._version:
                return []
            self._version = version
        table = ChangeLog.__table__
        rows = self._connection.execute(
            select(table.c.id, table.c.origin, table.c.changes)
            .where(table.c.id > self._last_id).order_by(table.c.id)).all()
        oldest = self._connection.execute(text("SELECT MIN(id) FROM change_log")).scalar()
        self._connection.rollback()
        if not rows:
            return []
        behind = oldest is not None and self._last_id > 0 and int(oldest) > self._last_id + 1
        self._last_id = int(rows[-1][0])
        if behind:
            return [ChangeSet.everything(source)]
        return [ChangeSet.from_json(changes).with_source(source)
                for _id, origin, changes in rows if origin != self.db.origin]

    def close(self) -> None:
        self._connection.close()

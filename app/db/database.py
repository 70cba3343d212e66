"""Opening a database file: SQLite pragmas, transactions, migrations with a backup first.

``open_database`` is the only way in. It refuses a file that is not a Ledgerdesk database or
that a newer Ledgerdesk wrote, backs a file up before migrating it, and creates a new file
readable by its owner only. Alembic is imported only when a migration is really needed,
which keeps it (0.34 s) off the start-up path of an up-to-date file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.db import changes as change_capture
from app.db.errors import translated
from app.domain.changes import ChangeSet
from app.domain.errors import EnvironmentProblem

# The newest schema this version knows; tests/db/test_migrations.py checks it is Alembic's head.
SCHEMA_HEAD = "0004_change_log"
SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseFileError(EnvironmentProblem):
    """The file cannot be used: not a database, damaged, from a newer version, unwritable."""

    code = "Internal_DatabaseFileError"


def _is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


def _url_for(target: str | Path) -> tuple[str, Path | None]:
    text_target = str(target)
    if "://" in text_target:
        url = make_url(text_target)
        path = Path(url.database).resolve() if url.drivername.startswith("sqlite") and \
            url.database and url.database != ":memory:" else None
        return text_target, path
    path = Path(text_target).expanduser().resolve()
    return f"sqlite:///{path}", path


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # A new (empty) file gets auto_vacuum=INCREMENTAL before its first table, so the
        # pages a posting frees (its journal's lines) are given back (release_free_pages).
        # An existing file is not touched (the setting would need a VACUUM to apply).
        if cursor.execute("PRAGMA page_count").fetchone()[0] == 0:
            cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL",
                       "busy_timeout=5000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock at BEGIN, so two processes never deadlock upgrading
        # a read lock; readers use a deferred (snapshot) transaction.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """A handle on one database: transactions for the services, and what they changed.

    Every write transaction ends in one ``ChangeSet`` (app/db/changes.py): logged in
    ``change_log`` for other processes, handed to ``add_listener`` callbacks (any thread:
    the committing one) and to a ``capture()`` open in the committing thread. Every
    transaction raises environment problems as typed errors (app/db/errors.py)."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self.url = engine.url.render_as_string(hide_password=True)
        self.origin = str(uuid.uuid4())  # this handle's id in change_log
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") \
            if engine.dialect.name == "sqlite" else engine
        self._writer_engine = writer
        self._writer = sessionmaker(writer, expire_on_commit=False)
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._listeners: list[Callable[[ChangeSet], None]] = []
        self._captures = change_capture.Captures()
        change_capture.install(engine)

    # --- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits at the end, rolls everything back on any exception."""
        with translated(), self._writer() as session:
            with session.begin(), change_capture.collecting(session) as collector:
                yield session
                session.flush()
                changes = collector.change_set()
                if changes:
                    change_capture.log(session, self.origin, changes)
            self._published(changes)

    @contextmanager
    def durable_transaction(self) -> Iterator[Session]:
        """A transaction whose commit is on disk before it returns (posting): SQLite runs it
        with ``PRAGMA synchronous=FULL``, which can only be set outside a transaction."""
        if not self.is_sqlite:
            with self.transaction() as session:
                yield session
            return
        with translated(), self._writer_engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA synchronous=FULL")
            # A big posting touches many index pages: keep them in memory (64 MB) rather
            # than spilling them to the WAL half-way.
            raw.execute("PRAGMA cache_size=-65536")
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    with session.begin(), change_capture.collecting(session) as collector:
                        yield session
                        session.flush()
                        changes = collector.change_set()
                        if changes:
                            change_capture.log(session, self.origin, changes)
                    self._published(changes)
            finally:
                raw.execute("PRAGMA synchronous=NORMAL")
                raw.execute("PRAGMA cache_size=-2000")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot; anything written in it is rolled back."""
        with translated(), self._reader() as session, session.begin():
            yield session
            session.rollback()

    # --- what changed ----------------------------------------------------------------------
    def add_listener(self, listener: Callable[[ChangeSet], None]) -> None:
        """Call ``listener(changes)`` after every commit through this handle (in the
        committing thread: a GUI hands it to its own thread)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[ChangeSet], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def capture(self) -> Iterator[change_capture.CapturedChanges]:
        """Collect what the transactions committed by this thread inside change."""
        box = change_capture.CapturedChanges()
        self._captures.boxes.append(box)
        try:
            yield box
        finally:
            self._captures.boxes.remove(box)

    def publish(self, changes: ChangeSet) -> None:
        """Tell the listeners of a change that did not come through a transaction of this
        handle (another process, the server): they re-read what it names."""
        for listener in list(self._listeners):
            listener(changes)

    def _published(self, changes: ChangeSet) -> None:
        if not changes:
            return
        for box in self._captures.boxes:
            box.changes = box.changes.merge(changes)
        self.publish(changes)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating or migrating as needed) the database at a path or SQLAlchemy URL."""
    url, path = _url_for(target)
    if path is not None:
        _prepare_file(path)
    engine = create_engine(url)
    if _is_sqlite_url(url):
        _install_sqlite_pragmas(engine)
    db = Database(engine, path)
    try:
        revision = current_revision(db)
        if revision != SCHEMA_HEAD:
            if not migrate:
                raise DatabaseFileError(
                    f"{_name(db)} is at schema {revision or 'none'}, not {SCHEMA_HEAD}.")
            _migrate(db, revision)
    except SADatabaseError as exc:
        engine.dispose()
        raise DatabaseFileError(f"{_name(db)} cannot be read: {_sqlite_reason(exc)}") from None
    except BaseException:
        engine.dispose()
        raise
    return db


def _name(db: Database) -> str:
    return str(db.path) if db.path else db.url


def database_error_reason(exc: DBAPIError) -> str:
    """A driver error (damaged, read-only, locked file) in the user's words."""
    return _sqlite_reason(exc)


def _sqlite_reason(exc: DBAPIError) -> str:
    reason = str(exc.orig) if exc.orig else str(exc)
    if "not a database" in reason or "malformed" in reason:
        return "the file is damaged or is not a Ledgerdesk database."
    if "readonly" in reason or "read-only" in reason:
        return "the file is read-only."
    if "locked" in reason:
        return "another program holds the file locked."
    return reason


def _prepare_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise DatabaseFileError(f"{path} is a folder, not a database file.")
        if path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_MAGIC:
                raise DatabaseFileError(
                    f"{path} is not a Ledgerdesk database (not an SQLite file).")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The books are private: readable and writable by their owner only.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseFileError(f"Cannot create {path}: {exc.strerror}.") from None


def current_revision(db: Database) -> str | None:
    """The schema revision stamped in the file; None for an empty file."""
    with db.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        if "alembic_version" not in tables:
            if tables - {"sqlite_sequence"}:
                raise DatabaseFileError(
                    f"{_name(db)} is not a Ledgerdesk database (it holds other tables).")
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _migrate(db: Database, revision: str | None) -> None:
    from app.db import migrations  # Alembic: imported only when needed

    if revision is not None and not migrations.is_known(revision):
        raise DatabaseFileError(
            f"{_name(db)} was written by a newer version of Ledgerdesk (schema {revision}). "
            "Install the newer version to open it; this file has not been changed.")
    if revision is not None and db.path is not None:
        backup(db, f"before-{SCHEMA_HEAD}")
    migrations.upgrade(db.engine)


def backup(db: Database, label: str) -> Path:
    """Copy the database file (consistently, with SQLite's backup API) beside itself."""
    assert db.path is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db.path.with_name(f"{db.path.stem}.{stamp}.{label}.backup{db.path.suffix}")
    source = sqlite3.connect(db.path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    shutil.copymode(db.path, target)
    return target

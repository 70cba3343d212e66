"""Opening a database file: SQLite pragmas, transactions, migrations with a backup first.

``open_database`` is the only way in. It refuses a file that is not a Ledgerdesk database or
that a newer Ledgerdesk wrote, backs a file up before migrating it, and creates a new file
readable by its owner only. Alembic is imported only when a migration is really needed,
which keeps it (0.34 s) off the start-up path of an up-to-date file.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.db import changes as change_capture
from app.db import users
from app.db.errors import classify, translated
from app.domain.changes import ChangeSet
from app.domain.errors import DomainError, DriverMissing, EnvironmentProblem

# The newest schema this version knows; tests/db/test_migrations.py checks it is Alembic's head.
SCHEMA_HEAD = "0007_user_ids"
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


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
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
                       f"busy_timeout={int(busy_timeout_ms)}"):
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
        self._on_close: list[Callable[[], None]] = []
        change_capture.install(engine)
        users.install(engine)

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

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the handle is closed (a listener thread stops)."""
        self._on_close.append(callback)

    def close(self) -> None:
        callbacks, self._on_close = self._on_close, []
        for callback in callbacks:
            callback()
        self.engine.dispose()


# How long a writer waits for another program's write lock before giving up (DatabaseBusy).
BUSY_TIMEOUT_MS = 5000


def open_database(target: str | Path, *, migrate: bool = True, create: bool = True,
                  busy_timeout_ms: int | None = None) -> Database:
    """Open (creating or migrating as needed) the database at a path or SQLAlchemy URL.

    ``create=False`` is for commands that only read or change existing books: a missing
    file (or folder) or an empty database is refused, and nothing is created. A file is
    read only (never written, not even switched to WAL) until it is recognised as
    Ledgerdesk's. Every driver or OS error is classified (app/db/errors.py): an environment
    problem is raised as its typed error, naming the file; a bug is left alone."""
    try:
        url, path = _url_for(target)
    except ArgumentError:
        raise DatabaseFileError(f"{target}: this is neither a file name nor a database "
                                "URL.") from None
    where = str(path) if path is not None else _safe_url(url)
    try:
        if path is not None:
            _prepare_file(path, create=create)
        if _is_sqlite_url(url):
            engine = create_engine(url)
        else:
            from app.db import server  # a database server (PostgreSQL)

            engine = server.create_server_engine(url)
    except ModuleNotFoundError as exc:  # the URL's driver (psycopg, pymysql, ...)
        raise DriverMissing(f"{where}: the database driver {exc.name} is not installed."
                            ) from exc
    except Exception as exc:
        raise _located(exc, where) from exc
    if _is_sqlite_url(url):
        _install_sqlite_pragmas(engine, BUSY_TIMEOUT_MS if busy_timeout_ms is None
                                else busy_timeout_ms)
    db = Database(engine, path)
    try:
        revision = current_revision(db)
        if revision is None and not create:
            raise DatabaseFileError(f"{where}: there are no books in this database.")
        if revision != SCHEMA_HEAD:
            if not migrate:
                raise DatabaseFileError(
                    f"{_name(db)} is at schema {revision or 'none'}, not {SCHEMA_HEAD}.")
            if db.is_sqlite:
                _migrate(db, revision)
            else:
                from app.db import server

                server.prepare(db, revision)
    except SADatabaseError as exc:
        engine.dispose()
        if not db.is_sqlite:
            from app.db import server

            raise server.opening_error(db, exc) from None
        raise _located(exc, where) from exc
    except Exception as exc:
        engine.dispose()
        raise _located(exc, where) from exc
    except BaseException:
        engine.dispose()
        raise
    return db


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the database"


def _located(exc: Exception, where: str) -> Exception:
    """The typed error for an environment problem met while opening, naming the file; the
    exception itself when it is typed already or a bug."""
    if isinstance(exc, DomainError):
        return exc
    typed = classify(exc)
    if typed is None:
        return exc
    return typed.with_prefix(where)


def _name(db: Database) -> str:
    return str(db.path) if db.path else db.url


def _prepare_file(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a folder, not a database file.")
    if path.exists():
        if not path.is_file():
            raise DatabaseFileError(f"{path} is not a database file (it is a device, a pipe "
                                    "or a socket).")
        if path.stat().st_size == 0:
            if not create:
                raise DatabaseFileError(f"{path}: there are no books in this database.")
            return
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_MAGIC:
                raise DatabaseFileError(
                    f"{path} is not a Ledgerdesk database (not an SQLite file).")
        _recognise(path)
        return
    if not create:
        raise DatabaseFileError(f"{path}: there is no database file here.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # The books are private: readable and writable by their owner only.
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _recognise(path: Path) -> None:
    """Refuse another program's SQLite file before anything writes to it: read its table
    names on a read-only connection (no pragma, no WAL switch, no journal)."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    _check_tables(tables, str(path))


def _check_tables(tables: set[str], where: str) -> None:
    if "alembic_version" not in tables and tables - {"sqlite_sequence"}:
        raise DatabaseFileError(f"{where} is not a Ledgerdesk database (it holds other "
                                "tables).")


def current_revision(db: Database) -> str | None:
    """The schema revision stamped in the file; None for an empty file."""
    with db.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        _check_tables(tables, _name(db))
        if "alembic_version" not in tables:
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


PARTIAL_BACKUP = ".partial"


def backup(db: Database, label: str) -> Path:
    """Copy the database file (consistently, with SQLite's backup API) beside itself.

    The copy is private (0600) from its first byte and is written under a temporary name,
    renamed to its final name only when complete and on disk; a copy that fails half-way is
    removed, and so are the leftovers of an earlier interrupted backup."""
    assert db.path is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db.path.with_name(f"{db.path.stem}.{stamp}.{label}.backup{db.path.suffix}")
    for leftover in db.path.parent.glob(f".{db.path.stem}.*.backup*{PARTIAL_BACKUP}"):
        leftover.unlink(missing_ok=True)
    partial = db.path.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}{PARTIAL_BACKUP}")
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        source = sqlite3.connect(db.path)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target

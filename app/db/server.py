"""A database server as the book (PostgreSQL): engine, schema management, opening errors.

Several clients share a server database, so none of them migrates it on its own the way a
file is migrated on open (after a backup): ``upgrade`` (``python -m app db upgrade``) creates
or migrates the schema under a server-wide advisory lock, so two upgrades never race, and
``prepare`` (what ``open_database`` calls) creates the schema of an empty database the same
way but refuses one at an older revision with the command to run. A newer revision is
refused as for files.

Passwords are libpq's business: ``.pgpass``, ``PGPASSWORD``, a service file
(``postgresql+psycopg://?service=books``). The URL the app shows or logs never holds one
(``Database.url`` renders it with ``hide_password=True``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.db import users
from app.db.errors import classify
from app.domain.errors import DomainError, EnvironmentProblem, ServerUnavailable

if TYPE_CHECKING:
    from app.db.database import Database

SCHEMA_LOCK = 0x4C44_5343  # advisory lock key of schema changes ("LDSC")


def create_server_engine(url: str) -> Engine:
    """An engine for a server URL: connections checked before use (a server that went away
    and came back is reconnected to), named after the app and its OS user in
    ``pg_stat_activity`` (which the posting lock's message reads)."""
    parsed = make_url(url)
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"application_name": f"Ledgerdesk ({users.os_user()})",
                        "connect_timeout": 10}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def shown(url: str) -> str:
    """A URL as it may be shown or logged: never with a password."""
    return make_url(url).render_as_string(hide_password=True)


def prepare(db: Database, revision: str | None) -> None:
    """Opening a server database not at this version's schema: create an empty one's schema,
    refuse one at another revision with what to do."""
    from app.db import migrations
    from app.db.database import SCHEMA_HEAD, DatabaseFileError

    if revision is None:
        upgrade(db)
        return
    if not migrations.is_known(revision):
        raise DatabaseFileError(
            f"{db.url} was written by a newer version of Ledgerdesk (schema {revision}). "
            "Install the newer version to open it; the database has not been changed.")
    raise DatabaseFileError(
        f"{db.url} is at schema {revision}, older than this version's {SCHEMA_HEAD}. Ask its "
        f"administrator to run: python -m app db upgrade --db {db.url}")


def open_for_upgrade(target: str) -> Database:
    """A handle on a database whatever its schema (for ``upgrade`` and ``roles``); a file is
    prepared as ``open_database`` prepares it."""
    from app.db.database import (
        BUSY_TIMEOUT_MS,
        Database,
        _install_sqlite_pragmas,
        _prepare_file,
        _url_for,
    )

    url, path = _url_for(target)
    if path is not None:
        _prepare_file(path, create=True)
        engine = create_engine(url)
        _install_sqlite_pragmas(engine, BUSY_TIMEOUT_MS)
    else:
        engine = create_server_engine(url)
    db = Database(engine, path)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise opening_error(db, exc) from None
    return db


def upgrade(db: Database) -> tuple[str | None, str]:
    """Create or migrate the schema to this version's, under an advisory lock (a second
    upgrade waits for the first, then finds nothing to do). Returns (before, after)."""
    from app.db import migrations
    from app.db.database import SCHEMA_HEAD, DatabaseFileError, current_revision

    with db.engine.connect() as conn:
        locking = db.engine.dialect.name == "postgresql"
        if locking:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCHEMA_LOCK})
            conn.commit()
        try:
            before = current_revision(db)
            if before is not None and not migrations.is_known(before):
                raise DatabaseFileError(
                    f"{db.url} was written by a newer version of Ledgerdesk (schema {before}); "
                    "it has not been changed.")
            if before != SCHEMA_HEAD:
                if before is not None and db.path is not None:
                    from app.db.database import backup

                    backup(db, f"before-{SCHEMA_HEAD}")
                migrations.upgrade(db.engine)
        finally:
            if locking:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEMA_LOCK})
                conn.commit()
    return before, SCHEMA_HEAD


def opening_error(db: Database, exc: DBAPIError) -> DomainError:
    """A driver error while opening a server database, in one line naming the server."""
    typed = classify(exc)
    where = db.url
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    reason = reason.rsplit("FATAL:", 1)[-1].strip()  # the server's own words, if it spoke
    if typed is None or isinstance(typed, ServerUnavailable):
        lowered = reason.lower()
        if "password" in lowered or "authentication" in lowered or (
                "role" in lowered and "does not exist" in lowered) or "not permitted" in lowered:
            return EnvironmentProblem(f"The database server refused the login for {where} "
                                      f"({reason}): check the user and the password (.pgpass, "
                                      "PGPASSWORD).")
        if "does not exist" in reason:
            return EnvironmentProblem(f"{where}: {reason}.")
        return ServerUnavailable(f"The database server of {where} cannot be reached: {reason}.")
    if isinstance(typed, EnvironmentProblem):
        return type(typed)(f"{typed.message.rstrip('.')} ({where}).")
    return typed

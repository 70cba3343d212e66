"""Who writes: the user every register and journal line records as its last writer.

On PostgreSQL it is the database user the connection logged in as (what the server's own
privileges and roles see); on SQLite, a file with no users of its own, it is the login name
of the operating system user. ``install(engine)`` puts it in each new connection's ``info``
when the connection is made, so columns default to it (``writer``) without a query per row.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from app.db.database import Database

KEY = "ledgerdesk.user"
WIDTH = 50  # the User ID columns' width


def os_user() -> str:
    try:
        return getpass.getuser()[:WIDTH]
    except Exception:  # no login name in some sandboxes
        return ""


def connection_user(dbapi_connection: Any, dialect_name: str) -> str:
    """The user a new DBAPI connection writes as."""
    if dialect_name == "sqlite":
        return os_user()
    info = getattr(dbapi_connection, "info", None)  # psycopg 3: ConnectionInfo
    user = getattr(info, "user", None)
    return str(user)[:WIDTH] if user else os_user()


def install(engine: Engine) -> None:
    name = engine.dialect.name

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        record.info[KEY] = connection_user(dbapi_connection, name)


def writer(context: Any) -> str:
    """Column default (insert and update): the user of the connection running the statement."""
    return str(context.connection.info.get(KEY, ""))


def of(session: Session) -> str:
    """The user a session's transaction writes as."""
    return str(session.connection().info.get(KEY, ""))


def of_database(db: Database) -> str:
    """The user a database handle writes as."""
    with db.engine.connect() as connection:
        return str(connection.info.get(KEY, ""))

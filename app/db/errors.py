"""The one seam where database and file-system errors are told apart from bugs.

After qutebrowser's ``raise_sqlite_error``: a driver error whose code says the environment
is at fault (busy, read-only, disk full, damaged, no permission, server gone, driver
missing) becomes a typed ``EnvironmentProblem`` with a plain message; a stale write becomes
``Conflict``; anything else is a bug and is left alone, so it reaches the crash dialog.
``Database`` runs every transaction through ``translated()``; the CLI, the GUI and the API
call ``classify`` for errors raised outside a transaction (opening a file, an export).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DiskFull,
    DomainError,
    DriverMissing,
    EnvironmentProblem,
    NoPermission,
    ServerUnavailable,
    StaleWrite,
)

BUSY = "The database is locked by another program; try again."
READ_ONLY = "The database cannot be changed: the file or its folder is read-only."
FULL = "The disk is full: nothing was saved. Free some space and try again."
DAMAGED = ("The database file is damaged. Nothing was changed; restore a backup copy "
           "(beside the file) or run the SQLite recovery tool.")
NO_PERMISSION = "You have no permission to open or change the database."
FILE_NO_PERMISSION = "You have no permission to read or write this file or folder."
SERVER_GONE = "The database server cannot be reached; nothing was saved. Try again when it is back."

# SQLite primary result codes (https://sqlite.org/rescode.html): the low byte.
_SQLITE: dict[int, tuple[type[EnvironmentProblem], str]] = {
    3: (NoPermission, NO_PERMISSION),  # SQLITE_PERM
    5: (DatabaseBusy, BUSY),  # SQLITE_BUSY
    6: (DatabaseBusy, BUSY),  # SQLITE_LOCKED
    8: (DatabaseReadOnly, READ_ONLY),  # SQLITE_READONLY
    10: (DatabaseDamaged, "The database file could not be read or written (input/output "
                          "error). Nothing was changed; check the disk."),  # SQLITE_IOERR
    11: (DatabaseDamaged, DAMAGED),  # SQLITE_CORRUPT
    13: (DiskFull, FULL),  # SQLITE_FULL
    14: (NoPermission, "The database file cannot be opened: check that it exists and that "
                       "you may read it."),  # SQLITE_CANTOPEN
    26: (DatabaseDamaged, "The file is not a Ledgerdesk database, or it is damaged."),
}
# PostgreSQL SQLSTATEs (class or full code).
_PG: dict[str, tuple[type[EnvironmentProblem], str]] = {
    "55P03": (DatabaseBusy, "The record is locked by another user; try again."),
    "40P01": (DatabaseBusy, "Another user's change got in the way (deadlock); try again."),
    "25006": (DatabaseReadOnly, "The database server is read-only."),
    "42501": (NoPermission, "Your database role may not do this."),
    "53100": (DiskFull, "The database server's disk is full: nothing was saved."),
    "53": (DiskFull, "The database server is out of resources: nothing was saved."),
    "08": (ServerUnavailable, SERVER_GONE),
    "57P": (ServerUnavailable, SERVER_GONE),
    "28": (NoPermission, "The database server refused the login (user or password)."),
    "3D000": (NoPermission, "The database does not exist on the server."),
}
_OS: dict[int, tuple[type[EnvironmentProblem], str]] = {
    errno.ENOSPC: (DiskFull, FULL),
    errno.EDQUOT: (DiskFull, "Your disk quota is used up: nothing was saved."),
    errno.EROFS: (DatabaseReadOnly, "The disk is read-only."),
    errno.EACCES: (NoPermission, FILE_NO_PERMISSION),
    errno.EPERM: (NoPermission, FILE_NO_PERMISSION),
    errno.EIO: (DatabaseDamaged, "The disk could not be read or written (input/output error)."),
}


def _sqlstate(orig: BaseException) -> str | None:
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return state if isinstance(state, str) else None


def _from_driver(orig: BaseException) -> EnvironmentProblem | None:
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE:
        kind, message = _SQLITE[code & 0xFF]
        return kind(message)
    state = _sqlstate(orig)
    if state:
        for prefix in (state, state[:3], state[:2]):
            if prefix in _PG:
                kind, message = _PG[prefix]
                return kind(message)
    return None


def _no_connection(orig: BaseException, state: str | None) -> bool:
    """A server driver's connection failed (refused, reset, timed out): no SQLSTATE, as the
    server never answered."""
    return (state is None and type(orig).__name__ == "OperationalError"
            and type(orig).__module__.split(".")[0] in ("psycopg", "psycopg2"))


def classify(exc: BaseException) -> DomainError | None:
    """The typed error for an environment problem or a stale write; None for a bug (and
    for a domain error, which is typed already)."""
    if isinstance(exc, DomainError):
        return None
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(exc, StaleDataError):
        return StaleWrite()
    if isinstance(exc, NoSuchModuleError):
        return DriverMissing(f"The database driver is not installed: {exc}.")
    if isinstance(exc, ModuleNotFoundError) and exc.name and exc.name.split(".")[0] in (
            "psycopg", "psycopg2", "pg8000", "pymysql", "MySQLdb"):
        return DriverMissing(f"The database driver {exc.name} is not installed. Install it "
                             "(pip install 'psycopg[binary]') or use a database file.")
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        if orig is None:
            return None
        typed = _from_driver(orig)
        if typed is None and (exc.connection_invalidated
                              or _no_connection(orig, _sqlstate(orig))):
            return ServerUnavailable(SERVER_GONE)
        return typed
    if isinstance(exc, sqlite3.Error):  # the driver used directly (recognising, backups)
        return _from_driver(exc)
    if isinstance(exc, OSError) and exc.errno in _OS:
        kind, message = _OS[exc.errno]
        where = f" ({exc.filename})" if exc.filename else ""
        return kind(message.rstrip(".") + where + ".")
    if isinstance(exc, MemoryError):
        return EnvironmentProblem("Out of memory: nothing was saved.")
    return None


@contextmanager
def translated() -> Iterator[None]:
    """Raise environment problems and stale writes as typed errors; let bugs through."""
    try:
        yield
    except Exception as exc:
        typed = classify(exc)
        if typed is None:
            raise
        raise typed from exc


__all__ = ["BUSY", "DAMAGED", "FULL", "READ_ONLY", "classify", "translated"]

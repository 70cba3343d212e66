"""The posting lock: one poster per journal, and the second one is told who has it.

On PostgreSQL posting takes a transaction-level advisory lock on the journal
(``pg_try_advisory_xact_lock``: never waits; freed at commit, rollback or a lost connection);
when another session holds it, ``pg_locks`` and ``pg_stat_activity`` name that session's
user, and the poster is refused with "Journal BANK is being posted by USER". On SQLite the
posting transaction is ``BEGIN IMMEDIATE`` (the file's one write lock): a second writer waits
at most the busy timeout and then gets ``DatabaseBusy``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.models import Journal
from app.domain.errors import DatabaseBusy

POSTING_KEY = 0x4C44  # "LD": the advisory locks' first key (classid in pg_locks)


def journal_key(journal_id: uuid.UUID) -> int:
    """The advisory lock's second key of a journal: a positive 32-bit number."""
    return journal_id.int & 0x7FFFFFFF


def take_posting_lock(session: Session, journal_id: uuid.UUID) -> None:
    """Take the journal for posting until the transaction ends, or refuse at once."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = journal_key(journal_id)
    taken = session.execute(text("SELECT pg_try_advisory_xact_lock(:a, :b)"),
                            {"a": POSTING_KEY, "b": key}).scalar_one()
    if taken:
        return
    holder = posting_holder(session, journal_id)
    # A column read, not the ORM: the session's objects are loaded only under the lock.
    journal_code = session.execute(select(Journal.code).where(Journal.id == journal_id)
                                   ).scalar() or str(journal_id)
    raise DatabaseBusy(f"Journal {journal_code} is being posted by {holder or 'another user'}; "
                       "try again when that posting is done.")


def posting_holder(session: Session, journal_id: uuid.UUID) -> str | None:
    """The user of the session that holds the journal's posting lock (None if nobody)."""
    row = session.execute(text(
        "SELECT a.usename, a.application_name FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.classid = :a AND l.objid = :b "
        "AND l.objsubid = 2 AND l.granted AND l.pid <> pg_backend_pid()"),
        {"a": POSTING_KEY, "b": journal_key(journal_id)}).first()
    if row is None:
        return None
    user, application = str(row[0] or ""), str(row[1] or "")
    login = application.removeprefix("Ledgerdesk ").strip("()") \
        if application.startswith("Ledgerdesk (") else ""
    return f"{user} ({login})" if login and login != user else user or None

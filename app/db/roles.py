"""Group roles on a PostgreSQL book that the server itself enforces (``python -m app db roles``).

- ``ledgerdesk_reader``: reads everything, writes nothing.
- ``ledgerdesk_clerk``: enters and edits journal lines and master data (companies, accounts,
  customers, invoices' records, journals, number series, applications), and deletes lines;
  has no INSERT, UPDATE or DELETE on the ledgers (``gl_register``, ``gl_entry``,
  ``cust_ledger_entry``, ``detailed_cust_ledg_entry``), so it can neither post nor reverse:
  the server refuses the posting's first ledger row (SQLSTATE 42501) and the posting service
  says "Your role may enter lines but not post."
- ``ledgerdesk_accountant``: everything.

Each user is a login role granted one of them (``CREATE ROLE anna LOGIN IN ROLE
ledgerdesk_clerk``). The command is idempotent; run it again after ``db upgrade`` (default
privileges also cover tables the owner creates later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from app.db.database import Database

READER, CLERK, ACCOUNTANT = "ledgerdesk_reader", "ledgerdesk_clerk", "ledgerdesk_accountant"
ROLES = (READER, CLERK, ACCOUNTANT)
LEDGER_TABLES = ("gl_register", "gl_entry", "cust_ledger_entry", "detailed_cust_ledg_entry")


def _statements(database: str, tables: list[str]) -> list[str]:
    entry = [t for t in tables if t not in LEDGER_TABLES]
    ledgers = [t for t in tables if t in LEDGER_TABLES]
    out = []
    for role in ROLES:
        out.append(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                   f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$")
        out.append(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
        out.append(f"GRANT USAGE ON SCHEMA public TO {role}")
        out.append(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
        out.append(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {role}")
    # The clerk writes everything but the ledgers.
    if entry:
        out.append(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(entry)} TO {CLERK}")
    if ledgers:
        out.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {', '.join(ledgers)} "
                   f"FROM {CLERK}")
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CLERK}")
    out.append(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ACCOUNTANT}")
    out.append(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ACCOUNTANT}")
    out.append(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {ACCOUNTANT}")
    out.append("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES "
               f"TO {ACCOUNTANT}")
    return out


def create_roles(db: Database) -> list[str]:
    """Create (or bring up to date) the three group roles; returns what it did, in words."""
    from app.db.database import DatabaseFileError

    if db.engine.dialect.name != "postgresql":
        raise DatabaseFileError("Roles need a PostgreSQL database: a file has no users.")
    with db.engine.begin() as conn:
        database = str(conn.execute(text("SELECT current_database()")).scalar_one())
        tables = [str(name) for name in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version' ORDER BY tablename")).scalars()]
        for statement in _statements(database, tables):
            conn.execute(text(statement))
    return [f"{READER}: reads everything.",
            f"{CLERK}: enters and edits lines and master data; may not post or reverse.",
            f"{ACCOUNTANT}: everything.",
            f"Grant one to each user: CREATE ROLE name LOGIN IN ROLE {CLERK}; (in {db.url})"]

"""Whole-database snapshots: every row of every table, for exact before/after checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text

from app.db import Database

STAMP_COLUMNS = ("version", "last_modified")
# The log of committed writes (app/db/changes.py): an undo is a new write, so it adds a row.
WRITE_LOG = "change_log"
NOT_BOOKS = ("alembic_version",)
CUST_LEDGER = ("cust_ledger_entry", "detailed_cust_ledg_entry")
G_L = ("gl_entry", "gl_register")
# Surrogate keys nothing refers to: a restored row gets a new one from the sequence on
# PostgreSQL (SQLite happens to reuse max + 1), so they are not part of what must come back.
SURROGATE_KEYS = {"payment_application": ("id",)}
ENTRY_NUMBER_COLUMNS = ("id", "entry_number", "register_id", "cust_ledger_entry_id",
                        "applied_cust_ledger_entry_id")


def tables(db: Database) -> list[str]:
    """Every table in the file (read from the database itself, so a table a new migration
    adds is covered without a change here)."""
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()
    return sorted(n for n in names if n not in NOT_BOOKS and not n.startswith("sqlite_"))


def dump(db: Database, *, without_stamps: bool = False,
         with_write_log: bool = False,
         entry_numbers: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the books (ledgers included), ids included, in a stable
    order.

    The write log (``change_log``) is left out unless ``with_write_log``: these snapshots
    compare the books before a change and after its undo, and the undo is itself a logged
    write. ``without_stamps`` leaves out version and last_modified: an undone edit is a new
    write, so its version moves on (another window must see that the record changed
    again). ``entry_numbers=False`` leaves out the customer ledger's entry numbers (and the
    references to them): a restored invoice's open entry is a new entry, and entry numbers
    are never reused (Business Central's rule), so only its number differs. The G/L is
    then compared by its balance per account: deleting an invoice and putting it back
    posts its G/L side out and in again under new registers (the G/L never forgets), so
    what must come back is every account's balance, not the rows."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in tables(db):
            if table == WRITE_LOG and not with_write_log:
                continue
            if not entry_numbers and table in G_L:
                if table == "gl_entry":
                    result[table] = [tuple(row) for row in conn.execute(text(
                        "SELECT company_id, account_number, SUM(amount) FROM gl_entry "
                        "GROUP BY company_id, account_number HAVING SUM(amount) <> 0 "
                        "ORDER BY company_id, account_number"))]
                continue
            rows = conn.execute(text(f'SELECT * FROM "{table}"'))
            keys = list(rows.keys())
            renumbered = ENTRY_NUMBER_COLUMNS if not entry_numbers and table in CUST_LEDGER \
                else ()
            surrogate = SURROGATE_KEYS.get(table, ())
            keep = [i for i, k in enumerate(keys)
                    if not (without_stamps and k in STAMP_COLUMNS) and k not in renumbered
                    and k not in surrogate]
            result[table] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
    return result

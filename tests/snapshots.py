"""Whole-database snapshots: every row of every business table, for exact before/after checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from app.db import Database

TABLES = ("company", "number_series", "account", "customer", "sales_invoice", "journal",
          "payment")
STAMP_COLUMNS = ("version", "last_modified")


def dump(db: Database, *, without_stamps: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ids included, in a stable order.

    ``without_stamps`` leaves out version and last_modified: an undone edit is a new write,
    so its version moves on (another window must see that the record changed again)."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(text(f"SELECT * FROM {table}"))
            keys = list(rows.keys())
            keep = [i for i, k in enumerate(keys) if not (without_stamps and k in STAMP_COLUMNS)]
            result[table] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
    return result

"""0008_index_audit: a file at 0007 is backed up, its document-number indexes narrowed, its
entries unchanged, and the ledgers' document-number queries still search by index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from app.db import migrations, open_database
from app.db.database import SCHEMA_HEAD
from app.services import ledgers
from app.services.ledgers import LedgerQuery
from tests.db.test_migration_ledgers import _old_file

_OLD = {"ix_gl_entry_company_id_document_number",
        "ix_cust_ledger_entry_company_id_document_number"}
_NEW = {"ix_gl_entry_document_number", "ix_cust_ledger_entry_document_number"}


def _indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}


def _entries(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT entry_number, company_id, document_number, amount, "
                            "remaining_amount FROM cust_ledger_entry ORDER BY id").fetchall()


def test_a_0007_file_is_backed_up_and_its_indexes_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ids = _old_file(path)
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0007_user_ids")  # the invoices become ledger entries
    engine.dispose()
    assert _indexes(path) >= _OLD and not _NEW & _indexes(path)
    before = _entries(path)
    assert len(before) == 3

    db = open_database(path)
    try:
        backups = list(tmp_path.glob(f"old.*.before-{SCHEMA_HEAD}.backup.sqlite"))
        assert len(backups) == 1 and _indexes(backups[0]) >= _OLD
        assert _indexes(path) >= _NEW and not _OLD & _indexes(path)
        assert _entries(path) == before
        found = ledgers.page_customer_entries(
            db, LedgerQuery(company_id=ids["co1"], document_number="I2"), 0, 10)
        assert [e.document_number for e in found] == ["I2"]
        # The other company's I3 is not found under co1's id, though it is in the index.
        assert ledgers.count_customer_entries(
            db, LedgerQuery(company_id=ids["co1"], document_number="I3")) == 0
    finally:
        db.close()
    with sqlite3.connect(path) as conn:
        for table in ("gl_entry", "cust_ledger_entry"):
            plan = " ".join(row[-1] for row in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE company_id = ? AND "
                "document_number = ?", (ids["co1"].hex, "I2")))
            assert f"ix_{table}_document_number" in plan, plan

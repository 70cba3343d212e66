"""The index audit (benchmarks/README.md, "Index audit"): every index and unique constraint
of the models is in the audit table, and the queries the audit names search by their index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import UniqueConstraint, event

from app.db import Database
from app.db.models import Base
from app.services import ledgers
from app.services.ledgers import LedgerQuery
from tests.services.books import Books, make_books

README = Path(__file__).resolve().parents[2] / "benchmarks" / "README.md"


def _audit_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Index audit")
    return text[start:text.index("\n## ", start)]


def test_every_index_and_unique_constraint_is_in_the_audit() -> None:
    table = _audit_table()
    missing = []
    for t in Base.metadata.sorted_tables:
        for index in t.indexes:
            if f"`{index.name}`" not in table:
                missing.append(str(index.name))
        for constraint in t.constraints:
            if isinstance(constraint, UniqueConstraint):
                columns = ", ".join(c.name for c in constraint.columns)
                if f"`{t.name} unique ({columns})`" not in table:
                    missing.append(f"{t.name} unique ({columns})")
    assert missing == []


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("INV1", "C1", "100.00")
    b.invoice("INV2", "C2", "60.00")
    b.pay("C1", "-100.00", invoice="INV1", document="PAY1")
    b.post()
    return b


def _plans(db: Database, call: Any) -> list[str]:
    """The query plans of the statements ``call`` runs (SQLite's EXPLAIN QUERY PLAN)."""
    plans: list[str] = []

    def spy(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
            executemany: bool) -> None:
        rows = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement,
                                         parameters).fetchall()
        plans.append(" ".join(row[-1] for row in rows))

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)
    return plans


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_the_ledgers_document_number_filter_searches_its_index(books: Books) -> None:
    """The API's and the grids' documentNumber filter (app/services/ledgers.py): the only
    query of the customer ledger's (company_id, document_number) index."""
    for table, count in (("cust_ledger_entry", ledgers.count_customer_entries),
                         ("gl_entry", ledgers.count_gl_entries)):
        query = LedgerQuery(books.company_id, document_number="PAY1")
        found: list[int] = []
        plans = _plans(books.db, lambda f=found, c=count, q=query: f.append(c(books.db, q)))
        assert found == [1 if table == "cust_ledger_entry" else 2]
        assert any(f"INDEX ix_{table}_company_id_document_number (company_id=? AND "
                   "document_number=?)" in plan for plan in plans), plans

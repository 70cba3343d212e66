"""Posting and ledger benchmarks (DESIGN.md section 7). Prints a table; run from the repo root:

    python benchmarks/bench_posting.py [--lines 100000] [--entries 1000000]

Budgets: post a journal of 100,000 lines under 3 s; customer balances over 1,000,000 ledger
entries under 0.5 s. The machine's load average and a raw SQLite insert rate are printed too,
so figures taken on a busy machine can be judged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import open_database
from app.db.models import CustLedgerEntry
from app.services import ledgers, posting
from app.services.ledger_common import BulkTable
from tests.services.books import bulk_journal, make_books


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _raw_sqlite_rate(folder: Path) -> float:
    """Rows/s of a raw sqlite3 executemany into an indexed UUID-keyed table (calibration)."""
    import uuid

    conn = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a INTEGER, b TEXT)")
    rows = [(uuid.uuid4().hex, i, "x" * 20) for i in range(200_000)]
    conn.execute("BEGIN")
    seconds, _ = _timed(lambda: conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows))
    conn.execute("COMMIT")
    conn.close()
    return len(rows) / seconds


def bench_post(folder: Path, lines: int, *, apply: bool) -> tuple[float, float, Any]:
    """Post a journal of ``lines`` lines; returns (post seconds, test report seconds, reg)."""
    path = folder / f"post-{apply}.sqlite"
    db = open_database(path)
    books = make_books(db)
    bulk_journal(books, lines, apply=apply)
    check_seconds, problems = _timed(
        lambda: posting.test_report(db, books.company_id, books.journal_id))
    assert problems == [], problems[:3]
    seconds, register = _timed(lambda: posting.post(db, books.company_id, books.journal_id))
    db.close()
    return seconds, check_seconds, register


def bench_balances(folder: Path, entries: int, customers: int = 1000) -> dict[str, float]:
    """Customer balances over ``entries`` customer ledger entries (10 % open)."""
    path = folder / "balances.sqlite"
    db = open_database(path)
    books = make_books(db)
    bulk_journal(books, 0, customers_count=customers)
    with db.reading() as session:
        from sqlalchemy import select

        from app.db.models import Customer

        ids = [(c.id, c.number) for c in session.scalars(
            select(Customer).where(Customer.company_id == books.company_id))]
    day = date(2026, 1, 1)
    with db.transaction() as session:
        BulkTable(session, CustLedgerEntry.__table__, (
            "company_id", "entry_number", "customer_id", "customer_number", "posting_date",
            "document_type", "document_number", "external_document_number", "description",
            "amount", "remaining_amount", "open", "original_pmt_disc_possible",
            "remaining_pmt_disc_possible", "reversed")).insert(
            (books.company_id, k + 1, ids[k % len(ids)][0], ids[k % len(ids)][1], day,
             "Invoice" if k % 2 == 0 else "Payment", f"D{k:08d}", "", "",
             1000 + k % 997 if k % 2 == 0 else -(1000 + k % 991),
             (1000 + k % 997 if k % 2 == 0 else -(1000 + k % 991)) if k % 10 == 0 else 0,
             k % 10 == 0, 0, 0, False) for k in range(entries))
    with db.reading() as session:
        session.connection().exec_driver_sql("ANALYZE")
    query = ledgers.LedgerQuery(books.company_id, sort="balance", descending=True)
    results = {}
    results["balances, all customers"], balances = _timed(
        lambda: ledgers.balances(db, books.company_id))
    assert len(balances) == len(ids)
    results["balances, first page by balance"], _ = _timed(
        lambda: ledgers.page_customer_balances(db, query, 0, 100))
    results["count customer ledger entries"], _ = _timed(
        lambda: ledgers.count_customer_entries(db, ledgers.LedgerQuery(books.company_id)))
    results["customer entries, page at 500,000"], _ = _timed(
        lambda: ledgers.page_customer_entries(db, ledgers.LedgerQuery(books.company_id),
                                              entries // 2, 100))
    db.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ledgerdesk-bench-"))
    rows: list[tuple[str, str, str]] = []
    try:
        load = os.getloadavg()[0]
        rate = _raw_sqlite_rate(folder)
        for apply, label in ((False, "on account"), (True, "each paying an invoice")):
            seconds, check, register = bench_post(folder, args.lines, apply=apply)
            rows.append((f"test report, {args.lines:,} lines {label}", f"{check:.2f} s", ""))
            written = (register.gl_entry_count + register.cust_entry_count
                       + register.detailed_entry_count)
            rows.append((f"post {args.lines:,} lines {label} ({written:,} entries)",
                         f"{seconds:.2f} s", "3 s"))
        for label, seconds in bench_balances(folder, args.entries).items():
            rows.append((f"{label} ({args.entries:,} entries)", f"{seconds * 1000:.0f} ms",
                         "500 ms" if label.startswith("balances") else ""))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"load average at start: {load:.2f}; raw sqlite3 insert rate (UUID key): "
          f"{rate:,.0f} rows/s")
    print(f"{'work':<{width}}  {'measured':>10}  {'budget':>8}")
    for work, measured, budget in rows:
        print(f"{work:<{width}}  {measured:>10}  {budget:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""History at scale (issue 14): a book of N customer ledger entries imported, posted, balanced.

    python benchmarks/bench_history.py [--entries 100000] [--keep FOLDER]

The book is generated here, deterministically (seed 14): 5,000 customers; N/2 sales invoices
of 10.00 to 5,000.00 with cents, dated 2023-2024, imported open; N/2 payments, one per
invoice, 0-60 days after it, about 20 % of them partial, in ONE journal (line numbers 1000
apart: 10000 apart would pass the 32-bit line number at 214,748 lines) balanced against a
bank account. It is written as a JSON file in the public import format (docs/json-format.md).

Each step runs in its own child process (so its peak RSS is its own, from getrusage):
import the file into a new company, post the journal, per-customer balances (checked against
the generator's own figures). Beside them, in the same run, the floor: raw ``sqlite3``
writing the same rows (read back from the imported file, untimed) into a fresh file with
Ledgerdesk's own schema, indexes and pragmas, in one transaction with ``executemany``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 14
CUSTOMERS = 5_000
RECEIVABLES, BANK = "1200", "2910"
FIRST_DAY, DAYS = date(2023, 1, 1), 730


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def generate(path: Path, entries: int, seed: int = SEED) -> dict[str, int]:
    """Write the book; return each customer's expected balance after posting, in cents."""
    rng = random.Random(seed)
    invoices = entries // 2
    balance = {f"C{k:05d}": 0 for k in range(1, CUSTOMERS + 1)}
    numbers = list(balance)
    with path.open("w", encoding="utf-8") as out:
        w = out.write
        w('{"accounts": [\n')
        w(json.dumps({"number": RECEIVABLES, "displayName": "Customers Domestic",
                      "category": "Assets", "directPosting": False}) + ",\n")
        w(json.dumps({"number": BANK, "displayName": "Bank, Checking",
                      "category": "Assets"}) + "\n],\n")
        w('"numberSeries": [')
        w(json.dumps({"code": "HIST", "description": "History receipts",
                      "startingNumber": "R0000001"}) + "],\n")
        w('"customers": [\n')
        for k, number in enumerate(numbers):
            w(("," if k else "") + json.dumps({
                "number": number, "displayName": f"Customer {number[1:]} Ltd",
                "receivablesAccountNumber": RECEIVABLES}) + "\n")
        w('],\n"salesInvoices": [\n')
        plan: list[tuple[int, int, int]] = []  # (invoice date ordinal, customer, paid cents)
        for k in range(invoices):
            customer = rng.randrange(CUSTOMERS)
            total = rng.randint(1_000, 500_000)
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            w(("," if k else "") + f'{{"number": "I{k + 1:07d}", "customerNumber": '
              f'"{numbers[customer]}", "invoiceDate": "{day.isoformat()}", '
              f'"totalAmountIncludingTax": {_money(total)}}}\n')
            paid = total if rng.random() >= 0.2 else rng.randint(1, total - 1)
            balance[numbers[customer]] += total - paid
            plan.append((day.toordinal() + rng.randint(0, 60), customer, paid))
        w('],\n"value": [{"code": "HIST", "displayName": "History", '
          f'"balancingAccountNumber": "{BANK}", "numberSeriesCode": "HIST", '
          '"customerPayments": [\n')
        for k, (ordinal, customer, paid) in enumerate(plan):
            w(("," if k else "") + f'{{"lineNumber": {1_000 * (k + 1)}, "customerNumber": '
              f'"{numbers[customer]}", "postingDate": '
              f'"{date.fromordinal(ordinal).isoformat()}", "documentNumber": "R{k + 1:07d}", '
              f'"amount": {_money(-paid)}, "appliesToInvoiceNumber": "I{k + 1:07d}"}}\n')
        w("]}]}\n")
    return balance


# --- the steps, each in a child process ------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_import(db_path: Path, book: Path) -> dict[str, Any]:
    from app.db import open_database
    from app.domain.schemas import CompanyCreate
    from app.io import json_io

    db = open_database(db_path)
    start = time.perf_counter()
    summary = json_io.import_file(db, book, new_company=CompanyCreate(name="History"))
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "rss": _peak_mb(), "line": summary.line(),
            "payments": summary.payments}


def step_post(db_path: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from app.db import open_database
    from app.db.models import Company, Journal
    from app.services import posting

    db = open_database(db_path)
    with db.reading() as session:
        company_id = session.scalars(select(Company.id)).one()
        journal_id = session.scalars(select(Journal.id)).one()
    start = time.perf_counter()
    register = posting.post(db, company_id, journal_id)
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "rss": _peak_mb(),
            "entries": register.gl_entry_count + register.cust_entry_count
            + register.detailed_entry_count}


def step_balances(db_path: Path, expected_path: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from app.db import open_database
    from app.db.models import Company, Customer
    from app.domain.money import to_cents
    from app.services import ledgers

    expected = json.loads(expected_path.read_text())
    db = open_database(db_path)
    with db.reading() as session:
        company_id = session.scalars(select(Company.id)).one()
        names = {row[0]: row[1] for row in session.execute(select(Customer.id, Customer.number))}
    times = []
    for _ in range(3):
        start = time.perf_counter()
        balances = ledgers.balances(db, company_id)
        times.append(time.perf_counter() - start)
    db.close()
    got = {names[k]: to_cents(v) for k, v in balances.items()}
    wrong = [n for n, cents in expected.items() if got.get(n, 0) != cents]
    return {"seconds": min(times), "rss": _peak_mb(), "wrong": len(wrong),
            "example": wrong[:3], "customers": len(expected)}


_TABLES = ("account", "number_series", "customer", "sales_invoice", "cust_ledger_entry",
           "detailed_cust_ledg_entry", "journal", "payment")


def step_floor(imported: Path, floor_path: Path) -> dict[str, Any]:
    """Raw sqlite3 writes the rows the import wrote into an empty file of the same schema:
    rows read back in chunks (untimed), inserted with executemany (timed), one transaction,
    the app's pragmas (WAL, synchronous=FULL for a write, foreign keys on)."""
    from app.db import open_database

    open_database(floor_path).close()  # the schema, by the app's own migrations
    source = sqlite3.connect(imported)
    source.execute("PRAGMA query_only=ON")
    conn = sqlite3.connect(floor_path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL",
                   "cache_size=-65536"):
        conn.execute(f"PRAGMA {pragma}")
    company = source.execute("SELECT * FROM company").fetchall()
    names = [d[0] for d in source.execute("SELECT * FROM company LIMIT 0").description]
    conn.execute(f"INSERT INTO company ({', '.join(names)}) "
                 f"VALUES ({', '.join('?' * len(names))})", company[0])
    seconds = 0.0
    rows_written = 0
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    seconds += time.perf_counter() - start
    for table in _TABLES:
        cursor = source.execute(f"SELECT * FROM {table} ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        sql = (f"INSERT INTO {table} ({', '.join(names)}) "
               f"VALUES ({', '.join('?' * len(names))})")
        while chunk := cursor.fetchmany(50_000):
            start = time.perf_counter()
            conn.executemany(sql, chunk)
            seconds += time.perf_counter() - start
            rows_written += len(chunk)
    start = time.perf_counter()
    conn.execute("COMMIT")
    seconds += time.perf_counter() - start
    conn.close()
    source.close()
    return {"seconds": seconds, "rss": _peak_mb(), "rows": rows_written}


def _child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, "--step", *args],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"step {args[0]} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _file_mb(path: Path) -> tuple[float, float]:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0] * page
    conn.close()
    return path.stat().st_size / 1e6, free / 1e6


def run(entries: int, folder: Path) -> None:
    book = folder / f"book-{entries}.json"
    expected_path = folder / f"expected-{entries}.json"
    start = time.perf_counter()
    expected = generate(book, entries)
    expected_path.write_text(json.dumps(expected))
    generated = time.perf_counter() - start
    db_path = folder / f"history-{entries}.sqlite"
    load = os.getloadavg()
    imported = _child("import", str(db_path), str(book))
    size_imported, free_imported = _file_mb(db_path)
    floor = _child("floor", str(db_path), str(folder / f"floor-{entries}.sqlite"))
    posted = _child("post", str(db_path))
    size_posted, free_posted = _file_mb(db_path)
    balances = _child("balances", str(db_path), str(expected_path))
    load_end = os.getloadavg()
    assert balances["wrong"] == 0, balances

    print(f"\n{entries:,} entries ({entries // 2:,} invoices, {entries // 2:,} payment lines, "
          f"{CUSTOMERS:,} customers); JSON {book.stat().st_size / 1e6:.0f} MB generated in "
          f"{generated:.1f} s; load average {load[0]:.2f} -> {load_end[0]:.2f}")
    print(f"  {imported['line']}")
    rows = [
        ("import (read, validate, rules, write)", f"{imported['seconds']:.1f} s",
         f"{imported['rss']:.0f} MB",
         f"{imported['seconds'] / floor['seconds']:.1f}x floor"),
        (f"  floor: raw sqlite3, same {floor['rows']:,} rows", f"{floor['seconds']:.1f} s",
         "", ""),
        (f"post the {entries // 2:,}-line journal ({posted['entries']:,} entries)",
         f"{posted['seconds']:.1f} s", f"{posted['rss']:.0f} MB", ""),
        (f"balances, {balances['customers']:,} customers (checked: 0 wrong)",
         f"{balances['seconds'] * 1000:.0f} ms", f"{balances['rss']:.0f} MB", ""),
        ("file after import (free pages)", f"{size_imported:.0f} MB",
         f"({free_imported:.0f} MB)", ""),
        ("file after posting (free pages)", f"{size_posted:.0f} MB",
         f"({free_posted:.0f} MB)", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"  {'step':<{width}}  {'measured':>9}  {'peak RSS':>9}  ratio")
    for work, measured, rss, ratio in rows:
        print(f"  {work:<{width}}  {measured:>9}  {rss:>9}  {ratio}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--step"]:
        step, *args = argv[1:]
        paths = [Path(a) for a in args]
        result = {"import": step_import, "post": step_post, "balances": step_balances,
                  "floor": step_floor}[step](*paths)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[100_000])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ledgerdesk-history-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for entries in args.entries:
            run(entries, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

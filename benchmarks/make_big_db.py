"""Generate a big Ledgerdesk database: one journal of 1,000,000 lines, 20,000 customers.

    python benchmarks/make_big_db.py /tmp/big.sqlite [--lines 1000000] [--customers 20000]

The company, chart, number series and journal are made through the services (the demo
company plus a journal BIG), so they are exactly what the app writes. The bulk rows go in with
sqlite3 ``executemany`` in one transaction, with the values the services would store: uuid7
ids as 32-digit hex (SQLAlchemy's Uuid on SQLite), amounts in integer cents, version 1, UTC
timestamps, descriptions = customer name. The payment indexes are dropped during the insert
and rebuilt after it (much faster than maintaining six indexes row by row).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import open_database
from app.domain.ids import new_id
from app.domain.schemas import JournalCreate
from app.services import accounts, journals
from app.services.demo import create_demo_company

WORK_DATE = date(2026, 11, 20)
FIRST = ["Adatum", "Trey", "Alpine", "Coho", "Fabrikam", "Contoso", "Litware", "Northwind",
         "Tailspin", "Woodgrove", "Proseware", "Lucerne", "Fourth", "Relecloud", "Margie's",
         "Blue Yonder", "Wingtip", "Humongous", "Datum", "Graphic"]
SECOND = ["Corporation", "Research", "Traders", "Toys", "Bank", "Inc.", "Publishing",
          "Coffee", "Airlines", "Winery", "Importers", "Institute", "Ski House", "Design",
          "Insurance", "Logistics", "Foods", "Electric", "Pharma", "Studios"]
CITIES = ["Atlanta", "Chicago", "Miami", "Seattle", "Boston", "Denver", "Dallas", "Portland"]
BATCH = 50_000


def build(path: Path, lines: int, customer_count: int, seed: int = 1) -> dict[str, float]:
    rnd = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = open_database(path)
    company = create_demo_company(db, work_date=WORK_DATE)
    receivables = next(a for a in accounts.list_all(db, company.id) if a.number == "2310")
    journal = journals.create(db, company.id, JournalCreate(
        code="BIG", display_name="A million receipts", balancing_account_number="2910"))
    db.close()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    cid, jid, rid = company.id.hex, journal.id.hex, receivables.id.hex

    conn.execute("BEGIN")
    customers: list[tuple[str, str, str]] = []
    rows = []
    for index in range(customer_count):
        number = f"K{100000 + index}"
        name = f"{rnd.choice(FIRST)} {rnd.choice(SECOND)} {index}"
        customer_id = new_id().hex
        customers.append((customer_id, number, name))
        rows.append((customer_id, 1, now, cid, number, name, "Company",
                     f"{rnd.randint(1, 999)} Main Street", "", rnd.choice(CITIES), "", "US",
                     f"{rnd.randint(10000, 99999)}", "", "", "", "", "", " ", "Manual", rid))
    conn.executemany(
        "INSERT INTO customer (id, version, last_modified, company_id, number, display_name, "
        "type, address_line1, address_line2, city, state, country, postal_code, phone_number, "
        "email, website, tax_registration_number, currency_code, blocked, application_method, "
        "receivables_account_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    customers_done = time.perf_counter()

    index_sql = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='payment' "
        "AND sql IS NOT NULL")]
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index' "
                                "AND tbl_name='payment' AND sql IS NOT NULL").fetchall():
        conn.execute(f'DROP INDEX "{name}"')
    first_day = WORK_DATE - timedelta(days=729)
    insert = ("INSERT INTO payment (id, version, last_modified, journal_id, line_number, "
              "customer_id, customer_number, contact_id, posting_date, document_number, "
              "external_document_number, amount, applies_to_invoice_id, "
              "applies_to_invoice_number, description, comment) "
              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    batch = []
    for index in range(lines):
        customer_id, number, name = customers[rnd.randrange(customer_count)]
        day = first_day + timedelta(days=index * 730 // lines)
        batch.append((new_id().hex, 1, now, jid, (index + 1) * 10000, customer_id, number, "",
                      day.isoformat(), f"G{1000000 + index}", f"CHK{rnd.randint(1000, 99999)}",
                      -rnd.randint(100, 5_000_000), None, "", name, ""))
        if len(batch) == BATCH:
            conn.executemany(insert, batch)
            batch.clear()
    if batch:
        conn.executemany(insert, batch)
    inserted = time.perf_counter()
    for sql in index_sql:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done = time.perf_counter()
    return {"customers_s": customers_done - started, "lines_s": inserted - customers_done,
            "lines_per_s": lines / (inserted - customers_done),
            "indexes_s": done - inserted, "total_s": done - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    args = parser.parse_args()
    figures = build(args.db, args.lines, args.customers)
    print(f"{args.db}: {args.lines:,} lines in journal BIG, {args.customers:,} customers")
    for key, value in figures.items():
        print(f"  {key:12} {value:12,.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

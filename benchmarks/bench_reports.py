"""Reports on a big book: aged receivables, trial balance, a statement, XLSX and PDF.

    python benchmarks/bench_reports.py --entries 100000     # then --entries 1000000

Builds a book of N customer ledger entries (N/2 invoices and N/2 payments each applying one
invoice in full or in part, 5,000 customers; their detailed entries and G/L entries as
posting writes them) with raw sqlite3 inserts in one transaction, then times each report
beside a bare SQL aggregation over the same rows (the floor), and prints a table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import open_database
from app.domain.schemas import AccountCreate, CompanyCreate
from app.io.reports import writers
from app.io.reports.table import Column, ReportTable, Row
from app.services import accounts, companies, posting, reports

START = date(2024, 1, 1)
DAYS = 730


def build(path: Path, entries: int, customers: int) -> tuple[uuid.UUID, str]:
    db = open_database(path)
    company = companies.create(db, CompanyCreate(name="BIG", display_name="Big Books Ltd."))
    cid = company.id
    for number, name in (("2310", "Customers"), ("2910", "Bank"), ("6110", "Sales")):
        accounts.create(db, cid, AccountCreate(number=number, display_name=name,
                                               direct_posting=number != "2310"))
    posting.set_invoice_account(db, cid, "6110")
    ids = {a.number: a.id.hex for a in accounts.list_all(db, cid)}
    db.close()
    rnd = random.Random(11)
    c = cid.hex
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    now = "2026-01-01 00:00:00"
    customer_ids = [uuid.uuid4().hex for _ in range(customers)]
    conn.executemany(
        "INSERT INTO customer (id, version, last_modified, company_id, number, display_name, "
        "type, address_line1, address_line2, city, state, country, postal_code, phone_number, "
        "email, website, tax_registration_number, currency_code, blocked, application_method, "
        "receivables_account_id) VALUES (?, 1, ?, ?, ?, ?, 'Company', '', '', '', '', '', '', "
        "'', '', '', '', '', ' ', 'Manual', ?)",
        [(k, now, c, f"K{i:05d}", f"Customer {i}", ids["2310"])
         for i, k in enumerate(customer_ids)])
    conn.execute("INSERT INTO gl_register (company_id, number, from_entry_number, "
                 "to_entry_number, journal_code, source_code, created_at, user_id, reversed) "
                 "VALUES (?, 1, 1, ?, 'BIG', 'CASHRCPT', ?, 'bench', 0)", (c, 2 * entries, now))
    register = 1
    invoices = entries // 2
    cust, detail, gl = [], [], []
    gl_no = 0
    for n in range(invoices):
        k = n % customers
        day = START + timedelta(days=rnd.randrange(DAYS))
        due = day + timedelta(days=30)
        total = rnd.randint(1_000, 500_000)
        inv_id, pay_id = 2 * n + 1, 2 * n + 2
        paid = total if rnd.random() < 0.7 else total // 2
        pay_day = min(day + timedelta(days=rnd.randint(0, 90)), START + timedelta(days=DAYS))
        remaining = total - paid
        cust.append((inv_id, c, inv_id, customer_ids[k], f"K{k:05d}", day.isoformat(),
                     "Invoice", f"I{n:07d}", due.isoformat(), total, remaining,
                     int(remaining != 0), register))
        cust.append((pay_id, c, pay_id, customer_ids[k], f"K{k:05d}", pay_day.isoformat(),
                     "Payment", f"P{n:07d}", None, -paid, 0, 0, register))
        detail += [(c, inv_id, "Initial Entry", day.isoformat(), "Invoice", f"I{n:07d}",
                    customer_ids[k], total, None, register),
                   (c, pay_id, "Initial Entry", pay_day.isoformat(), "Payment", f"P{n:07d}",
                    customer_ids[k], -paid, None, register),
                   (c, inv_id, "Application", pay_day.isoformat(), "Payment", f"P{n:07d}",
                    customer_ids[k], -paid, pay_id, register),
                   (c, pay_id, "Application", pay_day.isoformat(), "Payment", f"P{n:07d}",
                    customer_ids[k], paid, inv_id, register)]
        for account, amount, when, doc, kind in (
                ("2310", total, day, f"I{n:07d}", "Invoice"),
                ("6110", -total, day, f"I{n:07d}", "Invoice"),
                ("2910", paid, pay_day, f"P{n:07d}", "Payment"),
                ("2310", -paid, pay_day, f"P{n:07d}", "Payment")):
            gl_no += 1
            gl.append((c, gl_no, register, when.isoformat(), kind, doc, ids[account], account,
                       amount, customer_ids[k], f"K{k:05d}"))
    conn.executemany(
        "INSERT INTO cust_ledger_entry (id, company_id, entry_number, customer_id, "
        "customer_number, posting_date, document_type, document_number, "
        "external_document_number, description, due_date, amount, remaining_amount, open, "
        "original_pmt_disc_possible, remaining_pmt_disc_possible, register_id, reversed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, 0, 0, ?, 0)", cust)
    conn.executemany(
        "INSERT INTO detailed_cust_ledg_entry (company_id, cust_ledger_entry_id, entry_type, "
        "posting_date, document_type, document_number, customer_id, amount, "
        "applied_cust_ledger_entry_id, register_id, unapplied) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", detail)
    conn.executemany(
        "INSERT INTO gl_entry (company_id, entry_number, register_id, posting_date, "
        "document_type, document_number, external_document_number, account_id, "
        "account_number, description, amount, source_type, source_id, source_number, "
        "reversed) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, 'Customer', ?, ?, 0)", gl)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"built {len(cust):,} customer entries, {len(detail):,} detailed entries, "
          f"{len(gl):,} G/L entries in {time.perf_counter() - t0:.1f} s", flush=True)
    return cid, "K00042"


def timed(work: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep the book in this file")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "book.sqlite"
    if path.exists():
        path.unlink()
    cid, customer = build(path, args.entries, args.customers)
    db = open_database(path)
    raw = sqlite3.connect(path)
    as_of = START + timedelta(days=400)
    c = cid.hex
    rows: list[tuple[str, float, float | None, str]] = []

    def bare(sql: str, *params: Any) -> Callable[[], Any]:
        return lambda: raw.execute(sql, params).fetchall()

    aged = timed(lambda: reports.aged_receivables(db, cid, as_of=as_of), args.runs)
    aged_floor = timed(bare(
        "SELECT cust_ledger_entry_id, SUM(amount) FROM detailed_cust_ledg_entry "
        "WHERE company_id = ? AND posting_date <= ? GROUP BY cust_ledger_entry_id "
        "HAVING SUM(amount) <> 0", c, as_of.isoformat()), args.runs)
    rows.append(("aged receivables as of a past date", aged, aged_floor, "< 1 s, < 3x"))
    tb = timed(lambda: reports.trial_balance(db, cid, end=as_of), args.runs)
    tb_floor = timed(bare("SELECT account_id, SUM(amount) FROM gl_entry WHERE company_id = ? "
                          "AND posting_date <= ? GROUP BY account_id", c, as_of.isoformat()),
                     args.runs)
    rows.append(("trial balance", tb, tb_floor, "< 0.5 s"))
    st = timed(lambda: reports.statements(db, cid, start=START, end=as_of,
                                          customer_number=customer), args.runs)
    st_floor = timed(bare(
        "SELECT d.posting_date, d.amount FROM cust_ledger_entry e JOIN "
        "detailed_cust_ledg_entry d ON d.cust_ledger_entry_id = e.id WHERE e.customer_id = "
        "(SELECT id FROM customer WHERE number = ?) AND d.posting_date <= ?", customer,
        as_of.isoformat()), args.runs)
    rows.append(("statement, one customer (balance)", st, st_floor, "< 0.1 s"))
    st_open = timed(lambda: reports.statements(db, cid, start=START, end=as_of,
                                               customer_number=customer, style="open-items",
                                               aging_period="30D"), args.runs)
    rows.append(("statement, one customer (open items, aging)", st_open, st_floor, "< 0.1 s"))

    table = ReportTable("Big Books Ltd.", "Lines", [
        Column("Date", "date"), Column("Document No."), Column("Description"),
        Column("Amount", "amount"), Column("Balance", "amount")])
    from decimal import Decimal
    total = Decimal(0)
    for i in range(100_000):
        amount = Decimal(i % 50_000 + 1) / 100
        total += amount
        table.rows.append(Row((START + timedelta(days=i % DAYS), f"I{i:07d}",
                               f"Invoice {i} to customer {i % 5000}", amount, total)))
    out = Path(folder.name)
    xlsx = timed(lambda: writers.write(table, out / "t.xlsx"), 1)
    csv_time = timed(lambda: writers.write(table, out / "t.csv"), 1)
    rows.append(("XLSX of 100,000 rows (peer: CSV)", xlsx, csv_time, "< 5 s"))
    small = ReportTable(table.company, table.title, table.columns, table.rows[:1000])
    pdf = timed(lambda: writers.write(small, out / "t.pdf"), args.runs)
    small_csv = timed(lambda: writers.write(small, out / "s.csv"), args.runs)
    rows.append(("PDF of a 1,000-line report (peer: CSV)", pdf, small_csv, "< 3 s"))

    print(f"\n{args.entries:,} customer ledger entries, {args.customers:,} customers; "
          f"median of {args.runs}\n")
    print(f"{'work':46} {'measured':>10} {'floor':>10} {'ratio':>7}  budget")
    for name, value, floor, budget in rows:
        ratio = f"{value / floor:.1f}x" if floor else ""
        print(f"{name:46} {value * 1000:8.1f}ms {(floor or 0) * 1000:8.1f}ms {ratio:>7}  "
              f"{budget}")
    db.close()
    raw.close()


if __name__ == "__main__":
    main()

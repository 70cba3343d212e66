"""Bank statement import: parse + match speed and matching accuracy (issue 12). Run from the
repo root:

    python benchmarks/bench_bank.py [--lines 10000] [--invoices 100000] [--customers 5000]

A generated statement of credit lines whose truth is known (which entries each line pays,
and how much) is written in each format (CAMT.053, MT940, OFX, CSV), read back and matched
against the open invoices of a generated company. Prints a table: parse alone (the floor),
matching (indexes + proposals), the ratio, and the accuracy: lines applied exactly right,
lines left for review, wrong applications (by confidence; the goal for High is 0).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from app.db import Database, open_database
from app.db.models import CustLedgerEntry, Customer, CustomerBankAccount, utc_now
from app.domain.bank import StatementLine, make_iban
from app.domain.bank_matching import Confidence
from app.domain.ids import new_id
from app.domain.schemas import AccountCreate, CompanyCreate, JournalCreate
from app.io.bank import read_statement, samples
from app.services import accounts, bank_import, companies, journals

DAY = date(2026, 11, 20)
SURNAMES = ("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "  # noqa: SIM905
            "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
            "Hartmann Lange Schmitt Werner Krause Meier Lehmann Köhler Herrmann König Walter "
            "Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich "
            "Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht "
            "Schuster Simon Ludwig Böhm").split()
TRADES = ("Bau Holz Elektro Metall Druck Logistik Handel Technik Service Immobilien Garten "  # noqa: SIM905
          "Medien Software Optik Textil Möbel Reisen Foods Energie Pharma").split()
FORMS = ("GmbH", "AG", "KG", "GmbH & Co. KG", "e.K.", "Ltd", "Inc.", "OHG")


@dataclass
class Books:
    db: Database
    company_id: uuid.UUID
    journal_id: uuid.UUID
    names: list[str]
    ibans: list[str]
    # entry id -> (customer index, number, remaining cents, discount cents, discount date)
    entries: dict[int, tuple[int, str, int, int, date | None]]
    by_customer: dict[int, list[int]]


def make_books(folder: Path, customers: int, invoices: int, rnd: random.Random) -> Books:
    db = open_database(folder / "bank.sqlite")
    company = companies.create(db, CompanyCreate(
        name="Bench", work_date=DAY, allow_posting_from=date(2026, 1, 1),
        allow_posting_to=date(2026, 12, 31)))
    cid = company.id
    for number, name in (("2310", "Customers"), ("2910", "Bank")):
        accounts.create(db, cid, AccountCreate(number=number, display_name=name))
    journal = journals.create(db, cid, JournalCreate(code="BANK",
                                                     balancing_account_number="2910"))
    names: set[str] = set()
    while len(names) < customers:
        names.add(f"{rnd.choice(SURNAMES)} {rnd.choice(TRADES)} {rnd.choice(FORMS)}"
                  if rnd.random() < 0.6 else
                  f"{rnd.choice(SURNAMES)} & {rnd.choice(SURNAMES)} {rnd.choice(FORMS)}")
    name_list = sorted(names)
    rnd.shuffle(name_list)
    ids = [new_id() for _ in name_list]
    ibans = [make_iban("DE", f"{10000000 + i * 37:08d}{rnd.randrange(10**9, 10**10)}")
             for i in range(customers)]
    now = utc_now()
    entries: dict[int, tuple[int, str, int, int, date | None]] = {}
    by_customer: dict[int, list[int]] = {}
    with db.transaction() as session:
        session.execute(insert(Customer), [
            {"id": ids[i], "version": 1, "last_modified": now, "company_id": cid,
             "number": f"K{10000 + i}", "display_name": name_list[i]}
            for i in range(customers)])
        session.execute(insert(CustomerBankAccount), [
            {"id": new_id(), "version": 1, "last_modified": now, "company_id": cid,
             "customer_id": ids[i], "code": "MAIN", "iban": ibans[i]}
            for i in range(customers) if i % 10 != 0])  # one in ten has no account on file
        rows = []
        for n in range(invoices):
            who = rnd.randrange(customers)
            cents = rnd.randrange(2_000, 900_000)
            posted = DAY - timedelta(days=rnd.randrange(1, 120))
            discount = cents * 2 // 100 if rnd.random() < 0.3 else 0
            disc_date = posted + timedelta(days=rnd.choice((10, 14, 30))) if discount else None
            number = f"{200000 + n}"
            entry_id = n + 1
            entries[entry_id] = (who, number, cents, discount, disc_date)
            by_customer.setdefault(who, []).append(entry_id)
            rows.append({"id": entry_id, "company_id": cid, "entry_number": entry_id,
                         "customer_id": ids[who], "customer_number": f"K{10000 + who}",
                         "posting_date": posted, "document_type": "Invoice",
                         "document_number": number,
                         "external_document_number": f"PO-{rnd.randrange(10**6):06d}"
                         if rnd.random() < 0.2 else "",
                         "amount": Decimal(cents) / 100, "remaining_amount": Decimal(cents) / 100,
                         "open": True, "pmt_discount_date": disc_date,
                         "original_pmt_disc_possible": Decimal(discount) / 100,
                         "remaining_pmt_disc_possible": Decimal(discount) / 100})
        for start in range(0, len(rows), 5000):
            session.execute(insert(CustLedgerEntry), rows[start:start + 5000])
    return Books(db, cid, journal.id, name_list, ibans, entries, by_customer)


def typo(name: str, rnd: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rnd.choice(letters[1:])
    kind = rnd.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1:]  # a letter dropped
    if kind == 1 and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]  # two swapped
    return name[:i] + "x" + name[i + 1:]  # one wrong


KINDS = ("iban+number", "name+number", "number only", "discount", "partial", "several",
         "name typo+number", "iban only", "nothing")
WEIGHTS = (25, 15, 8, 10, 8, 8, 8, 10, 8)


def generate(books: Books, lines: int, rnd: random.Random
             ) -> tuple[list[StatementLine], list[tuple[str, tuple[tuple[int, int], ...]]]]:
    """Credit lines and their truth: (kind, ((entry id, cents applied), ...)); empty = the
    line must not be applied."""
    used: set[int] = set()
    out: list[StatementLine] = []
    truth: list[tuple[str, tuple[tuple[int, int], ...]]] = []
    customers = list(books.by_customer)
    while len(out) < lines:
        kind = rnd.choices(KINDS, WEIGHTS)[0]
        who = rnd.choice(customers)
        free = [e for e in books.by_customer[who] if e not in used]
        if not free:
            continue
        entry = rnd.choice(free)
        _, number, cents, discount, disc_date = books.entries[entry]
        name, iban = books.names[who], books.ibans[who] if who % 10 else ""
        text = rnd.choice(("Rechnung {n}", "RE {n} vom Oktober", "Invoice {n}", "INV{n}",
                           "Rg.-Nr. {n} Kd {k}", "{n}")).format(n=number, k=f"K{10000 + who}")
        paid = cents
        expected: tuple[tuple[int, int], ...] = ((entry, cents),)
        if kind == "name+number":
            iban = ""
        elif kind == "number only":
            iban, name = "", ""
        elif kind == "discount":
            if not discount or disc_date is None or disc_date < DAY:
                continue
            paid = cents - discount
            expected = ((entry, paid),)
        elif kind == "partial":
            paid = cents // 2
            expected = ((entry, paid),)
            text = f"Teilzahlung {number}"
        elif kind == "several":
            more = [e for e in free if e != entry][:2]
            if not more:
                continue
            chosen = [entry, *more]
            paid = sum(books.entries[e][2] for e in chosen)
            expected = tuple((e, books.entries[e][2]) for e in
                             sorted(chosen, key=lambda e: e))
            text = "RE " + ", ".join(books.entries[e][1] for e in chosen)
            used.update(chosen)
        elif kind == "name typo+number":
            iban, name = "", typo(name, rnd)
        elif kind == "iban only":
            if not iban:
                continue
            text = "Danke"
            # Several equal amounts would be a tie (correct to leave); unique here.
        elif kind == "nothing":
            name, iban, text = "PRIVAT", "", "Zahlung"
            expected = ()
        used.add(entry)
        out.append(StatementLine(Decimal(paid) / 100, True, DAY, DAY, counterparty_name=name,
                                 counterparty_iban=iban, remittance=text,
                                 bank_reference=f"B{len(out):07d}"))
        truth.append((kind, expected))
    return out, truth


def _timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        seconds, books = _timed(lambda: make_books(Path(folder), args.customers,
                                                   args.invoices, rnd))
        print(f"books: {args.customers:,} customers, {args.invoices:,} open invoices "
              f"({seconds:.1f} s to make); load average {load:.1f}")
        lines, truth = generate(books, args.lines, rnd)
        debits = [StatementLine(Decimal("9.99"), False, DAY, counterparty_name="Fee",
                                bank_reference=f"F{i}") for i in range(args.lines // 20)]
        statement = samples.statement_of([*lines, *debits])
        print(f"\n{'format':<9}{'bytes':>11}{'parse s':>10}{'match s':>10}{'total s':>10}"
              f"{'match/parse':>13}{'exact':>8}{'review':>8}{'wrong H':>9}{'wrong M':>9}"
              f"{'wrong L':>9}")
        results = {}
        for fmt in ("camt053", "mt940", "ofx", "csv"):
            data = samples.write(statement, fmt)
            parse_s, parsed = _timed(lambda data=data: read_statement(data))
            match_s, plan = _timed(lambda parsed=parsed: bank_import.plan(
                books.db, books.company_id, books.journal_id, parsed))
            credits = [p for p in plan.lines]
            assert len(credits) == len(truth), (fmt, len(credits), len(truth))
            exact = review = 0
            wrong: Counter[str] = Counter()
            per_kind: Counter[tuple[str, str]] = Counter()
            for proposed, (kind, expected) in zip(credits, truth, strict=True):
                got = tuple(sorted((a.entry_id, a.amount) for a in proposed.match.applications)) \
                    if proposed.auto else ()
                want = tuple(sorted(expected))
                if proposed.auto:
                    if got == want:
                        exact += 1
                        per_kind[(kind, "exact")] += 1
                    else:
                        wrong[proposed.match.confidence.label] += 1
                        per_kind[(kind, "wrong")] += 1
                else:
                    review += 1
                    per_kind[(kind, "review" if want else "exact")] += 1
                    if not want:
                        exact += 1  # correctly left alone
            # Medium and Low proposals, had they been applied (min confidence low):
            for proposed, (_kind, expected) in zip(credits, truth, strict=True):
                if not proposed.auto and proposed.match.applications and \
                        not proposed.match.tie:
                    got = tuple(sorted((a.entry_id, a.amount)
                                       for a in proposed.match.applications))
                    if got != tuple(sorted(expected)):
                        wrong["if " + proposed.match.confidence.label] += 1
            n = len(truth)
            print(f"{fmt:<9}{len(data):>11,}{parse_s:>10.3f}{match_s:>10.3f}"
                  f"{parse_s + match_s:>10.3f}{match_s / parse_s:>12.2f}x"
                  f"{exact / n:>8.1%}{review / n:>8.1%}{wrong['High']:>9}"
                  f"{wrong['if Medium']:>9}{wrong['if Low']:>9}")
            results[fmt] = per_kind
        print("\nper kind of line (CAMT.053): exact / left for review / wrong")
        per_kind = results["camt053"]
        for kind in KINDS:
            print(f"  {kind:<18}{per_kind[(kind, 'exact')]:>7}{per_kind[(kind, 'review')]:>7}"
                  f"{per_kind[(kind, 'wrong')]:>7}")
        parsed = read_statement(samples.write(statement, "camt053"))
        plan = bank_import.plan(books.db, books.company_id, books.journal_id, parsed)
        write_s, result = _timed(lambda: bank_import.write(books.db, plan))
        print(f"\nwrite {result.written:,} lines with their applications and keys into the "
              f"journal (one transaction): {write_s:.2f} s ({result.written / write_s:,.0f} "
              f"lines/s)")
        again_s, again = _timed(lambda: bank_import.plan(
            books.db, books.company_id, books.journal_id, parsed))
        print(f"re-import of the same statement: {again.duplicates:,} duplicates found, "
              f"{len(again.new_lines)} new, {again_s:.2f} s")
        _ = Confidence
        books.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

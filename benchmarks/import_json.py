"""Import and export speed of the JSON file (app/io/json_io.py). Prints a table.

    python benchmarks/import_json.py [LINES ...]     (default: 1000 10000)

Each run: the demo company, N payment lines spread over its customers in one journal,
exported; the file then imported into an empty company of a fresh database (validation,
the services' create rules per line, one transaction), then exported again. Last, the
floor: raw ``sqlite3`` inserting the same rows into the same table (see raw_insert_floor).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import open_database
from app.domain.money import to_json_number
from app.domain.schemas import CompanyCreate
from app.io import json_io
from app.services.demo import create_demo_company


def one(lines: int, folder: Path) -> tuple[float, float, float, int]:
    source = open_database(folder / f"source-{lines}.sqlite")
    company = create_demo_company(source, "Bench")
    document = json.loads(json_io.dumps(json_io.export_document(source, company.id)),
                          parse_float=Decimal)
    source.close()
    customers = [c["number"] for c in document["customers"] if c["blocked"] != "All"]
    journal = {"code": "BIG", "balancingAccountNumber": "2910", "customerPayments": [
        {"lineNumber": 10000 * (i + 1), "customerNumber": customers[i % len(customers)],
         "postingDate": "2026-11-20", "documentNumber": f"G{i + 1:07d}",
         "amount": to_json_number(-Decimal(100 + i % 997) / 4)}
        for i in range(lines)]}
    document["value"] = [journal]
    path = folder / f"big-{lines}.json"
    path.write_text(json_io.dumps(document), encoding="utf-8")

    target = open_database(folder / f"target-{lines}.sqlite")
    start = time.perf_counter()
    summary = json_io.import_file(target, path, new_company=CompanyCreate(name="Copy"))
    imported = time.perf_counter() - start
    assert summary.payments == lines
    start = time.perf_counter()
    json_io.export_to_file(target, summary.company.id, folder / f"again-{lines}.json")
    exported = time.perf_counter() - start
    target.close()
    floor = raw_insert_floor(folder / f"target-{lines}.sqlite")
    return imported, exported, path.stat().st_size / 1e6, lines, floor


def raw_insert_floor(path: Path) -> float:
    """Seconds for raw ``sqlite3`` to insert the same payment rows into the same table (same
    indexes, constraints and pragmas), values already in database form: the imported rows
    are read, deleted, then inserted again with one ``executemany`` and committed. No
    parsing, no validation, no rules: a lower bound for the import's write."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    rows = conn.execute("SELECT * FROM payment").fetchall()
    names = [d[0] for d in conn.execute("SELECT * FROM payment LIMIT 0").description]
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM payment")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO payment ({', '.join(names)}) "
                     f"VALUES ({', '.join('?' * len(names))})", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"{'lines':>8} {'import s':>9} {'lines/s':>9} {'export s':>9} {'lines/s':>9} "
          f"{'file MB':>8} {'raw insert s':>13} {'lines/s':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            imported, exported, megabytes, lines, floor = one(size, Path(folder))
            print(f"{lines:>8} {imported:>9.2f} {lines / imported:>9.0f} {exported:>9.2f} "
                  f"{lines / exported:>9.0f} {megabytes:>8.1f} {floor:>13.2f} "
                  f"{lines / floor:>9.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Import and export speed of the JSON file (app/io/json_io.py). Prints a table.

    python benchmarks/import_json.py [LINES ...]     (default: 1000 10000)

Each run: the demo company, N payment lines spread over its customers in one journal,
exported; the file then imported into an empty company of a fresh database (validation,
the services' create rules per line, one transaction), then exported again.
"""

from __future__ import annotations

import json
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
    return imported, exported, path.stat().st_size / 1e6, lines


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"{'lines':>8} {'import s':>9} {'lines/s':>9} {'export s':>9} {'lines/s':>9} "
          f"{'file MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            imported, exported, megabytes, lines = one(size, Path(folder))
            print(f"{lines:>8} {imported:>9.2f} {lines / imported:>9.0f} {exported:>9.2f} "
                  f"{lines / exported:>9.0f} {megabytes:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])

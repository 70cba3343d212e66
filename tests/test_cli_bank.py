"""python -m app bank-import: one summary line; one line and a failing exit on a bad file,
nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.cli import main
from app.db import open_database
from app.services import payments
from app.services.demo import create_demo_company, demo_iban
from tests.conftest import WORK_DATE

SAMPLES = Path(__file__).parent / "io" / "bank_samples"


def _demo(path: Path) -> None:
    db = open_database(path)
    create_demo_company(db, work_date=WORK_DATE)
    db.close()


def _statement(tmp_path: Path) -> Path:
    """A CAMT.053 paying demo invoice 103001 (customer C10000) in full, by IBAN + number."""
    db = open_database(tmp_path / "books.sqlite")
    from app.services import companies, invoices

    company = companies.the_only(db)
    invoice = next(i for i in invoices.list_all(db, company.id) if i.number == "103001")
    db.close()
    text = (SAMPLES / "camt053_v02.xml").read_text()
    text = text.replace("<Amt Ccy=\"EUR\">2450.00</Amt>",
                        f"<Amt Ccy=\"EUR\">{invoice.remaining_amount}</Amt>")
    text = text.replace("DE89370400440532013000", demo_iban(0)).replace("103004", "103001")
    text = text.replace("<BookgDt><Dt>2026-12-02</Dt>", f"<BookgDt><Dt>{WORK_DATE}</Dt>")
    path = tmp_path / "statement.xml"
    path.write_text(text)
    return path


def test_bank_import_summary_and_reimport(tmp_path: Path, capsys: object) -> None:
    db_path = tmp_path / "books.sqlite"
    _demo(db_path)
    statement = _statement(tmp_path)
    args = ["bank-import", str(statement), "--db", str(db_path), "--journal", "cash"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.startswith("4 statement lines read; would import 3 into journal CASH")
    assert main(args) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.startswith("4 statement lines read; imported 3 into journal CASH")
    assert "applied: 1 High" in out and "debits skipped 1" in out
    assert "opening 10,000.00, closing 12,605.30" in out
    assert main(args) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "imported 0 into journal CASH" in out and "duplicates skipped 3" in out


def test_bad_file_one_line_nonzero_nothing_written(tmp_path: Path) -> None:
    db_path = tmp_path / "books.sqlite"
    _demo(db_path)
    bad = tmp_path / "bad.xml"
    bad.write_bytes((SAMPLES / "camt053_v02.xml").read_bytes()[:900])
    done = subprocess.run([sys.executable, "-m", "app", "bank-import", str(bad), "--db",
                           str(db_path), "--journal", "CASH"], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {bad}: line ")
    assert "not well-formed XML" in done.stderr
    db = open_database(db_path)
    from app.services import companies, journals

    company = companies.the_only(db)
    cash = journals.find_by_code(db, company.id, "CASH")
    assert payments.list_all(db, company.id, cash.id) == []
    db.close()


def test_a_device_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    """``bank-import /dev/zero`` read until memory ran out; now one line, at once."""
    _demo(tmp_path / "books.sqlite")
    result = subprocess.run(
        [sys.executable, "-m", "app", "bank-import", "/dev/zero", "--journal", "BANK",
         "--db", str(tmp_path / "books.sqlite")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: /dev/zero is not a regular file (a device, a pipe or a socket): name a bank "
        "statement file."]
    db = open_database(tmp_path / "books.sqlite")
    try:
        from app.services import companies, journals

        company = companies.the_only(db)
        bank = journals.find_by_code(db, company.id, "BANK")
        assert len(payments.list_all(db, company.id, bank.id)) == 7  # nothing written
    finally:
        db.close()

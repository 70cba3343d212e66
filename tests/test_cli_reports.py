"""python -m app report NAME: the formats and the errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

from app.cli import main
from app.db import open_database
from app.services.demo import create_demo_company
from tests.conftest import WORK_DATE


def _demo(path: Path) -> None:
    db = open_database(path)
    create_demo_company(db, work_date=WORK_DATE)
    db.close()


def test_report_formats(tmp_path: Path, capsys: object) -> None:
    path = tmp_path / "books.sqlite"
    _demo(path)
    base = ["report", "--db", str(path)]
    assert main([*base[:1], "trial-balance", *base[1:], "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    lines = out.splitlines()
    assert lines[1] == "Trial Balance" and "Period: up to 2026-11-30" in lines[2]
    total = next(line for line in lines if line.split()[:1] == ["Total"])
    assert total.split()[-1] == "0.00"  # the books balance
    csv_path = tmp_path / "aged.csv"
    assert main(["report", "aged-receivables", "--db", str(path), "--as-of", "2026-11-20",
                 "--period", "1M", "--aging-by", "posting", "-o", str(csv_path)]) == 0
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    assert rows[0][:2] == ["No.", "Name"] and rows[0][-1] == "Balance Due"
    assert rows[-1][1] == "Total"
    assert Decimal(rows[-1][-1]) == sum(Decimal(r[-1]) for r in rows[1:-1])
    xlsx = tmp_path / "balances.xlsx"
    assert main(["report", "customer-balances", "--db", str(path), "-o", str(xlsx)]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A7"].value == "C10000" and sheet["C7"].data_type == "n"
    pdf = tmp_path / "statement.pdf"
    assert main(["report", "statement", "--db", str(path), "--customer", "C10000",
                 "--from", "2026-08-01", "--to", "2026-11-30", "--style", "open-items",
                 "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Customer Statement" in text and "Adatum Corporation" in text
    assert "Page 1 of 1" in text


def test_report_errors_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "books.sqlite"
    _demo(path)
    run = [sys.executable, "-m", "app", "report"]
    bad = subprocess.run([*run, "statement", "--db", str(path), "--customer", "NOPE"],
                         capture_output=True, text=True)
    assert (bad.returncode, bad.stderr) == (1, "error: The Customer NOPE cannot be found.\n")
    formula = subprocess.run([*run, "aged-receivables", "--db", str(path), "--period", "3X"],
                             capture_output=True, text=True)
    assert formula.returncode == 1 and "The date formula '3X' is not valid" in formula.stderr
    extension = subprocess.run([*run, "trial-balance", "--db", str(path), "-o",
                                str(tmp_path / "tb.doc")], capture_output=True, text=True)
    assert extension.returncode == 1 and "no known extension" in extension.stderr
    assert not (tmp_path / "tb.doc").exists()
    stdout = subprocess.run([*run, "customer-balances", "--db", str(path), "-o", "-"],
                            capture_output=True, text=True)
    assert stdout.returncode == 0 and stdout.stdout.startswith("No.,Name,Balance,Overdue")


def test_statement_show_overdue_and_include_reversed(tmp_path: Path) -> None:
    from datetime import date

    from app.services import journals, posting, reports

    path = tmp_path / "books.sqlite"
    _demo(path)
    db = open_database(path)
    from app.services import companies

    (company,) = companies.list_all(db)
    bank = journals.find_by_code(db, company.id, "BANK")
    register = posting.post(db, company.id, bank.id, user_id="tester")
    posting.reverse(db, company.id, register.number, user_id="tester")
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    expected = {flag: reports.statements(db, company.id, start=start, end=end,
                                         include_reversed=flag, show_overdue=True)
                for flag in (False, True)}
    db.close()

    def rows(*extra: str) -> list[list[str]]:
        target = tmp_path / "statement.csv"
        assert main(["report", "statement", "--db", str(path), "--from", "2026-01-01",
                     "--to", "2026-12-31", "-o", str(target), *extra]) == 0
        return list(csv.reader(target.open(encoding="utf-8")))

    def documents(statements: object) -> list[str]:
        return [r.document_number for s in statements.statements  # type: ignore[attr-defined]
                for r in s.rows]

    plain, with_reversed = rows(), rows("--include-reversed")
    assert len(documents(expected[True])) > len(documents(expected[False]))  # the pairs
    assert [r[2] for r in plain[1:] if r[2]] == documents(expected[False])
    assert [r[2] for r in with_reversed[1:] if r[2]] == documents(expected[True])
    overdue = rows("--show-overdue")
    headings = [r for r in overdue if r[3].startswith("Overdue entries ")]
    assert len(headings) == len(expected[False].statements)
    listed = [r[2] for r in overdue[overdue.index(headings[0]) + 1:] if r[2]]
    first = expected[False].statements[0]
    assert first.overdue and listed[:len(first.overdue)] == [o.document_number
                                                             for o in first.overdue]

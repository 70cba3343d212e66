"""python -m app post / reverse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.cli import main
from app.db import open_database
from app.services.demo import create_demo_company
from tests.conftest import WORK_DATE


def _demo(path: Path) -> None:
    db = open_database(path)
    create_demo_company(db, work_date=WORK_DATE)
    db.close()


def test_preview_then_post_then_reverse(tmp_path: Path, capsys: object) -> None:
    path = tmp_path / "books.sqlite"
    _demo(path)
    assert main(["post", "--db", str(path), "--company", "cronus demo", "BANK",
                 "--preview"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "nothing has been posted" in out and "G/L Entry" in out and "14" in out
    assert main(["post", "--db", str(path), "BANK"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    # Registers 1-50 are the demo's 50 invoices (each posts its G/L side).
    assert out.startswith("G/L Register 51 (CASHRCPT, journal BANK): G/L entries 101..114")
    assert main(["reverse", "--db", str(path), "51"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Reversed G/L Register 51; 6 entries reopened." in out


def test_errors_are_one_line_each_with_a_failing_exit(tmp_path: Path) -> None:
    path = tmp_path / "books.sqlite"
    _demo(path)
    run = [sys.executable, "-m", "app", "post", "--db", str(path)]
    empty = subprocess.run([*run, "CASH"], capture_output=True, text=True)
    assert (empty.returncode, empty.stderr) == (1, "error: There is nothing to post.\n")
    unknown = subprocess.run([*run, "NOPE"], capture_output=True, text=True)
    assert unknown.returncode == 1
    assert unknown.stderr == "error: There is no customer payment journal NOPE in this company.\n"
    assert "Traceback" not in unknown.stderr


def test_test_report_lists_problems(tmp_path: Path, capsys: object) -> None:
    from decimal import Decimal

    from app.domain.schemas import PaymentCreate
    from app.services import companies, journals, payments

    path = tmp_path / "books.sqlite"
    _demo(path)
    db = open_database(path)
    company = companies.the_only(db)
    bank = journals.find_by_code(db, company.id, "BANK")
    payments.create(db, company.id, bank.id, PaymentCreate(customer_number="C10000",
                                                           amount=Decimal("5")))
    db.close()
    assert main(["post", "--db", str(path), "BANK", "--test-report"]) == 1
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Line 80000: Amount must be negative in Gen. Journal Line" in out
    assert main(["post", "--db", str(path), "BANK"]) == 1

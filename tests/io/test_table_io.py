"""CSV and XLSX import of customers and open invoices through a column mapping: every row
checked, each error naming its row and column, nothing written on error."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.db import Database
from app.domain.errors import Invalid
from app.domain.schemas import CompanyCreate
from app.io import table_io
from app.io.table_io import Mapping
from app.services import customers, invoices, ledgers
from app.services.importing import ImportRejected
from tests.helpers import dump

HEADERS = ["Cust. No.", "Name", "E-mail", "Invoice", "Date", "Amount", "Open"]
ROWS = [
    ["K1", "Alpine Ski House", "ski@example.com", "F-1", "05.01.2024", "1.250,50", "1.250,50"],
    ["K1", "Alpine Ski House", "ski@example.com", "F-2", "06.01.2024", "99,99", "40,00"],
    ["K2", "Coho Winery", "", "F-3", "07.02.2024", "10,00", ""],
    ["K3", "Fabrikam", "", "", "", "", ""],  # a customer without an open invoice
]
MAPPING = Mapping(
    customers={"number": "Cust. No.", "displayName": "Name", "email": "E-mail"},
    invoices={"number": "Invoice", "customerNumber": "Cust. No.", "invoiceDate": "Date",
              "totalAmountIncludingTax": "Amount", "remainingAmount": "Open"},
    date_format="%d.%m.%Y", decimal_comma=True)


def write_csv(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS) -> Path:
    path.write_text("\n".join(";".join(str(c) for c in row) for row in [headers, *rows]) + "\n",
                    encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rejected(db: Database, path: Path, kind: str, mapping: Mapping = MAPPING) -> list[str]:
    before = dump(db)
    with pytest.raises(ImportRejected) as err:
        table_io.import_table(db, path, kind, mapping, new_company=CompanyCreate(name="T"))
    assert dump(db) == before
    headline, *problems = [e.message for e in err.value.errors]
    assert headline.endswith("nothing was written.")
    return problems


def test_a_csv_of_customers_and_open_invoices(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "open.csv", ROWS)
    summary = table_io.import_table(db, path, "csv", MAPPING,
                                    new_company=CompanyCreate(name="From CSV"))
    assert summary.created["customers"] == 3
    assert summary.created["sales invoices"] == 3
    company = summary.company.id
    by_number = {c.number: c for c in customers.list_all(db, company)}
    assert by_number["K1"].email == "ski@example.com"
    found = {i.number: i for i in invoices.list_all(db, company)}
    assert found["F-1"].total_amount_including_tax == Decimal("1250.50")
    assert found["F-2"].remaining_amount == Decimal("40.00")
    assert found["F-3"].remaining_amount == Decimal("10.00")  # blank: the total
    assert found["F-1"].invoice_date == date(2024, 1, 5)
    balances = ledgers.balances(db, company)
    assert balances[by_number["K1"].id] == Decimal("1290.50")


def test_an_xlsx_with_typed_cells(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "open.xlsx", [
        ["K1", "Alpine", None, "F-1", date(2024, 1, 5), 1250.5, 1000],
        [10030, "Numbered", None, 7001, date(2024, 2, 1), 12, None]])
    mapping = Mapping(MAPPING.customers, MAPPING.invoices)  # typed cells: no formats needed
    summary = table_io.import_table(db, path, "xlsx", mapping,
                                    new_company=CompanyCreate(name="From XLSX"))
    found = {i.number: i for i in invoices.list_all(db, summary.company.id)}
    assert found["F-1"].total_amount_including_tax == Decimal("1250.50")
    assert found["F-1"].remaining_amount == Decimal("1000.00")
    assert found["7001"].customer_number == "10030"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_row_is_checked_and_each_error_names_row_and_column(
        db: Database, tmp_path: Path, kind: str) -> None:
    rows = [
        ["K1", "Alpine", "a" * 81, "F-1", "05.01.2024", "10,00", ""],
        ["K2", "Coho", "", "F-2", "2024-01-05", "zehn", ""],
        ["K1", "Alpine Two", "", "F-3", "05.01.2024", "10,00", ""],
        ["K4", "Four", "", "F-4", "05.01.2024", "10,00", "20,00"],
        ["K5", "Five", "", "F-4", "05.01.2024", "10,00", ""],
    ]
    writer = write_csv if kind == "csv" else write_xlsx
    path = writer(tmp_path / f"bad.{kind}", rows)
    assert rejected(db, path, kind) == [
        'row 2, column "E-mail" (email): The length of email is 81, but it must be less '
        "than or equal to 80 characters.",
        'row 3, column "Date" (invoiceDate): must be a date written DD.MM.YYYY, not '
        "'2024-01-05'.",
        'row 3, column "Amount" (totalAmountIncludingTax): must be an amount, not \'zehn\'.',
        'row 4, column "Name" (displayName): customer K1 has Alpine here in row 2, not '
        "Alpine Two.",
        'row 2 (invoice F-1), column "Cust. No." (customerNumber): Customer K1 is in the '
        "file but could not be imported (see row 2).",
        'row 4 (invoice F-3), column "Cust. No." (customerNumber): Customer K1 is in the '
        "file but could not be imported (see row 2).",
        'row 5 (invoice F-4), column "Open" (remainingAmount): remainingAmount must be '
        "between 0 and the invoice total.",
        'row 6 (invoice F-4), column "Invoice" (number): Sales invoice F-4 appears twice in '
        "the file (also row 5 (invoice F-4)).",
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_mapping_errors(db: Database, tmp_path: Path, kind: str) -> None:
    writer = write_csv if kind == "csv" else write_xlsx
    path = writer(tmp_path / f"m.{kind}", ROWS)
    missing = Mapping({"number": "Cust. No.", "displayName": "Customer name"},
                      {"number": "Invoice", "customerNumber": "Cust. No.",
                       "totalAmountIncludingTax": "Amount"})
    assert rejected(db, path, kind, missing) == [
        'customers: displayName names column "Customer name", which is not in the file.',
        "salesInvoices: invoiceDate is not mapped to a column.",
    ]


def test_mapping_files(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(MAPPING.to_json()))
    assert table_io.read_mapping(path) == MAPPING
    for data, message in (
            ({"customers": {"colour": "C"}}, "customers has no property colour"),
            ({"invoices": {}}, "properties Ledgerdesk does not know: invoices"),
            ({"customers": {}}, "maps no column"),
            ([], "must be a JSON object")):
        path.write_text(json.dumps(data))
        with pytest.raises(Invalid, match=message):
            table_io.read_mapping(path)


def test_files_that_are_not_tables(tmp_path: Path) -> None:
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(Invalid, match="is not an XLSX workbook"):
        table_io.read_table(not_xlsx, "xlsx")
    latin = tmp_path / "l.csv"
    latin.write_bytes("Nr;Name\n1;café\n".encode("latin-1"))
    with pytest.raises(Invalid, match="not a CSV file in UTF-8"):
        table_io.read_table(latin, "csv")


def test_the_preview_reads_rows_as_the_mapping_does(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [*ROWS, ["K9", "Nine", "", "F-9", "soon", "1", ""]])
    headers, rows = table_io.preview(path, "csv", MAPPING, limit=10)
    assert headers == HEADERS
    number, records, problems = rows[0]
    assert problems == []
    assert number == 2 and records["salesInvoices"]["totalAmountIncludingTax"] == Decimal(
        "1250.50")
    assert rows[-1][2] == ['column "Date" (invoiceDate): must be a date written DD.MM.YYYY, '
                           "not 'soon'."]


def test_the_command_line(db: Database, db_path: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    db.close()
    path = write_csv(tmp_path / "open.csv", ROWS)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING.to_json()))
    assert main(["import", str(path), "--format", "csv", "--mapping", str(mapping),
                 "--db", str(db_path), "--company", "Tabled", "--create"]) == 0
    assert "3 customers, 3 sales invoices" in capsys.readouterr().out
    assert main(["import", str(path), "--format", "csv", "--db", str(db_path),
                 "--company", "Tabled"]) == 1
    assert "needs --mapping FILE" in capsys.readouterr().err
    bad = write_csv(tmp_path / "bad.csv", [["K1", "A", "", "F-9", "1.1.2024", "x", ""]])
    assert main(["import", str(bad), "--format", "csv", "--mapping", str(mapping),
                 "--db", str(db_path), "--company", "Tabled"]) == 1
    err = capsys.readouterr().err
    assert 'row 2, column "Amount" (totalAmountIncludingTax): must be an amount' in err


def test_devices_and_binaries_are_refused_before_they_are_read(tmp_path: Path) -> None:
    """``import /dev/zero --format csv`` and ``--mapping /dev/zero`` read forever."""
    with pytest.raises(Invalid, match=r"/dev/zero is not a regular file .* name a CSV file"):
        table_io.read_table(Path("/dev/zero"), "csv")
    with pytest.raises(Invalid, match=r"/dev/zero is not a regular file .* mapping file"):
        table_io.read_mapping(Path("/dev/zero"))
    binary = tmp_path / "mapping.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(Invalid, match="is not a mapping file"):
        table_io.read_mapping(binary)

"""Report writers: XLSX cell types (read back with openpyxl), PDF text (pdftotext), CSV,
the aligned text table, and the safe write."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import Invalid
from app.io.reports import writers
from app.io.reports.table import Column, ReportTable, Row
from app.io.safe_write import UnsafeTarget


def _table(rows: int = 3) -> ReportTable:
    table = ReportTable(
        "CRONUS Demo Ltd.", "Customer Statement",
        [Column("Posting Date", "date"), Column("Document No."), Column("Description"),
         Column("Amount", "amount"), Column("Balance", "amount")],
        options=[("Period", "2026-11-01..2026-11-30"), ("Style", "Balance")],
        printed_at=datetime(2026, 12, 2, 9, 30))
    balance = Decimal(0)
    for i in range(rows):
        amount = Decimal(1234567 + i) / 100
        balance += amount
        table.rows.append(Row((date(2026, 11, 1 + i % 28), f"G{i:05d}",
                               f"Invoice number {i} for Wide World Importers", amount,
                               balance)))
    table.rows.append(Row((None, "", "Total", None, balance), "total"))
    return table


def test_xlsx_cells_are_typed(tmp_path: Path) -> None:
    target = tmp_path / "statement.xlsx"
    assert writers.write(_table(), target) == "xlsx"
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "CRONUS Demo Ltd." and sheet["A2"].value == "Customer Statement"
    assert [c.value for c in sheet[6]] == ["Posting Date", "Document No.", "Description",
                                           "Amount", "Balance"]
    first = sheet[7]
    assert isinstance(first[0].value, datetime) and first[0].value.date() == date(2026, 11, 1)
    assert first[0].number_format == "yyyy-mm-dd"
    assert first[3].value == 12345.67 and first[3].data_type == "n"
    assert first[3].number_format == "#,##0.00"
    assert first[1].data_type == "s"
    total = sheet[10]
    assert total[4].value == pytest.approx(37037.04) and total[4].font.b


def test_csv_plain_numbers_and_iso_dates(tmp_path: Path) -> None:
    target = tmp_path / "statement.csv"
    writers.write(_table(), target)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["Posting Date", "Document No.", "Description", "Amount", "Balance"]
    assert rows[1] == ["2026-11-01", "G00000", "Invoice number 0 for Wide World Importers",
                       "12345.67", "12345.67"]
    assert rows[-1] == ["", "", "Total", "", "37037.04"]


def test_text_table_aligns_amounts() -> None:
    text = writers.to_text(_table())
    lines = text.splitlines()
    assert lines[:3] == ["CRONUS Demo Ltd.", "Customer Statement",
                         "Period: 2026-11-01..2026-11-30; Style: Balance"]
    body = [line for line in lines if line.startswith("2026-11")]
    assert len({len(line) for line in body}) == 1  # right-aligned to the same edge
    assert body[0].endswith("12,345.67  12,345.67")


def test_pdf_page_has_title_pages_and_whole_headers(tmp_path: Path) -> None:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: see ./dev"
    target = tmp_path / "statement.pdf"
    writers.write(_table(150), target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "CRONUS Demo Ltd." in page and "Customer Statement" in page
        assert "Period: 2026-11-01..2026-11-30; Style: Balance" in page
        assert "Printed 2026-12-02 09:30:00" in page
        assert f"Page {number} of {len(pages)}" in page
        # The header repeats on each page, its words whole (never "Postin g").
        assert "Posting" in page and "Document" in page and "Balance" in page
        assert "Postin g" not in page and "Amoun t" not in page
    assert "12,345.67" in pages[0]
    # Amounts right-aligned: the amount column's cells end at the same place.
    lines = [line for line in pages[0].splitlines() if line.strip().startswith("2026-11")]
    ends = {len(line.rstrip()) for line in lines}
    assert len(ends) == 1


def test_safe_write_refuses_links_and_devices(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        writers.write(_table(), link)
    assert real.read_text() == "old"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget, match="not a regular file"):
        writers.write(_table(), fifo)
    with pytest.raises(Invalid, match="extension"):
        writers.write(_table(), tmp_path / "report.doc")
    writers.write(_table(), real)  # a regular file is replaced, no temporary file left
    assert real.read_text().startswith("Posting Date") and sorted(
        p.name for p in tmp_path.iterdir()) == ["link.csv", "pipe.csv", "real.csv"]

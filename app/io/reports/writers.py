"""Writers of a ``ReportTable``: aligned text, CSV, XLSX (XlsxWriter, constant memory, typed
cells) and PDF (reportlab: company, title, options, date printed, page "n of m", headers
repeated on every page and wrapped only between words, columns sized to their content,
amounts right-aligned)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from app.domain.errors import Invalid
from app.io.reports.table import ReportTable, cell_text
from app.io.safe_write import STDOUT, write_with

FORMATS = ("text", "csv", "xlsx", "pdf")


def format_of(target: str | Path | None, explicit: str | None = None) -> str:
    """The format: given, else from the file's extension; text without a file."""
    if explicit:
        if explicit not in FORMATS:
            raise Invalid(f"The format must be one of {', '.join(FORMATS)}.", field="format")
        return explicit
    if target is None or str(target) == STDOUT:
        return "text"
    suffix = Path(target).suffix.lower().lstrip(".")
    if suffix in ("xlsx", "csv", "pdf"):
        return suffix
    if suffix in ("txt", "text"):
        return "text"
    raise Invalid(f"The file {target} has no known extension: use .xlsx, .csv, .pdf or .txt.",
                  field="output")


def write(table: ReportTable, target: str | Path, fmt: str | None = None) -> str:
    """Write the table to a file (safely) or ``-`` (standard output); returns the format."""
    chosen = format_of(target, fmt)
    writer: Callable[[ReportTable, BinaryIO], None] = {
        "text": _text_bytes, "csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}[chosen]
    write_with(target, lambda out: writer(table, out))
    return chosen


# --- text ----------------------------------------------------------------------------------

def to_text(table: ReportTable) -> str:
    header = [c.title for c in table.columns]
    body = [[("  " * row.indent if i == 1 else "") + cell_text(v, c.kind)
             for i, (v, c) in enumerate(zip(row.values, table.columns, strict=True))]
            for row in table.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(w) if col.numeric else cell.ljust(w)
                         for cell, w, col in zip(cells, widths, table.columns,
                                                 strict=True)).rstrip()

    out = [table.company, table.title]
    if table.options:
        out.append(table.options_text())
    out += [f"Printed {table.printed_at.isoformat(sep=' ')}", "", line(header),
            "  ".join("-" * w for w in widths)]
    for row, cells in zip(table.rows, body, strict=True):
        if row.style == "total":
            out.append("  ".join(("-" * w if c.numeric else " " * w)
                                 for w, c in zip(widths, table.columns, strict=True)).rstrip())
        out.append(line(cells))
    return "\n".join(out) + "\n"


def _text_bytes(table: ReportTable, out: BinaryIO) -> None:
    out.write(to_text(table).encode("utf-8"))


# --- CSV -----------------------------------------------------------------------------------

def write_csv(table: ReportTable, out: BinaryIO) -> None:
    """One header row, then the rows; amounts as plain numbers (1234.56), dates ISO."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([c.title for c in table.columns])
        for row in table.rows:
            writer.writerow([cell_text(v, c.kind, grouped=False)
                             for v, c in zip(row.values, table.columns, strict=True)])
        text.flush()
    finally:
        text.detach()


# --- XLSX ----------------------------------------------------------------------------------

def write_xlsx(table: ReportTable, out: BinaryIO) -> None:
    """Typed cells: dates are dates, amounts numbers with two decimals; title rows above,
    the header row frozen."""
    import tempfile

    import xlsxwriter

    # constant_memory streams rows to temporary files: it needs a file name, not a stream.
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "report.xlsx")
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        _fill_workbook(workbook, table)
        workbook.close()
        with open(path, "rb") as done:
            while chunk := done.read(1 << 20):
                out.write(chunk)


def _fill_workbook(workbook: Any, table: ReportTable) -> None:
    sheet = workbook.add_worksheet(table.title[:31])
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                  "valign": "bottom"})
    header_right = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                        "valign": "bottom", "align": "right"})
    formats = {}
    for style in ("data", "heading", "total", "group"):
        weight = {"bold": True} if style != "data" else {}
        top = {"top": 1} if style == "total" else {}
        formats[style] = {
            "amount": workbook.add_format({"num_format": "#,##0.00", **weight, **top}),
            "int": workbook.add_format({"num_format": "0", **weight, **top}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd", **weight, **top}),
            "text": workbook.add_format({**weight, **top}),
        }
    sample = table.rows[:2000]
    for index, column in enumerate(table.columns):
        longest = max([len(w) for w in column.title.split()] + [
            len(cell_text(r.values[index], column.kind)) for r in sample] + [4])
        sheet.set_column(index, index, min(longest + 2, 60))
    sheet.write_string(0, 0, table.company, title)
    sheet.write_string(1, 0, table.title, bold)
    sheet.write_string(2, 0, table.options_text())
    sheet.write_string(3, 0, f"Printed {table.printed_at.isoformat(sep=' ')}")
    first = 5
    for index, column in enumerate(table.columns):
        sheet.write_string(first, index, column.title,
                           header_right if column.numeric else header)
    sheet.freeze_panes(first + 1, 0)
    kinds = [c.kind for c in table.columns]
    epoch = date(1899, 12, 30)
    serials: dict[date, int] = {}  # a date as Excel's day number (dates repeat: once each)
    write_number, write_string = sheet.write_number, sheet.write_string
    for offset, row in enumerate(table.rows, start=first + 1):
        styled = formats[row.style]
        for index, (value, kind) in enumerate(zip(row.values, kinds, strict=True)):
            if value is None or value == "":
                if row.style == "total":
                    sheet.write_blank(offset, index, None, styled[kind])
                continue
            if kind == "amount":
                write_number(offset, index, float(value), styled["amount"])
            elif kind == "int":
                write_number(offset, index, int(value), styled["int"])
            elif kind == "date" and isinstance(value, date):
                serial = serials.get(value)
                if serial is None:
                    serial = serials[value] = (value - epoch).days
                write_number(offset, index, serial, styled["date"])
            else:
                text = str(value)
                if index == 1 and row.indent:
                    text = "  " * row.indent + text
                write_string(offset, index, text, styled["text"])


# --- PDF -----------------------------------------------------------------------------------

PAGE_MARGIN = 36.0  # points (half an inch)
FONT, BOLD, SIZE = "Helvetica", "Helvetica-Bold", 8.0


def write_pdf(table: ReportTable, out: BinaryIO) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    padding = 8.0
    kinds = [c.kind for c in table.columns]
    texts = [[cell_text(v, k) for v, k in zip(row.values, kinds, strict=True)]
             for row in table.rows]
    for row, cells in zip(table.rows, texts, strict=True):
        if row.indent and len(cells) > 1:
            cells[1] = "    " * row.indent + cells[1]
    widths = []
    for index, column in enumerate(table.columns):
        # A header wraps between words only: at least as wide as its widest word.
        word = max(stringWidth(w, BOLD, SIZE) for w in column.title.split() or [""])
        content = max([stringWidth(cells[index], BOLD if row.style != "data" else FONT, SIZE)
                       for row, cells in zip(table.rows, texts, strict=True)] + [0.0])
        widths.append(max(word, min(content, 260.0)) + padding)
    page = A4 if sum(widths) <= A4[0] - 2 * PAGE_MARGIN else landscape(A4)
    room = page[0] - 2 * PAGE_MARGIN
    if sum(widths) > room:  # shrink the text columns (amounts keep their width)
        text_total = sum(w for w, c in zip(widths, table.columns, strict=True)
                         if not c.numeric)
        spare = room - (sum(widths) - text_total)
        factor = max(spare / text_total, 0.2) if text_total else 1.0
        widths = [w if c.numeric else w * factor
                  for w, c in zip(widths, table.columns, strict=True)]
    left = ParagraphStyle("h", fontName=BOLD, fontSize=SIZE, leading=SIZE + 2)
    right = ParagraphStyle("hr", parent=left, alignment=2)
    header = [Paragraph(_escape(c.title), right if c.numeric else left) for c in table.columns]
    data: list[list[Any]] = [header, *texts]
    style = [("FONT", (0, 0), (-1, -1), FONT, SIZE),
             ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
             ("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
             ("LEFTPADDING", (0, 0), (-1, -1), padding / 2),
             ("RIGHTPADDING", (0, 0), (-1, -1), padding / 2)]
    for index, column in enumerate(table.columns):
        if column.numeric:
            style.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    for number, row in enumerate(table.rows, start=1):
        if row.style != "data":
            style.append(("FONT", (0, number), (-1, number), BOLD, SIZE))
        if row.style == "total":
            style.append(("LINEABOVE", (0, number), (-1, number), 0.5, colors.black))
    grid = LongTable(data, colWidths=widths, repeatRows=1, style=TableStyle(style))
    heading_lines = [table.company, table.title, table.options_text()]
    printed = f"Printed {table.printed_at.isoformat(sep=' ')}"

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        top = page[1] - PAGE_MARGIN
        canvas.setFont(BOLD, 12)
        canvas.drawString(PAGE_MARGIN, top, heading_lines[0])
        canvas.setFont(BOLD, 10)
        canvas.drawString(PAGE_MARGIN, top - 14, heading_lines[1])
        canvas.setFont(FONT, SIZE)
        canvas.drawString(PAGE_MARGIN, top - 26, heading_lines[2][:200])
        canvas.drawRightString(page[0] - PAGE_MARGIN, top, printed)
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=page, leftMargin=PAGE_MARGIN,
                                 rightMargin=PAGE_MARGIN, topMargin=PAGE_MARGIN + 40,
                                 bottomMargin=PAGE_MARGIN + 12, title=table.title,
                                 author=table.company)
    document.build([grid], onFirstPage=decorate, onLaterPages=decorate,
                   canvasmaker=_numbered_canvas(page))
    out.write(buffer.getvalue())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numbered_canvas(page: tuple[float, float]) -> Any:
    """A canvas that holds the pages back until the end, to print 'Page n of m'."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, SIZE)
                self.drawRightString(page[0] - PAGE_MARGIN, PAGE_MARGIN,
                                     f"Page {self._pageNumber} of {count}")
                super().showPage()
            super().save()

    return NumberedCanvas

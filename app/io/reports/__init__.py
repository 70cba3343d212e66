"""Report writers (no Qt): a report read model becomes a ``ReportTable`` (tables.py), which
any writer prints: an aligned text table, CSV, XLSX (XlsxWriter) or PDF (reportlab)."""

from app.io.reports.table import Column, ReportTable, Row

__all__ = ["Column", "ReportTable", "Row"]

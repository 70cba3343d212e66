"""Preview Posting and the Test Report.

``PreviewPostingDialog`` shows what posting would write, per table with its count (Business
Central's Posting Preview); choosing a table shows its entries below (drill-down). Nothing is
written. ``TestReportDialog`` lists the journal's problems by line and prints them or saves
them as a PDF.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.domain.ledger_schemas import PostingPreviewRead, ProblemRead
from app.services import journals, posting
from app.ui.posting.models import (
    CUST_FIELDS,
    DETAIL_FIELDS,
    GL_FIELDS,
    PROBLEM_FIELDS,
    Field,
    RowsModel,
    show_value,
)

COUNT_FIELDS = [Field("table", "Related Entries"), Field("count", "No. of Entries", True)]


def _table(parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    # Rows as high as the main window's lists (the style's default is a third taller).
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


class PreviewPostingDialog(QDialog):
    """Posting Preview of a journal: per-table counts, drill down to the entries."""

    def __init__(self, preview: PostingPreviewRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPostingDialog")
        self.setWindowTitle(f"Posting Preview - {preview.journal_code}")
        self.preview = preview
        self.entries: dict[str, tuple[list[Field], Sequence[Any]]] = {
            posting.GL_ENTRY: (GL_FIELDS, preview.gl_entries),
            posting.CUST_LEDGER_ENTRY: (CUST_FIELDS, [*preview.cust_entries,
                                                      *preview.changed_entries]),
            posting.DETAILED_ENTRY: (DETAIL_FIELDS, preview.detailed_entries),
        }
        summary = QLabel(self)
        summary.setObjectName("previewSummary")
        summary.setText(
            f"Posting journal {preview.journal_code} would write G/L Register "
            f"{preview.register_number}: {preview.lines_posted} lines; debit "
            f"{show_value(preview.total_debit)}, credit {show_value(preview.total_credit)}. "
            "Nothing has been posted.")
        summary.setWordWrap(True)
        self.counts = RowsModel(COUNT_FIELDS, preview.counts, self)
        self.counts_view = _table(self, "previewCountsView")
        self.counts_view.setModel(self.counts)
        header = self.counts_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.counts_view.verticalHeader().setDefaultSectionSize(24)
        self.entries_model = RowsModel(GL_FIELDS, [], self)
        self.entries_view = _table(self, "previewEntriesView")
        self.entries_view.setModel(self.entries_model)
        self.entries_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.entries_label = QLabel(self)
        self.entries_label.setObjectName("previewEntriesLabel")
        self.counts_view.selectionModel().selectionChanged.connect(self._chosen)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.counts_view)
        lower = QWidget(splitter)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.entries_label)
        lower_layout.addWidget(self.entries_view)
        splitter.addWidget(lower)
        splitter.setSizes([120, 380])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 560)
        if preview.counts:
            self.counts_view.selectRow(0)

    def show_table(self, table: str) -> None:
        """Drill down: show the planned entries of one table."""
        fields, rows = self.entries[table]
        self.entries_model.fields = list(fields)
        self.entries_model.set_rows(rows)
        text = f"{table}: {len(rows)} entries"
        if table == posting.CUST_LEDGER_ENTRY and self.preview.changed_entries:
            new = len(self.preview.cust_entries)
            text = (f"{table}: {new} new entries, and {len(self.preview.changed_entries)} "
                    "open entries the applications close or reduce (shown as they will be)")
        self.entries_label.setText(text)

    def _chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.show_table(self.preview.counts[indexes[0].row()].table)


def problems_html(journal_code: str, problems: list[ProblemRead]) -> str:
    rows = "".join(
        f"<tr><td align='right'>{p.line_number or ''}</td><td>{html.escape(p.field or '')}"
        f"</td><td>{html.escape(p.message)}</td></tr>" for p in problems)
    verdict = (f"{len(problems)} problem(s) found." if problems
               else "No problems: the journal can be posted.")
    return (f"<h2>General Journal - Test</h2><p>Journal {html.escape(journal_code)}. "
            f"{verdict}</p><table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th>Line No.</th><th>Field</th><th>Problem</th></tr>"
            f"{rows}</table>")


def print_to_pdf(document_html: str, target: Path) -> Path:
    """Print an HTML document to a PDF file (A4, portrait)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait,
                                      QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setHtml(document_html)
    document.print_(printer)
    return target


class TestReportDialog(QDialog):
    """General Journal - Test: every problem of the journal by line; print or save as PDF."""

    __test__ = False  # not a pytest test class

    def __init__(self, db: Database, company_id: uuid.UUID, journal_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testReportDialog")
        self.journal_code = journals.get(db, company_id, journal_id).code
        self.setWindowTitle(f"Test Report - {self.journal_code}")
        from app.ui.models.tables import field_title  # the titles the user sees

        self.problems = [p.model_copy(update={"field": field_title(p.field)})
                         for p in posting.test_report(db, company_id, journal_id)]
        verdict = QLabel(self)
        verdict.setObjectName("testReportVerdict")
        verdict.setText(f"{len(self.problems)} problem(s) found." if self.problems
                        else "No problems: the journal can be posted.")
        self.model = RowsModel(PROBLEM_FIELDS, self.problems, self)
        self.view = _table(self, "testReportView")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        print_button = QPushButton("&Print...", self)
        print_button.setObjectName("printButton")
        print_button.clicked.connect(self.print_report)
        pdf_button = QPushButton("Save as P&DF...", self)
        pdf_button.setObjectName("savePdfButton")
        pdf_button.clicked.connect(self._ask_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(print_button)
        row.addWidget(pdf_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(verdict)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.resize(900, 420)

    def html(self) -> str:
        return problems_html(self.journal_code, self.problems)

    def save_pdf(self, target: Path) -> Path:
        return print_to_pdf(self.html(), target)

    def _ask_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the test report as PDF",
                                              f"test-report-{self.journal_code}.pdf",
                                              "PDF files (*.pdf)")
        if name:
            self.save_pdf(Path(name))

    def print_report(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setHtml(self.html())
            document.print_(printer)

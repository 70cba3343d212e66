"""Reports in the window: a Reports menu opening each report with its options, shown in a
table, with Export to XLSX / CSV, Save as PDF (app/io's writer) and Print Preview; Export
View… writes any table view of the window; and the No. Series dialog.

Wired into the main window by ``install(window)`` (one line); it only needs the window's
``db`` and ``company_id`` and its table views."""

from __future__ import annotations

import uuid
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.domain.errors import DomainError
from app.io.reports import writers
from app.io.reports.catalog import TITLES
from app.io.reports.run import ReportOptions, run
from app.io.reports.table import Column, ReportTable, Row, cell_text

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ReportTableModel(QAbstractTableModel):
    """A ``ReportTable`` in a view: totals and headings bold, amounts right-aligned."""

    def __init__(self, table: ReportTable | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        column = self.table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        row = self.table.rows[index.row()]
        column = self.table.columns[index.column()]
        value = row.values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = cell_text(value, column.kind)
            return ("    " * row.indent + text) if index.column() == 1 and row.indent else text
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.style != "data":
            font = QApplication.font()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column.kind == "amount" and \
                value is not None and value < 0:
            return QBrush(QColor(180, 0, 0))
        return None


def table_html(table: ReportTable) -> str:
    """The report as HTML for Qt's print preview (the header row repeats on each page)."""
    head = "".join(f"<th align='{'right' if c.numeric else 'left'}'>{escape(c.title)}</th>"
                   for c in table.columns)
    body = []
    for row in table.rows:
        weight = " style='font-weight:bold'" if row.style != "data" else ""
        cells = "".join(
            f"<td align='{'right' if c.numeric else 'left'}' style='white-space:nowrap'>"
            f"{escape(cell_text(v, c.kind))}</td>" for v, c in zip(row.values, table.columns,
                                                                  strict=True))
        body.append(f"<tr{weight}>{cells}</tr>")
    return (f"<h3>{escape(table.company)}</h3><h4>{escape(table.title)}</h4>"
            f"<p>{escape(table.options_text())}<br>Printed "
            f"{escape(table.printed_at.isoformat(sep=' '))}</p>"
            "<table cellspacing='0' cellpadding='2' width='100%' style='font-size:7pt'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def print_preview(parent: QWidget, html: str) -> None:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    document = QTextDocument()
    document.setHtml(html)
    dialog.paintRequested.connect(document.print_)
    dialog.exec()


def save_table(parent: QWidget, table: ReportTable, fmt: str) -> str | None:
    """Ask for a file and write the table in the format; the path written, or None."""
    suffix = {"xlsx": "Excel workbook (*.xlsx)", "csv": "CSV (*.csv)", "pdf": "PDF (*.pdf)"}
    name = table.title.lower().replace(" ", "-")
    path, _ = QFileDialog.getSaveFileName(parent, f"Export {table.title}", f"{name}.{fmt}",
                                          suffix[fmt])
    if not path:
        return None
    if not path.lower().endswith(f".{fmt}"):
        path += f".{fmt}"
    try:
        writers.write(table, path, fmt)
    except (DomainError, OSError) as exc:
        QMessageBox.warning(parent, "Cannot export", getattr(exc, "message", None) or str(exc))
        return None
    return path


# --- a report with its options ---------------------------------------------------------------

def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class ReportDialog(QDialog):
    """One report: its options, Run, the result in a table, and the ways out of it."""

    def __init__(self, db: Database, company_id: uuid.UUID, name: str, *,
                 today: date | None = None, customer: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.company_id, self.name = db, company_id, name
        self.setObjectName(f"report-{name}")
        self.setWindowTitle(TITLES[name])
        day = today or date.today()
        form = QFormLayout()
        self.start = QDateEdit(_qdate(day.replace(day=1)))
        self.end = QDateEdit(_qdate(day))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.use_start = QCheckBox("From")
        self.aging_by = QComboBox()
        self.aging_by.addItems(["due", "posting", "document"])
        self.period = QLineEdit("30D")
        self.customer = QLineEdit()
        self.customer.setPlaceholderText("all customers")
        if customer:
            self.customer.setText(customer)
        self.style_box = QComboBox()
        self.style_box.addItems(["balance", "open-items"])
        self.details = QCheckBox("One line per open entry")
        self.show_overdue = QCheckBox("Show overdue entries")
        self.include_reversed = QCheckBox("Include reversed entries")
        self.aging_band = QLineEdit()
        self.aging_band.setPlaceholderText("none (e.g. 30D or 1M+CM)")
        if name == "trial-balance":
            self.use_start.setChecked(True)
            form.addRow(self.use_start, self.start)
            form.addRow("To", self.end)
        elif name == "aged-receivables":
            form.addRow("Aged as of", self.end)
            form.addRow("Aging by", self.aging_by)
            form.addRow("Period length", self.period)
            form.addRow("Details", self.details)
            form.addRow("Customer No.", self.customer)
        elif name == "statement":
            form.addRow("Start date", self.start)
            form.addRow("End date", self.end)
            form.addRow("Style", self.style_box)
            form.addRow("Customer No.", self.customer)
            form.addRow("Aging band", self.aging_band)
            form.addRow("", self.show_overdue)
            form.addRow("", self.include_reversed)
        else:
            form.addRow("As of", self.end)
        self.error = QLabel()
        self.error.setObjectName("reportError")
        self.error.setStyleSheet("color: #b40000")
        self.error.setWordWrap(True)
        self.model = ReportTableModel(None, self)
        self.view = QTableView(self)
        self.view.setObjectName("reportView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.activated.connect(lambda _index: self.navigate())  # Enter / double-click
        self.actionNavigate = QAction("&Navigate…", self)
        self.actionNavigate.setObjectName("actionReportNavigate")
        self.actionNavigate.setShortcut("Ctrl+Shift+I")
        self.actionNavigate.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.actionNavigate.triggered.connect(self.navigate)
        self.addAction(self.actionNavigate)
        self.last_navigate: QDialog | None = None
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("run", "&Run", self.refresh),
                                ("xlsx", "Export to &XLSX…", lambda: self._save("xlsx")),
                                ("csv", "Export to &CSV…", lambda: self._save("csv")),
                                ("pdf", "Save as &PDF…", lambda: self._save("pdf")),
                                ("preview", "Print Pre&view…", self._preview),
                                ("navigate", "&Navigate…", self.navigate)):
            button = QPushButton(text, self)
            button.setObjectName(f"report-{key}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.resize(1000, 640)
        self.table: ReportTable | None = None
        self.refresh()

    def options(self) -> ReportOptions:
        return ReportOptions(
            as_of=_date(self.end), end=_date(self.end),
            start=_date(self.start) if self.name != "trial-balance" or
            self.use_start.isChecked() else None,
            aging_by=self.aging_by.currentText(),  # type: ignore[arg-type]
            period=self.period.text() or "30D", customer=self.customer.text() or None,
            style=self.style_box.currentText(),  # type: ignore[arg-type]
            details=self.details.isChecked(), aging_band=self.aging_band.text() or None,
            show_overdue=self.show_overdue.isChecked(),
            include_reversed=self.include_reversed.isChecked())

    def refresh(self) -> None:
        try:
            _, self.table = run(self.db, self.company_id, self.name, self.options())
        except DomainError as exc:
            self.error.setText(exc.message)
            self.table = None
        else:
            self.error.setText("")
        self.model.set_table(self.table)
        self.view.resizeColumnsToContents()
        for key in ("xlsx", "csv", "pdf", "preview"):
            self.buttons[key].setEnabled(self.table is not None)

    def current_row(self) -> Row | None:
        index = self.view.currentIndex()
        if self.table is None or not index.isValid() or index.row() >= len(self.table.rows):
            return None
        return self.table.rows[index.row()]

    def navigate(self) -> None:
        """Navigate from the current line: a line with a document number opens Navigate
        (Find Entries) for it; a customer's line opens that customer's statement."""
        from app.ui.panes.posting import NavigateDialog

        row = self.current_row()
        if row is None:
            self.status.setText("Select a report line with a document or a customer to "
                                "navigate from.")
            return
        if row.document_number:
            self.status.setText(f"Navigate: document {row.document_number}.")
            dialog = NavigateDialog(self.db, self.company_id, row.document_number, [], self)
            self.last_navigate = dialog
            dialog.exec()
            return
        if row.customer_number:
            statement = ReportDialog(self.db, self.company_id, "statement",
                                     today=_date(self.end), customer=row.customer_number,
                                     parent=self)
            statement.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_navigate = statement
            self.status.setText(f"Opened the statement of customer {row.customer_number}.")
            statement.show()
            return
        self.status.setText("This line has no document or customer to navigate to; select "
                            "an entry's line or a customer's line.")

    def _save(self, fmt: str) -> None:
        if self.table is not None:
            save_table(self, self.table, fmt)

    def _preview(self) -> None:
        if self.table is not None:
            preview_table(self, self.table)


# --- any table view as a report -----------------------------------------------------------------

_KINDS = {"amount": "amount", "date": "date", "int": "int"}


def view_table(view: QTableView, title: str, company: str) -> ReportTable:
    """What a table view shows (all its rows, its columns in order) as a ``ReportTable``,
    typed where the model says its column kinds (the lazy models do)."""
    model = view.model()
    columns_spec = getattr(model, "columns", None)
    columns: list[Column] = []
    for section in range(model.columnCount()):
        kind = "text"
        if columns_spec is not None and section < len(columns_spec):
            kind = _KINDS.get(getattr(columns_spec[section], "kind", "text"), "text")
        columns.append(Column(str(model.headerData(section, Qt.Orientation.Horizontal) or ""),
                              kind))  # type: ignore[arg-type]
    table = ReportTable(company, title, columns)
    row_at = getattr(model, "row_at", None)
    for row in range(model.rowCount()):
        record = row_at(row) if row_at is not None and columns_spec is not None else None
        values: list[Any] = []
        for section, column in enumerate(columns):
            if record is not None and column.kind != "text":
                values.append(columns_spec[section].value(record))  # type: ignore[index]
            else:
                values.append(model.data(model.index(row, section)) or "")
        table.rows.append(Row(tuple(values)))
    return table


def export_view(window: QMainWindow, fmt: str | None = None) -> str | None:
    """Export View…: the focused table view (else the first visible one) to XLSX or CSV."""
    view = _focused_view(window)
    if view is None:
        QMessageBox.information(window, "Export View", "Click in a list first.")
        return None
    title = view.objectName().removesuffix("View") or "View"
    table = view_table(view, title[:1].upper() + title[1:], _company_name(window))
    return save_table(window, table, fmt or "xlsx")


def _focused_view(window: QMainWindow) -> QTableView | None:
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, QTableView):
        widget = widget.parentWidget()
    if isinstance(widget, QTableView) and widget.window() is window:
        return widget
    for view in window.findChildren(QTableView):
        if view.isVisible() and view.model() is not None and view.model().rowCount():
            return view
    return None


def _company_name(window: Any) -> str:
    from app.services import companies

    db, company_id = getattr(window, "db", None), getattr(window, "company_id", None)
    if db is None or company_id is None:
        return ""
    company = companies.get(db, company_id)
    return company.display_name or company.name


# --- the menu ---------------------------------------------------------------------------------

def open_report(window: Any, name: str) -> ReportDialog | None:
    if window.db is None or window.company_id is None:
        QMessageBox.information(window, TITLES[name], "Open a company first.")
        return None
    dialog = ReportDialog(window.db, window.company_id, name, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


# --- printing a table on proper pages (the journal, a report) -----------------------------------

def paint_pages(printer: Any, table: ReportTable) -> int:
    """Print a table through Qt: company, title, options and date printed at the top of every
    page, 'Page n of m' at the bottom, the header row repeated; returns the page count."""
    from PySide6.QtCore import QPointF, QRectF, QSizeF
    from PySide6.QtGui import QPageLayout, QPainter, QTextDocument

    if len(table.columns) > 6:
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    painter = QPainter(printer)
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        dpi = printer.resolution()
        top_band, bottom_band = dpi * 0.8, dpi * 0.35
        document = QTextDocument()
        document.documentLayout().setPaintDevice(printer)  # fonts at the printer's resolution
        document.setDocumentMargin(0)
        body = table_html(table).split("<table", 1)[1]
        document.setHtml("<table" + body)
        document.setPageSize(QSizeF(page.width(), page.height() - top_band - bottom_band))
        pages = document.pageCount()
        font = painter.font()
        for number in range(1, pages + 1):
            if number > 1:
                printer.newPage()
            painter.save()
            font.setPointSizeF(10)
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(QPointF(0, dpi * 0.2), table.company)
            painter.drawText(QPointF(0, dpi * 0.4), table.title)
            font.setBold(False)
            font.setPointSizeF(8)
            painter.setFont(font)
            painter.drawText(QPointF(0, dpi * 0.6), table.options_text())
            printed = f"Printed {table.printed_at.isoformat(sep=' ')}"
            painter.drawText(QRectF(0, 0, page.width(), dpi * 0.25),
                             int(Qt.AlignmentFlag.AlignRight), printed)
            painter.drawText(QRectF(0, page.height() - bottom_band, page.width(), bottom_band),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {number} of {pages}")
            height = page.height() - top_band - bottom_band
            painter.translate(0, top_band - (number - 1) * height)
            document.drawContents(painter, QRectF(0, (number - 1) * height, page.width(),
                                                  height))
            painter.restore()
        return pages
    finally:
        painter.end()


def preview_table(parent: QWidget, table: ReportTable) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(lambda p: paint_pages(p, table))
    dialog.exec()


def print_journal(window: Any) -> None:
    """File > Print: the journal's lines as shown, on proper pages, through a preview."""
    view = window.findChild(QTableView, "paymentsView")
    if view is None or view.model() is None:
        return
    journals = window.findChild(QTableView, "journalsView")
    title = "Journal"
    if journals is not None and journals.model() is not None:
        journal = journals.model().row_at(journals.currentIndex().row())
        if journal is not None:
            title = f"Journal {journal.code} {journal.display_name}".strip()
    preview_table(window, view_table(view, title, _company_name(window)))

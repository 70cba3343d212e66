"""File > Import Customers and Invoices…: a CSV or XLSX file, its columns mapped to the
properties of customers and invoices, a preview of the rows as the mapping reads them, and
mappings saved by name (JSON files in the configuration folder, the same format as the
command line's ``--mapping FILE``). The import itself is ``app.io.table_io.import_table``:
every row checked, nothing written when anything is wrong (the problems are listed here).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.db import Database
from app.domain.errors import DomainError
from app.io import table_io
from app.io.table_io import CUSTOMERS, FIELDS, INVOICES, Mapping
from app.services.importing import ImportSummary

NONE = "(not imported)"
TITLE = "Import Customers and Invoices"


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def mappings_dir() -> Path:
    return paths.config_dir() / "import-mappings"


def saved_mappings() -> list[str]:
    folder = mappings_dir()
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def guess(headers: list[str]) -> Mapping:
    """Columns named like a property (``Display Name``, ``displayName``) are mapped to it."""
    by_name = {_simple(h): h for h in headers}
    found: dict[str, dict[str, str]] = {CUSTOMERS: {}, INVOICES: {}}
    for kind in (INVOICES, CUSTOMERS):
        for name in FIELDS[kind]:
            header = by_name.get(_simple(name))
            if header is not None:
                found[kind][name] = header
    if "customerNumber" in found[INVOICES]:  # a row's customer is the invoice's customer
        found[CUSTOMERS]["number"] = found[INVOICES]["customerNumber"]
    return Mapping(found[CUSTOMERS], found[INVOICES])


class ImportMappingDialog(QDialog):
    """The mapping step: one combo box per property, the preview, then Import."""

    def __init__(self, parent: QWidget | None, db: Database, company_id: uuid.UUID,
                 path: Path, kind: str) -> None:
        super().__init__(parent)
        self.setObjectName("importMappingDialog")
        self.setWindowTitle(f"{TITLE}: {path.name}")
        self.db, self.company_id, self.path, self.kind = db, company_id, path, kind
        self.summary: ImportSummary | None = None
        self.headers, _ = table_io.preview(path, kind, Mapping(), limit=0)
        self.combos: dict[tuple[str, str], QComboBox] = {}
        layout = QVBoxLayout(self)

        saved = QHBoxLayout()
        self.savedBox = _named(QComboBox(), "savedMappings")
        self.savedBox.addItems(["", *saved_mappings()])
        self.savedBox.currentTextChanged.connect(self._load_saved)
        save = _named(QPushButton("Save Mapping As…"), "saveMapping")
        save.clicked.connect(self._save)
        saved.addWidget(QLabel("Saved mapping:"))
        saved.addWidget(self.savedBox, 1)
        saved.addWidget(save)
        layout.addLayout(saved)

        columns = QHBoxLayout()
        for kind_name, title in ((CUSTOMERS, "Customers"), (INVOICES, "Open invoices")):
            group = QGroupBox(title)
            form = QFormLayout(group)
            for name in FIELDS[kind_name]:
                combo = _named(QComboBox(), f"map_{kind_name}_{name}")
                combo.addItems([NONE, *self.headers])
                combo.currentTextChanged.connect(self._refresh)
                self.combos[(kind_name, name)] = combo
                form.addRow(name + ("*" if name in table_io.REQUIRED[kind_name] else ""), combo)
            columns.addWidget(group)
        layout.addLayout(columns)

        options = QHBoxLayout()
        self.dateFormat = _named(QLineEdit("%Y-%m-%d"), "dateFormat")
        self.dateFormat.textChanged.connect(self._refresh)
        self.decimalComma = _named(QCheckBox("Decimal comma (1.234,56)"), "decimalComma")
        self.decimalComma.toggled.connect(self._refresh)
        options.addWidget(QLabel("Dates written as:"))
        options.addWidget(self.dateFormat)
        options.addWidget(self.decimalComma)
        options.addStretch(1)
        layout.addLayout(options)

        self.preview = _named(QTableWidget(), "previewTable")
        layout.addWidget(QLabel("Preview (the first rows, as the mapping reads them):"))
        layout.addWidget(self.preview, 1)
        self.problems = _named(QPlainTextEdit(), "problemsText")
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(120)
        layout.addWidget(self.problems)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.importButton = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.importButton.setObjectName("importButton")
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_mapping(guess(self.headers))

    # -- the mapping ------------------------------------------------------------------------

    def mapping(self) -> Mapping:
        found: dict[str, dict[str, str]] = {CUSTOMERS: {}, INVOICES: {}}
        for (kind, name), combo in self.combos.items():
            if combo.currentText() != NONE:
                found[kind][name] = combo.currentText()
        return Mapping(found[CUSTOMERS], found[INVOICES], self.dateFormat.text() or "%Y-%m-%d",
                       self.decimalComma.isChecked())

    def set_mapping(self, mapping: Mapping) -> None:
        self._quiet = True
        try:
            for (kind, name), combo in self.combos.items():
                header = mapping.of(kind).get(name)
                combo.setCurrentText(header if header in self.headers else NONE)
            self.dateFormat.setText(mapping.date_format)
            self.decimalComma.setChecked(mapping.decimal_comma)
        finally:
            self._quiet = False
        self._refresh()

    def _load_saved(self, name: str) -> None:
        if name:
            try:
                self.set_mapping(table_io.read_mapping(mappings_dir() / f"{name}.json"))
            except (DomainError, OSError) as exc:
                self.problems.setPlainText(f"The mapping {name} cannot be read: {exc}")

    def save_as(self, name: str) -> Path:
        folder = mappings_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{re.sub(r'[^A-Za-z0-9 ._-]', '_', name).strip() or 'mapping'}.json"
        target.write_text(json.dumps(self.mapping().to_json(), indent=2) + "\n",
                          encoding="utf-8")
        if self.savedBox.findText(target.stem) < 0:
            self.savedBox.addItem(target.stem)
        return target

    def _save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save Mapping", "Name of the mapping:")
        if ok and name.strip():
            self.save_as(name.strip())

    # -- the preview --------------------------------------------------------------------------

    _quiet = False

    def _refresh(self, *_args: Any) -> None:
        if self._quiet:
            return
        mapping = self.mapping()
        shown = [(k, n) for k in (CUSTOMERS, INVOICES) for n in FIELDS[k] if n in mapping.of(k)]
        try:
            _, rows = table_io.preview(self.path, self.kind, mapping)
        except (DomainError, OSError) as exc:
            self.problems.setPlainText(str(exc))
            return
        self.preview.clear()
        self.preview.setColumnCount(len(shown) + 2)
        self.preview.setHorizontalHeaderLabels(
            ["Row", *(f"{'Customer' if k == CUSTOMERS else 'Invoice'} {n}" for k, n in shown),
             "Problems"])
        self.preview.setRowCount(len(rows))
        for r, (number, records, problems) in enumerate(rows):
            self.preview.setItem(r, 0, QTableWidgetItem(str(number)))
            for c, (kind, name) in enumerate(shown, start=1):
                value = records.get(kind, {}).get(name)
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
            self.preview.setItem(r, len(shown) + 1, QTableWidgetItem("; ".join(problems)))
        self.problems.setPlainText("")

    # -- the import -----------------------------------------------------------------------------

    def run_import(self) -> None:
        try:
            self.summary = table_io.import_table(self.db, self.path, self.kind, self.mapping(),
                                                 company_id=self.company_id)
        except DomainError as exc:
            self.problems.setPlainText("\n".join(e.message for e in exc.errors) or str(exc))
            return
        self.accept()


def run(window: Any) -> None:
    """The menu command: pick a file, map it, import it into the window's company."""
    from app.ui import messages

    if window.db is None or window.company_id is None:
        messages.warn(window, TITLE, "Open a database and choose a company first.")
        return
    name, _ = QFileDialog.getOpenFileName(window, TITLE, "",
                                          "Spreadsheets (*.csv *.xlsx);;All files (*)")
    if not name:
        return
    path = Path(name)
    kind = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    try:
        dialog = ImportMappingDialog(window, window.db, window.company_id, path, kind)
    except (DomainError, OSError) as exc:
        messages.warn(window, TITLE, str(exc))
        return
    if dialog.exec() and dialog.summary is not None:
        window.refresh_all()
        window.statusBar().showMessage(dialog.summary.line(), 10_000)

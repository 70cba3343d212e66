"""What the list panes share: a view under its filter box, the models' header state kept in
the settings, and re-reading a list while keeping its current record."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.ui.models.lazy import LazyTableModel
    from app.ui.settings import Settings

# how far around the old row a refreshed list looks for the selected record
FIND_LIMIT = 1000


class TableBox(QWidget):
    """A table view under its filter box (the database filters, debounced while typing)."""

    def __init__(self, view: QTableView, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.filter = QLineEdit(self)
        self.filter.setObjectName(f"{view.objectName()}Filter")
        self.filter.setPlaceholderText(f"Filter {title}…")
        self.filter.setClearButtonEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(view)

    def bind(self, model: LazyTableModel[Any]) -> None:
        self.filter.textEdited.connect(model.filter_later)
        self.filter.returnPressed.connect(lambda: model.set_filter_text(self.filter.text()))
        model.filterApplied.connect(self._sync_filter)
        self._model = model

    def _sync_filter(self) -> None:
        query = self._model.query
        text = query.filter_text if query is not None else ""
        if self.filter.text() != text and not self.filter.hasFocus():
            self.filter.setText(text)


def browse_view(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def install_model(view: QTableView, box: TableBox, model: LazyTableModel[Any],
                  settings: Settings) -> None:
    """Put a model in its view: column widths, the header state and sort last used."""
    view.setModel(model)
    box.bind(model)
    header = view.horizontalHeader()
    for column, spec in enumerate(model.columns):
        view.setColumnWidth(column, spec.width)
    state = settings.header_state(view.objectName())
    restored = state is not None and header.restoreState(state)
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    if restored:  # the sort last used, taken by the model's first query
        model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
    else:
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    header.sortIndicatorChanged.connect(
        lambda column, order: _sort(view, model, column, order))


def _sort(view: QTableView, model: LazyTableModel[Any], column: int,
          order: Qt.SortOrder) -> None:
    model.sort(column, order)
    header = view.horizontalHeader()
    current = model.sort_column()
    header.blockSignals(True)
    if current is None:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    else:
        header.setSortIndicator(*current)
    header.blockSignals(False)


def keep_query(model: LazyTableModel[Any], db: Any, query: Any) -> None:
    """Set a view's scope, keeping its filter text and sort."""
    from dataclasses import replace

    if model.query is not None and query is not None:
        query = replace(query, filter_text=model.query.filter_text, sort=model.query.sort,
                        descending=model.query.descending)
    model.set_query(db, query)


def select_row(view: QTableView, record_id: uuid.UUID) -> None:
    """Make the record's row current without the selection signals (no re-selection)."""
    model: LazyTableModel[Any] = view.model()  # type: ignore[assignment]
    row = model.find_row(lambda r: r.id == record_id)
    if row is None or view.currentIndex().row() == row:
        return
    selection = view.selectionModel()
    selection.blockSignals(True)
    view.setCurrentIndex(model.index(row, 0))
    view.selectRow(row)
    selection.blockSignals(False)
    view.viewport().update()


def find(model: LazyTableModel[Any], record_id: uuid.UUID, near: int) -> int | None:
    found = model.row_at(near) if near >= 0 else None
    if found is not None and found.id == record_id:
        return near
    return model.find_row(lambda r: r.id == record_id, limit=max(near, 0) + FIND_LIMIT)


def refresh_keeping(view: QTableView, record_id: uuid.UUID | None) -> None:
    """Read the list again; the same record stays current (found near its old row)."""
    model: LazyTableModel[Any] = view.model()  # type: ignore[assignment]
    old = view.currentIndex()
    model.refresh()
    if record_id is None:
        return
    row = find(model, record_id, old.row())
    if row is not None:
        selection = view.selectionModel()
        selection.blockSignals(True)  # the same record: no re-selection of company etc.
        view.setCurrentIndex(model.index(row, max(old.column(), 0)))
        view.selectRow(row)
        selection.blockSignals(False)
        view.viewport().update()


def current_record(view: QTableView) -> Any:
    """The browse row current in a view (with the version the list read), or None."""
    model = view.model()
    if model is None:
        return None
    index = view.currentIndex()
    return model.row_at(index.row()) if index.isValid() else None  # type: ignore[attr-defined]


__all__ = ["TableBox", "browse_view", "current_record", "find", "install_model",
           "keep_query", "refresh_keeping", "select_row"]

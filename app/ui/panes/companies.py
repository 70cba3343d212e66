"""The companies and the journals of the selected company: the pane that decides the
``Selection`` (which company, which journal), restores the last ones from the settings and
picks another when the one shown is deleted (here, by undo, or by another program)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QTableView

from app.domain.changes import ChangeSet, Kind
from app.ui.panes.common import (
    TableBox,
    browse_view,
    current_record,
    install_model,
    keep_query,
    refresh_keeping,
    select_row,
)

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.models.lazy import LazyTableModel
    from app.ui.panes.host import Host


class CompaniesPane(QObject):
    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.selection = host.selection
        self.companiesView = browse_view("companiesView")
        self.journalsView = browse_view("journalsView")
        self.boxes = {"companiesView": TableBox(self.companiesView, "companies"),
                      "journalsView": TableBox(self.journalsView, "journals")}
        self.models: dict[str, LazyTableModel[Any]] = {}
        self.selection.changed.connect(self._show_selection)

    @property
    def views(self) -> dict[str, QTableView]:
        return {"companiesView": self.companiesView, "journalsView": self.journalsView}

    # --- the database ------------------------------------------------------------------
    def ensure_models(self) -> None:
        if self.models:
            return
        from app.ui.models import tables

        self.models = {"companiesView": tables.CompaniesModel(self),
                       "journalsView": tables.JournalsModel(self)}
        for name, model in self.models.items():
            install_model(self.views[name], self.boxes[name], model, self.host.settings)
        companies = self.models["companiesView"]
        # the dock is narrow: the name says enough
        self.companiesView.setColumnHidden(companies.column_of("workDate"), True)
        self.companiesView.setColumnHidden(companies.column_of("displayName"), True)
        cast(Any, self.companiesView.selectionModel()).currentRowChanged.connect(
            self._company_row_changed)
        cast(Any, self.journalsView.selectionModel()).currentRowChanged.connect(
            self._journal_row_changed)

    def attach(self, db: Database) -> None:
        """A database was set: list its companies, show the last company used (or the
        first)."""
        from app.services.browse import BrowseQuery

        self.selection.clear()
        companies = self.models["companiesView"]
        companies.set_query(db, BrowseQuery())
        self._select_remembered_company()

    def _select_remembered_company(self) -> None:
        companies = self.models["companiesView"]
        last = self.host.settings.last_company(self.host.database_name())
        row = companies.find_row(lambda r: r.id == last) if last is not None else None
        if row is None and companies.rowCount() > 0:
            row = 0
        first = companies.row_at(row) if row is not None else None
        if first is not None:
            self.select_company(first.id)
        else:
            self.models["journalsView"].set_query(self.host.db, None)
            self.selection.clear()

    # --- choosing ------------------------------------------------------------------------
    def select_company(self, company_id: uuid.UUID) -> None:
        from app.services.browse import BrowseQuery

        db = self.host.db
        if db is None:
            raise RuntimeError("No database is open.")
        if company_id == self.selection.company_id:
            select_row(self.companiesView, company_id)
            return
        journals = self.models["journalsView"]
        keep_query(journals, db, BrowseQuery(company_id=company_id))
        self.host.settings.set_last_company(self.host.database_name(), company_id)
        last = self.host.settings.last_journal(self.host.database_name(), company_id)
        row = journals.find_row(lambda r: r.id == last) if last is not None else None
        if row is None and journals.rowCount() > 0:
            row = 0
        journal = journals.row_at(row) if row is not None else None
        self.selection.select(company_id, journal.id if journal is not None else None)

    def select_journal(self, journal_id: uuid.UUID) -> None:
        company_id = self.selection.company_id
        if self.host.db is None or company_id is None:
            raise RuntimeError("Select a company first.")
        self.selection.select(company_id, journal_id)
        select_row(self.journalsView, journal_id)

    def _show_selection(self, company_changed: bool, journal_changed: bool) -> None:
        if company_changed and self.selection.company_id is not None:
            select_row(self.companiesView, self.selection.company_id)
        journal_id = self.selection.journal_id
        if journal_changed and journal_id is not None:
            select_row(self.journalsView, journal_id)
            company_id = self.selection.company_id
            assert company_id is not None
            self.host.settings.set_last_journal(self.host.database_name(), company_id,
                                                journal_id)

    def _company_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.models["companiesView"].row_at(current.row())
        if row is not None and row.id != self.selection.company_id:
            self.select_company(row.id)

    def _journal_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.models["journalsView"].row_at(current.row())
        if row is not None and row.id != self.selection.journal_id:
            self.select_journal(row.id)

    # --- what the other panes and commands may ask ----------------------------------------
    def current_row(self, view_name: str) -> Any:
        return current_record(self.views[view_name]) if self.models else None

    def journal_code(self) -> str:
        journals = self.models.get("journalsView")
        if journals is None:
            return ""
        journal_id = self.selection.journal_id
        row = journals.find_row(lambda r: r.id == journal_id)
        journal = journals.row_at(row) if row is not None else None
        return journal.code if journal is not None else ""

    def journal_title(self) -> str:
        journals = self.models["journalsView"]
        journal = journals.row_at(self.journalsView.currentIndex().row())
        return f"{journal.code} {journal.display_name}" if journal is not None else ""

    # --- changes -------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        if self.host.db is None or not self.models:
            return
        if changes.touches(Kind.COMPANY):
            refresh_keeping(self.companiesView, self.selection.company_id)
            self._reselect_company()
        company_id = self.selection.company_id
        if company_id is not None and changes.touches(Kind.JOURNAL, company_id=company_id):
            refresh_keeping(self.journalsView, self.selection.journal_id)
            self._reselect_journal()

    def refresh(self) -> None:
        self.apply_changes(ChangeSet.everything())

    def _reselect_company(self) -> None:
        model = self.models["companiesView"]
        company_id = self.selection.company_id
        if company_id is not None and model.find_row(lambda r: r.id == company_id) is not None:
            return
        # The company shown is gone (deleted, or its creation undone): the first one.
        first = model.row_at(0)
        self.selection.clear()
        if first is not None:
            self.select_company(first.id)
        else:
            self.models["journalsView"].set_query(self.host.db, None)

    def _reselect_journal(self) -> None:
        company_id = self.selection.company_id
        if company_id is None:
            return
        model = self.models["journalsView"]
        journal_id = self.selection.journal_id
        if journal_id is not None and model.find_row(lambda r: r.id == journal_id) is not None:
            return
        first = model.row_at(0)
        self.selection.select(company_id, first.id if first is not None else None)

    def select_record(self, view_name: str, record_id: uuid.UUID) -> None:
        if view_name == "companiesView":
            self.select_company(record_id)
        else:
            self.select_journal(record_id)


__all__ = ["CompaniesPane"]

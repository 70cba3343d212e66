"""The main window's table models: column specs per table over ``LazyTableModel``, and the
editable payment lines model whose writes all go through ``app.ui.grid_edits``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from app.db import Database
from app.domain.errors import DomainError
from app.domain.schemas import PaymentRead
from app.services import browse
from app.services.browse import (
    AccountRow,
    BrowseQuery,
    CompanyRow,
    CustomerRow,
    InvoiceRow,
    JournalRow,
    PaymentRow,
)
from app.ui.formats import parse_amount, parse_date
from app.ui.grid_edits import PaymentGridEdits
from app.ui.models.lazy import Column, Index, LazyTableModel


def _sort(table: str, key: str) -> str | None:
    return key if key in browse.sortable(table) else None


class CompaniesModel(LazyTableModel[CompanyRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "companies"
        super().__init__([
            Column("name", "Name", lambda r: r.name, sort_key=_sort(t, "name"), width=120),
            Column("displayName", "Display Name", lambda r: r.display_name,
                   sort_key=_sort(t, "displayName"), width=180),
            Column("workDate", "Work Date", lambda r: r.work_date, kind="date", width=80),
        ], browse.count_companies, browse.page_companies, parent)


class JournalsModel(LazyTableModel[JournalRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "journals"
        super().__init__([
            Column("code", "Name", lambda r: r.code, sort_key=_sort(t, "code"), width=90),
            Column("displayName", "Description", lambda r: r.display_name,
                   sort_key=_sort(t, "displayName"), width=260),
            Column("balancingAccountNumber", "Bal. Account No.",
                   lambda r: r.balancing_account_number, width=110),
        ], browse.count_journals, browse.page_journals, parent)


class CustomersModel(LazyTableModel[CustomerRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "customers"
        super().__init__([
            Column("number", "No.", lambda r: r.number, sort_key=_sort(t, "number"), width=80),
            Column("displayName", "Name", lambda r: r.display_name,
                   sort_key=_sort(t, "displayName"), width=200),
            Column("city", "City", lambda r: r.city, width=90),
            Column("phoneNumber", "Phone No.", lambda r: r.phone_number, width=100),
            Column("email", "Email", lambda r: r.email, width=160),
            Column("blocked", "Blocked", lambda r: r.blocked.strip(), width=60),
        ], browse.count_customers, browse.page_customers, parent)


class AccountsModel(LazyTableModel[AccountRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "accounts"
        super().__init__([
            Column("number", "No.", lambda r: r.number, sort_key=_sort(t, "number"), width=70),
            Column("displayName", "Name", lambda r: r.display_name,
                   sort_key=_sort(t, "displayName"), width=200),
            Column("category", "Category", lambda r: r.category, width=90),
            Column("accountType", "Account Type", lambda r: r.account_type, width=90),
            Column("directPosting", "Direct Posting", lambda r: r.direct_posting, kind="bool",
                   width=90),
            Column("blocked", "Blocked", lambda r: r.blocked, kind="bool", width=60),
            Column("balance", "Balance", lambda r: r.balance, kind="amount", width=110),
        ], browse.count_accounts, browse.page_accounts, parent)


class InvoicesModel(LazyTableModel[InvoiceRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "invoices"
        super().__init__([
            Column("number", "No.", lambda r: r.number, sort_key=_sort(t, "number"), width=70),
            Column("customerNumber", "Customer No.", lambda r: r.customer_number,
                   sort_key=_sort(t, "customerNumber"), width=90),
            Column("customerName", "Customer Name", lambda r: r.customer_name, width=170),
            Column("dueDate", "Due Date", lambda r: r.due_date, kind="date",
                   sort_key=_sort(t, "dueDate"), width=85),
            Column("totalAmountIncludingTax", "Amount", lambda r: r.total_amount_including_tax,
                   kind="amount", width=95),
            Column("remainingAmount", "Remaining Amount", lambda r: r.remaining_amount,
                   kind="amount", sort_key=_sort(t, "remainingAmount"), width=110),
            Column("paymentDiscountDate", "Pmt. Discount Date",
                   lambda r: r.payment_discount_date, kind="date", width=110),
            Column("paymentDiscountAmount", "Pmt. Discount", lambda r: r.payment_discount_amount,
                   kind="amount", width=90),
        ], browse.count_invoices, browse.page_invoices, parent)


def _received(row: PaymentRow) -> Decimal | None:
    return -row.amount if row.amount < 0 else None


PAYMENT_COLUMNS: list[Column[PaymentRow]] = [
    Column("lineNumber", "Line No.", lambda r: r.line_number, kind="int",
           sort_key=_sort("payments", "lineNumber"), width=82),
    Column("postingDate", "Posting Date", lambda r: r.posting_date, kind="date",
           sort_key=_sort("payments", "postingDate"), editable=True, width=88),
    Column("documentNumber", "Document No.", lambda r: r.document_number,
           sort_key=_sort("payments", "documentNumber"), editable=True, width=92,
           max_length=20, upper=True),
    Column("externalDocumentNumber", "Ext. Document No.",
           lambda r: r.external_document_number, editable=True, width=125, max_length=35,
           upper=True),
    Column("customerNumber", "Customer No.", lambda r: r.customer_number,
           sort_key=_sort("payments", "customerNumber"), editable=True, width=92,
           max_length=20, upper=True),
    Column("customerName", "Customer Name", lambda r: r.customer_name, width=150),
    Column("description", "Description", lambda r: r.description, editable=True, width=150,
           max_length=100),
    Column("amount", "Amount", lambda r: r.amount, kind="amount",
           sort_key=_sort("payments", "amount"), editable=True, width=95),
    Column("amountReceived", "Amount Received", _received, kind="amount",
           sort_key=_sort("payments", "amount"), invert_sort=True, editable=True, width=110),
    Column("appliesToInvoiceNumber", "Applies-to Inv. No.",
           lambda r: r.applies_to_invoice_number, editable=True, width=110, max_length=20,
           upper=True),
    Column("comment", "Comment", lambda r: r.comment, editable=True, width=160,
           max_length=250),
]


class PaymentsModel(LazyTableModel[PaymentRow]):
    """The lines of one journal, editable in place.

    Every write goes through ``self.edits`` (app.ui.grid_edits.PaymentGridEdits): an undo
    stack wraps it there. A refused value writes nothing, emits ``editRefused`` with the
    reason and is shown as the cell's tooltip until the next change of that cell.
    """

    editRefused = Signal(QModelIndex, str)
    linesChanged = Signal()  # after any write: the footer sums are stale

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(PAYMENT_COLUMNS, browse.count_payments, browse.page_payments, parent)
        self.edits: PaymentGridEdits | None = None
        self._refusals: dict[tuple[uuid.UUID, int], str] = {}
        self.last_refusal: str | None = None
        self._writing = False

    def refresh(self) -> None:
        """As LazyTableModel.refresh, except while this model itself writes: a "payments
        changed" notice caused by its own write (Operations.changed) must not reset the
        grid under the open editor; the write updates the rows itself."""
        if not self._writing:
            super().refresh()

    @property
    def writing(self) -> bool:
        """True while this model writes (its own change notices are to be ignored)."""
        return self._writing

    @contextmanager
    def _write(self) -> Iterator[None]:
        self._writing = True
        try:
            yield
        finally:
            self._writing = False

    def set_journal(self, db: Database | None, company_id: uuid.UUID | None,
                    journal_id: uuid.UUID | None) -> None:
        self._refusals.clear()
        if db is None or company_id is None or journal_id is None:
            self.edits = None
            self.set_query(db, None)
            return
        self.edits = PaymentGridEdits(db, company_id, journal_id)
        filter_text = self.query.filter_text if self.query is not None else ""
        sort = self.query.sort if self.query is not None else ""
        descending = self.query.descending if self.query is not None else False
        self.set_query(db, BrowseQuery(company_id=company_id, journal_id=journal_id,
                                       filter_text=filter_text, sort=sort,
                                       descending=descending))

    def extra_data(self, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self.row_at(index.row())
            if row is not None:
                return self._refusals.get((row.id, index.column()))
        return None

    # --- editing ---------------------------------------------------------------------------
    def parse(self, column: int, value: Any) -> tuple[str, Any]:
        """The API property and value a cell's input means; ValueError if it means nothing."""
        key = self.columns[column].key
        if key == "postingDate":
            if isinstance(value, date):
                return key, value
            text = str(value or "").strip()
            return key, parse_date(text, self._locale) if text else None
        if key == "amount":
            return key, parse_amount(str(value or ""), self._locale)
        if key == "amountReceived":
            return "amount", -parse_amount(str(value or ""), self._locale)
        text = str(value or "").strip()
        if self.columns[column].upper:
            text = text.upper()
        return key, text

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edits is None:
            return False
        if not self.columns[index.column()].editable:
            return False
        row = self.row_at(index.row())
        if row is None:
            return False
        self.last_refusal = None
        try:
            field, parsed = self.parse(index.column(), value)
            if parsed == _current(row, field):
                self._refusals.pop((row.id, index.column()), None)
                return True  # unchanged: nothing to write
            with self._write():
                self.edits.update_cell(row, field, parsed)
        except (ValueError, DomainError) as exc:
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            self.last_refusal = message
            self._refusals[(row.id, index.column())] = message
            self.editRefused.emit(self.index(index.row(), index.column()), message)
            if isinstance(exc, DomainError) and exc.field == "@odata.etag":
                self._reread_around(index.row())  # changed elsewhere: show what is there now
            return False
        self._refusals.pop((row.id, index.column()), None)
        fresh = browse.payment_row(self.db, row.id)
        if fresh is not None:
            self.put_row(index.row(), fresh)
        self.linesChanged.emit()
        return True

    def _reread_around(self, row: int) -> None:
        """Drop the cache and repaint every row but ``row``, whose editor keeps the user's
        text (a dataChanged over it would put the stored value back into the editor)."""
        self._pages.clear()
        last = len(self.columns) - 1
        if row > 0:
            self.dataChanged.emit(self.index(0, 0), self.index(row - 1, last))
        if row + 1 < self._count:
            self.dataChanged.emit(self.index(row + 1, 0), self.index(self._count - 1, last))

    def create_line(self) -> int:
        """Start a new line (service defaults) and return its row in this view."""
        assert self.edits is not None and self.query is not None
        with self._write():
            created = self.edits.create_line()
        self.linesChanged.emit()
        return self.show_created(created)

    def show_created(self, created: PaymentRead) -> int:
        assert self.query is not None
        natural = (not self.query.filter_text and self.query.sort in ("", "lineNumber")
                   and not self.query.descending)
        if natural:  # the new line is the last one: insert it without a reset
            row = self._count
            self.beginInsertRows(QModelIndex(), row, row)
            self._count += 1
            self._pages.pop(row // self.PAGE_SIZE, None)
            self.endInsertRows()
            return row
        self.refresh()
        position = browse.payment_position(self.db, self.query, created.id)
        if position is None:  # filtered out: show it anyway by clearing the filter
            self.query = replace(self.query, filter_text="")
            self.refresh()
            self.filterApplied.emit()
            position = browse.payment_position(self.db, self.query, created.id)
        return position if position is not None else self._count - 1

    def delete_rows(self, rows: list[int], *, undoable: bool = True) -> int:
        """Delete these lines (one transaction); returns how many. ``undoable=False``
        deletes them without an undo step (too many lines to keep in memory)."""
        assert self.edits is not None
        lines = [line for line in (self.row_at(r) for r in sorted(set(rows)))
                 if line is not None]
        if not lines:
            return 0
        with self._write():
            if undoable:
                deleted = self.edits.delete_lines(lines)
            else:  # the plain service call, past the undo stack
                deleted = PaymentGridEdits.delete_lines(self.edits, lines)
        self.refresh()
        self.linesChanged.emit()
        return len(deleted)

    def row_of(self, payment_id: uuid.UUID) -> int | None:
        if self.query is None:
            return None
        return browse.payment_position(self.db, self.query, payment_id)


def _current(row: PaymentRow, field: str) -> Any:
    return {
        "postingDate": row.posting_date, "documentNumber": row.document_number,
        "externalDocumentNumber": row.external_document_number,
        "customerNumber": row.customer_number, "description": row.description,
        "amount": row.amount, "appliesToInvoiceNumber": row.applies_to_invoice_number,
        "comment": row.comment,
    }.get(field, object())


def index_key(index: QModelIndex | QPersistentModelIndex) -> tuple[int, int]:
    return index.row(), index.column()

"""The main window's table models: column specs per table over ``LazyTableModel``, and the
editable payment lines model whose writes all go through ``app.ui.grid_edits``."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from app.db import Database
from app.domain.errors import DomainError, StaleWrite
from app.domain.schemas import PaymentRead
from app.services import browse
from app.services.applications import AppliedEntry, applied_entries
from app.services.browse import (
    AccountRow,
    BrowseQuery,
    CompanyRow,
    CustomerRow,
    InvoiceRow,
    JournalRow,
    PaymentRow,
)
from app.ui.descriptions import DESCRIPTIONS
from app.ui.formats import format_amount, parse_amount, parse_date
from app.ui.grid_edits import PaymentGridEdits
from app.ui.models.lazy import Column, Index, LazyTableModel

if TYPE_CHECKING:
    from app.ui.operations import Operations


def _titled(kind: str) -> Callable[..., Column[Any]]:
    """The columns of one resource's list, titled from its one description."""
    titles = DESCRIPTIONS[kind].titles

    def make(key: str, value: Callable[[Any], Any], **kwargs: Any) -> Column[Any]:
        return Column(key, titles[key], value, **kwargs)

    return make


_company, _journal, _payment = _titled("company"), _titled("journal"), _titled("payment")
_customer, _account, _invoice = _titled("customer"), _titled("account"), _titled("invoice")


def _sort(table: str, key: str) -> str | None:
    return key if key in browse.sortable(table) else None


class CompaniesModel(LazyTableModel[CompanyRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "companies"
        super().__init__([
            _company("name", lambda r: r.name, sort_key=_sort(t, "name"), width=120),
            _company("displayName", lambda r: r.display_name,
                     sort_key=_sort(t, "displayName"), width=180),
            _company("workDate", lambda r: r.work_date, kind="date", width=80),
        ], browse.count_companies, browse.page_companies, parent)


class JournalsModel(LazyTableModel[JournalRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "journals"
        super().__init__([
            _journal("code", lambda r: r.code, sort_key=_sort(t, "code"), width=90),
            _journal("displayName", lambda r: r.display_name,
                     sort_key=_sort(t, "displayName"), width=260),
            _journal("balancingAccountNumber",
                     lambda r: r.balancing_account_number, width=110),
        ], browse.count_journals, browse.page_journals, parent)


class CustomersModel(LazyTableModel[CustomerRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "customers"
        super().__init__([
            _customer("number", lambda r: r.number, sort_key=_sort(t, "number"), width=80),
            _customer("displayName", lambda r: r.display_name,
                      sort_key=_sort(t, "displayName"), width=200),
            _customer("city", lambda r: r.city, width=90),
            _customer("phoneNumber", lambda r: r.phone_number, width=100),
            _customer("email", lambda r: r.email, width=160),
            _customer("blocked", lambda r: r.blocked.strip(), width=60),
        ], browse.count_customers, browse.page_customers, parent)


class AccountsModel(LazyTableModel[AccountRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "accounts"
        super().__init__([
            _account("number", lambda r: r.number, sort_key=_sort(t, "number"), width=70),
            _account("displayName", lambda r: r.display_name,
                     sort_key=_sort(t, "displayName"), width=200),
            _account("category", lambda r: r.category, width=90),
            _account("accountType", lambda r: r.account_type, width=90),
            _account("directPosting", lambda r: r.direct_posting, kind="bool",
                     width=90),
            _account("blocked", lambda r: r.blocked, kind="bool", width=60),
            _account("balance", lambda r: r.balance, kind="amount", width=110),
        ], browse.count_accounts, browse.page_accounts, parent)


class InvoicesModel(LazyTableModel[InvoiceRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        t = "invoices"
        super().__init__([
            _invoice("number", lambda r: r.number, sort_key=_sort(t, "number"), width=70),
            _invoice("customerNumber", lambda r: r.customer_number,
                     sort_key=_sort(t, "customerNumber"), width=90),
            _invoice("customerName", lambda r: r.customer_name, width=170),
            _invoice("dueDate", lambda r: r.due_date, kind="date",
                     sort_key=_sort(t, "dueDate"), width=85),
            _invoice("totalAmountIncludingTax", lambda r: r.total_amount_including_tax,
                     kind="amount", width=95),
            _invoice("remainingAmount", lambda r: r.remaining_amount,
                     kind="amount", sort_key=_sort(t, "remainingAmount"), width=110),
            _invoice("paymentDiscountDate",
                     lambda r: r.payment_discount_date, kind="date", width=110),
            _invoice("paymentDiscountAmount", lambda r: r.payment_discount_amount,
                     kind="amount", width=90),
        ], browse.count_invoices, browse.page_invoices, parent)


def _received(row: PaymentRow) -> Decimal | None:
    return -row.amount if row.amount < 0 else None


PAYMENT_COLUMNS: list[Column[PaymentRow]] = [
    _payment("lineNumber", lambda r: r.line_number, kind="int",
             sort_key=_sort("payments", "lineNumber"), width=82),
    _payment("postingDate", lambda r: r.posting_date, kind="date",
             sort_key=_sort("payments", "postingDate"), editable=True, width=88),
    _payment("documentNumber", lambda r: r.document_number,
             sort_key=_sort("payments", "documentNumber"), editable=True, width=92,
             max_length=20, upper=True),
    _payment("externalDocumentNumber",
             lambda r: r.external_document_number, editable=True, width=125, max_length=35,
             upper=True),
    _payment("customerNumber", lambda r: r.customer_number,
             sort_key=_sort("payments", "customerNumber"), editable=True, width=92,
             max_length=20, upper=True),
    _payment("customerName", lambda r: r.customer_name, width=150),
    _payment("description", lambda r: r.description, editable=True, width=150,
             max_length=100),
    _payment("amount", lambda r: r.amount, kind="amount",
             sort_key=_sort("payments", "amount"), editable=True, width=95),
    _payment("amountReceived", _received, kind="amount",
             sort_key=_sort("payments", "amount"), invert_sort=True, editable=True, width=110),
    _payment("appliesToInvoiceNumber",
             lambda r: r.applies_to_invoice_number, editable=True, width=110, max_length=20,
             upper=True),
    _payment("comment", lambda r: r.comment, editable=True, width=160,
             max_length=250),
    _payment("userId", lambda r: r.user_id, width=90),
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
        self.gateway: Operations | None = None  # without one the grid is read-only
        self._refusals: dict[tuple[uuid.UUID, int], str] = {}
        self.last_refusal: str | None = None
        self._writing = False
        # Applies-to ID: the entries the lines of a cached page are applied to, read per page.
        self._applied: OrderedDict[int, dict[uuid.UUID, list[AppliedEntry]]] = OrderedDict()
        self._applies_column = self.column_of("appliesToInvoiceNumber")

    def refresh(self) -> None:
        """As LazyTableModel.refresh, except while this model itself writes: a "payments
        changed" notice caused by its own write (Operations.changed) must not reset the
        grid under the open editor; the write updates the rows itself."""
        if not self._writing:
            self._applied.clear()
            super().refresh()

    def forget_rows(self) -> None:
        self._applied.clear()
        super().forget_rows()

    def put_row(self, row: int, value: PaymentRow) -> None:
        self._applied.pop(row // self.PAGE_SIZE, None)
        super().put_row(row, value)

    def applied_to(self, row: int) -> list[AppliedEntry]:
        """The entries a line is applied to by Apply Entries (its Applies-to ID)."""
        line = self.row_at(row)
        if line is None or self.db is None:
            return []
        number = row // self.PAGE_SIZE
        page = self._applied.get(number)
        if page is None:
            ids = [r.id for r in self._pages.get(number, [])] or [line.id]
            page = self._applied[number] = applied_entries(self.db, ids)
            while len(self._applied) > self.MAX_PAGES:
                self._applied.popitem(last=False)
        return page.get(line.id, [])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self._applies_column and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self.row_at(index.row())
            if row is not None and not row.applies_to_invoice_number and (
                    role == Qt.ItemDataRole.DisplayRole
                    or (row.id, index.column()) not in self._refusals):
                applied = self.applied_to(index.row())
                if applied:
                    return (applied_summary(applied) if role == Qt.ItemDataRole.DisplayRole
                            else applied_tooltip(applied, self._locale))
        return super().data(index, role)

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
        self.edits = PaymentGridEdits(self.gateway, db, company_id, journal_id) \
            if self.gateway is not None else None
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
            if isinstance(exc, StaleWrite):
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

    def absorb_while_editing(self, edited_row: int) -> bool:
        """Lines were changed, added or removed elsewhere while the cell at ``edited_row`` is
        open. When the edited line is still at its row, re-read every other row and adjust
        the count at the end, without the reset that would close the editor; the edited line
        keeps the version the user started from, so saving it conflicts if it was changed
        meanwhile. False: the line moved (wait for the editor to close; until then the
        cell still saves to its own line)."""
        query = self.query
        edited = self.row_at(edited_row)
        if query is None or self.db is None or edited is None:
            return False
        count = self._count_fn(self.db, query)
        if edited_row >= count:
            return False
        number, within = divmod(edited_row, self.PAGE_SIZE)
        page = self._page_fn(self.db, query, number * self.PAGE_SIZE, self.PAGE_SIZE,
                             total=count)
        if within >= len(page) or page[within].id != edited.id:
            return False
        page[within] = edited  # as the user saw it: its version decides the save
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self.endRemoveRows()
        self._pages.clear()
        self._pages[number] = page
        last = len(self.columns) - 1
        if edited_row > 0:
            self.dataChanged.emit(self.index(0, 0), self.index(edited_row - 1, last))
        if edited_row + 1 < self._count:
            self.dataChanged.emit(self.index(edited_row + 1, 0),
                                  self.index(self._count - 1, last))
        return True

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
            deleted = self.edits.delete_lines(lines, undoable=undoable)
        self.refresh()
        self.linesChanged.emit()
        return len(deleted)

    def row_of(self, payment_id: uuid.UUID) -> int | None:
        if self.query is None:
            return None
        return browse.payment_position(self.db, self.query, payment_id)


# The titles the user sees for the API properties a problem names (the test report).
FIELD_TITLES = {c.key: c.header for c in PAYMENT_COLUMNS} | {
    "balancingAccountNumber": "Bal. Account No. (journal)",
    "paymentDiscountAccountNumber": "Payment Discount Account (company)",
    "paymentDiscountAccountId": "Payment Discount Account (company)",
    "journalId": "Journal", "number": "No.", "customerId": "Customer No.",
}


def field_title(key: str | None) -> str | None:
    """A property's title as the grid or a form shows it ("Applies-to Inv. No."); a name
    no view shows reads as words ("someFieldName" -> "Some field name")."""
    if not key:
        return key
    if key in FIELD_TITLES:
        return FIELD_TITLES[key]
    import re

    words = re.sub(r"(?<!^)(?=[A-Z])", " ", key.lstrip("@")).lower()
    return words[:1].upper() + words[1:]


def applied_summary(applied: list[AppliedEntry]) -> str:
    """"2 invoices" (or "1 invoice", "3 entries" when not all are invoices)."""
    count = len(applied)
    if all(a.document_type == "Invoice" for a in applied):
        return f"{count} invoice{'s' if count != 1 else ''}"
    return f"{count} entr{'ies' if count != 1 else 'y'}"


def applied_tooltip(applied: list[AppliedEntry], locale: Any = None) -> str:
    lines = [f"{a.document_type} {a.document_number}: "
             f"{format_amount(a.amount_to_apply, locale)}" for a in applied]
    return "Applied by Apply Entries (Shift+F11):\n" + "\n".join(lines)


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

"""Read models of the ledgers, the applications and posting (what the services return)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, Field

from app.domain.schemas import ApiInput, ApiModel
from app.domain.types import Amount, Timestamp


class _Read(ApiModel):
    model_config = ConfigDict(frozen=True)


class ProblemRead(_Read):
    """One problem of the test report. ``line_number`` None: the journal as a whole."""

    line_number: int | None
    field: str | None
    message: str

    def text(self) -> str:
        return f"Line {self.line_number}: {self.message}" if self.line_number else self.message


class RegisterRead(_Read):
    id: int
    number: int
    from_entry_number: int
    to_entry_number: int
    from_cust_entry_number: int | None
    to_cust_entry_number: int | None
    journal_code: str
    source_code: str
    created_at: Timestamp
    user_id: str
    reversed: bool
    reversed_by_register_number: int | None
    reversal_of_register_number: int | None
    gl_entry_count: int
    cust_entry_count: int
    detailed_entry_count: int
    total_debit: Amount
    total_credit: Amount


class GLEntryRead(_Read):
    id: int
    entry_number: int
    posting_date: date
    document_type: str
    document_number: str
    external_document_number: str
    account_number: str
    account_name: str
    description: str
    amount: Amount
    source_type: str
    source_number: str
    register_number: int | None
    reversed: bool
    reversed_by_entry_number: int | None
    reversed_entry_number: int | None

    @property
    def debit(self) -> Decimal:
        return self.amount if self.amount > 0 else Decimal("0.00")

    @property
    def credit(self) -> Decimal:
        return -self.amount if self.amount < 0 else Decimal("0.00")


DocumentType = Literal["Invoice", "Payment", "Refund", "Credit Memo"]


class CustLedgerEntryRead(_Read):
    id: int
    entry_number: int
    customer_id: uuid.UUID
    customer_number: str
    customer_name: str
    posting_date: date
    document_type: str
    document_number: str
    external_document_number: str
    description: str
    due_date: date | None
    amount: Amount
    remaining_amount: Amount
    open: bool
    pmt_discount_date: date | None
    original_pmt_disc_possible: Amount
    remaining_pmt_disc_possible: Amount
    closed_by_entry_number: int | None
    closed_at_date: date | None
    register_number: int | None
    sales_invoice_id: uuid.UUID | None
    reversed: bool


class DetailedEntryRead(_Read):
    id: int
    cust_ledger_entry_number: int
    entry_type: str
    posting_date: date
    document_type: str
    document_number: str
    customer_number: str
    amount: Amount
    applied_entry_number: int | None
    unapplied: bool


class CustomerBalanceRead(_Read):
    customer_id: uuid.UUID
    customer_number: str
    customer_name: str
    balance: Amount
    open_entries: int


class OpenEntryRead(_Read):
    """A customer's open entry as the Apply Customer Entries page shows it for one payment."""

    id: int
    entry_number: int
    document_type: str
    document_number: str
    external_document_number: str
    posting_date: date
    due_date: date | None
    amount: Amount
    remaining_amount: Amount
    pmt_discount_date: date | None
    remaining_pmt_disc_possible: Amount
    # What "Amount to Apply" defaults to for this payment: the remaining amount, or the
    # remaining amount less the discount when the payment date is within the discount date.
    default_amount_to_apply: Amount
    amount_to_apply: Amount  # set for this payment (0 when not marked)
    applied: bool  # marked (Applies-to ID)
    # Business Central refuses to apply to an entry posted after the payment.
    can_apply: bool
    reason: str = ""


class ApplicationsRead(_Read):
    payment_id: uuid.UUID
    customer_number: str
    payment_amount: Amount  # negative: a receipt
    posting_date: date | None
    entries: list[OpenEntryRead]
    applied_amount: Amount  # Σ amount to apply
    # What is left of the payment after the applications (positive: stays open as credit).
    remaining_after: Amount


class ApplicationInput(ApiInput):
    cust_ledger_entry_id: int = Field(ge=1)
    amount_to_apply: Amount


class PlannedCount(_Read):
    table: str
    count: int


class PostingPreviewRead(_Read):
    """What posting would write now: per-table counts and the entries (nothing is saved)."""

    journal_code: str
    register_number: int
    lines_posted: int
    lines_skipped: int
    counts: list[PlannedCount]
    gl_entries: list[GLEntryRead]
    cust_entries: list[CustLedgerEntryRead]
    detailed_entries: list[DetailedEntryRead]
    changed_entries: list[CustLedgerEntryRead]  # existing entries the applications change
    total_debit: Amount
    total_credit: Amount

    def count_of(self, table: str) -> int:
        return next((c.count for c in self.counts if c.table == table), 0)


class ReversalRead(_Read):
    reversal: RegisterRead
    reversed_register_number: int
    reopened_entries: int


__all__ = [
    "ApplicationInput", "ApplicationsRead", "CustLedgerEntryRead", "CustomerBalanceRead",
    "DetailedEntryRead", "GLEntryRead", "OpenEntryRead", "PlannedCount", "PostingPreviewRead",
    "ProblemRead", "RegisterRead", "ReversalRead",
]

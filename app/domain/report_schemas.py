"""Read models of the reports (what app/services/reports.py returns)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.domain.reporting import AgingBy


class _Read(BaseModel):
    model_config = ConfigDict(frozen=True)


class TrialBalanceLine(_Read):
    number: str
    name: str
    account_type: str
    kind: Literal["posting", "heading", "begin", "end", "total"]
    indentation: int = 0
    debit: Decimal = Decimal("0.00")  # net change in the period, debits
    credit: Decimal = Decimal("0.00")  # net change in the period, credits (positive)
    net_change: Decimal = Decimal("0.00")
    balance: Decimal = Decimal("0.00")  # balance at the ending date


class TrialBalance(_Read):
    company_name: str
    start: date | None
    end: date
    lines: list[TrialBalanceLine]
    total_debit: Decimal
    total_credit: Decimal
    total_balance: Decimal


class AgedEntry(_Read):
    entry_number: int
    posting_date: date
    document_type: str
    document_number: str
    due_date: date | None
    aged_date: date
    original_amount: Decimal
    remaining_amount: Decimal  # as of the as-of date
    bucket: int


class AgedCustomer(_Read):
    customer_id: uuid.UUID
    customer_number: str
    name: str
    currency_code: str
    balance_due: Decimal
    amounts: list[Decimal]  # one per period: not due/current, 3 periods, older
    entries: list[AgedEntry] = Field(default_factory=list)


class AgedReceivables(_Read):
    company_name: str
    aged_as_of_date: date
    aging_by: AgingBy
    period_length_filter: str
    period_titles: list[str]
    details: bool
    customers: list[AgedCustomer]
    totals: list[Decimal]
    total_balance_due: Decimal


class StatementRow(_Read):
    posting_date: date
    document_type: str
    document_number: str
    description: str
    due_date: date | None
    amount: Decimal
    remaining_amount: Decimal | None = None  # open items style
    balance: Decimal


class OverdueEntry(_Read):
    """Show Overdue Entries (BC report 1316): an entry due before the ending date and still
    open at it, with what remained at the ending date."""
    posting_date: date
    document_type: str
    document_number: str
    description: str
    due_date: date
    amount: Decimal
    remaining_amount: Decimal


class CustomerStatement(_Read):
    customer_id: uuid.UUID
    customer_number: str
    name: str
    address: str
    opening_balance: Decimal
    rows: list[StatementRow]
    closing_balance: Decimal
    aging_titles: list[str] = Field(default_factory=list)
    aging: list[Decimal] = Field(default_factory=list)
    overdue: list[OverdueEntry] = Field(default_factory=list)  # when show_overdue


class Statements(_Read):
    company_name: str
    start: date
    end: date
    style: Literal["balance", "open-items"]
    statements: list[CustomerStatement]
    show_overdue: bool = False
    include_reversed: bool = False


class CustomerBalanceLine(_Read):
    customer_id: uuid.UUID
    customer_number: str
    name: str
    balance: Decimal
    overdue: Decimal


class CustomerBalances(_Read):
    company_name: str
    as_of: date
    lines: list[CustomerBalanceLine]
    total: Decimal
    total_overdue: Decimal

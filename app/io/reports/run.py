"""Run a report by name with its options and get its ``ReportTable`` (the command line and
the window share this)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from app.db import Database
from app.domain.errors import Invalid
from app.domain.reporting import AgingBy
from app.io.reports import tables
from app.io.reports.catalog import REPORTS
from app.io.reports.table import ReportTable
from app.services import reports


@dataclass(frozen=True)
class ReportOptions:
    as_of: date | None = None
    start: date | None = None
    end: date | None = None
    aging_by: AgingBy = "due"
    period: str = "30D"
    customer: str | None = None
    style: Literal["balance", "open-items"] = "balance"
    details: bool = False
    aging_band: str | None = None
    show_overdue: bool = False
    include_reversed: bool = False


def run(db: Database, company_id: uuid.UUID, name: str, options: ReportOptions, *,
        today: date | None = None) -> tuple[Any, ReportTable]:
    """(the read model, its table). Dates left out: the as-of/ending date is ``today``."""
    day = today or date.today()
    if name == "trial-balance":
        report: Any = reports.trial_balance(db, company_id, start=options.start,
                                            end=options.end or options.as_of or day)
        return report, tables.trial_balance(report)
    if name == "aged-receivables":
        report = reports.aged_receivables(
            db, company_id, as_of=options.as_of or options.end or day,
            aging_by=options.aging_by, period_length=options.period, details=options.details,
            customer_number=options.customer)
        return report, tables.aged_receivables(report)
    if name == "statement":
        end = options.end or options.as_of or day
        report = reports.statements(
            db, company_id, start=options.start or end.replace(day=1), end=end,
            style=options.style, customer_number=options.customer,
            aging_period=options.aging_band, aging_by=options.aging_by,
            show_overdue=options.show_overdue, include_reversed=options.include_reversed)
        return report, tables.statements(report)
    if name == "customer-balances":
        report = reports.customer_balances(db, company_id,
                                           as_of=options.as_of or options.end or day)
        return report, tables.customer_balances(report)
    raise Invalid(f"There is no report {name}; the reports are {', '.join(REPORTS)}.",
                  field="report")

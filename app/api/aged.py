"""``agedAccountsReceivables``: Business Central's read-only API page 30031 ("APIV2 - Aged
AR") over the aged receivables report (BC report 120, app/services/reports.py), a documented
Ledgerdesk extension-compatible page.

Mapping of the report's five buckets to BC's four amounts: ``currentAmount`` is Not Due
(due after the as-of date), ``period1Amount`` and ``period2Amount`` the first two periods of
``periodLengthFilter`` back, ``period3Amount`` the third period and everything older, so
``balanceDue`` is their sum. Aged by due date, as BC's page.

As in BC, the as-of date and the period length come from ``$filter``:
``agedAsOfDate eq 2026-11-30 and periodLengthFilter eq '30D'`` (each optional; defaults: the
company's work date and ``30D``). No other filter, and no ``$orderby`` (rows are in customer
number order); ``$select``, ``$top`` and ``$skip`` apply.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import ConfigDict, PlainSerializer

from app.api.errors import ApiError
from app.db import Database
from app.domain import odata as q
from app.domain.errors import Invalid
from app.domain.money import to_json_number
from app.domain.report_schemas import AgedCustomer, AgedReceivables
from app.domain.schemas import ApiModel, CustomerRead
from app.services import companies, reports
from app.services import odata as lists

if TYPE_CHECKING:
    from app.api.resources import Call, Options

NAME = "agedAccountsReceivables"
DEFAULT_PERIOD = "30D"
FILTER_HELP = ("agedAccountsReceivables takes $filter=agedAsOfDate eq YYYY-MM-DD and/or "
               "periodLengthFilter eq '30D' (joined by and), nothing else")

Money = Annotated[Decimal, PlainSerializer(to_json_number, return_type=Any, when_used="json")]


class AgedReceivableRead(ApiModel):
    """One customer's row of BC's agedAccountsReceivables page."""

    model_config = ConfigDict(frozen=True)
    customer_id: uuid.UUID
    customer_number: str
    name: str
    currency_code: str
    balance_due: Money
    current_amount: Money
    period1_amount: Money
    period2_amount: Money
    period3_amount: Money
    aged_as_of_date: date
    period_length_filter: str


def row_of(customer: AgedCustomer, report: AgedReceivables) -> AgedReceivableRead:
    a = customer.amounts
    return AgedReceivableRead(
        customer_id=customer.customer_id, customer_number=customer.customer_number,
        name=customer.name, currency_code=customer.currency_code,
        balance_due=customer.balance_due, current_amount=a[0], period1_amount=a[1],
        period2_amount=a[2], period3_amount=sum(a[3:], Decimal("0.00")),
        aged_as_of_date=report.aged_as_of_date,
        period_length_filter=report.period_length_filter)


def parameters(db: Database, company_id: uuid.UUID, where: q.Node | None) -> tuple[date, str]:
    """The as-of date and the period length a $filter asks for (or the defaults)."""
    as_of: date | None = None
    period = DEFAULT_PERIOD
    for term in q.conjuncts(where):
        if not (isinstance(term, q.Compare) and term.op == "eq" and term.prop.case is None):
            names = ", ".join(sorted(q.fields_of(term)))
            raise ApiError(400, "BadRequest", f"{FILTER_HELP}, not a condition on {names}.")
        name, value = term.prop.name, term.value
        if name == "agedAsOfDate" and isinstance(value, date):
            as_of = value
        elif name == "periodLengthFilter" and isinstance(value, str) and value.strip():
            period = value.strip()
        else:
            raise ApiError(400, "BadRequest", f"{FILTER_HELP}, not {name} eq {value!r}.")
    return as_of or companies.work_date(db, company_id), period


def rows(db: Database, company_id: uuid.UUID, opts: Options,
         customer: CustomerRead | None = None) -> list[AgedReceivableRead]:
    as_of, period = parameters(db, company_id, opts.filter)
    try:
        report = reports.aged_receivables(
            db, company_id, as_of=as_of, period_length=period,
            customer_number=customer.number if customer is not None else None)
    except Invalid as exc:
        if exc.field not in ("periodLength", "period"):
            raise
        raise ApiError(400, "BadRequest",
                       f"periodLengthFilter '{period}': {exc.message}") from None
    except (ValueError, OverflowError):  # the periods run past year 1 (calc_date's bound)
        raise ApiError(400, "BadRequest",
                       f"periodLengthFilter '{period}' goes back past the first date there "
                       "is.") from None
    out = [row_of(c, report) for c in report.customers]
    if customer is not None and not out:  # a customer with nothing open: a row of zeros
        zero = Decimal("0.00")
        out = [AgedReceivableRead(
            customer_id=customer.id, customer_number=customer.number,
            name=customer.display_name, currency_code=customer.currency_code,
            balance_due=zero, current_amount=zero, period1_amount=zero, period2_amount=zero,
            period3_amount=zero, aged_as_of_date=as_of,
            period_length_filter=report.period_length_filter)]
    return out


def customer_of(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID) -> CustomerRead:
    found = lists.get_one(db, "customers", lists.Scope(company_id), customer_id)
    assert isinstance(found, CustomerRead)
    return found


def check(call: Call, opts: Options) -> None:
    if opts.orderby:
        raise ApiError(400, "BadRequest",
                       "$orderby is not supported on agedAccountsReceivables (rows come in "
                       "customer number order).")
    if opts.expand:
        raise ApiError(400, "BadRequest",
                       f"$expand=customerPayments is not valid on {NAME}.")

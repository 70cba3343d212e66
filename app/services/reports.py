"""The reports accountants print, as read models: trial balance, aged receivables (BC report
120), customer statements (BC report 1316) and customer balances.

Every amount is summed in the database (integer cents, portable SQL for SQLite and
PostgreSQL): Python only sees one row per account, per customer or per open entry. Aging as
of a past date is computed from the detailed entries posted up to that date, never from
today's remaining amounts.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any, Literal

from sqlalchemy import BigInteger, and_, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import (
    Account,
    Company,
    CustLedgerEntry,
    Customer,
    DetailedCustLedgEntry,
    GLEntry,
    SalesInvoice,
)
from app.domain import reporting
from app.domain.errors import Invalid, NotFound
from app.domain.money import from_cents
from app.domain.posting import APPLICATION
from app.domain.report_schemas import (
    AgedCustomer,
    AgedEntry,
    AgedReceivables,
    CustomerBalanceLine,
    CustomerBalances,
    CustomerStatement,
    OverdueEntry,
    StatementRow,
    Statements,
    TrialBalance,
    TrialBalanceLine,
)
from app.services.common import get_company

_BIG = BigInteger()
D = DetailedCustLedgEntry
E = CustLedgerEntry


def _cents(col: Any) -> Any:
    return type_coerce(col, _BIG)


def _sum(expr: Any) -> Any:
    return func.coalesce(func.sum(expr), 0)


def _company_name(company: Company) -> str:
    return company.display_name or company.name


# --- trial balance ---------------------------------------------------------------------------

def trial_balance(db: Database, company_id: uuid.UUID, *, end: date,
                  start: date | None = None) -> TrialBalance:
    """Per G/L account: debit and credit of the net change from ``start`` (or the first
    entry) to ``end``, and the balance at ``end``; headings and totals as the account types
    say (a Begin-Total opens a group that its End-Total closes with the group's sums)."""
    reporting.check_range(start, end)
    with db.reading() as session:
        company = get_company(session, company_id)
        amount = _cents(GLEntry.amount)
        in_period = GLEntry.posting_date >= start if start is not None else literal(True)
        sums = {row[0]: row[1:] for row in session.execute(
            select(GLEntry.account_id,
                   _sum(case((and_(in_period, amount > 0), amount), else_=0)),
                   _sum(case((and_(in_period, amount < 0), -amount), else_=0)),
                   _sum(amount))
            .where(GLEntry.company_id == company_id, GLEntry.posting_date <= end)
            .group_by(GLEntry.account_id))}
        accounts = session.execute(
            select(Account.id, Account.number, Account.display_name, Account.account_type)
            .where(Account.company_id == company_id).order_by(Account.number)).all()
        lines: list[TrialBalanceLine] = []
        groups: list[list[int]] = []  # open Begin-Totals: [debit, credit, balance]
        grand = [0, 0, 0]
        for account_id, number, name, account_type in accounts:
            kind = reporting.account_heading_kind(account_type)
            indentation = len(groups)
            if kind == "posting":
                debit, credit, balance = (int(v) for v in sums.get(account_id, (0, 0, 0)))
                for group in groups:
                    group[0] += debit
                    group[1] += credit
                    group[2] += balance
                grand = [grand[0] + debit, grand[1] + credit, grand[2] + balance]
                lines.append(_tb_line(number, name, account_type, kind, indentation, debit,
                                      credit, balance))
            elif kind == "begin":
                lines.append(_tb_line(number, name, account_type, kind, indentation, 0, 0, 0))
                groups.append([0, 0, 0])
            elif kind in ("end", "total"):
                group = groups.pop() if kind == "end" and groups else grand
                lines.append(_tb_line(number, name, account_type, kind, len(groups), *group))
            else:
                lines.append(_tb_line(number, name, account_type, kind, indentation, 0, 0, 0))
        return TrialBalance(company_name=_company_name(company), start=start, end=end,
                            lines=lines, total_debit=from_cents(grand[0]),
                            total_credit=from_cents(grand[1]),
                            total_balance=from_cents(grand[2]))


def _tb_line(number: str, name: str, account_type: str, kind: Any, indentation: int,
             debit: int, credit: int, balance: int) -> TrialBalanceLine:
    return TrialBalanceLine(number=number, name=name, account_type=account_type, kind=kind,
                            indentation=indentation, debit=from_cents(debit),
                            credit=from_cents(credit), net_change=from_cents(debit - credit),
                            balance=from_cents(balance))


# --- remaining amounts as of a date ------------------------------------------------------------

def _remaining_as_of(company_id: uuid.UUID, as_of: date, customer_id: uuid.UUID | None = None
                     ) -> Any:
    """(entry id, remaining cents) of every entry open as of the date: the sum of its
    detailed entries posted on or before it (an entry's Initial Entry carries its own
    posting date, so later entries have none)."""
    remaining = func.sum(_cents(D.amount))
    stmt = select(D.cust_ledger_entry_id.label("entry_id"), remaining.label("remaining")).where(
        D.company_id == company_id, D.posting_date <= as_of)
    if customer_id is not None:
        stmt = stmt.where(D.cust_ledger_entry_id.in_(select(E.id).where(
            E.customer_id == customer_id)))
    return stmt.group_by(D.cust_ledger_entry_id).having(remaining != 0).subquery("open_as_of")


def _aged_date(aging_by: reporting.AgingBy) -> Any:
    if aging_by == "due":
        return func.coalesce(E.due_date, E.posting_date)
    if aging_by == "document":
        return func.coalesce(SalesInvoice.invoice_date, E.posting_date)
    return E.posting_date


def _bucket_case(periods: list[reporting.Period], column: Any) -> Any:
    whens = []
    for index, period in enumerate(periods[:-1]):
        conditions = []
        if period.start is not None:
            conditions.append(column >= period.start)
        if period.end is not None:
            conditions.append(column <= period.end)
        whens.append((and_(*conditions), index))
    return case(*whens, else_=len(periods) - 1)


# --- aged receivables (report 120) -------------------------------------------------------------

def aged_receivables(db: Database, company_id: uuid.UUID, *, as_of: date,
                     aging_by: reporting.AgingBy = "due", period_length: str = "30D",
                     details: bool = False, customer_number: str | None = None
                     ) -> AgedReceivables:
    if aging_by not in reporting.AGING_BY:
        raise Invalid(f"Aging by must be one of {', '.join(reporting.AGING_BY)}, not "
                      f"{aging_by}.", field="agingBy")
    periods = reporting.aging_periods(as_of, period_length, aging_by)
    with db.reading() as session:
        company = get_company(session, company_id)
        customer_id = _customer_id(session, company_id, customer_number)
        open_as_of = _remaining_as_of(company_id, as_of, customer_id)
        aged = _aged_date(aging_by)
        bucket = _bucket_case(periods, aged)
        base = select().select_from(open_as_of).join(E, E.id == open_as_of.c.entry_id)
        if aging_by == "document":
            base = base.outerjoin(SalesInvoice, SalesInvoice.id == E.sales_invoice_id)
        amounts: dict[Any, list[int]] = defaultdict(lambda: [0] * len(periods))
        for customer, index, cents in session.execute(
                base.add_columns(E.customer_id, bucket.label("bucket"),
                                 func.sum(open_as_of.c.remaining))
                .group_by(E.customer_id, bucket)):
            amounts[customer][int(index)] += int(cents)
        entries: dict[Any, list[AgedEntry]] = defaultdict(list)
        if details:
            for row in session.execute(base.add_columns(
                    E.customer_id, E.entry_number, E.posting_date, E.document_type,
                    E.document_number, E.due_date, aged.label("aged"), _cents(E.amount),
                    open_as_of.c.remaining).order_by(E.customer_id, aged, E.entry_number)):
                aged_day = row[6] if isinstance(row[6], date) else date.fromisoformat(row[6])
                entries[row[0]].append(AgedEntry(
                    entry_number=row[1], posting_date=row[2], document_type=row[3],
                    document_number=row[4], due_date=row[5], aged_date=aged_day,
                    original_amount=from_cents(int(row[7])),
                    remaining_amount=from_cents(int(row[8])),
                    bucket=reporting.bucket(periods, aged_day)))
        customers = _customers(session, company_id, list(amounts))
        result = []
        totals = [0] * len(periods)
        for key, (number, name, currency) in sorted(customers.items(), key=lambda c: c[1][0]):
            row_amounts = amounts[key]
            totals = [t + a for t, a in zip(totals, row_amounts, strict=True)]
            result.append(AgedCustomer(
                customer_id=key, customer_number=number, name=name, currency_code=currency,
                balance_due=from_cents(sum(row_amounts)),
                amounts=[from_cents(a) for a in row_amounts], entries=entries.get(key, [])))
        return AgedReceivables(
            company_name=_company_name(company), aged_as_of_date=as_of, aging_by=aging_by,
            period_length_filter=period_length.strip().upper(),
            period_titles=[p.title for p in periods], details=details, customers=result,
            totals=[from_cents(t) for t in totals], total_balance_due=from_cents(sum(totals)))


def _customer_id(session: Session, company_id: uuid.UUID, number: str | None
                 ) -> uuid.UUID | None:
    if not number:
        return None
    found = session.scalar(select(Customer.id).where(
        Customer.company_id == company_id, Customer.number == number.strip().upper()))
    if found is None:
        raise NotFound(f"The Customer {number.strip().upper()} cannot be found.",
                       field="customerNumber")
    return found


def _customers(session: Session, company_id: uuid.UUID, keys: list[Any]
               ) -> dict[Any, tuple[str, str, str]]:
    if not keys:
        return {}
    wanted = set(keys)
    return {key: (number, name, currency) for key, number, name, currency in session.execute(
        select(Customer.id, Customer.number, Customer.display_name, Customer.currency_code)
        .where(Customer.company_id == company_id)) if key in wanted}


# --- customer statement (report 1316) ----------------------------------------------------------

StatementStyle = Literal["balance", "open-items"]


def statements(db: Database, company_id: uuid.UUID, *, start: date, end: date,
               style: StatementStyle = "balance", customer_number: str | None = None,
               aging_period: str | None = None,
               aging_by: reporting.AgingBy = "due", show_overdue: bool = False,
               include_reversed: bool = False) -> Statements:
    """One statement per customer (the one asked for, or every customer with a balance at
    the ending date or entries in the period). Balance style: every entry of the period with
    a running balance after the balance at the start; Open Items: the entries open at the
    end, those posted before the start summed as the opening line. An aging band (a period
    length such as 30D or 1M+CM) ages the open entries from the ending date.

    As BC report 1316: entries of reversed registers and their reversals (``reversed`` on
    the customer ledger entry) are left out, from the lines and the balances alike, unless
    ``include_reversed``; ``show_overdue`` adds each customer's entries due before the
    ending date and still open at it."""
    reporting.check_range(start, end)
    if style not in ("balance", "open-items"):
        raise Invalid(f"The style must be balance or open-items, not {style}.", field="style")
    periods = reporting.aging_periods(end, aging_period, aging_by) if aging_period else []
    with db.reading() as session:
        company = get_company(session, company_id)
        customer_id = _customer_id(session, company_id, customer_number)
        where_customer = [E.customer_id == customer_id] if customer_id else [
            E.company_id == company_id]
        if not include_reversed:
            where_customer.append(E.reversed.is_(False))
        detail_of = select(D.customer_id.label("customer_id"), _cents(D.amount).label("amount"),
                           D.posting_date.label("posting_date")).join(
            E, E.id == D.cust_ledger_entry_id).where(*where_customer).subquery()
        balances: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])  # before, end, in period
        for key, before, at_end, moved in session.execute(
                select(detail_of.c.customer_id,
                       _sum(case((detail_of.c.posting_date < start, detail_of.c.amount),
                                 else_=0)),
                       _sum(detail_of.c.amount),
                       func.count(case((detail_of.c.posting_date >= start, 1))))
                .where(detail_of.c.posting_date <= end).group_by(detail_of.c.customer_id)):
            balances[key] = [int(before), int(at_end), int(moved)]
        keys = [k for k, (_, at_end, moved) in balances.items() if at_end or moved]
        if customer_id is not None and customer_id not in keys:
            keys = [customer_id]
        if style == "balance":
            rows = _balance_rows(session, where_customer, start, end)
        else:
            rows = _open_rows(session, company_id, customer_id, where_customer, start, end)
        aging = _statement_aging(session, company_id, customer_id, where_customer, end,
                                 periods, aging_by) if periods else {}
        overdue = _overdue_rows(session, company_id, customer_id, where_customer, end) \
            if show_overdue else {}
        info = _addresses(session, company_id, keys)
        out = []
        for key in sorted(keys, key=lambda k: info[k][0]):
            number, name, address = info[key]
            opening = balances[key][0] if style == "balance" else sum(_open_before(rows, key))
            body = [r for r in rows.get(key, []) if r[0] >= start]
            amounts = [r[5] if style == "balance" else r[6] for r in body]
            running = reporting.running(opening, amounts)
            out.append(CustomerStatement(
                customer_id=key, customer_number=number, name=name, address=address,
                opening_balance=from_cents(opening),
                rows=[StatementRow(posting_date=r[0], document_type=r[1], document_number=r[2],
                                   description=r[3], due_date=r[4], amount=from_cents(r[5]),
                                   remaining_amount=None if style == "balance"
                                   else from_cents(r[6]), balance=from_cents(b))
                      for r, b in zip(body, running, strict=True)],
                closing_balance=from_cents(balances[key][1]),
                aging_titles=[p.title for p in periods],
                aging=[from_cents(a) for a in aging.get(key, [0] * len(periods))],
                overdue=overdue.get(key, [])))
        return Statements(company_name=_company_name(company), start=start, end=end,
                          style=style, statements=out, show_overdue=show_overdue,
                          include_reversed=include_reversed)


def _overdue_rows(session: Session, company_id: uuid.UUID, customer_id: uuid.UUID | None,
                  where_customer: list[Any], end: date) -> dict[Any, list[OverdueEntry]]:
    """The entries due before the ending date and open at it (remaining as of the date)."""
    open_as_of = _remaining_as_of(company_id, end, customer_id)
    rows: dict[Any, list[OverdueEntry]] = defaultdict(list)
    for key, day, doc_type, doc_no, description, due, amount, remaining in session.execute(
            select(E.customer_id, E.posting_date, E.document_type, E.document_number,
                   E.description, E.due_date, _cents(E.amount), open_as_of.c.remaining)
            .join(open_as_of, open_as_of.c.entry_id == E.id)
            .where(*where_customer, E.due_date.is_not(None), E.due_date < end)
            .order_by(E.customer_id, E.due_date, E.entry_number)):
        rows[key].append(OverdueEntry(
            posting_date=day, document_type=doc_type, document_number=doc_no,
            description=description, due_date=due, amount=from_cents(int(amount)),
            remaining_amount=from_cents(int(remaining))))
    return rows


def _open_before(rows: dict[Any, list[tuple[Any, ...]]], key: Any) -> list[int]:
    return [r[6] for r in rows.get(key, []) if r[7]]


def _balance_rows(session: Session, where_customer: list[Any], start: date, end: date
                  ) -> dict[Any, list[tuple[Any, ...]]]:
    """The detailed entries of the period that move the balance: all but the two sides of
    an application between the customer's own entries (they net to zero)."""
    rows: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for key, day, doc_type, doc_no, description, due, entry_type, cents in session.execute(
            select(E.customer_id, D.posting_date, D.document_type, D.document_number,
                   E.description, E.due_date, D.entry_type, func.sum(_cents(D.amount)))
            .join(E, E.id == D.cust_ledger_entry_id)
            .where(*where_customer, D.posting_date >= start, D.posting_date <= end,
                   ~and_(D.entry_type == APPLICATION,
                         D.applied_cust_ledger_entry_id.is_not(None)))
            .group_by(E.customer_id, D.posting_date, E.entry_number, D.document_type,
                      D.document_number, E.description, E.due_date, D.entry_type)
            .order_by(E.customer_id, D.posting_date, E.entry_number, D.entry_type)):
        if not cents:
            continue
        text = description if entry_type != "Payment Discount" else \
            f"Payment discount, {description}".strip(", ")
        rows[key].append((day, doc_type, doc_no, text, due if doc_type == "Invoice" else None,
                          int(cents), None, False))
    return rows


def _open_rows(session: Session, company_id: uuid.UUID, customer_id: uuid.UUID | None,
               where_customer: list[Any], start: date, end: date
               ) -> dict[Any, list[tuple[Any, ...]]]:
    open_as_of = _remaining_as_of(company_id, end, customer_id)
    rows: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for key, day, doc_type, doc_no, description, due, amount, remaining in session.execute(
            select(E.customer_id, E.posting_date, E.document_type, E.document_number,
                   E.description, E.due_date, _cents(E.amount), open_as_of.c.remaining)
            .join(open_as_of, open_as_of.c.entry_id == E.id).where(*where_customer)
            .order_by(E.customer_id, E.posting_date, E.entry_number)):
        rows[key].append((day, doc_type, doc_no, description, due, int(amount),
                          int(remaining), day < start))
    return rows


def _statement_aging(session: Session, company_id: uuid.UUID, customer_id: uuid.UUID | None,
                     where_customer: list[Any], end: date, periods: list[reporting.Period],
                     aging_by: reporting.AgingBy) -> dict[Any, list[int]]:
    open_as_of = _remaining_as_of(company_id, end, customer_id)
    aged = _aged_date(aging_by)
    bucket = _bucket_case(periods, aged)
    stmt = select(E.customer_id, bucket, func.sum(open_as_of.c.remaining)).select_from(
        open_as_of).join(E, E.id == open_as_of.c.entry_id)
    if aging_by == "document":
        stmt = stmt.outerjoin(SalesInvoice, SalesInvoice.id == E.sales_invoice_id)
    out: dict[Any, list[int]] = defaultdict(lambda: [0] * len(periods))
    for key, index, cents in session.execute(stmt.where(*where_customer)
                                             .group_by(E.customer_id, bucket)):
        out[key][int(index)] += int(cents)
    return out


def _addresses(session: Session, company_id: uuid.UUID, keys: list[Any]
               ) -> dict[Any, tuple[str, str, str]]:
    wanted = set(keys)
    out = {}
    for row in session.execute(select(
            Customer.id, Customer.number, Customer.display_name, Customer.address_line1,
            Customer.address_line2, Customer.postal_code, Customer.city, Customer.country)
            .where(Customer.company_id == company_id)):
        if row[0] in wanted:
            place = " ".join(p for p in (row[5], row[6]) if p)
            address = ", ".join(p for p in (row[3], row[4], place, row[7]) if p)
            out[row[0]] = (row[1], row[2], address)
    return out


# --- customer balances -------------------------------------------------------------------------

def customer_balances(db: Database, company_id: uuid.UUID, *, as_of: date) -> CustomerBalances:
    """Each customer's balance at the date (detailed entries up to it) and what of it is
    overdue (open entries due before it)."""
    with db.reading() as session:
        company = get_company(session, company_id)
        balance = {key: int(cents) for key, cents in session.execute(
            select(D.customer_id, func.sum(_cents(D.amount)))
            .where(D.company_id == company_id, D.posting_date <= as_of)
            .group_by(D.customer_id))}
        open_as_of = _remaining_as_of(company_id, as_of)
        overdue = {key: int(cents) for key, cents in session.execute(
            select(E.customer_id, func.sum(open_as_of.c.remaining)).select_from(open_as_of)
            .join(E, E.id == open_as_of.c.entry_id)
            .where(func.coalesce(E.due_date, E.posting_date) < as_of)
            .group_by(E.customer_id))}
        keys = [k for k, v in balance.items() if v]
        names = _customers(session, company_id, keys)
        lines = [CustomerBalanceLine(customer_id=k, customer_number=names[k][0],
                                     name=names[k][1], balance=from_cents(balance[k]),
                                     overdue=from_cents(overdue.get(k, 0)))
                 for k in sorted(keys, key=lambda k: names[k][0])]
        return CustomerBalances(
            company_name=_company_name(company), as_of=as_of, lines=lines,
            total=from_cents(sum(balance[k] for k in keys)),
            total_overdue=from_cents(sum(overdue.get(k, 0) for k in keys)))

"""A company's books read in one snapshot, for export (app/io turns them into JSON)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.db import Database
from app.db.models import Account, Customer, Journal, NumberSeries, Payment, SalesInvoice
from app.domain.schemas import (
    AccountRead,
    CompanyRead,
    CustomerRead,
    JournalRead,
    NumberSeriesRead,
    PaymentRead,
    SalesInvoiceRead,
)
from app.services import accounts, companies, customers, invoices, journals, number_series
from app.services import payments as payments_service
from app.services.common import get_company


@dataclass(frozen=True)
class JournalWithLines:
    journal: JournalRead
    payments: list[PaymentRead]


@dataclass(frozen=True)
class CompanyBooks:
    """Everything an export writes, as read models, consistent with one another."""

    company: CompanyRead
    accounts: list[AccountRead]
    number_series: list[NumberSeriesRead]
    customers: list[CustomerRead]
    sales_invoices: list[SalesInvoiceRead]
    journals: list[JournalWithLines]


def snapshot(db: Database, company_id: uuid.UUID) -> CompanyBooks:
    """One read transaction, so the journals and the master data they name agree."""
    with db.reading() as session:
        company = companies.to_read(get_company(session, company_id))

        journal_rows = list(session.scalars(
            select(Journal).where(Journal.company_id == company_id).order_by(Journal.code)))
        codes = {j.id: j.code for j in journal_rows}
        lines: dict[uuid.UUID, list[PaymentRead]] = {j.id: [] for j in journal_rows}
        if journal_rows:
            for payment in session.scalars(
                    select(Payment).where(Payment.journal_id.in_(list(codes)))
                    .order_by(Payment.journal_id, Payment.line_number)):
                lines[payment.journal_id].append(
                    payments_service.to_read(payment, codes[payment.journal_id]))
        account_rows = session.scalars(
            select(Account).where(Account.company_id == company_id).order_by(Account.number))
        series_rows = session.scalars(
            select(NumberSeries).where(NumberSeries.company_id == company_id)
            .order_by(NumberSeries.code))
        customer_rows = session.scalars(
            select(Customer).where(Customer.company_id == company_id).order_by(Customer.number))
        invoice_rows = session.scalars(
            select(SalesInvoice).where(SalesInvoice.company_id == company_id)
            .order_by(SalesInvoice.number))
        return CompanyBooks(
            company=company,
            accounts=[accounts.to_read(a) for a in account_rows],
            number_series=[number_series.to_read(s) for s in series_rows],
            customers=[customers.to_read(c) for c in customer_rows],
            sales_invoices=[invoices.to_read(i) for i in invoice_rows],
            journals=[JournalWithLines(journals.to_read(j), lines[j.id]) for j in journal_rows],
        )

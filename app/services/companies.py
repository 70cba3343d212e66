"""Companies: several live in one database file."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, object_session

from app.db import Database
from app.db.models import (
    Account,
    Company,
    CustLedgerEntry,
    Customer,
    DetailedCustLedgEntry,
    GLEntry,
    GLRegister,
    Journal,
    NumberSeries,
    Payment,
    SalesInvoice,
)
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.schemas import CompanyArchive, CompanyCreate, CompanyRead, CompanyUpdate
from app.services import ledger_common
from app.services.common import (
    apply_changes,
    check_version,
    flush,
    get_company,
    insert_exact,
    touch,
)


def to_read(company: Company) -> CompanyRead:
    return CompanyRead(
        id=company.id, version=company.version, last_modified_date_time=company.last_modified,
        name=company.name, display_name=company.display_name,
        business_profile_id=company.business_profile_id, work_date=company.work_date,
        allow_posting_from=company.allow_posting_from, allow_posting_to=company.allow_posting_to,
        payment_discount_account_number=_discount_account_number(company),
    )


def _discount_account_number(company: Company) -> str:
    if company.payment_discount_account_id is None:
        return ""
    session = object_session(company)
    account = session.get(Account, company.payment_discount_account_id) if session else None
    return account.number if account is not None else ""


def _duplicate(name: str) -> str:
    return f"A company named {name} already exists."


def create(db: Database, data: CompanyCreate) -> CompanyRead:
    with db.transaction() as session:
        return to_read(create_in(session, data))


def create_in(session: Session, data: CompanyCreate) -> Company:
    """Create inside the caller's transaction (an import into a new company)."""
    company = Company(**data.model_dump(by_alias=False,
                                        exclude={"payment_discount_account_number"}))
    company.display_name = company.display_name or company.name
    session.add(company)
    flush(session, _duplicate(data.name), field="name")
    if data.payment_discount_account_number:
        from app.services.posting import set_payment_discount_account_in

        set_payment_discount_account_in(session, company, data.payment_discount_account_number)
    return company


def get(db: Database, company_id: uuid.UUID) -> CompanyRead:
    with db.reading() as session:
        return to_read(get_company(session, company_id))


def list_all(db: Database) -> list[CompanyRead]:
    with db.reading() as session:
        return [to_read(c) for c in session.scalars(select(Company).order_by(Company.name))]


def find(db: Database, name_or_id: str) -> CompanyRead:
    """A company by its name (case-insensitive) or its id, as the command line names it."""
    wanted = name_or_id.strip()
    companies = list_all(db)
    for company in companies:
        if str(company.id) == wanted.lower() or company.name.casefold() == wanted.casefold():
            return company
    names = ", ".join(c.name for c in companies) or "none"
    raise NotFound(f"There is no company '{wanted}' in this database (companies: {names}).",
                   field="company")


def the_only(db: Database) -> CompanyRead:
    companies = list_all(db)
    if len(companies) != 1:
        names = ", ".join(c.name for c in companies) or "none"
        raise Invalid(f"Name the company: this database holds {len(companies)} "
                      f"(companies: {names}).", field="company")
    return companies[0]


def update(db: Database, company_id: uuid.UUID, data: CompanyUpdate, *,
           version: int | None) -> CompanyRead:
    with db.transaction() as session:
        company = get_company(session, company_id)
        check_version(company, version)
        changes = data.changes()
        if "payment_discount_account_number" in changes:
            from app.services.posting import set_payment_discount_account_in

            set_payment_discount_account_in(session, company,
                                            changes.pop("payment_discount_account_number"))
        apply_changes(company, changes)
        if company.allow_posting_from and company.allow_posting_to and \
                company.allow_posting_from > company.allow_posting_to:
            raise Invalid("allowPostingTo must not be before allowPostingFrom.",
                          field="allowPostingTo")
        touch(company)
        flush(session, _duplicate(company.name), field="name")
        return to_read(company)


def delete(db: Database, company_id: uuid.UUID, *, version: int | None) -> None:
    """Delete a company and everything in it (the UI asks first)."""
    with db.transaction() as session:
        company = get_company(session, company_id)
        check_version(company, version)
        _delete_in(session, company)


def _delete_in(session: Session, company: Company) -> None:
    journal_ids = select(Journal.id).where(Journal.company_id == company.id)
    session.execute(sql_delete(Payment).where(Payment.journal_id.in_(journal_ids)))
    for ledger in (DetailedCustLedgEntry, CustLedgerEntry, GLEntry):
        session.execute(sql_delete(ledger).where(ledger.company_id == company.id))
    session.execute(sql_update(GLRegister).where(GLRegister.company_id == company.id)
                    .values(reversed_by_register_id=None, reversal_of_register_id=None))
    session.execute(sql_delete(GLRegister).where(GLRegister.company_id == company.id))
    for model in (Journal, SalesInvoice, Customer, Account, NumberSeries):
        session.execute(sql_delete(model).where(model.company_id == company.id))
    session.delete(company)
    flush(session)


def work_date(db: Database, company_id: uuid.UUID) -> date:
    with db.reading() as session:
        return get_company(session, company_id).work_date or date.today()


def delete_archived(db: Database, company_id: uuid.UUID, *, version: int | None,
                    only_if_empty: bool = False) -> CompanyArchive:
    """Delete a company and everything in it; return all of it as it was (for undo).

    ``only_if_empty`` refuses when the company holds anything (undo of a create)."""
    from app.services import accounts, customers, invoices, journals, number_series

    with db.transaction() as session:
        company = get_company(session, company_id)
        check_version(company, version)

        def rows(model: type[Any], order: Any) -> list[Any]:
            return list(session.scalars(select(model).where(model.company_id == company_id)
                                        .order_by(order)))

        archive = CompanyArchive(
            company=to_read(company),
            receipts_number_series_code=company.receipts_number_series_code,
            number_series=[number_series.to_read(s)
                           for s in rows(NumberSeries, NumberSeries.code)],
            accounts=[accounts.to_read(a) for a in rows(Account, Account.number)],
            customers=[customers.to_read(c) for c in rows(Customer, Customer.number)],
            invoices=[invoices.to_read(i) for i in rows(SalesInvoice, SalesInvoice.number)],
            # The lines' applications are among the ledger rows (restored after the entries).
            journals=[journals.archive_of(session, j, applications=False)
                      for j in rows(Journal, Journal.code)],
            payment_discount_account_id=company.payment_discount_account_id,
            invoice_account_id=company.invoice_account_id,
            ledger_rows=ledger_common.archive_ledgers(session, company_id),
        )
        if only_if_empty and (archive.number_series or archive.accounts or archive.customers
                              or archive.invoices or archive.journals):
            raise Conflict(f"Company {company.name} holds records now, entered since; delete "
                           "it from the Companies list instead.", field="name")
        _delete_in(session, company)
        return archive


def restore(db: Database, archive: CompanyArchive) -> CompanyRead:
    """Put a deleted company back with everything in it: same ids, versions and numbers."""
    from app.services import accounts, customers, invoices, journals

    with db.transaction() as session:
        company = archive.company
        insert_exact(session, Company, [dict(
            id=company.id, version=company.version,
            last_modified=company.last_modified_date_time, name=company.name,
            display_name=company.display_name, business_profile_id=company.business_profile_id,
            work_date=company.work_date, allow_posting_from=company.allow_posting_from,
            allow_posting_to=company.allow_posting_to,
            receipts_number_series_code=archive.receipts_number_series_code,
            payment_discount_account_id=archive.payment_discount_account_id,
            invoice_account_id=archive.invoice_account_id)],
            _duplicate(company.name), field="name")
        cid = company.id
        insert_exact(session, NumberSeries, [
            {**s.model_dump(by_alias=False, exclude={"last_modified_date_time"}),
             "version": s.version, "last_modified": s.last_modified_date_time, "company_id": cid}
            for s in archive.number_series])
        insert_exact(session, Account, [accounts.row_of(cid, a) for a in archive.accounts])
        insert_exact(session, Customer, [customers.row_of(cid, c) for c in archive.customers])
        insert_exact(session, SalesInvoice, [invoices.row_of(cid, i) for i in archive.invoices])
        for journal in archive.journals:
            journals.restore_in(session, cid, journal)
        ledger_common.restore_ledgers(session, archive.ledger_rows)
        return to_read(get_company(session, cid))

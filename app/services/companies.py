"""Companies: several live in one database file."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import (
    Account,
    Company,
    Customer,
    Journal,
    NumberSeries,
    Payment,
    SalesInvoice,
)
from app.domain.errors import Invalid, NotFound
from app.domain.schemas import CompanyCreate, CompanyRead, CompanyUpdate
from app.services.common import apply_changes, check_version, flush, get_company, touch


def to_read(company: Company) -> CompanyRead:
    return CompanyRead(
        id=company.id, version=company.version, last_modified_date_time=company.last_modified,
        name=company.name, display_name=company.display_name,
        business_profile_id=company.business_profile_id, work_date=company.work_date,
        allow_posting_from=company.allow_posting_from, allow_posting_to=company.allow_posting_to,
    )


def _duplicate(name: str) -> str:
    return f"A company named {name} already exists."


def create(db: Database, data: CompanyCreate) -> CompanyRead:
    with db.transaction() as session:
        return to_read(create_in(session, data))


def create_in(session: Session, data: CompanyCreate) -> Company:
    """Create inside the caller's transaction (an import into a new company)."""
    company = Company(**data.model_dump(by_alias=False))
    company.display_name = company.display_name or company.name
    session.add(company)
    flush(session, _duplicate(data.name), field="name")
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
        journal_ids = select(Journal.id).where(Journal.company_id == company_id)
        session.execute(sql_delete(Payment).where(Payment.journal_id.in_(journal_ids)))
        for model in (Journal, SalesInvoice, Customer, Account, NumberSeries):
            session.execute(sql_delete(model).where(model.company_id == company_id))
        session.delete(company)
        flush(session)


def work_date(db: Database, company_id: uuid.UUID) -> date:
    with db.reading() as session:
        return get_company(session, company_id).work_date or date.today()

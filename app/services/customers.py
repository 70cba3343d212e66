"""Customers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Account, CustLedgerEntry, Customer, Payment, SalesInvoice, utc_now
from app.domain.errors import Conflict
from app.domain.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from app.services.common import (
    apply_changes,
    check_version,
    flush,
    get_company,
    get_owned,
    insert_exact,
    missing_ids,
    resolve_by_id_or_number,
    touch,
)

LABEL = "Customer"
_REFERENCE_FIELDS = ("receivables_account_id", "receivables_account_number")


def to_read(customer: Customer) -> CustomerRead:
    account = customer.receivables_account
    return CustomerRead(
        id=customer.id, version=customer.version, last_modified_date_time=customer.last_modified,
        number=customer.number, display_name=customer.display_name, type=customer.type,
        address_line1=customer.address_line1, address_line2=customer.address_line2,
        city=customer.city, state=customer.state, country=customer.country,
        postal_code=customer.postal_code, phone_number=customer.phone_number,
        email=customer.email, website=customer.website,
        tax_registration_number=customer.tax_registration_number,
        currency_code=customer.currency_code, blocked=customer.blocked,
        application_method=customer.application_method,
        receivables_account_id=account.id if account else None,
        receivables_account_number=account.number if account else "",
    )


def _duplicate(number: str) -> str:
    return f"Customer {number} already exists."


def _receivables_account(session: Session, company_id: uuid.UUID,
                         fields: dict[str, Any]) -> Account | None:
    return resolve_by_id_or_number(
        session, Account, company_id, fields.get("receivables_account_id"),
        fields.get("receivables_account_number"),
        id_field="receivablesAccountId", number_field="receivablesAccountNumber",
        label="G/L Account")


def create(db: Database, company_id: uuid.UUID, data: CustomerCreate) -> CustomerRead:
    with db.transaction() as session:
        return to_read(create_in(session, company_id, data))


def create_in(session: Session, company_id: uuid.UUID, data: CustomerCreate) -> Customer:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    fields = data.model_dump(by_alias=False)
    account = _receivables_account(session, company_id, fields)
    values = {k: v for k, v in fields.items() if k not in _REFERENCE_FIELDS}
    customer = Customer(company_id=company_id, **values)
    customer.receivables_account = account
    session.add(customer)
    flush(session, _duplicate(data.number), field="number")
    return customer


def get(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID) -> CustomerRead:
    with db.reading() as session:
        return to_read(get_owned(session, Customer, company_id, customer_id, LABEL))


def list_all(db: Database, company_id: uuid.UUID) -> list[CustomerRead]:
    with db.reading() as session:
        rows = session.scalars(
            select(Customer).where(Customer.company_id == company_id).order_by(Customer.number))
        return [to_read(c) for c in rows]


def update(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID, data: CustomerUpdate,
           *, version: int | None) -> CustomerRead:
    with db.transaction() as session:
        customer = get_owned(session, Customer, company_id, customer_id, LABEL)
        check_version(customer, version)
        changes = data.changes()
        if any(k in changes for k in _REFERENCE_FIELDS):
            customer.receivables_account = _receivables_account(session, company_id, changes)
        old_number = customer.number
        apply_changes(customer, {k: v for k, v in changes.items() if k not in _REFERENCE_FIELDS})
        touch(customer)
        flush(session, _duplicate(customer.number), field="number")
        if customer.number != old_number:
            # Journal lines keep the customer number (as BC's Account No.): rename them too.
            # Their versions move too, so a grid holding such a line sees it as changed.
            session.execute(sql_update(Payment).where(Payment.customer_id == customer_id)
                            .values(customer_number=customer.number,
                                    version=Payment.version + 1, last_modified=utc_now())
                            .execution_options(synchronize_session=False))
        return to_read(customer)


def delete(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID, *,
           version: int | None) -> None:
    with db.transaction() as session:
        customer = get_owned(session, Customer, company_id, customer_id, LABEL)
        check_version(customer, version)
        if session.scalar(select(exists().where(Payment.customer_id == customer_id))):
            raise Conflict(f"You cannot delete customer {customer.number} because journal lines "
                           "for it exist.", field="number")
        if session.scalar(select(exists().where(SalesInvoice.customer_id == customer_id))):
            raise Conflict(f"You cannot delete customer {customer.number} because it has "
                           "invoices.", field="number")
        if session.scalar(select(exists().where(CustLedgerEntry.customer_id == customer_id))):
            raise Conflict(f"You cannot delete customer {customer.number} because it has "
                           "ledger entries.", field="number")
        session.delete(customer)
        flush(session)


def row_of(company_id: uuid.UUID, customer: CustomerRead) -> dict[str, Any]:
    """The table row a read model came from (for restoring it exactly)."""
    values = customer.model_dump(by_alias=False, exclude={
        "last_modified_date_time", "receivables_account_number"})
    return {**values, "last_modified": customer.last_modified_date_time,
            "company_id": company_id, "version": customer.version}


def restore(db: Database, company_id: uuid.UUID, snapshot: CustomerRead) -> CustomerRead:
    """Put a deleted customer back with its id and version (undo of a delete)."""
    with db.transaction() as session:
        get_company(session, company_id)
        account_id = snapshot.receivables_account_id
        if account_id is not None and missing_ids(session, Account, {account_id}):
            raise Conflict(f"Customer {snapshot.number} cannot be restored: its receivables "
                           f"account {snapshot.receivables_account_number} no longer exists.",
                           field="receivablesAccountNumber")
        insert_exact(session, Customer, [row_of(company_id, snapshot)],
                     _duplicate(snapshot.number), field="number")
        return to_read(get_owned(session, Customer, company_id, snapshot.id, LABEL))


def lookup_rows(db: Database, company_id: uuid.UUID) -> list[tuple[str, str, str, str]]:
    """(number, name, city, blocked) of every customer by number: what a lookup list shows,
    read with one indexed query instead of 20,000 read models."""
    with db.reading() as session:
        rows = session.execute(
            select(Customer.number, Customer.display_name, Customer.city, Customer.blocked)
            .where(Customer.company_id == company_id).order_by(Customer.number))
        return [(r[0], r[1], r[2], r[3]) for r in rows]


def name_of(db: Database, company_id: uuid.UUID, number: str) -> str | None:
    """The name of the customer with this number, or None."""
    with db.reading() as session:
        return session.scalar(select(Customer.display_name).where(
            Customer.company_id == company_id, Customer.number == number.strip().upper()))

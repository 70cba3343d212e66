"""Customers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import (
    Account,
    CustLedgerEntry,
    Customer,
    CustomerBankAccount,
    Payment,
    SalesInvoice,
    utc_now,
)
from app.domain.errors import Conflict
from app.domain.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from app.services.common import (
    apply_changes,
    get_company,
    missing_ids,
    resolve_by_id_or_number,
)
from app.services.crud import Guard, MasterData

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


CRUD: MasterData[Customer, CustomerRead] = MasterData(
    Customer, LABEL, to_read, _duplicate, guards=(
        Guard(lambda i: Payment.customer_id == i, "You cannot delete customer {key} because "
              "journal lines for it exist."),
        Guard(lambda i: SalesInvoice.customer_id == i, "You cannot delete customer {key} "
              "because it has invoices."),
        Guard(lambda i: CustLedgerEntry.customer_id == i, "You cannot delete customer {key} "
              "because it has ledger entries."),
        # Its bank accounts would go with it, and Undo could not bring them back.
        Guard(lambda i: CustomerBankAccount.customer_id == i, "You cannot delete customer "
              "{key} because it has bank accounts. Delete them first (Customer Bank "
              "Accounts)."),
    ))


def create(db: Database, company_id: uuid.UUID, data: CustomerCreate) -> CustomerRead:
    return CRUD.create(db, company_id, data, create_in)


def create_in(session: Session, company_id: uuid.UUID, data: CustomerCreate) -> Customer:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    fields = data.model_dump(by_alias=False)
    account = _receivables_account(session, company_id, fields)
    values = {k: v for k, v in fields.items() if k not in _REFERENCE_FIELDS}
    customer = Customer(company_id=company_id, **values)
    customer.receivables_account = account
    return CRUD.added(session, customer)


# Read one, read all (by number), delete: the shared ones (app/services/crud.py).
get = CRUD.get
list_all = CRUD.list_all



def update(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID, data: CustomerUpdate,
           *, version: int | None) -> CustomerRead:
    with CRUD.editing(db, company_id, customer_id, version) as (session, customer):
        changes = data.changes()
        if any(k in changes for k in _REFERENCE_FIELDS):
            customer.receivables_account = _receivables_account(session, company_id, changes)
        old_number = customer.number
        apply_changes(customer, {k: v for k, v in changes.items() if k not in _REFERENCE_FIELDS})
        CRUD.saved(session, customer)
        if customer.number != old_number:
            # Journal lines keep the customer number (as BC's Account No.): rename them too.
            # Their versions move too, so a grid holding such a line sees it as changed.
            session.execute(sql_update(Payment).where(Payment.customer_id == customer_id)
                            .values(customer_number=customer.number,
                                    version=Payment.version + 1, last_modified=utc_now())
                            .execution_options(synchronize_session=False))
        return to_read(customer)


delete = CRUD.delete


def row_of(company_id: uuid.UUID, customer: CustomerRead) -> dict[str, Any]:
    """The table row a read model came from (for restoring it exactly)."""
    values = customer.model_dump(by_alias=False, exclude={
        "last_modified_date_time", "receivables_account_number"})
    return {**values, "last_modified": customer.last_modified_date_time,
            "company_id": company_id, "version": customer.version}


def restore(db: Database, company_id: uuid.UUID, snapshot: CustomerRead) -> CustomerRead:
    """Put a deleted customer back with its id and version (undo of a delete)."""
    def check(session: Session) -> None:
        account_id = snapshot.receivables_account_id
        if account_id is not None and missing_ids(session, Account, {account_id}):
            raise Conflict(f"Customer {snapshot.number} cannot be restored: its receivables "
                           f"account {snapshot.receivables_account_number} no longer exists.",
                           field="receivablesAccountNumber")

    return CRUD.restore(db, company_id, snapshot, row_of(company_id, snapshot), check=check)


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

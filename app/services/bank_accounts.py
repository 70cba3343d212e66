"""Customer bank accounts (IBAN, validated by app/domain/bank.py) and saved CSV mapping
profiles of bank statements."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import BankCsvProfile, Customer, CustomerBankAccount
from app.domain.bank_schemas import (
    CustomerBankAccountCreate,
    CustomerBankAccountRead,
    CustomerBankAccountUpdate,
)
from app.domain.errors import Conflict, Invalid, NotFound
from app.services.common import (
    check_version,
    flush,
    get_company,
    resolve_by_id_or_number,
    touch,
)

LABEL = "customer bank account"


def to_read(account: CustomerBankAccount, customer_number: str) -> CustomerBankAccountRead:
    return CustomerBankAccountRead(
        id=account.id, version=account.version, last_modified_date_time=account.last_modified,
        customer_id=account.customer_id, customer_number=customer_number, code=account.code,
        name=account.name, iban=account.iban, swift_code=account.swift_code)


def create_in(session: Session, company_id: uuid.UUID,
              data: CustomerBankAccountCreate) -> CustomerBankAccount:
    get_company(session, company_id)
    customer = resolve_by_id_or_number(
        session, Customer, company_id, data.customer_id, data.customer_number,
        id_field="customerId", number_field="customerNumber", label="Customer")
    if customer is None:
        raise Invalid("A customerNumber or a customerId must be provided.",
                      field="customerNumber")
    _check_iban_free(session, company_id, data.iban, customer.id, None)
    account = CustomerBankAccount(company_id=company_id, customer_id=customer.id,
                                  code=data.code, name=data.name, iban=data.iban,
                                  swift_code=data.swift_code)
    session.add(account)
    flush(session, f"Customer {customer.number} already has a bank account {data.code}.",
          field="code")
    return account


def _check_iban_free(session: Session, company_id: uuid.UUID, iban: str,
                     customer_id: uuid.UUID, own_id: uuid.UUID | None) -> None:
    """One IBAN belongs to one customer: a statement line paid from it must say who paid."""
    other = session.execute(
        select(CustomerBankAccount.id, Customer.number)
        .join(Customer, Customer.id == CustomerBankAccount.customer_id)
        .where(CustomerBankAccount.company_id == company_id, CustomerBankAccount.iban == iban,
               CustomerBankAccount.customer_id != customer_id)).first()
    if other is not None and other[0] != own_id:
        raise Conflict(f"The IBAN {iban} is already a bank account of customer {other[1]}.",
                       field="iban")


def create(db: Database, company_id: uuid.UUID,
           data: CustomerBankAccountCreate) -> CustomerBankAccountRead:
    with db.transaction() as session:
        account = create_in(session, company_id, data)
        customer = session.get(Customer, account.customer_id)
        assert customer is not None
        return to_read(account, customer.number)


def list_of_customer(db: Database, company_id: uuid.UUID,
                     customer_id: uuid.UUID) -> list[CustomerBankAccountRead]:
    with db.reading() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.company_id != company_id:
            raise NotFound(f"The customer with ID {customer_id} cannot be found.", field="id")
        rows = session.scalars(select(CustomerBankAccount).where(
            CustomerBankAccount.customer_id == customer_id).order_by(CustomerBankAccount.code))
        return [to_read(a, customer.number) for a in rows]


def _owned(session: Session, company_id: uuid.UUID, account_id: uuid.UUID
           ) -> CustomerBankAccount:
    account = session.get(CustomerBankAccount, account_id)
    if account is None or account.company_id != company_id:
        raise NotFound(f"The {LABEL} with ID {account_id} cannot be found.", field="id")
    return account


def update(db: Database, company_id: uuid.UUID, account_id: uuid.UUID,
           data: CustomerBankAccountUpdate, *, version: int | None) -> CustomerBankAccountRead:
    with db.transaction() as session:
        account = _owned(session, company_id, account_id)
        check_version(account, version)
        changes = data.changes()
        if changes.get("iban"):
            _check_iban_free(session, company_id, changes["iban"], account.customer_id,
                             account.id)
        for name, value in changes.items():
            if value is not None:
                setattr(account, name, value)
        touch(account)
        flush(session, f"The customer already has a bank account {account.code}.",
              field="code")
        customer = session.get(Customer, account.customer_id)
        assert customer is not None
        return to_read(account, customer.number)


def delete(db: Database, company_id: uuid.UUID, account_id: uuid.UUID, *,
           version: int | None) -> None:
    with db.transaction() as session:
        account = _owned(session, company_id, account_id)
        check_version(account, version)
        session.delete(account)
        flush(session)


def customers_with_iban(db: Database, company_id: uuid.UUID, iban: str) -> list[str]:
    """Numbers of the customers with this IBAN (the lookup of the review dialog)."""
    from app.domain.bank import compact_iban

    with db.reading() as session:
        return list(session.scalars(
            select(Customer.number).join(CustomerBankAccount,
                                         CustomerBankAccount.customer_id == Customer.id)
            .where(CustomerBankAccount.company_id == company_id,
                   CustomerBankAccount.iban == compact_iban(iban))))


# --- CSV mapping profiles ----------------------------------------------------------------------

def save_csv_profile(db: Database, company_id: uuid.UUID, name: str, settings: str) -> None:
    """Create or replace the profile ``name`` (its settings as JSON)."""
    name = name.strip()
    if not name:
        raise Invalid("A CSV profile needs a name.", field="name")
    if len(name) > 50:
        raise Invalid("A CSV profile's name has at most 50 characters.", field="name")
    with db.transaction() as session:
        get_company(session, company_id)
        found = session.scalars(select(BankCsvProfile).where(
            BankCsvProfile.company_id == company_id, BankCsvProfile.name == name)).first()
        if found is None:
            session.add(BankCsvProfile(company_id=company_id, name=name, settings=settings))
        else:
            found.settings = settings
            touch(found)
        flush(session)


def csv_profile(db: Database, company_id: uuid.UUID, name: str) -> str:
    with db.reading() as session:
        found = session.scalar(select(BankCsvProfile.settings).where(
            BankCsvProfile.company_id == company_id, BankCsvProfile.name == name.strip()))
        if found is None:
            raise NotFound(f"There is no CSV profile {name.strip()!r}.", field="profile")
        return found


def csv_profile_names(db: Database, company_id: uuid.UUID) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(BankCsvProfile.name).where(
            BankCsvProfile.company_id == company_id).order_by(BankCsvProfile.name)))

"""G/L accounts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Account, Company, Customer, GLEntry, Journal
from app.domain import rules
from app.domain.errors import Conflict
from app.domain.schemas import AccountCreate, AccountRead, AccountUpdate
from app.services.common import (
    apply_changes,
    check_version,
    flush,
    get_company,
    get_owned,
    insert_exact,
    touch,
)

LABEL = "G/L Account"


def to_read(account: Account) -> AccountRead:
    return AccountRead(
        id=account.id, version=account.version, last_modified_date_time=account.last_modified,
        number=account.number, display_name=account.display_name, category=account.category,
        sub_category=account.sub_category, account_type=account.account_type,
        direct_posting=account.direct_posting, blocked=account.blocked,
    )


def _duplicate(number: str) -> str:
    return f"G/L Account {number} already exists."


def create(db: Database, company_id: uuid.UUID, data: AccountCreate) -> AccountRead:
    with db.transaction() as session:
        return to_read(create_in(session, company_id, data))


def create_in(session: Session, company_id: uuid.UUID, data: AccountCreate) -> Account:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    account = Account(company_id=company_id, **data.model_dump(by_alias=False))
    session.add(account)
    flush(session, _duplicate(data.number), field="number")
    return account


def get(db: Database, company_id: uuid.UUID, account_id: uuid.UUID) -> AccountRead:
    with db.reading() as session:
        return to_read(get_owned(session, Account, company_id, account_id, LABEL))


def list_all(db: Database, company_id: uuid.UUID) -> list[AccountRead]:
    with db.reading() as session:
        rows = session.scalars(
            select(Account).where(Account.company_id == company_id).order_by(Account.number))
        return [to_read(a) for a in rows]


def list_direct_posting(db: Database, company_id: uuid.UUID) -> list[AccountRead]:
    """Accounts a journal may balance against: Posting, not blocked, direct posting."""
    return [a for a in list_all(db, company_id)
            if rules.is_postable(a, direct=True)]


def update(db: Database, company_id: uuid.UUID, account_id: uuid.UUID, data: AccountUpdate, *,
           version: int | None) -> AccountRead:
    with db.transaction() as session:
        account = get_owned(session, Account, company_id, account_id, LABEL)
        check_version(account, version)
        apply_changes(account, data.changes())
        touch(account)
        flush(session, _duplicate(account.number), field="number")
        return to_read(account)


def delete(db: Database, company_id: uuid.UUID, account_id: uuid.UUID, *,
           version: int | None) -> None:
    with db.transaction() as session:
        account = get_owned(session, Account, company_id, account_id, LABEL)
        check_version(account, version)
        if session.scalar(select(exists().where(Journal.balancing_account_id == account_id))):
            raise Conflict(f"You cannot delete G/L Account {account.number} because a payment "
                           "journal balances against it.", field="number")
        if session.scalar(select(exists().where(Customer.receivables_account_id == account_id))):
            raise Conflict(f"You cannot delete G/L Account {account.number} because customers "
                           "post their receivables to it.", field="number")
        if session.scalar(select(exists().where(GLEntry.account_id == account_id))):
            raise Conflict(f"You cannot delete G/L Account {account.number} because it has "
                           "ledger entries.", field="number")
        if session.scalar(select(exists().where(
                Company.payment_discount_account_id == account_id))):
            raise Conflict(f"You cannot delete G/L Account {account.number} because payment "
                           "discounts are posted to it.", field="number")
        session.delete(account)
        flush(session)


def row_of(company_id: uuid.UUID, account: AccountRead) -> dict[str, Any]:
    """The table row a read model came from (for restoring it exactly)."""
    return dict(id=account.id, version=account.version,
                last_modified=account.last_modified_date_time, company_id=company_id,
                number=account.number, display_name=account.display_name,
                category=account.category, sub_category=account.sub_category,
                account_type=account.account_type, direct_posting=account.direct_posting,
                blocked=account.blocked)


def restore(db: Database, company_id: uuid.UUID, snapshot: AccountRead) -> AccountRead:
    """Put a deleted account back with its id and version (undo of a delete)."""
    with db.transaction() as session:
        get_company(session, company_id)
        insert_exact(session, Account, [row_of(company_id, snapshot)],
                     _duplicate(snapshot.number), field="number")
        return to_read(get_owned(session, Account, company_id, snapshot.id, LABEL))

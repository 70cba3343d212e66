"""G/L accounts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Account, Company, Customer, GLEntry, Journal
from app.domain import rules
from app.domain.schemas import AccountCreate, AccountRead, AccountUpdate
from app.services.common import apply_changes, get_company
from app.services.crud import Guard, MasterData

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


CRUD: MasterData[Account, AccountRead] = MasterData(
    Account, LABEL, to_read, _duplicate, guards=(
        Guard(lambda i: Journal.balancing_account_id == i, "You cannot delete G/L Account "
              "{key} because a payment journal balances against it."),
        Guard(lambda i: Customer.receivables_account_id == i, "You cannot delete G/L Account "
              "{key} because customers post their receivables to it."),
        Guard(lambda i: GLEntry.account_id == i, "You cannot delete G/L Account {key} because "
              "it has ledger entries."),
        Guard(lambda i: Company.payment_discount_account_id == i, "You cannot delete G/L "
              "Account {key} because payment discounts are posted to it."),
    ))


def create(db: Database, company_id: uuid.UUID, data: AccountCreate) -> AccountRead:
    return CRUD.create(db, company_id, data, create_in)


def create_in(session: Session, company_id: uuid.UUID, data: AccountCreate) -> Account:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    return CRUD.added(session, Account(company_id=company_id, **data.model_dump(by_alias=False)))


# Read one, read all (by number), delete: the shared ones (app/services/crud.py).
get = CRUD.get
list_all = CRUD.list_all



def list_direct_posting(db: Database, company_id: uuid.UUID) -> list[AccountRead]:
    """Accounts a journal may balance against: Posting, not blocked, direct posting."""
    return [a for a in list_all(db, company_id) if rules.is_postable(a, direct=True)]


def update(db: Database, company_id: uuid.UUID, account_id: uuid.UUID, data: AccountUpdate, *,
           version: int | None) -> AccountRead:
    with CRUD.editing(db, company_id, account_id, version) as (session, account):
        apply_changes(account, data.changes())
        CRUD.saved(session, account)
        return to_read(account)


delete = CRUD.delete


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
    return CRUD.restore(db, company_id, snapshot, row_of(company_id, snapshot))

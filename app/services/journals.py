"""Customer payment journals (Gen. Journal Batches of the Cash Receipts template)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Account, Journal, Payment
from app.domain.errors import Conflict
from app.domain.schemas import JournalArchive, JournalCreate, JournalRead, JournalUpdate
from app.services import number_series, payments
from app.services.common import (
    check_direct_posting_account,
    get_company,
    get_owned,
    insert_exact,
    missing_ids,
    resolve_by_id_or_number,
)
from app.services.crud import MasterData

LABEL = "General Journal Batch"


def to_read(journal: Journal) -> JournalRead:
    account = journal.balancing_account
    return JournalRead(
        id=journal.id, version=journal.version, last_modified_date_time=journal.last_modified,
        code=journal.code, display_name=journal.display_name,
        balancing_account_id=account.id if account else None,
        balancing_account_number=account.number if account else "",
        number_series_code=journal.number_series.code if journal.number_series else None,
    )


def _duplicate(code: str) -> str:
    return f"A customer payment journal with the code {code} already exists."


def _balancing_account(session: Session, company_id: uuid.UUID,
                       fields: dict[str, Any]) -> Account | None:
    """The balancing G/L account by id or number (both must agree), fit for direct posting."""
    account = resolve_by_id_or_number(
        session, Account, company_id, fields.get("balancing_account_id"),
        fields.get("balancing_account_number"),
        id_field="balancingAccountId", number_field="balancingAccountNumber",
        label="G/L Account")
    if account is not None:
        field = ("balancingAccountNumber" if fields.get("balancing_account_number")
                 else "balancingAccountId")
        check_direct_posting_account(account, field)
    return account


CRUD: MasterData[Journal, JournalRead] = MasterData(Journal, LABEL, to_read, _duplicate,
                                                    key="code")


def create(db: Database, company_id: uuid.UUID, data: JournalCreate) -> JournalRead:
    return CRUD.create(db, company_id, data, create_in)


def create_in(session: Session, company_id: uuid.UUID, data: JournalCreate) -> Journal:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    company = get_company(session, company_id)
    fields = data.model_dump(by_alias=False)
    # A new batch inherits its template's No. Series (here: the company's default).
    series_code = data.number_series_code or company.receipts_number_series_code
    journal = Journal(
        company_id=company_id, code=data.code, display_name=data.display_name,
        balancing_account=_balancing_account(session, company_id, fields),
        number_series=(number_series.by_code(session, company_id, series_code)
                       if series_code else None),
    )
    return CRUD.added(session, journal)


# Read one, read all (by code): the shared ones (app/services/crud.py).
get = CRUD.get
list_all = CRUD.list_all



def find_by_code(db: Database, company_id: uuid.UUID, code: str) -> JournalRead:
    from app.domain.errors import NotFound

    wanted = code.strip().upper()
    for journal in list_all(db, company_id):
        if journal.code == wanted or str(journal.id) == code.strip().lower():
            return journal
    raise NotFound(f"There is no customer payment journal {wanted} in this company.",
                   field="code")


def update(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID, data: JournalUpdate, *,
           version: int | None) -> JournalRead:
    with CRUD.editing(db, company_id, journal_id, version) as (session, journal):
        changes = data.changes()
        if "code" in changes:
            journal.code = changes["code"]
        if "display_name" in changes:
            journal.display_name = changes["display_name"]
        if "balancing_account_id" in changes or "balancing_account_number" in changes:
            journal.balancing_account = _balancing_account(session, company_id, changes)
        if "number_series_code" in changes:
            code = changes["number_series_code"]
            journal.number_series = (number_series.by_code(session, company_id, code)
                                     if code else None)
        CRUD.saved(session, journal)
        return to_read(journal)


def delete(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID, *,
           version: int | None) -> None:
    """Deleting a batch deletes its lines, as in Business Central."""
    CRUD.delete(db, company_id, journal_id, version=version, before=_delete_lines)


def _delete_lines(session: Session, journal: Journal) -> None:
    session.execute(sql_delete(Payment).where(Payment.journal_id == journal.id))


def delete_archived(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID, *,
                    version: int | None, only_if_empty: bool = False) -> JournalArchive:
    """Delete a batch and its lines in one transaction; return them as they were (for undo).

    ``only_if_empty`` refuses when the batch has lines (undo of a create must not take lines
    that were entered elsewhere with it)."""
    archives: list[JournalArchive] = []

    def archive_then_delete_lines(session: Session, journal: Journal) -> None:
        archive = archive_of(session, journal)
        if only_if_empty and archive.lines:
            raise Conflict(f"Journal {journal.code} has {len(archive.lines)} lines now, "
                           "entered since; delete them first.", field="code")
        archives.append(archive)
        _delete_lines(session, journal)

    CRUD.delete(db, company_id, journal_id, version=version, before=archive_then_delete_lines)
    return archives[0]


def archive_of(session: Session, journal: Journal, *,
               applications: bool = True) -> JournalArchive:
    """The batch and its lines, each line carrying its applications (``applications=False``
    when the caller archives them otherwise: the company delete keeps them as ledger rows)."""
    rows = session.scalars(select(Payment).where(Payment.journal_id == journal.id)
                           .order_by(Payment.line_number))
    lines = [payments.to_read(p, journal.code) for p in rows]
    if applications:
        lines = payments.with_applications(session, lines)
    return JournalArchive(journal=to_read(journal), lines=lines)


def line_count(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID) -> int:
    from sqlalchemy import func

    with db.reading() as session:
        get_owned(session, Journal, company_id, journal_id, LABEL)
        return int(session.scalar(select(func.count()).select_from(Payment)
                                  .where(Payment.journal_id == journal_id)) or 0)


def row_of(company_id: uuid.UUID, journal: JournalRead,
           number_series_id: uuid.UUID | None) -> dict[str, Any]:
    return dict(id=journal.id, version=journal.version,
                last_modified=journal.last_modified_date_time, company_id=company_id,
                code=journal.code, display_name=journal.display_name,
                balancing_account_id=journal.balancing_account_id,
                number_series_id=number_series_id)


def restore_in(session: Session, company_id: uuid.UUID, archive: JournalArchive) -> None:
    """Insert an archived batch and its lines inside the caller's transaction."""
    journal = archive.journal
    account_id = journal.balancing_account_id
    if account_id is not None and missing_ids(session, Account, {account_id}):
        raise Conflict(f"Journal {journal.code} cannot be restored: its balancing account "
                       f"{journal.balancing_account_number} no longer exists.",
                       field="balancingAccountNumber")
    series_id = (number_series.by_code(session, company_id, journal.number_series_code).id
                 if journal.number_series_code else None)
    payments.check_restorable(session, archive.lines)
    payments.check_applications(session, archive.lines)
    insert_exact(session, Journal, [row_of(company_id, journal, series_id)],
                 _duplicate(journal.code), field="code")
    insert_exact(session, Payment, [payments.row_of(line) for line in archive.lines],
                 f"The lines of journal {journal.code} already exist again.", field="lineNumber")
    payments.insert_applications(session, archive.lines)


def restore(db: Database, company_id: uuid.UUID, archive: JournalArchive) -> JournalRead:
    """Put a deleted batch back with its lines, same ids, versions and line numbers."""
    with db.transaction() as session:
        get_company(session, company_id)
        restore_in(session, company_id, archive)
        return to_read(get_owned(session, Journal, company_id, archive.journal.id, LABEL))

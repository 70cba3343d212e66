"""Helpers every service uses: finding records, version checks, resolving references."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.db.models import Account, Company, Customer, Record, utc_now
from app.domain import rules
from app.domain.errors import Blocked, Conflict, Invalid, NotFound, StaleWrite

R = TypeVar("R", bound=Record)


def get_company(session: Session, company_id: uuid.UUID) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(f"The company with ID {company_id} cannot be found.", field="companyId")
    return company


def get_owned(session: Session, model: type[R], company_id: uuid.UUID, record_id: uuid.UUID,
              label: str) -> R:
    """A record of this company by id, or NotFound in Business Central's words."""
    record = session.get(model, record_id)
    if record is None or getattr(record, "company_id", company_id) != company_id:
        raise NotFound(f"The {label} with ID {record_id} cannot be found.", field="id")
    return record


def check_version(record: Record, expected: int | None) -> None:
    """Optimistic concurrency: ``expected`` is the version the client read (None = '*')."""
    if expected is not None and record.version != expected:
        raise StaleWrite()


def touch(record: Record) -> None:
    """Mark a change: the version is bumped by SQLAlchemy on flush, the time set here."""
    record.last_modified = utc_now()


def apply_changes(record: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(record, name, value)


def flush(session: Session, duplicate_message: str = "", field: str | None = None) -> None:
    """Flush, turning a stale write or a duplicate key into the user's Conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleWrite() from None
    except IntegrityError as exc:
        if duplicate_message and "UNIQUE" in str(exc.orig).upper():
            raise Conflict(duplicate_message, field=field) from None
        raise


def resolve_by_id_or_number(
    session: Session,
    model: type[R],
    company_id: uuid.UUID,
    record_id: uuid.UUID | None,
    number: str | None,
    *,
    id_field: str,
    number_field: str,
    label: str,
    number_column: str = "number",
    find_number: Callable[[str], R | None] | None = None,
) -> R | None:
    """Find a referenced record given by id, by number or both (which must then agree).

    Returns None when neither is given (or the number is blank). ``find_number`` replaces the
    query by number (an import answers it from what it has already read).
    """
    found: R | None = None
    if record_id is not None:
        found = session.get(model, record_id)
        if found is None or getattr(found, "company_id", None) != company_id:
            raise NotFound(f'The "{id_field}" does not match to a {label}.', field=id_field)
    if number:
        by_number = find_number(number) if find_number is not None else session.scalars(
            select(model).where(cast(Any, model).company_id == company_id,
                                getattr(model, number_column) == number)
        ).first()
        if by_number is None:
            raise NotFound(f"{label} {number} does not exist.", field=number_field)
        if found is not None and found.id != by_number.id:
            raise Invalid(f'The "{number_field}" {number} does not match the "{id_field}".',
                          field=number_field)
        found = by_number
    return found


def check_direct_posting_account(account: Account, field: str) -> None:
    """A journal's balancing G/L account must be postable directly (app/domain/rules.py)."""
    for severity, message in rules.account_problems(account, direct=True):
        raise (Blocked if severity == "blocked" else Invalid)(message, field=field)


def check_customer_not_blocked(customer: Customer, field: str) -> None:
    """A customer blocked for All takes no payment (app/domain/rules.py)."""
    if rules.blocks_payments(customer.blocked):
        raise Blocked(rules.blocked_payment_message(customer.number, customer.display_name),
                      field=field)


def insert_exact(session: Session, model: type[Record], rows: list[dict[str, Any]],
                 duplicate_message: str = "", field: str | None = None) -> None:
    """Put records back exactly as they were (undo of a delete): same ids, versions and
    modification times. A Core insert, because the ORM would start the version at 1."""
    if not rows:
        return
    try:
        with session.begin_nested():
            session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
    except IntegrityError as exc:
        if "UNIQUE" in str(exc.orig).upper():
            raise Conflict(duplicate_message or "The record already exists again.",
                           field=field) from None
        raise Conflict("The record cannot be restored: a record it refers to no longer "
                       "exists.", field=field) from None


def missing_ids(session: Session, model: type[Record], ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` no longer exist."""
    if not ids:
        return set()
    found = set(session.scalars(select(model.id).where(model.id.in_(ids))))
    return ids - found


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during bulk work (posting, an import).

    Posting 100,000 lines makes over a million small tuples (an import, 100,000 validated
    records); each few hundred allocations would trigger a collection that walks all of them
    again (about half of the planning time). They hold no cycles, so reference counting
    frees them all the same."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

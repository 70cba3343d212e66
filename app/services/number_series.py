"""Number series (No. Series): where document numbers come from."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Company, Journal, NumberSeries
from app.domain.errors import Conflict, Invalid
from app.domain.numbering import increment_number
from app.domain.schemas import NumberSeriesCreate, NumberSeriesRead, NumberSeriesUpdate
from app.services.common import apply_changes, check_version, flush, get_company, get_owned, touch

LABEL = "No. Series"


def to_read(series: NumberSeries) -> NumberSeriesRead:
    return NumberSeriesRead(
        id=series.id, version=series.version, last_modified_date_time=series.last_modified,
        code=series.code, description=series.description, starting_number=series.starting_number,
        last_number_used=series.last_number_used, increment_by=series.increment_by,
        manual_numbers=series.manual_numbers,
    )


def peek_next(series: NumberSeries) -> str:
    """The next number, without using it up (as Business Central peeks for a new line)."""
    if not series.last_number_used:
        return series.starting_number
    return increment_number(series.last_number_used, series.increment_by)


def take_next(series: NumberSeries) -> str:
    """Use up the next number (posting with a Posting No. Series)."""
    number = peek_next(series)
    if not number:
        raise Invalid(f"No. Series {series.code} cannot produce a number after "
                      f"{series.last_number_used}.", field="numberSeriesCode")
    series.last_number_used = number
    touch(series)
    return number


def use_up(series: NumberSeries, numbers: Iterable[str]) -> None:
    """Posting: use up the series' numbers that the posted lines took (a new line only peeks
    its number), in sequence from the next one; numbers not from the series are left."""
    used = set(numbers)
    number = peek_next(series)
    if not number or number not in used:
        return
    while number and number in used:
        used.discard(number)  # each number once: the loop ends
        series.last_number_used = number
        number = peek_next(series)
    touch(series)


def by_code(session: Session, company_id: uuid.UUID, code: str) -> NumberSeries:
    series = session.scalars(select(NumberSeries).where(
        NumberSeries.company_id == company_id, NumberSeries.code == code)).first()
    if series is None:
        raise Invalid(f"No. Series {code} does not exist.", field="numberSeriesCode")
    return series


def _check_numbers(series: NumberSeries) -> None:
    if not increment_number(series.starting_number):
        raise Invalid(f"The starting number {series.starting_number} must end in digits so it "
                      "can be counted up.", field="startingNumber")


def create(db: Database, company_id: uuid.UUID, data: NumberSeriesCreate) -> NumberSeriesRead:
    with db.transaction() as session:
        return to_read(create_in(session, company_id, data))


def create_in(session: Session, company_id: uuid.UUID,
              data: NumberSeriesCreate) -> NumberSeries:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    series = NumberSeries(company_id=company_id, **data.model_dump(by_alias=False))
    _check_numbers(series)
    session.add(series)
    flush(session, f"No. Series {data.code} already exists.", field="code")
    return series


def list_all(db: Database, company_id: uuid.UUID) -> list[NumberSeriesRead]:
    with db.reading() as session:
        rows = session.scalars(select(NumberSeries).where(NumberSeries.company_id == company_id)
                               .order_by(NumberSeries.code))
        return [to_read(s) for s in rows]


def update(db: Database, company_id: uuid.UUID, series_id: uuid.UUID, data: NumberSeriesUpdate,
           *, version: int | None) -> NumberSeriesRead:
    with db.transaction() as session:
        series = get_owned(session, NumberSeries, company_id, series_id, LABEL)
        check_version(series, version)
        apply_changes(series, data.changes())
        _check_numbers(series)
        touch(series)
        flush(session, f"No. Series {series.code} already exists.", field="code")
        return to_read(series)


def set_receipts_default(db: Database, company_id: uuid.UUID, code: str | None) -> None:
    """The Cash Receipts template's No. Series, which new payment journals inherit."""
    with db.transaction() as session:
        company: Company = get_company(session, company_id)
        if code:
            by_code(session, company_id, code)
        company.receipts_number_series_code = code
        touch(company)


def delete(db: Database, company_id: uuid.UUID, series_id: uuid.UUID, *,
           version: int | None) -> None:
    with db.transaction() as session:
        series = get_owned(session, NumberSeries, company_id, series_id, LABEL)
        check_version(series, version)
        if session.scalars(select(Journal.code).where(Journal.number_series_id == series_id)
                           ).first():
            raise Conflict(f"You cannot delete No. Series {series.code} because a journal uses "
                           "it.", field="code")
        session.delete(series)
        flush(session)

"""The part every master-data service shares: read one, list, create, edit, delete with the
references that forbid it, restore exactly (undo of a delete).

Each service (accounts, customers, journals, invoices) describes its resource once as a
``MasterData`` and keeps only what is its own: how a create resolves references, what an edit
renames, what a delete takes along. Every method is one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Record
from app.domain.errors import Conflict
from app.services.common import (
    check_version,
    flush,
    get_company,
    get_owned,
    insert_exact,
    touch,
)

Row = TypeVar("Row", bound=Record)
Read = TypeVar("Read")


@dataclass(frozen=True)
class Guard:
    """A reference that forbids a delete: ``where(record_id)`` finds it; ``message`` (with
    ``{key}``, the record's number or code) says why, in Business Central's words."""

    where: Callable[[uuid.UUID], ColumnElement[bool]]
    message: str


@dataclass(frozen=True)
class MasterData(Generic[Row, Read]):
    model: type[Row]
    label: str  # Business Central's table caption, for NotFound
    to_read: Callable[[Row], Read]
    duplicate: Callable[[str], str]  # the message for a second record with the same key
    key: str = "number"  # the unique code of a record within its company
    order_by: Sequence[Any] = ()
    guards: Sequence[Guard] = field(default_factory=tuple)

    # --- reading ---------------------------------------------------------------------------
    def get(self, db: Database, company_id: uuid.UUID, record_id: uuid.UUID) -> Read:
        with db.reading() as session:
            return self.to_read(self.owned(session, company_id, record_id))

    def list_all(self, db: Database, company_id: uuid.UUID) -> list[Read]:
        with db.reading() as session:
            rows = session.scalars(select(self.model).where(
                cast(Any, self.model).company_id == company_id).order_by(*self._order()))
            return [self.to_read(r) for r in rows]

    def owned(self, session: Session, company_id: uuid.UUID, record_id: uuid.UUID) -> Row:
        return get_owned(session, self.model, company_id, record_id, self.label)

    def _order(self) -> Sequence[Any]:
        return self.order_by or (getattr(self.model, self.key),)

    # --- writing ---------------------------------------------------------------------------
    def create(self, db: Database, company_id: uuid.UUID, data: Any,
               create_in: Callable[[Session, uuid.UUID, Any], Row]) -> Read:
        with db.transaction() as session:
            return self.to_read(create_in(session, company_id, data))

    def added(self, session: Session, record: Row) -> Row:
        """Add a new record; a duplicate key is the user's Conflict, naming the key."""
        session.add(record)
        self.saved(session, record, touched=False)
        return record

    @contextmanager
    def editing(self, db: Database, company_id: uuid.UUID, record_id: uuid.UUID,
                version: int | None) -> Iterator[tuple[Session, Row]]:
        """The record to edit, in a transaction, at the version the caller read. The caller
        changes it, then calls ``saved``."""
        with db.transaction() as session:
            record = self.owned(session, company_id, record_id)
            check_version(record, version)
            yield session, record

    def saved(self, session: Session, record: Row, *, touched: bool = True) -> None:
        if touched:
            touch(record)
        flush(session, self.duplicate(str(getattr(record, self.key))), field=self.key)

    def delete(self, db: Database, company_id: uuid.UUID, record_id: uuid.UUID, *,
               version: int | None,
               before: Callable[[Session, Row], object] | None = None) -> None:
        """Delete unless a guard's reference exists; ``before`` takes what goes along."""
        with self.editing(db, company_id, record_id, version) as (session, record):
            self.check_guards(session, record)
            if before is not None:
                before(session, record)
            session.delete(record)
            flush(session)

    def check_guards(self, session: Session, record: Row) -> None:
        for guard in self.guards:
            if session.scalar(select(exists().where(guard.where(record.id)))):
                raise Conflict(guard.message.format(key=getattr(record, self.key)),
                               field=self.key)

    def restore(self, db: Database, company_id: uuid.UUID, snapshot: Any,
                row: dict[str, Any], *,
                check: Callable[[Session], None] | None = None,
                after: Callable[[Session, Row], object] | None = None) -> Read:
        """Put a deleted record back exactly (same id, version, time): undo of a delete."""
        with db.transaction() as session:
            get_company(session, company_id)
            if check is not None:
                check(session)
            insert_exact(session, self.model, [row],
                         self.duplicate(str(getattr(snapshot, self.key))), field=self.key)
            record = self.owned(session, company_id, snapshot.id)
            if after is not None:
                after(session, record)
            return self.to_read(record)

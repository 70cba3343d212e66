"""Change capture: every committed write becomes one change-set, in process and in change_log;
the error seam turns environment problems into typed errors."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.db import Database, open_database
from app.db.changes import ChangeWatcher
from app.db.errors import BUSY, FULL, classify
from app.domain.changes import ChangeSet, Kind
from app.domain.errors import Conflict, DatabaseBusy, DiskFull, DomainError, DriverMissing
from app.domain.schemas import CompanyCreate, CompanyRead, CustomerCreate
from app.services import companies, customers


def _customer(number: str) -> CustomerCreate:
    return CustomerCreate(number=number, displayName="Fabrikam", receivablesAccountNumber="2310")


def test_a_service_write_is_captured_with_its_company_and_ids(db: Database,
                                                              demo: CompanyRead) -> None:
    heard: list[ChangeSet] = []
    db.add_listener(heard.append)
    with db.capture() as box:
        created = customers.create(db, demo.id, _customer("C900"))
    assert box.changes.kinds == {Kind.CUSTOMER}
    assert box.changes.company_id == demo.id
    assert created.id in box.changes.ids
    assert heard == [box.changes]
    assert box.changes.touches("customer", company_id=demo.id)
    assert not box.changes.touches("payment", company_id=demo.id)


def test_a_failed_write_publishes_nothing(db: Database, demo: CompanyRead) -> None:
    heard: list[ChangeSet] = []
    db.add_listener(heard.append)
    with db.capture() as box, pytest.raises(DomainError):
        companies.create(db, CompanyCreate(name=demo.name))
    assert not box.changes and heard == []


def test_change_sets_round_trip_through_json(demo: CompanyRead) -> None:
    changes = ChangeSet.of("payment", "ledger", company_id=demo.id, journal_ids=[demo.id],
                           source="api")
    assert ChangeSet.from_json(changes.to_json()) == changes
    assert ChangeSet.from_json('{"kinds": ["payment", "a kind from a newer version"]}') \
        == ChangeSet.of("payment")


def test_another_handle_sees_the_change_through_change_log(db_path: Path, db: Database,
                                                           demo: CompanyRead) -> None:
    other = open_database(db_path)
    try:
        watcher = ChangeWatcher(other)
        assert watcher.poll() == []
        created = customers.create(db, demo.id, _customer("C900"))
        seen = watcher.poll()
        assert len(seen) == 1 and seen[0].source == "file"
        assert seen[0].kinds == {Kind.CUSTOMER} and created.id in seen[0].ids
        assert watcher.poll() == []
        customers.create(other, demo.id, _customer("C901"))
        assert watcher.poll() == []  # its own handle's writes were published in process
        watcher.close()
    finally:
        other.close()


def _operational(code: int, name: str) -> OperationalError:
    orig = sqlite3.OperationalError(name)
    orig.sqlite_errorcode = code  # type: ignore[attr-defined]
    return OperationalError("statement", {}, orig)


@pytest.mark.parametrize(("error", "kind", "message"), [
    (_operational(5, "database is locked"), DatabaseBusy, BUSY),
    (_operational(13, "database or disk is full"), DiskFull, FULL),
    (OSError(errno.ENOSPC, "No space left on device"), DiskFull, None),
    (StaleDataError("stale"), Conflict, None),
])
def test_environment_errors_are_classified(error: Exception, kind: type[DomainError],
                                           message: str | None) -> None:
    typed = classify(error)
    assert isinstance(typed, kind)
    if message is not None:
        assert typed.message == message


def test_a_bug_is_not_classified() -> None:
    assert classify(KeyError("x")) is None
    assert classify(_operational(1, "no such table: nowhere")) is None


def test_a_missing_driver_is_told_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(DriverMissing, match="driver"):
        from app.db.errors import translated
        with translated():
            open_database("postgresql+nosuchdriver://localhost/books")

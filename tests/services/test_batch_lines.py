"""An import adds many lines through BatchLines (memory, one bulk insert): it must give
exactly what adding the same lines one by one gives, errors included."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import Database
from app.domain.errors import DomainError
from app.domain.schemas import JournalCreate, PaymentCreate
from app.services import journals, payments
from tests.helpers import Books, make_books

line_specs = st.fixed_dictionaries({}, optional={
    "line_number": st.sampled_from([0, 5000, 10000, 15000, 20000, 45000]),
    "customer_number": st.sampled_from(["C1", "C2", "C3", "C4", "NOBODY", ""]),
    "applies_to_invoice_number": st.sampled_from(["INV1", "INV2", "INV3", "NOPE"]),
    "amount": st.decimals(min_value=-500, max_value=500, places=2, allow_nan=False,
                          allow_infinity=False),
    "document_number": st.sampled_from(["D001", "X9", ""]),
    "posting_date": st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    "description": st.sampled_from(["Cheque", ""]),
})

COMPARED = ("line_number", "customer_id", "customer_number", "posting_date", "document_number",
            "amount", "applies_to_invoice_id", "applies_to_invoice_number", "description")


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def _journal(db: Database, books: Books, balancing: bool) -> tuple[uuid.UUID, str]:
    code = uuid.uuid4().hex[:10].upper()
    journal = journals.create(db, books.cid, JournalCreate(
        code=code, balancing_account_number="2910" if balancing else None))
    return journal.id, journal.code


def _error(exc: DomainError, code: str) -> tuple[str, str | None, str]:
    return type(exc).__name__, exc.field, exc.message.replace(code, "<journal>")


def _lines(db: Database, books: Books, journal_id: uuid.UUID) -> list[dict[str, Any]]:
    return [{k: getattr(p, k) for k in COMPARED}
            for p in payments.list_all(db, books.cid, journal_id)]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(line_specs, max_size=12), balancing=st.booleans())
def test_batch_lines_equal_one_by_one(db: Database, books: Books,
                                      specs: list[dict[str, Any]], balancing: bool) -> None:
    data = [PaymentCreate(**spec) for spec in specs]
    (one_by_one, code_1), (batched, code_2) = (_journal(db, books, balancing),
                                               _journal(db, books, balancing))

    errors_single = []
    for index, item in enumerate(data):
        try:
            payments.create(db, books.cid, one_by_one, item)
        except DomainError as exc:
            errors_single.append((index, _error(exc, code_1)))

    errors_batch = []
    with db.transaction() as session:
        lines = payments.BatchLines(session, books.cid, batched)
        lines.prefetch(data)
        for index, item in enumerate(data):
            try:
                lines.add(item)
            except DomainError as exc:
                errors_batch.append((index, _error(exc, code_2)))
        written = lines.write()

    assert errors_batch == errors_single
    assert written == len(data) - len(errors_single)
    assert _lines(db, books, batched) == _lines(db, books, one_by_one)


def test_batch_lines_continue_a_journal_that_has_lines(db: Database, books: Books) -> None:
    payments.create(db, books.cid, books.gen_journal.id,
                    PaymentCreate(amount=Decimal("-10"), posting_date=date(2026, 3, 3)))
    with db.transaction() as session:
        lines = payments.BatchLines(session, books.cid, books.gen_journal.id)
        made = lines.add(PaymentCreate(amount=Decimal("10")))
        assert (made.line_number, made.posting_date, made.document_number) == (
            20000, date(2026, 3, 3), "R0001")  # -10 so far: the same document
        lines.add(PaymentCreate())
        assert lines.write() == 2
    docs = [p.document_number for p in payments.list_all(db, books.cid, books.gen_journal.id)]
    assert docs == ["R0001", "R0001", "R0002"]


def _raw_rows(db: Database, journal_id: uuid.UUID) -> list[dict[str, Any]]:
    """The journal's rows exactly as the database holds them: each value with its SQL type,
    the generated id and time by their shape (they differ between two writes)."""
    with db.reading() as session:
        conn = session.connection()
        names = [c.name for c in payments.Payment.__table__.c]
        select_list = ", ".join(f"{n}, typeof({n})" for n in names)
        rows = conn.exec_driver_sql(
            f"SELECT {select_list} FROM payment WHERE journal_id = ? ORDER BY line_number",
            (journal_id.hex,)).all()
    dumped = []
    for row in rows:
        values = dict(zip(names, row[0::2], strict=True))
        types = dict(zip(names, row[1::2], strict=True))
        values["id"] = (len(values["id"]), values["id"].isalnum())
        values["last_modified"] = (len(values["last_modified"]), values["last_modified"][10])
        values.pop("journal_id")
        dumped.append({"values": values, "types": types})
    return dumped


@pytest.mark.sqlite_only  # SQLite's own storage (typeof, PRAGMA)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(line_specs, max_size=8), balancing=st.booleans())
def test_bulk_write_stores_the_rows_the_orm_stores(db: Database, books: Books,
                                                   specs: list[dict[str, Any]],
                                                   balancing: bool) -> None:
    """BatchLines.write sends database-form tuples past SQLAlchemy's type handling: the
    table must hold byte for byte what an ORM insert (payments.create) stores."""
    data = [PaymentCreate(**spec) for spec in specs]
    (one_by_one, _), (batched, _) = (_journal(db, books, balancing),
                                     _journal(db, books, balancing))
    for item in data:
        with contextlib.suppress(DomainError):
            payments.create(db, books.cid, one_by_one, item)
    with db.transaction() as session:
        lines = payments.BatchLines(session, books.cid, batched)
        lines.prefetch(data)
        for item in data:
            with contextlib.suppress(DomainError):
                lines.add(item)
        lines.write()
    assert _raw_rows(db, batched) == _raw_rows(db, one_by_one)
    for row in _raw_rows(db, batched):
        assert row["values"]["id"] == (32, True)
        assert row["types"]["amount"] == "integer"


def test_bulk_write_reads_back_through_the_orm(db: Database, books: Books) -> None:
    """Ids, versions, times and amounts of bulk-written lines read back as the ORM's."""
    with db.transaction() as session:
        lines = payments.BatchLines(session, books.cid, books.gen_journal.id)
        lines.add(PaymentCreate(customer_number="C1", amount=Decimal("-1234.56"),
                                posting_date=date(2026, 4, 30), document_number="B1"))
        assert lines.write() == 1
    (line,) = payments.list_all(db, books.cid, books.gen_journal.id)
    assert (line.amount, line.posting_date, line.version) == (Decimal("-1234.56"),
                                                              date(2026, 4, 30), 1)
    assert line.last_modified_date_time.tzinfo is not None
    assert payments.get(db, books.cid, line.id).id == line.id
    payments.delete(db, books.cid, line.id, version=1)
    assert payments.list_all(db, books.cid, books.gen_journal.id) == []

"""An import adds many lines through BatchLines (memory, one bulk insert): it must give
exactly what adding the same lines one by one gives, errors included."""

from __future__ import annotations

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

"""Changes that touch many lines at once keep the versions honest and are all-or-nothing."""

from __future__ import annotations

import uuid

import pytest

from app.db import Database
from app.domain.errors import Conflict, NotFound
from app.domain.schemas import CompanyRead, CustomerUpdate, PaymentCreate, SalesInvoiceUpdate
from app.services import customers, invoices, journals, payments


def _bank_lines(db: Database, demo: CompanyRead) -> list[payments.PaymentRead]:
    bank = journals.find_by_code(db, demo.id, "BANK")
    return payments.list_all(db, demo.id, bank.id)


def test_renaming_a_customer_renames_its_lines_and_moves_their_versions(
        db: Database, demo: CompanyRead) -> None:
    line = _bank_lines(db, demo)[0]
    customer = customers.get(db, demo.id, line.customer_id)  # type: ignore[arg-type]
    customers.update(db, demo.id, customer.id, CustomerUpdate(number="K1"),
                     version=customer.version)
    after = payments.get(db, demo.id, line.id)
    assert after.customer_number == "K1"
    assert after.version == line.version + 1  # a grid holding the old row now sees it stale
    assert after.last_modified_date_time > line.last_modified_date_time


def test_renaming_an_invoice_renames_the_lines_applied_to_it(db: Database,
                                                              demo: CompanyRead) -> None:
    # Else the line (grid, export) keeps naming a number that is no longer the invoice's,
    # and an import of the export applies it to whatever invoice has that number then.
    invoice = invoices.list_all(db, demo.id, open_only=True)[0]
    bank = journals.find_by_code(db, demo.id, "BANK")
    line = payments.create(db, demo.id, bank.id, PaymentCreate(
        applies_to_invoice_number=invoice.number, amount=-1))
    others = [p for p in _bank_lines(db, demo) if p.applies_to_invoice_id != invoice.id]
    invoices.update(db, demo.id, invoice.id, SalesInvoiceUpdate(number="INV-NEW-1"),
                    version=invoice.version)
    after = payments.get(db, demo.id, line.id)
    assert (after.applies_to_invoice_id, after.applies_to_invoice_number) == (invoice.id,
                                                                              "INV-NEW-1")
    assert after.version == line.version + 1  # a grid holding the old row sees it stale
    assert others and [payments.get(db, demo.id, p.id) for p in others] == others


def test_delete_many_returns_the_lines_and_removes_them(db: Database, demo: CompanyRead) -> None:
    lines = _bank_lines(db, demo)
    gone = payments.delete_many(db, demo.id, {p.id: p.version for p in lines[:3]})
    assert [p.id for p in gone] == [p.id for p in lines[:3]]
    assert gone[0] == lines[0]
    assert [p.id for p in _bank_lines(db, demo)] == [p.id for p in lines[3:]]


@pytest.mark.parametrize("spoil", ["stale", "unknown"])
def test_delete_many_deletes_nothing_when_one_line_is_stale_or_unknown(
        db: Database, demo: CompanyRead, spoil: str) -> None:
    lines = _bank_lines(db, demo)
    wanted: dict[uuid.UUID, int | None] = {p.id: p.version for p in lines[:3]}
    if spoil == "stale":
        wanted[lines[2].id] = lines[2].version + 5
        expected: type[Exception] = Conflict
    else:
        wanted[uuid.uuid4()] = None
        expected = NotFound
    with pytest.raises(expected):
        payments.delete_many(db, demo.id, wanted)
    assert _bank_lines(db, demo) == lines

"""Undo of a delete: every restore puts the very same rows back (ids, versions, times)."""

from __future__ import annotations

import pytest

from app.db import Database
from app.domain.errors import Conflict
from app.domain.schemas import CompanyRead
from app.services import accounts, companies, customers, invoices, journals, payments
from tests.snapshots import dump


def test_journal_delete_and_restore_is_exact(db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db)
    archive = journals.delete_archived(db, demo.id, bank.id, version=bank.version)
    assert len(archive.lines) == 7
    # the lines are gone with the journal:
    assert len(dump(db)["payment"]) == len(before["payment"]) - 7
    restored = journals.restore(db, demo.id, archive)
    assert restored == bank
    assert dump(db) == before


def test_journal_restore_refused_when_code_taken(db: Database, demo: CompanyRead) -> None:
    from app.domain.schemas import JournalCreate

    cash = journals.find_by_code(db, demo.id, "CASH")
    archive = journals.delete_archived(db, demo.id, cash.id, version=cash.version)
    journals.create(db, demo.id, JournalCreate(code="CASH"))
    before = dump(db)
    with pytest.raises(Conflict) as caught:
        journals.restore(db, demo.id, archive)
    assert caught.value.message == "A customer payment journal with the code CASH already exists."
    assert caught.value.field == "code"
    assert dump(db) == before


def test_only_if_empty_refuses_a_journal_with_lines(db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db)
    with pytest.raises(Conflict, match="has 7 lines now"):
        journals.delete_archived(db, demo.id, bank.id, version=bank.version, only_if_empty=True)
    assert dump(db) == before


def test_payment_restore_keeps_version_and_empty_date(db: Database, demo: CompanyRead) -> None:
    from app.domain.schemas import PaymentUpdate

    bank = journals.find_by_code(db, demo.id, "BANK")
    line = payments.list_all(db, demo.id, bank.id)[0]
    payments.update(db, demo.id, line.id, PaymentUpdate(comment="x"), version=line.version)
    before = dump(db)
    deleted = payments.delete_many(db, demo.id, {line.id: None})
    payments.restore(db, demo.id, deleted)
    assert dump(db) == before


def test_account_customer_invoice_restore_exact(db: Database, demo: CompanyRead) -> None:
    from app.domain.schemas import AccountCreate

    account = accounts.create(db, demo.id, AccountCreate(number="2999", display_name="Spare"))
    invoice = invoices.list_all(db, demo.id)[-1]
    customer = customers.list_all(db, demo.id)[-1]  # blocked for All: no invoices, no lines
    before = dump(db, entry_numbers=False)  # the restored invoice's entry gets a new number
    accounts.delete(db, demo.id, account.id, version=account.version)
    customers.delete(db, demo.id, customer.id, version=customer.version)
    invoices.delete(db, demo.id, invoice.id, version=invoice.version)
    assert dump(db, entry_numbers=False) != before
    assert accounts.restore(db, demo.id, account) == account
    assert customers.restore(db, demo.id, customer) == customer
    assert invoices.restore(db, demo.id, invoice) == invoice
    assert dump(db, entry_numbers=False) == before


def test_company_delete_and_restore_is_exact(db: Database, demo: CompanyRead) -> None:
    company = companies.get(db, demo.id)
    before = dump(db)
    archive = companies.delete_archived(db, demo.id, version=company.version)
    assert archive.line_count == 7 and len(archive.customers) == 20
    assert all(not rows for rows in dump(db).values())
    assert companies.restore(db, archive) == company
    assert dump(db) == before


def test_payment_restore_refused_when_line_number_taken(db: Database,
                                                        demo: CompanyRead) -> None:
    from decimal import Decimal

    from app.domain.schemas import PaymentCreate

    bank = journals.find_by_code(db, demo.id, "BANK")
    deleted = payments.delete_many(db, demo.id, {
        line.id: None for line in payments.list_all(db, demo.id, bank.id)[:2]})
    payments.create(db, demo.id, bank.id, PaymentCreate(line_number=20000,
                                                        amount=Decimal("-5")))
    before = dump(db)
    with pytest.raises(Conflict) as caught:
        payments.restore(db, demo.id, deleted)
    assert caught.value.message == "Line 20000 already exists again in journal BANK."
    assert caught.value.field == "lineNumber"
    assert dump(db) == before


def test_payment_restore_refused_when_customer_gone(db: Database, demo: CompanyRead) -> None:
    from decimal import Decimal

    from app.domain.schemas import CustomerCreate, PaymentCreate

    customer = customers.create(db, demo.id, CustomerCreate(number="GONE", display_name="G"))
    bank = journals.find_by_code(db, demo.id, "BANK")
    line = payments.create(db, demo.id, bank.id, PaymentCreate(customer_number="GONE",
                                                               amount=Decimal("-5")))
    deleted = payments.delete_many(db, demo.id, {line.id: line.version})
    customers.delete(db, demo.id, customer.id, version=None)
    before = dump(db)
    with pytest.raises(Conflict, match="customer GONE no longer exists"):
        payments.restore(db, demo.id, deleted)
    assert dump(db) == before

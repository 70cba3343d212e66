"""Companies, G/L accounts, customers, sales invoices, number series: create / get / list /
update / delete, optimistic concurrency on every update, and the rules that protect them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.db import Database
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.schemas import (
    AccountCreate,
    AccountUpdate,
    CompanyCreate,
    CompanyUpdate,
    CustomerUpdate,
    JournalUpdate,
    NumberSeriesCreate,
    NumberSeriesUpdate,
    PaymentCreate,
    SalesInvoiceUpdate,
)
from app.services import (
    accounts,
    companies,
    customers,
    invoices,
    journals,
    number_series,
    payments,
)
from tests.helpers import Books, counts, dump, make_books


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def _series_id(db: Database, books: Books) -> uuid.UUID:
    return number_series.list_all(db, books.cid)[0].id


# Every resource: (update function, id of a record, a valid change).
UPDATES: dict[str, tuple[Callable[..., Any], Callable[[Database, Books], Any], Any]] = {
    "company": (lambda db, b, rid, data, version: companies.update(db, rid, data,
                                                                    version=version),
                lambda db, b: companies.get(db, b.cid), CompanyUpdate(display_name="Renamed")),
    "account": (lambda db, b, rid, data, version: accounts.update(db, b.cid, rid, data,
                                                                   version=version),
                lambda db, b: b.bank, AccountUpdate(display_name="Renamed")),
    "customer": (lambda db, b, rid, data, version: customers.update(db, b.cid, rid, data,
                                                                     version=version),
                 lambda db, b: b.c1, CustomerUpdate(display_name="Renamed")),
    "invoice": (lambda db, b, rid, data, version: invoices.update(db, b.cid, rid, data,
                                                                   version=version),
                lambda db, b: b.inv1, SalesInvoiceUpdate(external_document_number="PO-1")),
    "journal": (lambda db, b, rid, data, version: journals.update(db, b.cid, rid, data,
                                                                   version=version),
                lambda db, b: b.bank_journal, JournalUpdate(display_name="Renamed")),
    "numberSeries": (lambda db, b, rid, data, version: number_series.update(db, b.cid, rid,
                                                                             data,
                                                                             version=version),
                     lambda db, b: number_series.list_all(db, b.cid)[0],
                     NumberSeriesUpdate(description="Renamed")),
}


@pytest.mark.parametrize("resource", sorted(UPDATES))
def test_every_update_checks_the_version_and_sets_last_modified(
        db: Database, books: Books, resource: str) -> None:
    update, record_of, change = UPDATES[resource]
    record = record_of(db, books)
    updated = update(db, books, record.id, change, record.version)
    assert updated.version == record.version + 1
    assert updated.last_modified_date_time > record.last_modified_date_time
    assert updated.etag == f'W/"{record.version + 1}"'
    before = dump(db)
    with pytest.raises(Conflict) as err:
        update(db, books, record.id, change, record.version)  # stale
    assert err.value.field == "@odata.etag"
    assert err.value.code == "Request_EntityChanged"
    assert dump(db) == before


# --- companies -----------------------------------------------------------------------------

def test_company_names_are_unique(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict) as err:
        companies.create(db, CompanyCreate(name="Books Ltd"))
    assert (err.value.field, err.value.message) == ("name", "A company named Books Ltd "
                                                            "already exists.")
    assert dump(db) == before


def test_find_by_name_or_id_and_the_only(db: Database, books: Books) -> None:
    assert companies.find(db, " books ltd ").id == books.cid
    assert companies.find(db, str(books.cid).upper()).id == books.cid
    assert companies.the_only(db).id == books.cid
    make_books(db, "Other")
    with pytest.raises(Invalid) as err:
        companies.the_only(db)
    assert err.value.message == ("Name the company: this database holds 2 (companies: "
                                 "Books Ltd, Other).")
    with pytest.raises(NotFound) as err2:
        companies.find(db, "Nope")
    assert err2.value.field == "company"


def test_posting_range_must_be_in_order(db: Database, books: Books) -> None:
    companies.update(db, books.cid, CompanyUpdate(allow_posting_from=date(2026, 1, 1)),
                     version=None)
    before = dump(db)
    with pytest.raises(Invalid) as err:
        companies.update(db, books.cid, CompanyUpdate(allow_posting_to=date(2025, 12, 31)),
                         version=None)
    assert err.value.field == "allowPostingTo"
    assert dump(db) == before
    with pytest.raises(Invalid):
        from app.domain.validation import parse

        parse(CompanyCreate, {"name": "X", "allowPostingFrom": "2026-02-01",
                              "allowPostingTo": "2026-01-01"})


def test_deleting_a_company_deletes_everything_in_it_and_nothing_else(
        db: Database, books: Books) -> None:
    other = make_books(db, "Other")
    payments.create(db, books.cid, books.bank_journal.id, PaymentCreate(customer_number="C1"))
    kept = counts(db)
    companies.delete(db, books.cid, version=companies.get(db, books.cid).version)
    after = counts(db)
    assert after["company"] == 1 and after["payment"] == 0
    assert after["customer"] == kept["customer"] // 2
    assert [c.id for c in companies.list_all(db)] == [other.cid]


def test_work_date(db: Database, books: Books) -> None:
    assert companies.work_date(db, books.cid) == date(2026, 11, 20)


# --- accounts ------------------------------------------------------------------------------

def test_account_numbers_unique_per_company(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict) as err:
        accounts.create(db, books.cid, AccountCreate(number="2910"))
    assert (err.value.field, err.value.message) == ("number", "G/L Account 2910 already exists.")
    assert dump(db) == before
    other = companies.create(db, CompanyCreate(name="Other"))
    assert accounts.create(db, other.id, AccountCreate(number="2910")).number == "2910"


def test_accounts_in_use_cannot_be_deleted(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict, match="a payment journal balances against it"):
        accounts.delete(db, books.cid, books.bank.id, version=None)
    with pytest.raises(Conflict, match="customers post their receivables to it"):
        accounts.delete(db, books.cid, books.receivables.id, version=None)
    assert dump(db) == before
    accounts.delete(db, books.cid, books.heading.id, version=books.heading.version)
    with pytest.raises(NotFound):
        accounts.get(db, books.cid, books.heading.id)


def test_direct_posting_accounts(db: Database, books: Books) -> None:
    assert [a.number for a in accounts.list_direct_posting(db, books.cid)] == ["2910"]


def test_records_of_another_company_are_not_found(db: Database, books: Books) -> None:
    other = make_books(db, "Other")
    with pytest.raises(NotFound) as err:
        accounts.get(db, other.cid, books.bank.id)
    assert err.value.message == f"The G/L Account with ID {books.bank.id} cannot be found."
    with pytest.raises(NotFound):
        customers.get(db, other.cid, books.c1.id)
    with pytest.raises(NotFound):
        invoices.get(db, other.cid, books.inv1.id)
    with pytest.raises(NotFound):
        journals.get(db, other.cid, books.bank_journal.id)


# --- customers -----------------------------------------------------------------------------

def test_customer_receivables_account_by_number_or_id(db: Database, books: Books) -> None:
    assert books.c1.receivables_account_id == books.receivables.id
    updated = customers.update(db, books.cid, books.c1.id,
                               CustomerUpdate(receivables_account_id=books.bank.id), version=None)
    assert updated.receivables_account_number == "2910"
    before = dump(db)
    with pytest.raises(NotFound) as err:
        customers.update(db, books.cid, books.c1.id,
                         CustomerUpdate(receivables_account_number="0000"), version=None)
    assert err.value.field == "receivablesAccountNumber"
    assert dump(db) == before


def test_renumbering_a_customer_renames_its_lines(db: Database, books: Books) -> None:
    line = payments.create(db, books.cid, books.bank_journal.id,
                           PaymentCreate(customer_number="C1"))
    customers.update(db, books.cid, books.c1.id, CustomerUpdate(number="C100"), version=None)
    assert payments.get(db, books.cid, line.id).customer_number == "C100"


def test_customers_with_lines_or_invoices_cannot_be_deleted(db: Database,
                                                            books: Books) -> None:
    payments.create(db, books.cid, books.bank_journal.id, PaymentCreate(customer_number="C3"))
    before = dump(db)
    with pytest.raises(Conflict, match="journal lines for it exist"):
        customers.delete(db, books.cid, books.c3.id, version=None)
    with pytest.raises(Conflict, match="it has invoices"):
        customers.delete(db, books.cid, books.c1.id, version=None)
    assert dump(db) == before
    customers.delete(db, books.cid, books.c4.id, version=books.c4.version)
    assert [c.number for c in customers.list_all(db, books.cid)] == ["C1", "C2", "C3"]


# --- invoices ------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"total_amount_including_tax": Decimal("-5")}, "totalAmountIncludingTax"),
    ({"remaining_amount": Decimal("100.01")}, "remainingAmount"),
    ({"remaining_amount": Decimal("-1")}, "remainingAmount"),
    ({"payment_discount_amount": Decimal("101")}, "paymentDiscountAmount"),
    ({"due_date": date(2026, 9, 30)}, "dueDate"),
    ({"customer_number": "C99"}, "customerNumber"),
])
def test_invoice_rules(db: Database, books: Books, change: dict[str, Any], field: str) -> None:
    before = dump(db)
    with pytest.raises((Invalid, NotFound)) as err:
        invoices.update(db, books.cid, books.inv1.id, SalesInvoiceUpdate(**change),
                        version=None)
    assert err.value.field == field
    assert dump(db) == before


def test_invoice_defaults_and_lists(db: Database, books: Books) -> None:
    assert books.inv1.posting_date == books.inv1.due_date == date(2026, 10, 1)
    assert books.inv1.status == "Open" and books.inv2.status == "Paid"
    assert [i.number for i in invoices.list_all(db, books.cid, open_only=True)] == ["INV1",
                                                                                    "INV3"]
    assert [i.number for i in invoices.list_all(db, books.cid, customer_id=books.c1.id)] == [
        "INV1", "INV2"]


def test_an_applied_invoice_cannot_be_deleted(db: Database, books: Books) -> None:
    payments.create(db, books.cid, books.bank_journal.id,
                    PaymentCreate(applies_to_invoice_number="INV1"))
    before = dump(db)
    with pytest.raises(Conflict, match="journal lines are applied to it"):
        invoices.delete(db, books.cid, books.inv1.id, version=None)
    assert dump(db) == before
    invoices.delete(db, books.cid, books.inv2.id, version=books.inv2.version)


# --- number series -------------------------------------------------------------------------

def test_number_series_rules(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Conflict) as err:
        number_series.create(db, books.cid, NumberSeriesCreate(code="RCPT",
                                                               starting_number="A1"))
    assert err.value.field == "code"
    with pytest.raises(Invalid) as err2:
        number_series.create(db, books.cid, NumberSeriesCreate(code="X", starting_number="AB"))
    assert err2.value.field == "startingNumber"
    with pytest.raises(Conflict, match="a journal uses it"):
        number_series.delete(db, books.cid, _series_id(db, books), version=None)
    with pytest.raises(Invalid, match=r"No\. Series NOPE does not exist"):
        number_series.set_receipts_default(db, books.cid, "NOPE")
    assert dump(db) == before


def test_take_next_uses_the_number_up(db: Database, books: Books) -> None:
    with db.transaction() as session:
        from app.db.models import NumberSeries

        series = number_series.by_code(session, books.cid, "RCPT")
        assert number_series.take_next(series) == "R0001"
        assert number_series.take_next(series) == "R0002"
        assert isinstance(series, NumberSeries)
    assert number_series.list_all(db, books.cid)[0].last_number_used == "R0002"

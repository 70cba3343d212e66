"""Customer payment lines: every new-line default and every rule of issue 2, item 7
(Business Central's customerPayments behaviour, bc-model.md section 2.6)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.domain.errors import Blocked, Conflict, Invalid, NotFound
from app.domain.schemas import NumberSeriesUpdate, PaymentCreate, PaymentRead, PaymentUpdate
from app.services import number_series, payments
from tests.helpers import WORK_DATE, Books, dump, make_books


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def add(db: Database, books: Books, journal: str = "BANK", **fields: object) -> PaymentRead:
    journal_id = books.bank_journal.id if journal == "BANK" else books.gen_journal.id
    return payments.create(db, books.cid, journal_id, PaymentCreate.model_validate(fields))


def series_last_used(db: Database, books: Books) -> str:
    return next(s.last_number_used for s in number_series.list_all(db, books.cid)
                if s.code == "RCPT")


# --- lineNumber ----------------------------------------------------------------------------

def test_line_number_is_last_plus_10000(db: Database, books: Books) -> None:
    assert add(db, books, amount=Decimal("-1")).line_number == 10000
    assert add(db, books, amount=Decimal("-1")).line_number == 20000
    assert add(db, books, line_number=0, amount=Decimal("-1")).line_number == 30000


def test_given_line_number_is_kept_and_the_next_default_follows_the_last(
        db: Database, books: Books) -> None:
    add(db, books)
    assert add(db, books, line_number=15000).line_number == 15000
    assert add(db, books, line_number=45000).line_number == 45000
    assert add(db, books).line_number == 55000


def test_a_taken_line_number_is_refused_and_nothing_written(db: Database, books: Books) -> None:
    add(db, books, line_number=10000)
    before = dump(db)
    with pytest.raises(Conflict) as err:
        add(db, books, line_number=10000)
    assert err.value.field == "lineNumber"
    assert "Line 10000 already exists in journal BANK" in err.value.message
    assert dump(db) == before


# --- postingDate ---------------------------------------------------------------------------

def test_posting_date_is_the_work_date_in_an_empty_journal(db: Database, books: Books) -> None:
    assert add(db, books).posting_date == WORK_DATE


def test_posting_date_follows_the_previous_line(db: Database, books: Books) -> None:
    add(db, books, posting_date=date(2026, 11, 2))
    assert add(db, books).posting_date == date(2026, 11, 2)
    add(db, books, posting_date=date(2026, 11, 9))  # line 30000
    # A line put between 10000 and 20000 takes the date of the line it follows (10000).
    assert add(db, books, line_number=15000).posting_date == date(2026, 11, 2)
    assert add(db, books).posting_date == date(2026, 11, 9)


def test_a_supplied_posting_date_wins(db: Database, books: Books) -> None:
    add(db, books, posting_date=date(2026, 11, 2))
    assert add(db, books, posting_date=date(2026, 12, 24)).posting_date == date(2026, 12, 24)


# --- documentNumber ------------------------------------------------------------------------

def test_document_number_is_peeked_from_the_series_not_consumed(
        db: Database, books: Books) -> None:
    assert series_last_used(db, books) == ""
    first = add(db, books, amount=Decimal("-10"))
    assert first.document_number == "R0001"
    assert series_last_used(db, books) == ""  # peeked, not used up


def test_document_number_after_the_last_number_used(db: Database, books: Books) -> None:
    series = next(s for s in number_series.list_all(db, books.cid) if s.code == "RCPT")
    number_series.update(db, books.cid, series.id,
                         NumberSeriesUpdate(last_number_used="R0041"), version=series.version)
    assert add(db, books).document_number == "R0042"
    assert series_last_used(db, books) == "R0041"


def test_with_a_balancing_account_every_line_balances_so_numbers_count_up(
        db: Database, books: Books) -> None:
    numbers = [add(db, books, amount=Decimal(amount)).document_number
               for amount in ("-100", "-0.50", "25")]
    assert numbers == ["R0001", "R0002", "R0003"]
    assert series_last_used(db, books) == ""


def test_without_a_balancing_account_the_number_counts_up_only_when_lines_balance(
        db: Database, books: Books) -> None:
    assert add(db, books, "GEN", amount=Decimal("-100")).document_number == "R0001"
    # Out of balance by -100: the next line continues the same document.
    assert add(db, books, "GEN", amount=Decimal("60")).document_number == "R0001"
    assert add(db, books, "GEN", amount=Decimal("40")).document_number == "R0001"
    # -100 + 60 + 40 = 0: balanced, the next line starts the next document.
    assert add(db, books, "GEN", amount=Decimal("-5")).document_number == "R0002"


def test_a_balance_of_cents_is_not_a_balance(db: Database, books: Books) -> None:
    """The running balance must count cents: 0.50 out of balance is out of balance."""
    assert add(db, books, "GEN", amount=Decimal("-0.50")).document_number == "R0001"
    assert add(db, books, "GEN", amount=Decimal("-1.25")).document_number == "R0001"
    assert add(db, books, "GEN", amount=Decimal("1.75")).document_number == "R0001"
    assert add(db, books, "GEN", amount=Decimal("-3")).document_number == "R0002"


def test_a_supplied_document_number_wins_and_is_followed(db: Database, books: Books) -> None:
    assert add(db, books, document_number="x-7").document_number == "X-7"
    assert add(db, books).document_number == "X-8"


def test_no_series_and_an_empty_journal_gives_no_number(db: Database, books: Books) -> None:
    from app.domain.schemas import JournalUpdate
    from app.services import journals

    journals.update(db, books.cid, books.gen_journal.id,
                    JournalUpdate(number_series_code=""), version=None)
    assert add(db, books, "GEN").document_number == ""


# --- customer ------------------------------------------------------------------------------

def test_customer_by_number_fills_id_and_description(db: Database, books: Books) -> None:
    line = add(db, books, customer_number="c1")
    assert (line.customer_id, line.customer_number) == (books.c1.id, "C1")
    assert line.description == "First Customer"


def test_customer_by_id_fills_number(db: Database, books: Books) -> None:
    line = add(db, books, customer_id=str(books.c1.id))
    assert line.customer_number == "C1"
    assert line.description == "First Customer"


def test_customer_id_and_number_that_agree(db: Database, books: Books) -> None:
    assert add(db, books, customer_id=books.c1.id, customer_number="C1").customer_id \
        == books.c1.id


def test_a_given_description_wins(db: Database, books: Books) -> None:
    assert add(db, books, customer_number="C1", description="Cheque").description == "Cheque"


@pytest.mark.parametrize(("fields", "error", "field", "message"), [
    ({"customer_id": "c2", "customer_number": "C1"}, Invalid, "customerNumber",
     'The "customerNumber" C1 does not match the "customerId".'),
    ({"customer_number": "C99"}, NotFound, "customerNumber", "Customer C99 does not exist."),
    ({"customer_id": "unknown"}, NotFound, "customerId",
     'The "customerId" does not match to a Customer.'),
    ({"customer_number": "C4"}, Blocked, "customerNumber",
     "You cannot enter a payment for customer C4 (All Blocked) because the customer is "
     "blocked for All transactions."),
])
def test_customer_errors_write_nothing(db: Database, books: Books, fields: dict[str, str],
                                       error: type[Exception], field: str,
                                       message: str) -> None:
    ids = {"c2": str(books.c2.id), "unknown": str(uuid.uuid4())}
    data = {k: ids.get(v, v) for k, v in fields.items()}
    before = dump(db)
    with pytest.raises(error) as err:
        add(db, books, **data)
    assert err.value.field == field  # type: ignore[attr-defined]
    assert err.value.message == message  # type: ignore[attr-defined]
    assert dump(db) == before


@pytest.mark.parametrize("number", ["C2", "C3"])
def test_customers_blocked_for_ship_or_invoice_may_pay(db: Database, books: Books,
                                                       number: str) -> None:
    assert add(db, books, customer_number=number, amount=Decimal("-5")).customer_number == number


# --- appliesToInvoice ----------------------------------------------------------------------

def test_apply_to_an_open_invoice_of_the_customer(db: Database, books: Books) -> None:
    line = add(db, books, customer_number="C1", applies_to_invoice_number="INV1",
               amount=Decimal("-100"))
    assert (line.applies_to_invoice_id, line.applies_to_invoice_number) == (books.inv1.id,
                                                                            "INV1")
    by_id = add(db, books, customer_number="C1", applies_to_invoice_id=books.inv1.id)
    assert by_id.applies_to_invoice_number == "INV1"


def test_a_payment_without_customer_takes_the_invoices(db: Database, books: Books) -> None:
    line = add(db, books, applies_to_invoice_number="INV3", amount=Decimal("-50"))
    assert (line.customer_id, line.customer_number) == (books.c2.id, "C2")
    assert line.description == "Ship Blocked"


@pytest.mark.parametrize(("fields", "error", "field", "message"), [
    ({"customer_number": "C1", "applies_to_invoice_number": "INV2"}, Invalid,
     "appliesToInvoiceNumber", "Sales invoice INV2 is not open: it has been paid."),
    ({"customer_number": "C1", "applies_to_invoice_number": "INV3"}, Invalid,
     "appliesToInvoiceNumber", "Sales invoice INV3 belongs to customer C2, not to customer C1."),
    ({"applies_to_invoice_number": "NOPE"}, NotFound, "appliesToInvoiceNumber",
     "Sales Invoice NOPE does not exist."),
    ({"applies_to_invoice_id": "inv3", "applies_to_invoice_number": "INV1"}, Invalid,
     "appliesToInvoiceNumber",
     'The "appliesToInvoiceNumber" INV1 does not match the "appliesToInvoiceId".'),
])
def test_invoice_errors_write_nothing(db: Database, books: Books, fields: dict[str, str],
                                      error: type[Exception], field: str, message: str) -> None:
    data = {k: str(books.inv3.id) if v == "inv3" else v for k, v in fields.items()}
    before = dump(db)
    with pytest.raises(error) as err:
        add(db, books, **data)
    assert err.value.field == field  # type: ignore[attr-defined]
    assert err.value.message == message  # type: ignore[attr-defined]
    assert dump(db) == before


def test_the_invoice_of_a_customer_blocked_for_all_is_refused(db: Database,
                                                              books: Books) -> None:
    from app.domain.schemas import SalesInvoiceCreate
    from app.services import invoices

    invoices.create(db, books.cid, SalesInvoiceCreate(
        number="INV4", customer_number="C4", invoice_date=date(2026, 10, 1),
        total_amount_including_tax=Decimal("10")))
    before = dump(db)
    with pytest.raises(Blocked) as err:
        add(db, books, applies_to_invoice_number="INV4")
    assert err.value.field == "appliesToInvoiceNumber"  # what the user gave
    assert "blocked for All transactions" in err.value.message
    assert dump(db) == before


# --- amount and journal --------------------------------------------------------------------

@pytest.mark.parametrize("amount", ["-1234.56", "1234.56", "0", "-0.01"])
def test_amount_is_stored_as_sent(db: Database, books: Books, amount: str) -> None:
    line = add(db, books, amount=Decimal(amount))
    assert line.amount == Decimal(amount)
    assert payments.get(db, books.cid, line.id).amount == Decimal(amount)


def test_journal_display_name_must_match_the_journal(db: Database, books: Books) -> None:
    before = dump(db)
    with pytest.raises(Invalid) as err:
        add(db, books, journal_display_name="GEN")
    assert err.value.field == "journalDisplayName"
    assert dump(db) == before
    assert add(db, books, journal_display_name="bank").journal_display_name == "BANK"


def test_a_journal_of_another_company_is_not_found(db: Database, books: Books) -> None:
    other = make_books(db, "Other Ltd")
    before = dump(db)
    with pytest.raises(NotFound) as err:
        payments.create(db, other.cid, books.bank_journal.id, PaymentCreate())
    assert err.value.field == "journalId"
    assert dump(db) == before


# --- update --------------------------------------------------------------------------------

def test_update_bumps_version_and_last_modified(db: Database, books: Books) -> None:
    line = add(db, books, customer_number="C1", amount=Decimal("-10"))
    updated = payments.update(db, books.cid, line.id, PaymentUpdate(amount=Decimal("-12.34")),
                              version=line.version)
    assert updated.amount == Decimal("-12.34")
    assert updated.version == line.version + 1
    assert updated.last_modified_date_time > line.last_modified_date_time
    assert updated.etag == f'W/"{line.version + 1}"'


def test_a_stale_update_is_a_conflict_and_writes_nothing(db: Database, books: Books) -> None:
    line = add(db, books, amount=Decimal("-10"))
    payments.update(db, books.cid, line.id, PaymentUpdate(comment="first"),
                    version=line.version)
    before = dump(db)
    with pytest.raises(Conflict) as err:
        payments.update(db, books.cid, line.id, PaymentUpdate(comment="second"),
                        version=line.version)
    assert err.value.field == "@odata.etag"
    assert "Another user has already changed the record" in err.value.message
    assert dump(db) == before
    with pytest.raises(Conflict):
        payments.delete(db, books.cid, line.id, version=line.version)
    assert dump(db) == before


def test_version_none_means_any(db: Database, books: Books) -> None:
    line = add(db, books)
    payments.update(db, books.cid, line.id, PaymentUpdate(comment="a"), version=None)
    assert payments.update(db, books.cid, line.id, PaymentUpdate(comment="b"),
                           version=None).comment == "b"


def test_the_journal_id_cannot_change(db: Database, books: Books) -> None:
    line = add(db, books)
    before = dump(db)
    with pytest.raises(Invalid) as err:
        payments.update(db, books.cid, line.id,
                        PaymentUpdate(journal_id=books.gen_journal.id), version=None)
    assert (err.value.field, err.value.message) == ("journalId",
                                                    "The Journal Id cannot be changed.")
    assert dump(db) == before
    same = payments.update(db, books.cid, line.id,
                           PaymentUpdate(journal_id=books.bank_journal.id), version=None)
    assert same.journal_id == books.bank_journal.id


def test_line_number_rekey_must_stay_unique(db: Database, books: Books) -> None:
    first, second = add(db, books), add(db, books)
    before = dump(db)
    with pytest.raises(Conflict) as err:
        payments.update(db, books.cid, second.id, PaymentUpdate(line_number=10000),
                        version=second.version)
    assert err.value.field == "lineNumber"
    assert dump(db) == before
    moved = payments.update(db, books.cid, second.id, PaymentUpdate(line_number=5000),
                            version=second.version)
    assert moved.line_number == 5000
    assert [p.id for p in payments.list_all(db, books.cid, books.bank_journal.id)] \
        == [second.id, first.id]


def test_update_customer_sets_description_and_refuses_blocked(db: Database,
                                                             books: Books) -> None:
    line = add(db, books, customer_number="C1", applies_to_invoice_number="INV1")
    changed = payments.update(db, books.cid, line.id, PaymentUpdate(customer_number="C3"),
                              version=line.version)
    assert (changed.customer_number, changed.description) == ("C3", "Invoice Blocked")
    assert changed.applies_to_invoice_number == ""  # another customer's invoice is dropped
    before = dump(db)
    with pytest.raises(Blocked) as err:
        payments.update(db, books.cid, line.id, PaymentUpdate(customer_number="C4"),
                        version=None)
    assert err.value.field == "customerNumber"
    assert dump(db) == before


def test_update_applies_to_checks_the_invoice(db: Database, books: Books) -> None:
    line = add(db, books, customer_number="C1")
    before = dump(db)
    with pytest.raises(Invalid) as err:
        payments.update(db, books.cid, line.id,
                        PaymentUpdate(applies_to_invoice_number="INV3"), version=None)
    assert err.value.field == "appliesToInvoiceNumber"
    assert dump(db) == before
    applied = payments.update(db, books.cid, line.id,
                              PaymentUpdate(applies_to_invoice_number="INV1"), version=None)
    assert applied.applies_to_invoice_id == books.inv1.id


def test_update_of_a_line_without_customer_takes_the_invoices(db: Database,
                                                             books: Books) -> None:
    line = add(db, books)
    applied = payments.update(db, books.cid, line.id,
                              PaymentUpdate(applies_to_invoice_number="INV3"), version=None)
    assert (applied.customer_number, applied.description) == ("C2", "Ship Blocked")


def test_delete_and_delete_many(db: Database, books: Books) -> None:
    a, b, c = add(db, books), add(db, books), add(db, books)
    payments.delete(db, books.cid, a.id, version=a.version)
    gone = payments.delete_many(db, books.cid, {b.id: b.version, c.id: None})
    assert [g.line_number for g in gone] == [20000, 30000]
    assert payments.list_all(db, books.cid, books.bank_journal.id) == []
    restored = payments.restore(db, books.cid, gone)
    assert [r.id for r in restored] == [b.id, c.id]

"""Apply Customer Entries for a payment line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.domain.errors import Invalid
from app.domain.ledger_schemas import ApplicationInput
from app.domain.schemas import PaymentUpdate
from app.services import applications, payments
from tests.services.books import Books, make_books, snapshot

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    b.invoice("A", "C1", "100.00", day=date(2026, 10, 1), discount="3.00",
              discount_date=date(2026, 11, 25))
    b.invoice("B", "C1", "50.00", day=date(2026, 10, 5))
    b.invoice("LATE", "C1", "10.00", day=date(2026, 11, 28))
    b.invoice("OTHER", "C2", "70.00", day=date(2026, 10, 1))
    return b


def _apply(books: Books, line_id: object, *pairs: tuple[str, str]) -> object:
    return applications.set_applications(books.db, books.company_id, line_id, [  # type: ignore[arg-type]
        ApplicationInput(cust_ledger_entry_id=books.entry_id(n), amount_to_apply=D(a))
        for n, a in pairs])


def test_open_entries_with_defaults(books: Books) -> None:
    line = books.pay("C1", "-120.00")
    listed = applications.open_entries(books.db, books.company_id, line.id)
    rows = {e.document_number: (e.remaining_amount, e.default_amount_to_apply, e.can_apply)
            for e in listed.entries}
    assert rows == {"A": (D("100.00"), D("97.00"), True),  # within the discount date
                    "B": (D("50.00"), D("50.00"), True),
                    "LATE": (D("10.00"), D("10.00"), False)}
    assert [e.document_number for e in listed.entries] == ["A", "B", "LATE"]  # oldest first
    assert (listed.applied_amount, listed.remaining_after) == (D("0.00"), D("120.00"))


def test_default_without_discount_after_the_date(books: Books) -> None:
    line = books.pay("C1", "-120.00", day=date(2026, 11, 26))
    listed = applications.open_entries(books.db, books.company_id, line.id)
    assert listed.entries[0].default_amount_to_apply == D("100.00")


def test_set_and_clear_applications(books: Books) -> None:
    line = books.pay("C1", "-120.00", invoice="B")
    result = _apply(books, line.id, ("A", "97.00"), ("B", "20.00"))
    assert result.applied_amount == D("117.00")  # type: ignore[attr-defined]
    assert result.remaining_after == D("3.00")  # type: ignore[attr-defined]
    # The Applies-to ID replaces the Applies-to Doc. No.
    assert payments.get(books.db, books.company_id, line.id).applies_to_invoice_number == ""
    cleared = applications.clear_applications(books.db, books.company_id, line.id)
    assert cleared.applied_amount == 0 and not any(e.applied for e in cleared.entries)


def test_a_line_without_amount_takes_the_applied_total(books: Books) -> None:
    line = books.pay("C1", "0")
    _apply(books, line.id, ("B", "50.00"))
    assert payments.get(books.db, books.company_id, line.id).amount == D("-50.00")


def test_choosing_an_applies_to_doc_clears_the_applications(books: Books) -> None:
    line = books.pay("C1", "-50.00")
    _apply(books, line.id, ("A", "50.00"))
    payments.update(books.db, books.company_id, line.id,
                    PaymentUpdate(applies_to_invoice_number="B"), version=None)
    assert applications.open_entries(books.db, books.company_id, line.id).applied_amount == 0


@pytest.mark.parametrize(("pairs", "message"), [
    ((("A", "100.01"),), "Amount to Apply must not be larger than Remaining Amount: 100.01 to "
                         "apply to Invoice A, 100.00 open."),
    ((("A", "0"),), "Amount to Apply must be positive on Invoice A."),
    ((("LATE", "10.00"),), "You cannot apply and post an entry to an entry with an earlier "
                           "posting date."),
    ((("OTHER", "10.00"),), "Invoice OTHER belongs to customer C2, not to customer C1."),
    ((("A", "100.00"), ("B", "50.00")), "The amounts to apply, 150.00 in total, are larger "
                                        "than the payment, 120.00."),
])
def test_refused_applications_write_nothing(books: Books, pairs: tuple[tuple[str, str], ...],
                                            message: str) -> None:
    line = books.pay("C1", "-120.00")
    before = snapshot(books.db)
    with pytest.raises(Invalid) as caught:
        _apply(books, line.id, *pairs)
    assert caught.value.message.startswith(message)
    assert snapshot(books.db) == before


def test_applying_a_closed_entry_is_refused(books: Books) -> None:
    books.pay("C1", "-50.00", invoice="B")
    books.post()
    line = books.pay("C1", "-10.00")
    before = snapshot(books.db)
    with pytest.raises(Invalid, match=r"Invoice B \(entry \d+\) is not open\."):
        _apply(books, line.id, ("B", "10.00"))
    assert snapshot(books.db) == before


def test_apply_to_oldest(books: Books) -> None:
    line = books.pay("C1", "-120.00")
    result = applications.apply_to_oldest(books.db, books.company_id, line.id)
    assert {e.document_number: e.amount_to_apply for e in result.entries if e.applied} == {
        "A": D("97.00"), "B": D("23.00")}


def test_apply_to_oldest_needs_an_amount(books: Books) -> None:
    line = books.pay("C1", "0")
    before = snapshot(books.db)
    with pytest.raises(Invalid, match="Amount must be negative"):
        applications.apply_to_oldest(books.db, books.company_id, line.id)
    assert snapshot(books.db) == before


def test_deleting_the_line_removes_its_applications(books: Books) -> None:
    line = books.pay("C1", "-50.00")
    _apply(books, line.id, ("B", "50.00"))
    payments.delete(books.db, books.company_id, line.id, version=None)
    assert snapshot(books.db)["applications"] == 0

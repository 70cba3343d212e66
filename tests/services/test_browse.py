"""The query API of the big tables (app/services/browse.py), without Qt."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.db import Database
from app.domain.errors import Invalid
from app.domain.schemas import CompanyRead, JournalCreate, PaymentCreate
from app.services import browse, journals, payments
from app.services.browse import BrowseQuery


def _bank(db: Database, company: CompanyRead) -> BrowseQuery:
    bank = journals.find_by_code(db, company.id, "BANK")
    return BrowseQuery(company_id=company.id, journal_id=bank.id)


def _all(db: Database, query: BrowseQuery) -> list[browse.PaymentRow]:
    return browse.page_payments(db, query, 0, 1000)


def test_count_and_page_in_line_order(db: Database, demo: CompanyRead) -> None:
    query = _bank(db, demo)
    assert browse.count_payments(db, query) == 7
    rows = _all(db, query)
    assert [r.line_number for r in rows] == [10000 * n for n in range(1, 8)]
    assert rows[0].customer_name == "Adatum Corporation"
    assert [r.line_number for r in browse.page_payments(db, query, 2, 3)] == [
        30000, 40000, 50000]
    assert browse.page_payments(db, query, 7, 10) == []


def test_sort_by_amount_both_ways_with_line_number_tiebreak(db: Database,
                                                             demo: CompanyRead) -> None:
    query = _bank(db, demo)
    for _ in range(2):  # two equal amounts: the line number decides
        payments.create(db, demo.id, query.journal_id, PaymentCreate(  # type: ignore[arg-type]
            customer_number="C10000", amount=Decimal("-5.00")))
    rows = _all(db, BrowseQuery(**{**query.__dict__, "sort": "amount"}))
    amounts = [r.amount for r in rows]
    assert amounts == sorted(amounts)
    fives = [r.line_number for r in rows if r.amount == Decimal("-5.00")]
    assert fives == sorted(fives) and len(fives) == 2
    down = _all(db, BrowseQuery(**{**query.__dict__, "sort": "amount", "descending": True}))
    assert [r.id for r in down] == [r.id for r in reversed(rows)]


def test_unknown_sort_is_refused(db: Database, demo: CompanyRead) -> None:
    query = BrowseQuery(**{**_bank(db, demo).__dict__, "sort": "comment"})
    with pytest.raises(Invalid) as error:
        browse.page_payments(db, query, 0, 10)
    assert error.value.field == "sort"
    assert "cannot be sorted by comment" in error.value.message


def test_filter_by_customer_number_name_or_document(db: Database, demo: CompanyRead) -> None:
    query = _bank(db, demo)

    def lines(text: str) -> list[int]:
        filtered = BrowseQuery(**{**query.__dict__, "filter_text": text})
        rows = _all(db, filtered)
        assert browse.count_payments(db, filtered) == len(rows)
        return [r.line_number for r in rows]

    assert lines("c10030") == [40000, 70000]  # number prefix, any case
    assert lines("alpine") == [40000, 70000]  # name, anywhere, any case
    assert lines("Ski Hou") == [40000, 70000]
    assert lines("G02003") == [30000]  # document number prefix
    assert lines("nothing like it") == []
    # 'C1' matches every customer: the unselective plan must give the same rows.
    assert lines("C1") == [10000 * n for n in range(1, 8)]


def test_unselective_filter_matches_the_selective_result(db: Database,
                                                         demo: CompanyRead) -> None:
    query = BrowseQuery(**{**_bank(db, demo).__dict__, "filter_text": "c", "sort": "amount"})
    rows = _all(db, query)  # 'c' is in most names: the sort index is walked
    expected = sorted((r for r in _all(db, _bank(db, demo))
                       if r.customer_number.startswith("C") or "c" in r.customer_name.lower()),
                      key=lambda r: (r.amount, r.line_number))
    assert [r.id for r in rows] == [r.id for r in expected]


def test_position_of_a_line_in_each_order(db: Database, demo: CompanyRead) -> None:
    query = _bank(db, demo)
    for sort in ("lineNumber", "amount", "customerNumber", "postingDate", "documentNumber"):
        for descending in (False, True):
            ordered = BrowseQuery(**{**query.__dict__, "sort": sort, "descending": descending})
            rows = _all(db, ordered)
            for position, row in enumerate(rows):
                assert browse.payment_position(db, ordered, row.id) == position, (sort, row)


def test_journal_summary_sums_cents(db: Database, demo: CompanyRead) -> None:
    query = _bank(db, demo)
    rows = _all(db, query)
    summary = browse.journal_summary(db, query.journal_id)  # type: ignore[arg-type]
    assert summary.line_count == 7
    assert summary.total_amount == sum((r.amount for r in rows), Decimal(0))
    assert summary.balance == Decimal("0.00")  # BANK has a balancing account
    loose = journals.create(db, demo.id, JournalCreate(code="LOOSE"))
    payments.create(db, demo.id, loose.id, PaymentCreate(customer_number="C10000",
                                                         amount=Decimal("-10.01")))
    payments.create(db, demo.id, loose.id, PaymentCreate(customer_number="C10000",
                                                         amount=Decimal("-0.02")))
    other = browse.journal_summary(db, loose.id)
    assert (other.line_count, other.total_amount, other.balance) == (
        2, Decimal("-10.03"), Decimal("-10.03"))


def test_small_tables(db: Database, demo: CompanyRead) -> None:
    scope = BrowseQuery(company_id=demo.id)
    assert browse.count_companies(db, BrowseQuery()) == 1
    assert browse.page_companies(db, BrowseQuery(), 0, 10)[0].name == demo.name
    assert [j.code for j in browse.page_journals(db, scope, 0, 10)] == ["BANK", "CASH"]
    assert browse.page_journals(db, scope, 0, 10)[0].balancing_account_number == "2910"
    assert browse.count_customers(db, scope) == 20
    names = [c.display_name for c in browse.page_customers(
        db, BrowseQuery(company_id=demo.id, sort="displayName", descending=True), 0, 100)]
    assert names == sorted(names, reverse=True)
    assert [c.number for c in browse.page_customers(
        db, BrowseQuery(company_id=demo.id, filter_text="coho"), 0, 10)] == ["C10050"]
    assert browse.count_accounts(db, scope) == 9
    assert [a.number for a in browse.page_accounts(
        db, BrowseQuery(company_id=demo.id, filter_text="29"), 0, 10)] == [
        "2910", "2920", "2940"]
    assert browse.count_invoices(db, scope) == 50
    by_remaining = browse.page_invoices(
        db, BrowseQuery(company_id=demo.id, sort="remainingAmount"), 0, 100)
    assert [i.remaining_amount for i in by_remaining] == sorted(
        i.remaining_amount for i in by_remaining)
    first = by_remaining[0]
    mine = browse.page_invoices(db, BrowseQuery(company_id=demo.id, open_only=True,
                                                customer_id=first.customer_id), 0, 100)
    assert mine and {i.customer_id for i in mine} == {first.customer_id}
    assert len(browse.customer_names(db, demo.id)) == 20


def test_scope_is_required(db: Database, demo: CompanyRead) -> None:
    with pytest.raises(Invalid) as error:
        browse.count_payments(db, BrowseQuery(company_id=demo.id))
    assert error.value.field == "journalId"


def test_pages_read_backwards_from_the_end_are_the_same(db: Database, demo: CompanyRead) -> None:
    query = _bank(db, demo)
    for _ in range(6):
        payments.create(db, demo.id, query.journal_id, PaymentCreate(  # type: ignore[arg-type]
            customer_number="C10010", amount=Decimal("-1.00")))
    for sort in ("lineNumber", "amount"):
        for descending in (False, True):
            ordered = BrowseQuery(**{**query.__dict__, "sort": sort, "descending": descending})
            every = [r.id for r in _all(db, ordered)]
            total = len(every)
            for offset in range(total + 1):
                for limit in (1, 3, 5):
                    page = browse.page_payments(db, ordered, offset, limit, total=total)
                    assert [r.id for r in page] == every[offset:offset + limit], (
                        sort, descending, offset, limit)

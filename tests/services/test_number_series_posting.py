"""Document numbers from a No. Series never repeat: posting checks the lines continue the
series (BC's CheckDocNoBasedOnNoSeries) and that no number is posted twice; two journals on
one series."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import Invalid
from app.domain.numbering import series_problems
from app.domain.schemas import JournalCreate, JournalUpdate, NumberSeriesCreate, PaymentCreate
from app.services import journals, number_series, payments, posting
from tests.services.books import WORK_DATE, Books, make_books, snapshot

MANUAL = ("You may not enter numbers manually. If you want to enter numbers manually, please "
          "activate Manual Nos. in No. Series RCPT.")


def _two_journals(books: Books, *, manual: bool) -> object:
    db, cid = books.db, books.company_id
    number_series.create(db, cid, NumberSeriesCreate(code="RCPT", starting_number="G001",
                                                     manual_numbers=manual))
    bank = journals.get(db, cid, books.journal_id)
    journals.update(db, cid, bank.id, JournalUpdate(number_series_code="RCPT"),
                    version=bank.version)
    return journals.create(db, cid, JournalCreate(code="CASH", balancing_account_number="2910",
                                                  number_series_code="RCPT")).id


def _line(books: Books, journal_id: object, document: str | None, amount: str = "-10") -> None:
    payments.create(books.db, books.company_id, journal_id, PaymentCreate(  # type: ignore[arg-type]
        customer_number="C1", amount=Decimal(amount), posting_date=WORK_DATE,
        document_number=document))


def test_rule_follows_bc() -> None:
    lines = [(10000, "G001"), (20000, "G001"), (30000, "G002"), (40000, "G004")]
    assert series_problems(lines, series_code="RCPT", next_number="G001") == [
        (40000, f"{MANUAL} Document No. G004 does not continue the series, whose next number "
                "is G003.")]
    assert series_problems(lines, series_code="RCPT", next_number="G001",
                           manual_numbers=True) == []
    assert series_problems([(10000, "G010")], series_code="RCPT", next_number="G001",
                           increment_by=9)[0][0] == 10000


def test_two_journals_on_one_series_never_post_a_number_twice(db) -> None:  # type: ignore[no-untyped-def]
    books = make_books(db)
    cash = _two_journals(books, manual=False)
    _line(books, books.journal_id, None)  # peeks G001
    _line(books, cash, None)  # peeks G001 too: nothing is taken until posting
    lines = payments.list_all(db, books.company_id, cash)  # type: ignore[arg-type]
    assert [p.document_number for p in lines] == ["G001"]
    posting.post(db, books.company_id, books.journal_id, user_id="t")
    assert number_series.list_all(db, books.company_id)[0].last_number_used == "G001"
    before = snapshot(db)
    report = posting.test_report(db, books.company_id, cash)  # type: ignore[arg-type]
    assert [(p.line_number, p.field, p.message) for p in report] == [
        (10000, "documentNumber", f"{MANUAL} Document No. G001 does not continue the series, "
                                  "whose next number is G002."),
        (10000, "documentNumber", "Document No. G001 has already been posted. A number of No. "
                                  "Series RCPT is posted once; take the next number from the "
                                  "series.")]
    with pytest.raises(Invalid) as caught:
        posting.post(db, books.company_id, cash, user_id="t")  # type: ignore[arg-type]
    assert caught.value.message == f"Line 10000: {report[0].message}"
    assert [e.message for e in caught.value.errors] == [
        f"Line 10000: {p.message}" for p in report]
    assert snapshot(db) == before
    # Renumbered to the series' next number, it posts, and the series moves on.
    line = payments.list_all(db, books.company_id, cash)[0]  # type: ignore[arg-type]
    from app.domain.schemas import PaymentUpdate
    payments.update(db, books.company_id, line.id, PaymentUpdate(document_number="G002"),
                    version=line.version)
    posting.post(db, books.company_id, cash, user_id="t")  # type: ignore[arg-type]
    assert number_series.list_all(db, books.company_id)[0].last_number_used == "G002"


def test_manual_numbers_allowed_but_never_a_posted_one(db) -> None:  # type: ignore[no-untyped-def]
    books = make_books(db)
    cash = _two_journals(books, manual=True)
    _line(books, books.journal_id, "G001")
    _line(books, books.journal_id, "G001", "-5")  # one document, two lines
    _line(books, books.journal_id, "X-77")  # manual: allowed
    posting.post(db, books.company_id, books.journal_id, user_id="t")
    _line(books, cash, "X-77")
    report = posting.test_report(db, books.company_id, cash)  # type: ignore[arg-type]
    assert [p.message for p in report] == [
        "Document No. X-77 has already been posted. A number of No. Series RCPT is posted "
        "once; take the next number from the series."]

"""Bank statements into a payment journal: lines and their fields, duplicates (re-import,
overlap, identical genuine lines, after posting), matching rules and confidences, ties, and
customer bank accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.db.models import BankStatementLine, Payment, PaymentApplication
from app.domain.bank import Statement, StatementLine
from app.domain.bank_matching import AmountMatch, Confidence, DocMatch, Party
from app.domain.bank_schemas import CustomerBankAccountCreate
from app.domain.errors import Conflict, Invalid
from app.domain.schemas import JournalUpdate, NumberSeriesCreate
from app.domain.validation import parse
from app.services import bank_accounts, bank_import, journals, number_series, payments
from app.services.importing import ImportRejected
from tests.services.books import Books, make_books, snapshot

DAY = date(2026, 11, 20)
IBAN_C1 = "DE89370400440532013000"
IBAN_C2 = "DE44500105175407324931"


@pytest.fixture
def books(db: Database) -> Books:
    b = make_books(db)
    number_series.create(db, b.company_id, NumberSeriesCreate(code="BANK",
                                                              starting_number="B0001"))
    journals.update(db, b.company_id, b.journal_id, JournalUpdate(number_series_code="BANK"),
                    version=None)
    bank_accounts.create(db, b.company_id, CustomerBankAccountCreate(
        customer_number="C1", code="MAIN", iban="DE89 3704 0044 0532 0130 00"))
    bank_accounts.create(db, b.company_id, CustomerBankAccountCreate(
        customer_number="C2", code="MAIN", iban=IBAN_C2))
    b.invoice("103004", "C1", "1000.00")
    b.invoice("103007", "C1", "502.40")
    b.invoice("103010", "C1", "250.00", discount="5.00", discount_date=date(2026, 11, 25))
    b.invoice("200001", "C2", "300.00")
    b.invoice("200002", "C2", "300.00")
    return b


def line(amount: str, *, credit: bool = True, name: str = "", iban: str = "", text: str = "",
         ref: str = "", day: date = DAY, structured: str = "") -> StatementLine:
    return StatementLine(Decimal(amount), credit, day, counterparty_name=name,
                         counterparty_iban=iban, remittance=text, bank_reference=ref,
                         structured_remittance=structured)


def statement(*lines: StatementLine) -> Statement:
    return Statement("camt053", tuple(lines), account="DE02120300000000202051")


def count(db: Database, model: object) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def proposal(books: Books, *lines: StatementLine, **kw: object) -> list[bank_import.ProposedLine]:
    return bank_import.plan(books.db, books.company_id, books.journal_id, statement(*lines),
                            **kw).lines  # type: ignore[arg-type]


# --- into the journal -----------------------------------------------------------------------

def test_credit_becomes_payment_line_with_fields_and_applications(books: Books) -> None:
    s = statement(
        line("1000.00", name="Adatum Corporation", iban=IBAN_C1, text="Invoice 103004",
             ref="REF-1"),
        line("89.90", credit=False, name="Stadtwerke", text="Strom", ref="REF-2"))
    result = bank_import.import_statement(books.db, books.company_id, books.journal_id, s)
    assert result.line() == (
        "2 statement lines read; imported 1 into journal BANK (sum 1,000.00); applied: "
        "1 High, 0 Medium, 0 Low; unmatched 0; duplicates skipped 0; debits skipped 1.")
    [p] = payments.list_all(books.db, books.company_id, books.journal_id)
    assert (p.posting_date, p.amount, p.external_document_number, p.description, p.comment,
            p.customer_number) == (DAY, Decimal("-1000.00"), "REF-1", "Adatum Corporation",
                                   "Invoice 103004", "C1")
    with books.db.reading() as session:
        applied = list(session.execute(select(PaymentApplication.cust_ledger_entry_id,
                                              PaymentApplication.amount_to_apply)))
    assert applied == [(books.entry_id("103004"), Decimal("1000.00"))]


def test_long_texts_are_cut_to_the_fields_lengths(books: Books) -> None:
    s = statement(line("1.00", name="N" * 140, text="x " * 200, ref="R" * 50))
    bank_import.import_statement(books.db, books.company_id, books.journal_id, s)
    [p] = payments.list_all(books.db, books.company_id, books.journal_id)
    assert len(p.external_document_number) == 35
    assert len(p.description) == 100 and p.description.endswith("…")
    assert len(p.comment) <= 250


def test_dry_run_writes_nothing(books: Books) -> None:
    before = snapshot(books.db)
    s = statement(line("1000.00", iban=IBAN_C1, text="103004", ref="A"))
    result = bank_import.import_statement(books.db, books.company_id, books.journal_id, s,
                                          dry_run=True)
    assert result.written == 1 and result.line().count("would import 1") == 1
    assert snapshot(books.db) == before and count(books.db, BankStatementLine) == 0


# --- duplicates -----------------------------------------------------------------------------

def test_reimport_and_overlap_add_nothing_twice(books: Books) -> None:
    a = statement(line("10.00", name="X", ref="R1"), line("20.00", name="Y", ref="R2"))
    first = bank_import.import_statement(books.db, books.company_id, books.journal_id, a)
    again = bank_import.import_statement(books.db, books.company_id, books.journal_id, a)
    assert (first.written, again.written, again.duplicates) == (2, 0, 2)
    b = statement(line("20.00", name="Y", ref="R2"), line("30.00", name="Z", ref="R3"))
    overlap = bank_import.import_statement(books.db, books.company_id, books.journal_id, b)
    assert (overlap.written, overlap.duplicates) == (1, 1)
    assert count(books.db, Payment) == 3


def test_identical_genuine_lines_without_reference_both_kept_once(books: Books) -> None:
    same = line("88.00", name="Relecloud", text="Rechnung 103005")
    s = statement(same, same)
    assert bank_import.import_statement(books.db, books.company_id, books.journal_id,
                                        s).written == 2
    assert bank_import.import_statement(books.db, books.company_id, books.journal_id,
                                        s).written == 0
    # A later statement of the same day with a third one: only that one is new.
    assert bank_import.import_statement(books.db, books.company_id, books.journal_id,
                                        statement(same, same, same)).written == 1
    assert count(books.db, Payment) == 3


def test_keys_survive_posting(books: Books) -> None:
    s = statement(line("1000.00", iban=IBAN_C1, text="103004", ref="P1"))
    bank_import.import_statement(books.db, books.company_id, books.journal_id, s)
    books.post()
    assert count(books.db, Payment) == 0
    again = bank_import.import_statement(books.db, books.company_id, books.journal_id, s)
    assert (again.written, again.duplicates) == (0, 1)


def test_undo_removes_lines_and_keys(books: Books) -> None:
    s = statement(line("1000.00", iban=IBAN_C1, text="103004", ref="U1"))
    result = bank_import.import_statement(books.db, books.company_id, books.journal_id, s)
    assert bank_import.undo(books.db, books.company_id, books.journal_id,
                            result.payment_ids) == 1
    assert count(books.db, Payment) == count(books.db, BankStatementLine) == 0
    assert bank_import.import_statement(books.db, books.company_id, books.journal_id,
                                        s).written == 1


def test_bad_application_rejects_everything(books: Books) -> None:
    s = statement(line("10.00", name="Trey Research", ref="Q1"))
    plan = bank_import.plan(books.db, books.company_id, books.journal_id, s)
    before = snapshot(books.db)
    wrong = bank_import.Decision(books.customers["C2"].id,
                                 ((books.entry_id("103004"), Decimal("10.00")),))
    with pytest.raises(ImportRejected) as caught:
        bank_import.write(books.db, plan, {0: wrong})
    assert "invoice 103004 belongs to another customer" in caught.value.errors[1].message
    assert snapshot(books.db) == before and count(books.db, BankStatementLine) == 0


# --- matching rules and confidences ----------------------------------------------------------

def test_iban_invoice_amount_is_high_with_reasons(books: Books) -> None:
    [p] = proposal(books, line("1000.00", iban=IBAN_C1, text="RE 103004 danke"))
    m = p.match
    assert (m.party, m.doc, m.amount, m.confidence) == (
        Party.FULLY, DocMatch.YES, AmountMatch.ONE, Confidence.HIGH)
    assert m.reasons == "IBAN + invoice 103004 + amount" and p.auto


def test_several_numbers_one_payment_to_several_invoices(books: Books) -> None:
    [p] = proposal(books, line("1502.40", name="ADATUM", text="RE 103004 UND 103007"))
    m = p.match
    assert (m.party, m.doc, m.amount, m.confidence) == (
        Party.FULLY, DocMatch.MULTIPLE, AmountMatch.ONE, Confidence.HIGH)
    assert [(a.document_number, a.amount) for a in m.applications] == [
        ("103004", 100000), ("103007", 50240)]


def test_partial_payment_by_number_applies_what_was_paid(books: Books) -> None:
    [p] = proposal(books, line("400.00", iban=IBAN_C1, text="103004 part 1"))
    assert (p.match.amount, p.match.confidence) == (AmountMatch.NO, Confidence.HIGH)
    assert [(a.document_number, a.amount) for a in p.match.applications] == [("103004", 40000)]


def test_discount_when_the_date_allows(books: Books) -> None:
    [p] = proposal(books, line("245.00", iban=IBAN_C1, text="103010"))
    assert p.match.amount is AmountMatch.ONE
    late = proposal(books, line("245.00", iban=IBAN_C1, text="103010",
                                day=date(2026, 11, 26)))[0]
    assert late.match.amount is AmountMatch.NO  # after the discount date 250.00 is due


def test_short_numbers_and_partial_tokens_are_ignored(books: Books) -> None:
    books.invoice("1030", "C1", "77.00")
    [p] = proposal(books, line("77.00", text="invoice 1030 and X1030045"))
    assert p.match.doc is DocMatch.NO and p.match.customer is None


def test_amount_only_with_party_is_medium_not_applied_by_default(books: Books) -> None:
    [p] = proposal(books, line("502.40", iban=IBAN_C1, text="thanks"))
    assert (p.match.party, p.match.doc, p.match.amount, p.match.confidence) == (
        Party.FULLY, DocMatch.NO, AmountMatch.ONE, Confidence.MEDIUM)
    assert not p.auto and p.match.reasons == "IBAN + amount"
    [p] = proposal(books, line("502.40", iban=IBAN_C1, text="thanks"),
                   min_confidence=Confidence.MEDIUM)
    assert p.auto


def test_sum_of_several_invoices_of_one_customer(books: Books) -> None:
    [p] = proposal(books, line("1502.40", iban=IBAN_C1))  # 103004 + 103007, oldest first
    assert p.match.amount is AmountMatch.ONE
    assert [a.document_number for a in p.match.applications] == ["103004", "103007"]


def test_name_typo_is_partially_and_numbers_make_it_high(books: Books) -> None:
    [p] = proposal(books, line("300.00", name="Trey Reserch", text="invoice 200001"))
    assert (p.match.party, p.match.confidence) == (Party.PARTIALLY, Confidence.HIGH)
    assert p.match.customer is not None and p.match.customer.number == "C2"


def test_tie_is_never_applied_and_lists_candidates(books: Books) -> None:
    [p] = proposal(books, line("300.00", iban=IBAN_C2), min_confidence=Confidence.LOW)
    assert p.match.tie and not p.auto and p.match.applications == ()
    assert sorted(d.document_number for d in p.match.candidates) == ["200001", "200002"]
    assert p.match.customer is not None  # the party matched: the customer is kept


def test_numbers_of_several_customers_without_party_are_a_tie(books: Books) -> None:
    [p] = proposal(books, line("1300.00", text="103004 200001"))
    assert p.match.tie and p.match.customer is None
    assert [d.document_number for d in p.match.candidates] == ["103004", "200001"]


def test_two_lines_do_not_both_close_one_invoice(books: Books) -> None:
    a, b = proposal(books, line("1000.00", iban=IBAN_C1, text="103004", ref="1"),
                    line("1000.00", iban=IBAN_C1, text="103004", ref="2"))
    assert a.auto and a.match.applications
    assert b.match.doc is DocMatch.NO  # 103004 is taken by the first line


def test_nothing_found_is_none(books: Books) -> None:
    [p] = proposal(books, line("12.34", name="Somebody Else", text="gift"))
    assert p.match.confidence is Confidence.NONE and p.match.customer is None
    assert p.needs_review


def test_structured_reference_and_ext_doc_number(books: Books) -> None:
    books.invoice("103050", "C2", "99.00")
    with books.db.transaction() as session:
        from app.db.models import CustLedgerEntry

        entry = session.get(CustLedgerEntry, books.entry_id("103050"))
        assert entry is not None
        entry.external_document_number = "PO-77881"
    [p] = proposal(books, line("99.00", structured="PO-77881"))
    assert p.match.doc is DocMatch.YES and p.match.confidence is Confidence.HIGH


# --- customer bank accounts -----------------------------------------------------------------

def test_bank_account_iban_checked_and_unique(books: Books) -> None:
    with pytest.raises(Invalid, match="check digits do not match"):
        parse(CustomerBankAccountCreate, {"customerNumber": "C1", "code": "X",
                                          "iban": "DE89370400440532013001"})
    with pytest.raises(Conflict, match="already a bank account of customer C1"):
        bank_accounts.create(books.db, books.company_id, CustomerBankAccountCreate(
            customer_number="C2", code="OTHER", iban=IBAN_C1))
    listed = bank_accounts.list_of_customer(books.db, books.company_id,
                                            books.customers["C1"].id)
    assert [(a.code, a.iban) for a in listed] == [("MAIN", IBAN_C1)]


def test_csv_profiles_saved_by_name(books: Books) -> None:
    bank_accounts.save_csv_profile(books.db, books.company_id, "Sparkasse", '{"a": 1}')
    bank_accounts.save_csv_profile(books.db, books.company_id, "Sparkasse", '{"a": 2}')
    assert bank_accounts.csv_profile_names(books.db, books.company_id) == ["Sparkasse"]
    assert bank_accounts.csv_profile(books.db, books.company_id, "Sparkasse") == '{"a": 2}'


def test_a_customer_with_bank_accounts_is_not_deleted(db: Database) -> None:
    """Its bank accounts would go with it and Undo could not bring them back: refused,
    nothing written."""
    from app.domain.errors import Conflict
    from app.domain.schemas import CustomerCreate
    from app.services import customers
    from tests.services.books import make_books
    from tests.snapshots import dump

    b = make_books(db)
    customer = customers.create(db, b.company_id, CustomerCreate(
        number="C777", display_name="Has an account"))
    bank_accounts.create(db, b.company_id, CustomerBankAccountCreate(
        customer_number="C777", code="MAIN", iban="DE89370400440532013000"))
    customer = customers.get(db, b.company_id, customer.id)
    before = dump(db)
    with pytest.raises(Conflict, match="C777 because it has bank accounts"):
        customers.delete(db, b.company_id, customer.id, version=customer.version)
    assert dump(db) == before

"""Posting a customer payment journal: what it writes, and every refusal writing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text

from app.db import Database
from app.db.models import CustLedgerEntry, DetailedCustLedgEntry, GLEntry, GLRegister
from app.domain.errors import Invalid, NotFound
from app.domain.ledger_schemas import ApplicationInput
from app.domain.schemas import (
    AccountUpdate,
    CustomerUpdate,
    JournalUpdate,
    NumberSeriesCreate,
    PaymentCreate,
    PaymentUpdate,
)
from app.services import (
    accounts,
    applications,
    customers,
    invoices,
    journals,
    ledgers,
    number_series,
    payments,
    posting,
)
from tests.services.books import Books, make_books, snapshot

D = Decimal


@pytest.fixture
def books(db: Database) -> Books:
    return make_books(db)


def _gl(db: Database) -> list[tuple[int, str, Decimal]]:
    with db.reading() as session:
        return [(e.entry_number, e.account_number, e.amount) for e in
                session.scalars(select(GLEntry).order_by(GLEntry.entry_number))]


def _details(db: Database, document: str) -> list[tuple[str, Decimal]]:
    with db.reading() as session:
        return [(d.entry_type, d.amount) for d in session.scalars(
            select(DetailedCustLedgEntry).where(DetailedCustLedgEntry.document_number == document)
            .order_by(DetailedCustLedgEntry.id))]


def _refused(books: Books, expected: str) -> Invalid:
    before = snapshot(books.db)
    with pytest.raises(Invalid) as caught:
        books.post()
    assert any(expected in e.message for e in caught.value.errors), caught.value.errors
    assert snapshot(books.db) == before
    return caught.value


# --- what posting writes ---------------------------------------------------------------------

def test_full_payment_closes_the_invoice(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-100.00", invoice="INV1", document="P1")
    register = books.post()
    assert (register.number, register.from_entry_number, register.to_entry_number) == (1, 1, 2)
    assert register.total_debit == register.total_credit == D("100.00")
    assert register.journal_code == "BANK" and register.user_id == "tester"
    assert _gl(books.db) == [(1, "2310", D("-100.00")), (2, "2910", D("100.00"))]
    assert _details(books.db, "P1") == [("Initial Entry", D("-100.00")),
                                        ("Application", D("100.00")),
                                        ("Application", D("-100.00"))]
    invoice = invoices.get(books.db, books.company_id, books.invoices["INV1"].id)
    assert (invoice.remaining_amount, invoice.status) == (D("0.00"), "Paid")
    entries = ledgers.page_customer_entries(
        books.db, ledgers.LedgerQuery(books.company_id, customer_id=books.customers["C1"].id),
        0, 10)
    assert [(e.document_type, e.amount, e.remaining_amount, e.open) for e in entries] == [
        ("Invoice", D("100.00"), D("0.00"), False), ("Payment", D("-100.00"), D("0.00"), False)]
    assert entries[0].closed_by_entry_number == entries[1].entry_number
    # The lines are gone; the journal stays.
    assert payments.list_all(books.db, books.company_id, books.journal_id) == []
    assert journals.get(books.db, books.company_id, books.journal_id).code == "BANK"


def test_partial_payment_leaves_the_rest_open(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-40.00", invoice="INV1")
    books.post()
    invoice = invoices.get(books.db, books.company_id, books.invoices["INV1"].id)
    assert (invoice.remaining_amount, invoice.status) == (D("60.00"), "Open")
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("60.00")


def test_overpayment_stays_open_as_a_credit(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-150.00", invoice="INV1", document="P1")
    books.post()
    assert invoices.get(books.db, books.company_id,
                        books.invoices["INV1"].id).remaining_amount == D("0.00")
    payment = ledgers.entries_for_document(books.db, books.company_id, "P1").customer_entries
    assert [(e.amount, e.remaining_amount, e.open) for e in payment] == [
        (D("-150.00"), D("-50.00"), True)]
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("-50.00")


def test_payment_discount_within_the_discount_date(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    books.pay("C1", "-98.00", invoice="INV1", document="P1")
    books.post()
    assert _gl(books.db) == [(1, "2310", D("-100.00")), (2, "9250", D("2.00")),
                             (3, "2910", D("98.00"))]
    assert _details(books.db, "P1") == [("Initial Entry", D("-98.00")),
                                        ("Application", D("100.00")),
                                        ("Payment Discount", D("-2.00")),
                                        ("Application", D("-100.00"))]
    assert invoices.get(books.db, books.company_id,
                        books.invoices["INV1"].id).status == "Paid"
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("0.00")


def test_no_discount_after_the_discount_date(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 19))
    books.pay("C1", "-98.00", invoice="INV1")
    books.post()
    assert invoices.get(books.db, books.company_id,
                        books.invoices["INV1"].id).remaining_amount == D("2.00")
    assert "9250" not in {account for _, account, _ in _gl(books.db)}


def test_one_payment_applied_to_several_invoices(books: Books) -> None:
    books.invoice("A", "C1", "100.00", day=date(2026, 10, 1))
    books.invoice("B", "C1", "50.00", day=date(2026, 10, 2))
    line = books.pay("C1", "-130.00", document="P1")
    applications.set_applications(books.db, books.company_id, line.id, [
        ApplicationInput(cust_ledger_entry_id=books.entry_id("A"), amount_to_apply=D("100")),
        ApplicationInput(cust_ledger_entry_id=books.entry_id("B"), amount_to_apply=D("30"))])
    books.post()
    remaining = {n: invoices.get(books.db, books.company_id, i.id).remaining_amount
                 for n, i in books.invoices.items()}
    assert remaining == {"A": D("0.00"), "B": D("20.00")}


def test_apply_to_oldest_then_post(books: Books) -> None:
    books.invoice("OLD", "C1", "70.00", day=date(2026, 9, 1))
    books.invoice("NEW", "C1", "70.00", day=date(2026, 10, 1))
    books.invoice("LATER", "C1", "70.00", day=date(2026, 11, 30))  # after the payment
    line = books.pay("C1", "-100.00")
    applied = applications.apply_to_oldest(books.db, books.company_id, line.id)
    marked = {e.document_number: e.amount_to_apply for e in applied.entries if e.applied}
    assert marked == {"OLD": D("70.00"), "NEW": D("30.00")}
    assert (applied.applied_amount, applied.remaining_after) == (D("100.00"), D("0.00"))
    books.post()
    remaining = {n: invoices.get(books.db, books.company_id, i.id).remaining_amount
                 for n, i in books.invoices.items()}
    assert remaining == {"OLD": D("0.00"), "NEW": D("40.00"), "LATER": D("70.00")}


def test_payment_on_account_and_skipped_blank_lines(books: Books) -> None:
    books.pay("C2", "-250.00", document="P1")
    books.pay(None, "0", document="P1")  # a blank line: skipped, then removed
    register = books.post()
    assert register.gl_entry_count == 2 and register.cust_entry_count == 1
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C2"].id) == D("-250.00")
    assert payments.list_all(books.db, books.company_id, books.journal_id) == []


def test_entry_numbers_continue_without_gaps(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-10.00")
    first = books.post()
    books.pay("C2", "-20.00")
    books.pay("C2", "-30.00")
    second = books.post()
    assert (first.number, second.number) == (1, 2)
    assert (second.from_entry_number, second.to_entry_number) == (3, 6)
    assert [n for n, _, _ in _gl(books.db)] == [1, 2, 3, 4, 5, 6]
    with books.db.reading() as session:
        numbers = list(session.scalars(select(CustLedgerEntry.entry_number)
                                       .order_by(CustLedgerEntry.entry_number)))
    assert numbers == [1, 2, 3, 4]


@pytest.mark.sqlite_only  # SQLite's own storage (typeof, PRAGMA)
def test_posting_runs_with_synchronous_full(db: Database) -> None:
    with db.durable_transaction() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    with db.transaction() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL again


# --- preview and test report -----------------------------------------------------------------

def test_preview_shows_exactly_what_post_writes_and_writes_nothing(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    books.invoice("INV2", "C2", "80.00")
    books.pay("C1", "-98.00", invoice="INV1", document="P1")
    books.pay("C2", "-100.00", invoice="INV2", document="P2")
    before = snapshot(books.db)
    preview = posting.preview(books.db, books.company_id, books.journal_id)
    assert snapshot(books.db) == before
    assert [(c.table, c.count) for c in preview.counts] == [
        ("G/L Entry", 5), ("Cust. Ledger Entry", 2), ("Detailed Cust. Ledg. Entry", 7)]
    assert [(e.document_number, e.remaining_amount, e.open) for e in
            preview.changed_entries] == [("INV1", D("0.00"), False), ("INV2", D("0.00"), False)]
    register = books.post()
    assert register.number == preview.register_number
    assert _gl(books.db) == [(e.entry_number, e.account_number, e.amount)
                             for e in preview.gl_entries]
    assert register.detailed_entry_count == preview.count_of("Detailed Cust. Ledg. Entry")


def test_preview_takes_no_number_from_a_series(demo: object, db: Database) -> None:
    from app.services import companies, number_series

    company = companies.list_all(db)[0]
    bank = journals.find_by_code(db, company.id, "BANK")
    series_before = number_series.list_all(db, company.id)
    before = snapshot(db)
    preview = posting.preview(db, company.id, bank.id)
    assert preview.count_of("G/L Entry") == 14
    assert number_series.list_all(db, company.id) == series_before
    assert snapshot(db) == before


def test_preview_refuses_like_post(books: Books) -> None:
    books.pay("C1", "100.00")
    before = snapshot(books.db)
    with pytest.raises(Invalid, match="Amount must be negative"):
        posting.preview(books.db, books.company_id, books.journal_id)
    assert snapshot(books.db) == before


def test_test_report_lists_every_problem_by_line(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "50.00")  # 10000: wrong sign
    books.pay("C2", "0", document="")  # 20000: no amount, no document number
    books.pay("C1", "-10.00", day=date(2027, 1, 4))  # 30000: outside the allowed dates
    before = snapshot(books.db)
    report = posting.test_report(books.db, books.company_id, books.journal_id)
    assert snapshot(books.db) == before
    assert [(p.line_number, p.field) for p in report] == [
        (10000, "amount"), (20000, "documentNumber"), (20000, "amount"),
        (30000, "postingDate")]
    assert report[0].message == ("Amount must be negative in Gen. Journal Line: Journal Batch "
                                 "Name=BANK, Line No.=10000.")
    assert report[3].message == "Posting Date is not within your range of allowed posting dates."
    assert report[3].text().startswith("Line 30000: ")


def test_a_clean_journal_has_an_empty_test_report(books: Books) -> None:
    books.pay("C1", "-10.00")
    assert posting.test_report(books.db, books.company_id, books.journal_id) == []


# --- refusals: the message, and nothing written ----------------------------------------------

def test_posting_date_required(books: Books) -> None:
    line = books.pay("C1", "-10.00")
    payments.update(books.db, books.company_id, line.id, PaymentUpdate(posting_date=None),
                    version=None)
    _refused(books, "Posting Date must have a value in Gen. Journal Line: Journal Batch "
                    "Name=BANK, Line No.=10000.")


@pytest.mark.parametrize("day", [date(2025, 12, 31), date(2027, 1, 1)])
def test_posting_date_outside_the_allowed_range(books: Books, day: date) -> None:
    books.pay("C1", "-10.00", day=day)
    _refused(books, "Posting Date is not within your range of allowed posting dates.")


def test_document_number_required(books: Books) -> None:
    books.pay("C1", "-10.00", document="")
    _refused(books, "Document No. must have a value in Gen. Journal Line")


def test_amount_zero(books: Books) -> None:
    books.pay("C1", "0")
    _refused(books, "Amount must have a value in Gen. Journal Line")


def test_amount_must_be_negative(books: Books) -> None:
    books.pay("C1", "10.00")
    error = _refused(books, "Amount must be negative")
    assert error.field == "amount"


def test_line_without_customer(books: Books) -> None:
    books.pay(None, "-10.00")
    _refused(books, "Account No. must have a value in Gen. Journal Line")


def test_customer_blocked_all(books: Books) -> None:
    books.pay("C1", "-10.00")
    customers.update(books.db, books.company_id, books.customers["C1"].id,
                     CustomerUpdate(blocked="All"), version=None)
    _refused(books, "You cannot post this type of document when Customer C1 is blocked with "
                    "type All.")


def test_customer_blocked_for_invoices_may_pay(books: Books) -> None:
    books.pay("C4", "-10.00")
    assert books.post().gl_entry_count == 2


def test_customer_without_receivables_account(books: Books) -> None:
    books.pay("C1", "-10.00")
    customers.update(books.db, books.company_id, books.customers["C1"].id,
                     CustomerUpdate(receivables_account_number=""), version=None)
    _refused(books, "Receivables Account must have a value in Customer: No.=C1.")


def test_balancing_account_missing(db: Database) -> None:
    books = make_books(db, balancing=None)
    books.pay("C1", "-10.00", document="P1")
    error = _refused(books, "Bal. Account No. must have a value in Gen. Journal Batch: "
                            "Name=BANK.")
    messages = [e.message for e in error.errors]
    assert "Line 10000: Document No. P1 is out of balance by -10.00. Please check that Posting " \
           "Date, Document Type, Document No. and Amount are correct for each line." in messages
    assert any(m.startswith("The lines in Gen. Journal Line are out of balance by -10.00 on "
                            "2026-11-20.") for m in messages)


@pytest.mark.parametrize(("change", "message"), [
    (AccountUpdate(blocked=True),
     "Blocked must be equal to 'No' in G/L Account: No.=2910. Current value is 'Yes'."),
    (AccountUpdate(direct_posting=False),
     "Direct Posting must be equal to 'Yes' in G/L Account: No.=2910. Current value is 'No'."),
    (AccountUpdate(account_type="Heading"),
     "Account Type must be equal to 'Posting' in G/L Account: No.=2910. Current value is "
     "'Heading'."),
])
def test_balancing_account_unfit(books: Books, change: AccountUpdate, message: str) -> None:
    books.pay("C1", "-10.00")
    bank = next(a for a in accounts.list_all(books.db, books.company_id) if a.number == "2910")
    accounts.update(books.db, books.company_id, bank.id, change, version=None)
    error = _refused(books, message)
    assert error.field == "balancingAccountNumber"


def test_application_larger_than_what_is_open(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    entry = books.entry_id("INV1")
    for amount in ("-80.00", "-50.00"):
        line = books.pay("C1", amount)
        applications.set_applications(books.db, books.company_id, line.id, [
            ApplicationInput(cust_ledger_entry_id=entry, amount_to_apply=-D(amount))])
    error = _refused(books, "Amount to Apply must not be larger than Remaining Amount: 50.00 to "
                            "apply to Invoice INV1, 20.00 open.")
    assert error.errors[0].message.startswith("Line 20000: ")


def test_applying_to_a_later_entry_is_refused(books: Books) -> None:
    books.invoice("INV9", "C1", "100.00", day=date(2026, 11, 25))
    books.pay("C1", "-100.00", invoice="INV9", document="P7", day=date(2026, 11, 20))
    _refused(books, "You cannot apply and post an entry to an entry with an earlier posting "
                    "date. Instead, post the document of type Payment with the number P7 and "
                    "then apply it to the document of type Invoice with the number INV9.")


def test_applying_to_a_paid_invoice_is_refused(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-100.00", invoice="INV1")
    books.pay("C1", "-100.00", invoice="INV1")
    _refused(books, "Invoice INV1 (entry 1) is not open.")


def test_discount_needs_a_discount_account(db: Database) -> None:
    books = make_books(db, discount_account=None)
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 30))
    books.pay("C1", "-98.00", invoice="INV1")
    _refused(books, "Payment Discount Account must have a value in Company Setup")


def test_nothing_to_post(books: Books) -> None:
    _refused(books, "There is nothing to post.")


def test_unknown_journal(books: Books) -> None:
    import uuid

    with pytest.raises(NotFound, match="The General Journal Batch with ID"):
        posting.post(books.db, books.company_id, uuid.uuid4())


def test_a_failure_while_writing_leaves_nothing(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-100.00", invoice="INV1")
    before = snapshot(books.db)

    def fail(stage: str) -> None:
        if stage == "detailed entries":
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        posting.post(books.db, books.company_id, books.journal_id, progress=fail)
    assert snapshot(books.db) == before


def test_posting_errors_are_limited_to_the_first_ones(books: Books) -> None:
    for _ in range(15):
        books.pay("C1", "5.00")
    error = _refused(books, "Amount must be negative")
    assert len(error.errors) == 10


# --- reversal --------------------------------------------------------------------------------

def test_reverse_restores_balances_and_reopens_invoices(books: Books) -> None:
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    books.invoice("INV2", "C2", "80.00")
    books.pay("C1", "-98.00", invoice="INV1", document="P1")
    books.pay("C2", "-100.00", invoice="INV2", document="P2")
    balances_before = ledgers.balances(books.db, books.company_id)
    register = books.post()
    assert ledgers.balances(books.db, books.company_id) != balances_before
    result = posting.reverse(books.db, books.company_id, register.number, user_id="tester")
    assert result.reversed_register_number == 1 and result.reopened_entries == 2
    assert result.reversal.reversal_of_register_number == 1
    assert ledgers.balances(books.db, books.company_id) == balances_before
    for number, total in (("INV1", D("100.00")), ("INV2", D("80.00"))):
        invoice = invoices.get(books.db, books.company_id, books.invoices[number].id)
        assert (invoice.remaining_amount, invoice.status) == (total, "Open")
    # The audit trail: the original entries are kept, marked reversed, and net to zero.
    gl = ledgers.page_gl_entries(books.db, ledgers.LedgerQuery(books.company_id), 0, 100)
    assert len(gl) == 10 and all(e.reversed for e in gl)
    assert sum(e.amount for e in gl) == 0
    per_account: dict[str, Decimal] = {}
    for e in gl:
        per_account[e.account_number] = per_account.get(e.account_number, D(0)) + e.amount
    assert set(per_account.values()) == {D("0.00")}
    assert gl[0].reversed_by_entry_number == 6 and gl[5].reversed_entry_number == 1
    original = posting.get_register(books.db, books.company_id, 1)
    assert original.reversed and original.reversed_by_register_number == 2
    # The invoice discount is possible again.
    entry = ledgers.entries_for_document(books.db, books.company_id, "INV1").customer_entries[0]
    assert entry.remaining_pmt_disc_possible == D("2.00") and entry.open


def test_reverse_twice_is_refused(books: Books) -> None:
    books.pay("C1", "-10.00")
    books.post()
    posting.reverse(books.db, books.company_id, 1)
    for number in (1, 2):
        before = snapshot(books.db)
        with pytest.raises(Invalid, match="has already been involved in a reversal"):
            posting.reverse(books.db, books.company_id, number)
        assert snapshot(books.db) == before


def test_reverse_unknown_register(books: Books) -> None:
    with pytest.raises(NotFound, match="There is no G/L Register within the filter"):
        posting.reverse(books.db, books.company_id, 7)


def test_reverse_outside_allowed_dates_is_refused(books: Books) -> None:
    from app.domain.schemas import CompanyUpdate
    from app.services import companies

    books.pay("C1", "-10.00")
    books.post()
    companies.update(books.db, books.company_id,
                     CompanyUpdate(allow_posting_from=date(2026, 12, 1)), version=None)
    before = snapshot(books.db)
    with pytest.raises(Invalid, match="Posting Date is not within your range"):
        posting.reverse(books.db, books.company_id, 1)
    assert snapshot(books.db) == before


def _dump(books: Books) -> dict[str, Any]:
    """snapshot() and, per customer entry and register, what a reversal changes."""
    with books.db.reading() as session:
        entries = sorted((e.entry_number, e.remaining_amount, e.open,
                          e.remaining_pmt_disc_possible, e.closed_by_entry_number,
                          e.closed_at_date, e.reversed) for e in
                         session.scalars(select(CustLedgerEntry)))
        registers = sorted((r.number, r.reversed) for r in session.scalars(select(GLRegister)))
        unapplied = sorted((d.id, d.unapplied) for d in
                           session.scalars(select(DetailedCustLedgEntry)))
    return {**snapshot(books.db), "entries_full": entries, "registers_full": registers,
            "unapplied": unapplied}


def test_reversing_a_register_applied_again_later_is_refused(books: Books) -> None:
    # Register 1 pays 30.00 of INV1; register 2 pays the rest and takes the discount. Undoing
    # register 1 first would reopen INV1 with its discount possible again although register 2
    # took it: Business Central refuses, the later register must be reversed first.
    books.invoice("INV1", "C1", "100.00", discount="2.00", discount_date=date(2026, 11, 25))
    invoice_entry = ledgers.entries_for_document(
        books.db, books.company_id, "INV1").customer_entries[0]
    opened = _dump(books)
    books.pay("C1", "-30.00", invoice="INV1")
    books.post()
    after_first = _dump(books)
    books.pay("C1", "-68.00", invoice="INV1")
    books.post()
    invoice = invoices.get(books.db, books.company_id, books.invoices["INV1"].id)
    assert (invoice.remaining_amount, invoice.status) == (D("0.00"), "Paid")
    before = _dump(books)
    message = (f"You cannot reverse G/L Register No. 1 because customer ledger entry "
               f"{invoice_entry.entry_number} (invoice INV1) was applied again later in G/L "
               "Register No. 2. Reverse G/L Register No. 2 first.")
    with pytest.raises(Invalid) as refused:
        posting.reverse(books.db, books.company_id, 1)
    assert (str(refused.value), refused.value.field) == (message, "number")
    assert _dump(books) == before
    # The GUI's undo of posting 1 is the same reversal: refused alike, nothing written.
    with pytest.raises(Invalid) as refused:
        posting.unpost(books.db, books.company_id, 1, [], {})
    assert str(refused.value) == message
    assert _dump(books) == before
    # In order it works: 2 brings back the state after 1, then 1 the state before both.
    posting.reverse(books.db, books.company_id, 2)
    invoice = invoices.get(books.db, books.company_id, books.invoices["INV1"].id)
    assert (invoice.remaining_amount, invoice.status) == (D("70.00"), "Open")
    entry = ledgers.entries_for_document(books.db, books.company_id, "INV1").customer_entries[0]
    assert (entry.remaining_amount, entry.remaining_pmt_disc_possible, entry.open) == (
        D("70.00"), D("2.00"), True)
    assert _dump(books)["entries_full"][0] == after_first["entries_full"][0]
    posting.reverse(books.db, books.company_id, 1)
    invoice = invoices.get(books.db, books.company_id, books.invoices["INV1"].id)
    assert (invoice.remaining_amount, invoice.status) == (D("100.00"), "Open")
    entry = ledgers.entries_for_document(books.db, books.company_id, "INV1").customer_entries[0]
    assert (entry.remaining_amount, entry.remaining_pmt_disc_possible, entry.open) == (
        D("100.00"), D("2.00"), True)
    assert _dump(books)["entries_full"][0] == opened["entries_full"][0]
    assert ledgers.customer_balance(books.db, books.company_id,
                                    books.customers["C1"].id) == D("100.00")


def test_company_delete_and_restore_keeps_the_ledgers(books: Books) -> None:
    from app.services import companies

    books.invoice("INV1", "C1", "100.00")
    books.pay("C1", "-40.00", invoice="INV1")
    books.post()
    posting.reverse(books.db, books.company_id, 1)
    line = books.pay("C1", "-10.00")
    applications.set_applications(books.db, books.company_id, line.id, [
        ApplicationInput(cust_ledger_entry_id=books.entry_id("INV1"), amount_to_apply=D("10"))])
    before = snapshot(books.db)
    balances = ledgers.balances(books.db, books.company_id)
    company = companies.get(books.db, books.company_id)
    archive = companies.delete_archived(books.db, books.company_id, version=company.version)
    assert snapshot(books.db)["gl"] == 0
    companies.restore(books.db, archive)
    assert snapshot(books.db) == before
    assert ledgers.balances(books.db, books.company_id) == balances
    assert posting.payment_discount_account(books.db, books.company_id) == "9250"
    assert posting.get_register(books.db, books.company_id, 1).reversed_by_register_number == 2


def test_posting_uses_up_the_series_numbers_its_lines_took(db: Database, books: Books) -> None:
    # The document number a new line peeks from the journal's No. Series is used up when the
    # line posts, so the next empty journal does not offer the same number again.
    number_series.create(db, books.company_id, NumberSeriesCreate(
        code="RCPT", starting_number="R0001"))
    journals.update(db, books.company_id, books.journal_id,
                    JournalUpdate(number_series_code="RCPT"), version=None)
    first = payments.create(db, books.company_id, books.journal_id,
                            PaymentCreate(customer_number="C1", amount=Decimal("-10")))
    books.pay("C2", "-5.00", document="R0002")  # typed by hand, next in the series too
    books.pay("C2", "-5.00", document="X9")  # not from the series: not counted
    assert first.document_number == "R0001"
    books.post()
    series = number_series.list_all(db, books.company_id)[0]
    assert series.last_number_used == "R0002"
    again = payments.create(db, books.company_id, books.journal_id,
                            PaymentCreate(customer_number="C1", amount=Decimal("-10")))
    assert again.document_number == "R0003"


def test_preview_uses_up_no_series_number(db: Database, books: Books) -> None:
    number_series.create(db, books.company_id, NumberSeriesCreate(
        code="RCPT", starting_number="R0001"))
    journals.update(db, books.company_id, books.journal_id,
                    JournalUpdate(number_series_code="RCPT"), version=None)
    payments.create(db, books.company_id, books.journal_id,
                    PaymentCreate(customer_number="C1", amount=Decimal("-10")))
    posting.preview(db, books.company_id, books.journal_id)
    assert number_series.list_all(db, books.company_id)[0].last_number_used == ""

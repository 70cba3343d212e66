"""Invariants of posting and reversal over random journals and invoices (hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.db import Database
from app.db.models import CustLedgerEntry, DetailedCustLedgEntry, GLEntry, GLRegister
from app.domain.errors import Invalid
from app.domain.ledger_schemas import ApplicationInput
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CustomerCreate,
    JournalCreate,
    PaymentCreate,
    SalesInvoiceCreate,
    SalesInvoiceUpdate,
)
from app.services import (
    accounts,
    applications,
    companies,
    customers,
    invoices,
    journals,
    ledgers,
    payments,
    posting,
)

BASE = date(2026, 11, 1)
_names = itertools.count()

invoice_st = st.tuples(
    st.integers(0, 2),  # customer
    st.integers(1, 500_000),  # total in cents
    st.integers(0, 20),  # posting day offset
    st.integers(0, 100),  # discount in per mille of the total
    st.integers(0, 25),  # discount date offset
)
line_st = st.tuples(
    st.integers(0, 2),  # customer
    st.integers(1, 600_000),  # amount received in cents
    st.integers(0, 25),  # posting day offset
    st.sampled_from(["none", "doc", "ids"]),
    st.lists(st.tuples(st.integers(0, 9), st.integers(1, 100)), max_size=3),  # (invoice, %)
)


def _company(db: Database) -> tuple[object, object, list[object]]:
    company = companies.create(db, CompanyCreate(
        name=f"P{next(_names)}", work_date=BASE, allow_posting_from=date(2026, 1, 1),
        allow_posting_to=date(2026, 12, 31)))
    cid = company.id
    for number, direct in (("2310", False), ("2910", True), ("9250", True), ("6110", False)):
        accounts.create(db, cid, AccountCreate(number=number, direct_posting=direct))
    posting.set_payment_discount_account(db, cid, "9250")
    posting.set_invoice_account(db, cid, "6110")
    made = [customers.create(db, cid, CustomerCreate(
        number=f"C{i}", display_name=f"Customer {i}", receivables_account_number="2310"))
        for i in range(3)]
    journal = journals.create(db, cid, JournalCreate(code="BANK",
                                                     balancing_account_number="2910"))
    return cid, journal.id, made


def _state(db: Database, cid: object) -> dict[str, object]:
    return {"balances": ledgers.balances(db, cid),  # type: ignore[arg-type]
            "invoices": {i.number: i.remaining_amount
                         for i in invoices.list_all(db, cid)}}  # type: ignore[arg-type]


def _check_invariants(db: Database, cid: object) -> None:
    with db.reading() as session:
        # Every register balances to zero.
        for register in session.scalars(select(GLRegister).where(
                GLRegister.company_id == cid)):
            total = session.scalar(select(func.sum(GLEntry.amount)).where(
                GLEntry.company_id == cid, GLEntry.entry_number.between(
                    register.from_entry_number, register.to_entry_number)))
            assert total == 0
        # A customer's balance is the sum of its ledger entries (remaining amounts), which is
        # the sum of its detailed entries; what postings moved equals its receivables in G/L.
        balances = ledgers.balances(db, cid)  # type: ignore[arg-type]
        for customer_id, balance in balances.items():
            detailed = session.scalar(select(func.coalesce(func.sum(DetailedCustLedgEntry.amount),
                                                           0)).where(
                DetailedCustLedgEntry.customer_id == customer_id)) or 0
            remaining = session.scalar(select(func.coalesce(
                func.sum(CustLedgerEntry.remaining_amount), 0)).where(
                CustLedgerEntry.customer_id == customer_id)) or 0
            assert balance == Decimal(detailed) == Decimal(remaining)
            posted = session.scalar(select(func.coalesce(func.sum(
                DetailedCustLedgEntry.amount), 0)).where(
                DetailedCustLedgEntry.customer_id == customer_id,
                DetailedCustLedgEntry.register_id.is_not(None))) or 0
            receivables = session.scalar(select(func.coalesce(func.sum(GLEntry.amount), 0))
                                         .where(GLEntry.source_id == customer_id,
                                                GLEntry.account_number == "2310")) or 0
            assert Decimal(posted) == Decimal(receivables)
        # The books reconcile: the receivables account's G/L balance is the sum of the
        # balances of the customers that use it (invoices post their G/L side).
        receivables_total = session.scalar(select(func.coalesce(func.sum(GLEntry.amount), 0))
                                           .where(GLEntry.company_id == cid,
                                                  GLEntry.account_number == "2310")) or 0
        assert Decimal(receivables_total) == sum(balances.values(), Decimal(0))
        # No remaining amount changes sign or exceeds its original.
        for entry in session.scalars(select(CustLedgerEntry).where(
                CustLedgerEntry.company_id == cid)):
            if entry.amount > 0:
                assert 0 <= entry.remaining_amount <= entry.amount
            else:
                assert entry.amount <= entry.remaining_amount <= 0
            assert entry.open == (entry.remaining_amount != 0)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(invoice_specs=st.lists(invoice_st, min_size=1, max_size=10),
       line_specs=st.lists(line_st, min_size=1, max_size=8),
       edits=st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["amount", "customer",
                                                                     "delete"]),
                                st.integers(1, 500_000)), max_size=3))
def test_post_and_reverse_invariants(db: Database, invoice_specs: list[tuple[int, ...]],
                                     line_specs: list[tuple[object, ...]],
                                     edits: list[tuple[int, str, int]]) -> None:
    cid, journal_id, _made = _company(db)
    numbers = []
    made_invoices = []
    for k, (customer, total, day, per_mille, disc_day) in enumerate(invoice_specs):
        number = f"I{k}"
        made_invoices.append(invoices.create(db, cid, SalesInvoiceCreate(  # type: ignore[arg-type]
            number=number, customer_number=f"C{customer}", invoice_date=BASE + timedelta(day),
            total_amount_including_tax=Decimal(total) / 100,
            payment_discount_amount=Decimal(total * per_mille // 1000) / 100,
            payment_discount_date=BASE + timedelta(disc_day))))
        numbers.append((number, f"C{customer}"))
    # Invoices edited or deleted before any payment: their G/L side follows.
    deleted: set[object] = set()
    for index, kind, value in edits:
        target = made_invoices[index % len(made_invoices)]
        if target.id in deleted:
            continue
        invoice = invoices.get(db, cid, target.id)  # type: ignore[arg-type]
        with contextlib.suppress(Invalid):
            if kind == "delete":
                invoices.delete(db, cid, invoice.id, version=invoice.version)  # type: ignore[arg-type]
                deleted.add(invoice.id)
                numbers = [(n, c) for n, c in numbers if n != invoice.number]
            elif kind == "amount":
                invoices.update(db, cid, invoice.id, SalesInvoiceUpdate(  # type: ignore[arg-type]
                    total_amount_including_tax=Decimal(value) / 100,
                    remaining_amount=Decimal(value) / 100,
                    payment_discount_amount=Decimal(0)), version=invoice.version)
            else:
                new_customer = f"C{value % 3}"
                invoices.update(db, cid, invoice.id, SalesInvoiceUpdate(  # type: ignore[arg-type]
                    customer_number=new_customer), version=invoice.version)
                numbers = [(n, new_customer if n == invoice.number else c) for n, c in numbers]
        _check_invariants(db, cid)
    for k, (customer, amount, day, mode, targets) in enumerate(line_specs):
        mine = [n for n, c in numbers if c == f"C{customer}"]
        line = payments.create(db, cid, journal_id, PaymentCreate(  # type: ignore[arg-type]
            customer_number=f"C{customer}", amount=-Decimal(amount) / 100,
            posting_date=BASE + timedelta(day), document_number=f"P{k}",  # type: ignore[operator]
            applies_to_invoice_number=mine[0] if mode == "doc" and mine else None))
        if mode == "ids" and mine:
            listed = {e.document_number: e for e in applications.open_entries(
                db, cid, line.id).entries}  # type: ignore[arg-type]
            wanted = []
            for index, percent in targets:  # type: ignore[attr-defined]
                entry = listed.get(mine[index % len(mine)])
                if entry is not None and entry.id not in {w.cust_ledger_entry_id for w in wanted}:
                    share = (entry.default_amount_to_apply * percent / 100).quantize(
                        Decimal("0.01"))
                    if share > 0:
                        wanted.append(ApplicationInput(cust_ledger_entry_id=entry.id,
                                                       amount_to_apply=share))
            # A refused application (later entry, too much) leaves the line unapplied.
            with contextlib.suppress(Invalid):
                applications.set_applications(db, cid, line.id, wanted)  # type: ignore[arg-type]

    before = _state(db, cid)
    _check_invariants(db, cid)
    try:
        register = posting.post(db, cid, journal_id)  # type: ignore[arg-type]
    except Invalid:
        event("refused")
        assert _state(db, cid) == before  # refused: nothing written
        assert len(payments.list_all(db, cid, journal_id)) == len(line_specs)  # type: ignore[arg-type]
        return
    event("posted")
    _check_invariants(db, cid)
    assert payments.list_all(db, cid, journal_id) == []  # type: ignore[arg-type]
    assert register.total_debit == register.total_credit
    posting.reverse(db, cid, register.number)  # type: ignore[arg-type]
    _check_invariants(db, cid)
    assert _state(db, cid) == before

"""The posting rules, pure: checks and plans without a database."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import posting as rules
from app.domain.errors import Invalid

DAY = date(2026, 11, 20)
BANK = rules.GLAccount("bank", "2910", "Bank", "Posting", False, True)
RECEIVABLES = rules.GLAccount("rec", "2310", "Customers", "Posting", False, False)
DISCOUNT = rules.GLAccount("disc", "9250", "Discounts", "Posting", False, True)
ACCOUNTS = {a.id: a for a in (BANK, RECEIVABLES, DISCOUNT)}
CUSTOMERS = {"c1": rules.Customer("c1", "C1", "Adatum", " ", "rec"),
             "c2": rules.Customer("c2", "C2", "Trey", "All", "rec")}
SETUP = rules.Setup("BANK", BANK, date(2026, 1, 1), date(2026, 12, 31), DISCOUNT)


def line(n: int, amount: int, customer: str | None = "c1", *apps: rules.Application,
         day: date | None = DAY, doc: str = "P1") -> rules.Line:
    return rules.Line(f"l{n}", n * 10000, day, doc, "", customer, amount, "pay", tuple(apps))


def entry(entry_id: int, remaining: int, day: date = date(2026, 11, 1), disc: int = 0,
          disc_date: date | None = None, customer: str = "c1") -> rules.OpenEntry:
    return rules.OpenEntry(entry_id, entry_id, customer, "Invoice", f"I{entry_id}", day,
                           remaining, True, disc_date, disc)


def check(lines: list[rules.Line], entries: dict[int, rules.OpenEntry] | None = None,
          setup: rules.Setup = SETUP) -> list[tuple[int | None, str]]:
    return [(p.line_number, p.message) for p in
            rules.check_journal(setup, lines, CUSTOMERS, ACCOUNTS, entries or {})]


def plan(lines: list[rules.Line], entries: dict[int, rules.OpenEntry]) -> rules.Plan:
    return rules.plan_posting(SETUP, lines, CUSTOMERS, ACCOUNTS, entries, next_gl_entry=1,
                              next_cust_entry=100, register_number=1)


def test_blank_zero_lines_are_skipped() -> None:
    assert check([line(1, 0, None)]) == [(None, "There is nothing to post.")]
    planned = plan([line(1, -500), line(2, 0, None)], {})
    assert planned.skipped_line_ids == ["l2"] and planned.posted_line_ids == ["l1"]


def test_unknown_and_blocked_customers() -> None:
    assert check([line(1, -5, "nobody")]) == [(10000, "The Customer does not exist.")]
    assert check([line(1, -5, "c2")]) == [(10000, "You cannot post this type of document "
                                                   "when Customer C2 is blocked with type All.")]


def test_without_a_balancing_account_lines_must_net_to_zero() -> None:
    setup = SETUP._replace(balancing_account=None)
    problems = check([line(1, -500, doc="A"), line(2, -250, doc="B")], setup=setup)
    messages = [m for _, m in problems]
    assert messages[0].startswith("Bal. Account No. must have a value")
    assert any(m.startswith("Document No. A is out of balance by -5.00.") for m in messages)
    assert any(m.startswith("The lines in Gen. Journal Line are out of balance by -7.50 on "
                            "2026-11-20.") for m in messages)
    assert rules.balance_problems([line(1, -500), line(2, 500)]) == []


def test_discount_share_and_partial() -> None:
    entries = {1: entry(1, 10000, disc=200, disc_date=date(2026, 11, 25))}
    full = plan([line(1, -9800, "c1", rules.Application(1, None))], entries)
    assert [(g.account_number, g.amount) for g in full.gl_entries] == [
        ("2310", -10000), ("9250", 200), ("2910", 9800)]
    assert full.changes[0].remaining == 0 and not full.changes[0].open
    partial = plan([line(1, -5000, "c1", rules.Application(1, None))], entries)
    assert partial.changes[0].remaining == 5000 and partial.changes[0].remaining_pmt_disc == 200


def test_two_lines_share_one_invoice() -> None:
    entries = {1: entry(1, 10000)}
    planned = plan([line(1, -6000, "c1", rules.Application(1, None)),
                    line(2, -6000, "c1", rules.Application(1, None))], entries)
    payments = [(c.amount, c.remaining) for c in planned.cust_entries]
    assert payments == [(-6000, 0), (-6000, -2000)]
    assert planned.changes[0].closed_by_entry_number == 101


def test_application_problems() -> None:
    entries = {1: entry(1, 10000, day=date(2026, 11, 25)), 2: entry(2, 100, customer="c2")}
    problems = check([line(1, -100, "c1", rules.Application(1, 100)),
                      line(2, -100, "c1", rules.Application(2, 100)),
                      line(3, -100, "c1", rules.Application(9, None))], entries)
    assert problems[0][1].startswith("You cannot apply and post an entry to an entry with an "
                                     "earlier posting date.")
    assert problems[1] == (20000, "Invoice I2 belongs to another customer.")
    assert problems[2] == (30000, "The entry applied to does not exist.")


@given(st.lists(st.tuples(st.integers(1, 10**7), st.sampled_from([None, 0, 1]),
                          st.integers(0, 10**7)), min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(1, 10**7), st.integers(0, 500)), min_size=2, max_size=2))
def test_any_valid_plan_balances(specs: list[tuple[int, int | None, int]],
                                 invoices: list[tuple[int, int]]) -> None:
    entries = {k: entry(k, total, disc=min(disc, total), disc_date=DAY)
               for k, (total, disc) in enumerate(invoices)}
    lines = []
    for n, (amount, target, to_apply) in enumerate(specs, start=1):
        apps = () if target is None else (rules.Application(target, to_apply or None),)
        lines.append(line(n, -amount, "c1", *apps))
    planned = plan(lines, entries)
    assert sum(g.amount for g in planned.gl_entries) == 0
    # Per entry, the detailed entries add up to its remaining amount.
    by_entry: dict[int, int] = {}
    for d in planned.details:
        by_entry[d.entry_number] = by_entry.get(d.entry_number, 0) + d.amount
    for cust in planned.cust_entries:
        assert by_entry[cust.entry_number] == cust.remaining
        assert cust.amount <= cust.remaining <= 0
    for change in planned.changes:
        original = entries[change.entry_id]
        assert original.remaining + by_entry[change.entry_number] == change.remaining
        assert 0 <= change.remaining <= original.remaining


def test_reversal_refuses_a_payment_entry_a_later_register_applied() -> None:
    """Not an assert (gone under -O): a domain error, whatever the interpreter's flags."""
    posted = rules.PlannedCustEntry(7, "c1", "C1", DAY, "Payment", "P1", "", "pay", -10000,
                                    -10000, True, None, None)
    gl = [rules.PlannedGLEntry(1, DAY, "Payment", "P1", "", "rec", "2310", "pay", -10000,
                               "c1", "C1"),
          rules.PlannedGLEntry(2, DAY, "Payment", "P1", "", "bank", "2910", "pay", 10000,
                               "c1", "C1")]
    # A later register applied 6,000.00 of it: it is no longer open for its whole amount.
    now = {7: rules.EntryNow(70, 7, -4000, True, 0, 0, None, None)}
    with pytest.raises(Invalid) as refused:
        rules.plan_reversal(gl, [posted], [], now, next_gl_entry=3, next_cust_entry=8,
                            register_number=2, reversing=1)
    assert refused.value.field == "number"
    assert str(refused.value) == (
        "You cannot reverse G/L Register No. 1 because customer ledger entry 7 (payment P1) "
        "was applied again later. Reverse the later register first.")
    # Open for its whole amount, it reverses.
    whole = {7: rules.EntryNow(70, 7, -10000, True, 0, 0, None, None)}
    done = rules.plan_reversal(gl, [posted], [], whole, next_gl_entry=3, next_cust_entry=8,
                               register_number=2, reversing=1)
    assert [e.amount for e in done.plan.gl_entries] == [10000, -10000]
    assert done.cust_links == {8: 7}

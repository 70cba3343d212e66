"""Each report against amounts computed here independently from the ledger rows (plain SQL
and Python): back-dated aging, partial payments, a discount and a reversed register."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.db import Database
from app.domain.errors import Invalid, NotFound
from app.domain.reporting import aging_periods, calc_date
from app.domain.schemas import AccountCreate, SalesInvoiceCreate
from app.services import accounts, invoices, posting, reports
from tests.services.books import Books, make_books

AS_OF = date(2026, 11, 30)


def _invoice(books: Books, number: str, customer: str, total: str, day: date, due: date,
             discount: str = "0") -> None:
    books.invoices[number] = invoices.create(books.db, books.company_id, SalesInvoiceCreate(
        number=number, customer_number=customer, invoice_date=day, due_date=due,
        total_amount_including_tax=Decimal(total), payment_discount_amount=Decimal(discount),
        payment_discount_date=day + timedelta(days=10) if discount != "0" else None))


@pytest.fixture
def books(db: Database) -> Books:
    books = make_books(db)
    accounts.create(db, books.company_id, AccountCreate(number="6110", display_name="Sales",
                                                        direct_posting=False))
    accounts.create(db, books.company_id, AccountCreate(number="1999", display_name="TOTAL",
                                                        account_type="End-Total"))
    posting.set_invoice_account(db, books.company_id, "6110")
    _invoice(books, "S1", "C1", "1000.00", date(2026, 8, 1), date(2026, 8, 31))  # older
    _invoice(books, "S2", "C1", "500.00", date(2026, 10, 1), date(2026, 10, 20))
    _invoice(books, "S3", "C1", "200.00", date(2026, 11, 10), date(2026, 12, 10), "4.00")
    _invoice(books, "S4", "C2", "300.00", date(2026, 9, 15), date(2026, 10, 15))
    _invoice(books, "S5", "C2", "50.00", date(2026, 12, 5), date(2027, 1, 5))  # after as-of
    # Partial payment of S1 on 2026-11-05, S3 paid with its discount on 2026-11-15.
    books.pay("C1", "-400.00", invoice="S1", day=date(2026, 11, 5))
    books.pay("C1", "-196.00", invoice="S3", day=date(2026, 11, 15))
    books.post()
    # A payment of S4 posted in December (after the as-of date): back-dated aging ignores it.
    books.pay("C2", "-300.00", invoice="S4", day=date(2026, 12, 2))
    books.post()
    # A register posted and reversed: nets to nothing.
    books.pay("C2", "-10.00", day=date(2026, 11, 20))
    register = books.post()
    posting.reverse(db, books.company_id, register.number)
    return books


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.reading() as session:
        return [tuple(r) for r in session.execute(text(sql))]


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _numbers(db: Database) -> dict[object, str]:
    return {str(k): str(n) for k, n in _rows(db, "SELECT id, number FROM customer")}


def _expected_aging(db: Database, as_of: date, by: str) -> dict[str, list[int]]:
    """Per customer number: [not due, 0-29 days, 30-59, 60-89, older] in cents, by hand."""
    remaining: dict[object, int] = defaultdict(int)
    for entry_id, amount, day in _rows(db, "SELECT cust_ledger_entry_id, amount, posting_date "
                                           "FROM detailed_cust_ledg_entry"):
        if _day(day) <= as_of:
            remaining[entry_id] += int(str(amount))
    out: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    names = _numbers(db)
    for entry_id, customer, posting_day, due in _rows(
            db, "SELECT id, customer_id, posting_date, due_date FROM cust_ledger_entry"):
        if not remaining[entry_id]:
            continue
        aged = _day(due if by == "due" and due is not None else posting_day)
        days = (as_of - aged).days
        due_index = 0 if days < 0 else 1 + min(days // 30, 3)
        index = due_index if by == "due" else min(days // 30, 4)
        out[names[str(customer)]][index] += remaining[entry_id]
    return out


@pytest.mark.parametrize("by", ["due", "posting"])
def test_aged_receivables_back_dated_against_the_detailed_rows(books: Books, by: str) -> None:
    report = reports.aged_receivables(books.db, books.company_id, as_of=AS_OF, aging_by=by,  # type: ignore[arg-type]
                                      period_length="30D", details=True)
    expected = _expected_aging(books.db, AS_OF, by)
    got = {c.customer_number: [int(a * 100) for a in c.amounts] for c in report.customers}
    assert got == {k: v for k, v in expected.items() if any(v)}
    assert report.totals == [sum((c.amounts[i] for c in report.customers), Decimal(0))
                             for i in range(5)]
    c1 = next(c for c in report.customers if c.customer_number == "C1")
    assert c1.balance_due == Decimal("1100.00")  # 600 left of S1, S2 500; S3 paid
    assert {e.document_number: e.remaining_amount for e in c1.entries} == {
        "S1": Decimal("600.00"), "S2": Decimal("500.00")}
    # C2 on 2026-11-30: S4 still fully open (its payment came in December), S5 not yet there.
    c2 = next(c for c in report.customers if c.customer_number == "C2")
    assert c2.balance_due == Decimal("300.00")
    if by == "due":
        assert report.period_titles[0] == "Not Due" and report.period_titles[-1] == "Older"
        assert c1.amounts == [Decimal("0.00"), Decimal("0.00"), Decimal("500.00"),
                              Decimal("0.00"), Decimal("600.00")]


def test_aged_receivables_today_differs_from_back_dated(books: Books) -> None:
    later = reports.aged_receivables(books.db, books.company_id, as_of=date(2026, 12, 31))
    c2 = next(c for c in later.customers if c.customer_number == "C2")
    assert c2.balance_due == Decimal("50.00")  # S4 paid, S5 open
    expected = _expected_aging(books.db, date(2026, 12, 31), "due")
    assert [int(a * 100) for a in c2.amounts] == expected["C2"]


def test_aging_periods_and_formulas() -> None:
    assert calc_date("1M+CM", date(2026, 1, 15)) == date(2026, 2, 28)
    assert calc_date("-1M", date(2026, 3, 31)) == date(2026, 2, 28)
    periods = aging_periods(date(2026, 11, 30), "1M", "posting")
    assert [(p.start, p.end) for p in periods[:2]] == [
        (date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 10, 31))]
    with pytest.raises(Invalid, match="30X") as caught:
        aging_periods(date(2026, 11, 30), "30X")
    assert caught.value.field == "periodLength"


def test_trial_balance_against_gl_rows(books: Books) -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    report = reports.trial_balance(books.db, books.company_id, start=start, end=end)
    rows = _rows(books.db, "SELECT account_number, amount, posting_date FROM gl_entry")
    debit: dict[str, int] = defaultdict(int)
    credit: dict[str, int] = defaultdict(int)
    balance: dict[str, int] = defaultdict(int)
    for number, amount, day in rows:
        cents = int(str(amount))
        if _day(day) <= end:
            balance[str(number)] += cents
            if _day(day) >= start:
                (debit if cents > 0 else credit)[str(number)] += abs(cents)
    for line in report.lines:
        if line.kind == "posting":
            assert (int(line.debit * 100), int(line.credit * 100), int(line.balance * 100)) \
                == (debit[line.number], credit[line.number], balance[line.number])
    assert report.total_balance == 0  # the books balance
    assert report.total_debit == Decimal(sum(debit.values())) / 100
    total = next(line for line in report.lines if line.number == "1999")
    assert total.kind == "end" and total.balance == report.total_balance
    receivables = next(line for line in report.lines if line.number == "2310")
    with books.db.reading() as session:
        customers_total = sum(int(str(r[0])) for r in session.execute(text(
            "SELECT amount FROM detailed_cust_ledg_entry WHERE posting_date <= '2026-11-30'")))
    assert int(receivables.balance * 100) == customers_total


def test_statement_balance_style_running_balance(books: Books) -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    result = reports.statements(books.db, books.company_id, start=start, end=end,
                                customer_number="C1", aging_period="30D")
    (statement,) = result.statements
    details = [(int(str(a)), _day(d)) for a, d, c in _rows(
        books.db, "SELECT d.amount, d.posting_date, c.number FROM detailed_cust_ledg_entry d "
                  "JOIN customer c ON c.id = d.customer_id") if c == "C1"]
    assert int(statement.opening_balance * 100) == sum(a for a, d in details if d < start)
    assert int(statement.closing_balance * 100) == sum(a for a, d in details if d <= end)
    assert statement.rows[-1].balance == statement.closing_balance
    assert [(r.document_number, r.amount) for r in statement.rows] == [
        ("P1", Decimal("-400.00")), ("S3", Decimal("200.00")), ("P2", Decimal("-196.00")),
        ("P2", Decimal("-4.00"))]  # the discount granted on S3
    assert sum(statement.aging, Decimal(0)) == statement.closing_balance


def test_statement_open_items_and_all_customers(books: Books) -> None:
    result = reports.statements(books.db, books.company_id, start=date(2026, 11, 1),
                                end=date(2026, 11, 30), style="open-items")
    by_number = {s.customer_number: s for s in result.statements}
    assert set(by_number) == {"C1", "C2"}
    c1 = by_number["C1"]
    assert c1.opening_balance == Decimal("1100.00")  # S1 (600 left) + S2, posted before
    assert c1.rows == [] and c1.closing_balance == Decimal("1100.00")
    with pytest.raises(NotFound) as caught:
        reports.statements(books.db, books.company_id, start=date(2026, 11, 1),
                           end=date(2026, 11, 30), customer_number="NOPE")
    assert caught.value.field == "customerNumber"
    with pytest.raises(Invalid) as wrong:
        reports.statements(books.db, books.company_id, start=date(2026, 12, 1),
                           end=date(2026, 11, 30))
    assert wrong.value.field == "startDate"


def test_customer_balances(books: Books) -> None:
    result = reports.customer_balances(books.db, books.company_id, as_of=AS_OF)
    assert [(line.customer_number, line.balance, line.overdue) for line in result.lines] == [
        ("C1", Decimal("1100.00"), Decimal("1100.00")),
        ("C2", Decimal("300.00"), Decimal("300.00"))]
    assert result.total == Decimal("1400.00")


_STATEMENT_DETAILS = (
    "SELECT d.document_number, d.amount, d.posting_date, e.reversed, c.number, r.reversed, "
    "r.reversal_of_register_id FROM detailed_cust_ledg_entry d "
    "JOIN cust_ledger_entry e ON e.id = d.cust_ledger_entry_id "
    "JOIN customer c ON c.id = e.customer_id LEFT JOIN gl_register r ON r.id = e.register_id "
    "WHERE NOT (d.entry_type = 'Application' AND d.applied_cust_ledger_entry_id IS NOT NULL) "
    "ORDER BY d.posting_date, e.entry_number, d.entry_type")


@pytest.mark.parametrize("include_reversed", [False, True])
def test_statement_leaves_reversed_entries_out_unless_asked(books: Books,
                                                            include_reversed: bool) -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    result = reports.statements(books.db, books.company_id, start=start, end=end,
                                customer_number="C2", include_reversed=include_reversed)
    (statement,) = result.statements
    details = [(str(doc), int(str(a)), _day(d), bool(rev), bool(reg_rev) or reg_of is not None)
               for doc, a, d, rev, c, reg_rev, reg_of in _rows(books.db, _STATEMENT_DETAILS)
               if c == "C2"]
    reversed_ones = [x for x in details if x[3]]
    # The reversed register's entry and its reversal: both flagged, both of a register that
    # was reversed or that reverses one, netting to zero.
    assert len(reversed_ones) == 2 and all(x[4] for x in reversed_ones)
    assert sum(x[1] for x in reversed_ones) == 0
    kept = [x for x in details if include_reversed or not x[3]]
    expected = [(doc, Decimal(a) / 100) for doc, a, d, _, _ in kept if start <= d <= end]
    assert [(r.document_number, r.amount) for r in statement.rows] == expected
    assert int(statement.opening_balance * 100) == sum(x[1] for x in kept if x[2] < start)
    assert int(statement.closing_balance * 100) == sum(x[1] for x in kept if x[2] <= end)
    if statement.rows:
        assert statement.rows[-1].balance == statement.closing_balance
    assert (len(statement.rows) == 2) is include_reversed
    assert result.include_reversed is include_reversed


def test_statement_shows_overdue_entries(books: Books) -> None:
    end = date(2026, 11, 30)
    result = reports.statements(books.db, books.company_id, start=date(2026, 11, 1), end=end,
                                show_overdue=True)
    remaining: dict[object, int] = defaultdict(int)
    for entry, amount, day in _rows(books.db, "SELECT cust_ledger_entry_id, amount, "
                                              "posting_date FROM detailed_cust_ledg_entry"):
        if _day(day) <= end:
            remaining[entry] += int(str(amount))
    expected: dict[str, list[tuple[str, date, Decimal, Decimal]]] = defaultdict(list)
    for entry, doc, due, amount, number, rev in _rows(
            books.db, "SELECT e.id, e.document_number, e.due_date, e.amount, c.number, "
                      "e.reversed FROM cust_ledger_entry e JOIN customer c "
                      "ON c.id = e.customer_id ORDER BY e.due_date, e.entry_number"):
        if due is not None and _day(due) < end and remaining[entry] and not rev:
            expected[str(number)].append((str(doc), _day(due), Decimal(int(str(amount))) / 100,
                                          Decimal(remaining[entry]) / 100))
    got = {s.customer_number: [(o.document_number, o.due_date, o.amount, o.remaining_amount)
                               for o in s.overdue] for s in result.statements}
    assert got == dict(expected)
    # S1 (600 of 1,000 left), S2; S4 still open on Nov 30 (its payment came in December).
    assert [o[0] for o in got["C1"]] == ["S1", "S2"] and got["C1"][0][3] == Decimal("600.00")
    assert [o[0] for o in got["C2"]] == ["S4"]
    # Without the option, no section.
    plain = reports.statements(books.db, books.company_id, start=date(2026, 11, 1), end=end)
    assert all(s.overdue == [] for s in plain.statements) and not plain.show_overdue

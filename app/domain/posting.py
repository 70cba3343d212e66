"""Posting a customer payment journal: the checks and what posting writes.

Pure Python, no database: the services load the journal lines, the customers, the accounts
and the open entries the lines apply to, then call ``check_journal`` (the test report and the
guard of posting) and ``plan_posting`` (what posting writes). Preview and post share
``plan_posting``: preview shows the plan, post writes it, so they cannot disagree.

Amounts are integer cents here (exact, and fast over 100,000 lines); the services convert.
Rules follow Business Central (bc-model.md sections 3.2 to 3.7):

- A receipt is a NEGATIVE amount on the customer line; the journal's balancing G/L account
  takes the other side. G/L: debit the balancing account, credit the customer's receivables
  account; a payment discount taken is debited to the payment discount account.
- The payment becomes a customer ledger entry of type Payment (negative, open for what is
  not applied) with an Initial Entry detailed entry.
- Each application writes an Application detailed entry on both sides (netting to zero). A
  payment discount is granted when the payment date is on or before the entry's Pmt.
  Discount Date and the payment covers the rest of the entry: it is a Payment Discount
  detailed entry on the payment, and the invoice closes.
- Partial payment leaves the invoice open for the rest; an overpayment leaves the excess open
  on the payment entry (a credit on the customer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.domain import rules as rulebook
from app.domain.errors import Invalid

# Ids of customers, accounts and lines are keys as the database gives them (compared and
# hashed, never parsed): posting 100,000 lines hashes them millions of times.
Key = Hashable

PAYMENT = "Payment"
INVOICE = "Invoice"
INITIAL_ENTRY = "Initial Entry"
APPLICATION = "Application"
PAYMENT_DISCOUNT = "Payment Discount"
CUSTOMER = "Customer"
SOURCE_CODE = "CASHRCPT"
REVERSAL_SOURCE_CODE = "REVERSAL"
MAX_PROBLEMS_ON_POST = 10


def money(cents: int) -> str:
    """An amount as Business Central shows it in a message: 1,234.56."""
    return f"{Decimal(cents) / 100:,.2f}"


# --- inputs ----------------------------------------------------------------------------------

class GLAccount(NamedTuple):
    id: Key
    number: str
    name: str
    account_type: str  # Posting, Heading, Total, Begin-Total, End-Total
    blocked: bool
    direct_posting: bool


class Customer(NamedTuple):
    id: Key
    number: str
    name: str
    blocked: str  # " ", Ship, Invoice, All
    receivables_account_id: Key | None


class OpenEntry(NamedTuple):
    """A customer ledger entry a line may apply to, as it stands before posting."""

    id: int
    entry_number: int
    customer_id: Key
    document_type: str
    document_number: str
    posting_date: date
    remaining: int
    open: bool
    pmt_discount_date: date | None
    remaining_pmt_disc: int


class Application(NamedTuple):
    """Apply to an entry: ``amount`` to apply (cents, positive), or None for Applies-to Doc.
    No., which applies as much of the payment as the entry takes."""

    entry_id: int
    amount: int | None


class Line(NamedTuple):
    id: Hashable  # the line's key, as the database gives it
    line_number: int
    posting_date: date | None
    document_number: str
    external_document_number: str
    customer_id: Key | None
    amount: int
    description: str
    applications: tuple[Application, ...] = ()
    # Both an Applies-to Doc. No. and an Applies-to ID (several entries) are set.
    applies_twice: bool = False


class Setup(NamedTuple):
    journal_code: str
    balancing_account: GLAccount | None
    allow_posting_from: date | None
    allow_posting_to: date | None
    payment_discount_account: GLAccount | None


class Problem(NamedTuple):
    line_number: int | None  # None: the journal as a whole
    field: str | None  # the API property the problem is about
    message: str

    def text(self) -> str:
        return f"Line {self.line_number}: {self.message}" if self.line_number else self.message


# --- the check (Gen. Jnl.-Check Line and Post Batch) ------------------------------------------

def is_skipped(line: Line) -> bool:
    """Blank-account, zero-amount lines are not posted, as in Business Central."""
    return line.customer_id is None and line.amount == 0


def _must_have(field_label: str, journal: str, line: Line) -> str:
    return (f"{field_label} must have a value in Gen. Journal Line: Journal Batch Name={journal}, "
            f"Line No.={line.line_number}. It cannot be zero or empty.")


def account_problems(account: GLAccount, field: str, *, direct: bool) -> list[Problem]:
    """A G/L account posted to must be postable (app/domain/rules.py)."""
    return [Problem(None, field, message)
            for _, message in rulebook.account_problems(account, direct=direct)]


def earlier_posting_date_message(line: Line, entry: OpenEntry) -> str:
    return rulebook.earlier_posting_date_message(line.document_number, entry.document_type,
                                                 entry.document_number)


def _facts(entry: OpenEntry) -> rulebook.EntryFacts:
    return rulebook.EntryFacts(entry.entry_number, entry.customer_id, entry.document_type,
                               entry.document_number, entry.posting_date, entry.open)


def check_journal(setup: Setup, lines: Sequence[Line], customers: Mapping[Key, Customer],
                  accounts: Mapping[Key, GLAccount],
                  entries: Mapping[int, OpenEntry]) -> list[Problem]:
    """Every problem of the journal, by line (the test report). Posting needs none."""
    problems: list[Problem] = []
    journal = setup.journal_code
    posted = [line for line in lines if not is_skipped(line)]
    if not posted:
        return [Problem(None, None, "There is nothing to post.")]

    bal = setup.balancing_account
    if bal is None:
        problems.append(Problem(None, "balancingAccountNumber", (
            f"Bal. Account No. must have a value in Gen. Journal Batch: Name={journal}. "
            "It cannot be zero or empty.")))
    else:
        problems.extend(account_problems(bal, "balancingAccountNumber", direct=True))

    remaining = {entry_id: entry.remaining for entry_id, entry in entries.items()}
    needs_discount_account = False
    for line in posted:
        found = _line_problems(setup, line, customers, accounts, entries, remaining)
        problems.extend(found.problems)
        needs_discount_account |= found.takes_discount

    if needs_discount_account:
        account = setup.payment_discount_account
        if account is None:
            problems.append(Problem(None, "paymentDiscountAccountNumber", (
                "Payment Discount Account must have a value in Company Setup: a payment "
                "discount is taken. It cannot be zero or empty.")))
        else:
            problems.extend(account_problems(account, "paymentDiscountAccountNumber",
                                             direct=False))
    if bal is None:
        problems.extend(balance_problems(posted))
    return problems


class _LineCheck(NamedTuple):
    problems: list[Problem]
    takes_discount: bool


def _line_problems(setup: Setup, line: Line, customers: Mapping[Key, Customer],
                   accounts: Mapping[Key, GLAccount], entries: Mapping[int, OpenEntry],
                   remaining: dict[int, int]) -> _LineCheck:
    journal = setup.journal_code
    n = line.line_number
    out: list[Problem] = []

    def add(field: str | None, message: str) -> None:
        out.append(Problem(n, field, message))

    if line.posting_date is None:
        add("postingDate", _must_have("Posting Date", journal, line))
    elif (setup.allow_posting_from and line.posting_date < setup.allow_posting_from) or \
            (setup.allow_posting_to and line.posting_date > setup.allow_posting_to):
        add("postingDate", "Posting Date is not within your range of allowed posting dates.")
    if not line.document_number:
        add("documentNumber", _must_have("Document No.", journal, line))

    customer = customers.get(line.customer_id) if line.customer_id else None
    if line.customer_id is None:
        add("customerNumber", _must_have("Account No.", journal, line))
    elif customer is None:
        add("customerNumber", "The Customer does not exist.")
    else:
        if rulebook.blocks_payments(customer.blocked):
            add("customerNumber", rulebook.blocked_posting_message(customer.number))
        receivables = accounts.get(customer.receivables_account_id) \
            if customer.receivables_account_id else None
        if receivables is None:
            add("customerNumber", f"Receivables Account must have a value in Customer: "
                                  f"No.={customer.number}. It cannot be zero or empty.")
        else:
            out.extend(p._replace(line_number=n)
                       for p in account_problems(receivables, "customerNumber", direct=False))

    if line.amount == 0:
        add("amount", _must_have("Amount", journal, line))
    elif line.amount > 0:
        add("amount", f"Amount must be negative in Gen. Journal Line: Journal Batch Name="
                      f"{journal}, Line No.={n}.")

    if line.applies_twice:
        add("appliesToInvoiceNumber",
            "You cannot set Applies-to ID while selecting Applies-to Doc. No.")
    takes_discount = False
    to_apply_total = 0
    for application in line.applications:
        entry = entries.get(application.entry_id)
        if entry is None:
            add("appliesToInvoiceNumber", "The entry applied to does not exist.")
            continue
        wanted = application.amount
        problem = rulebook.application_problem(
            _facts(entry), remaining[entry.id], customer_id=line.customer_id,
            posting_date=line.posting_date, document_number=line.document_number,
            amount=wanted)
        if problem is not None:
            concern, message = problem
            add("amountToApply" if concern == "amount" else "appliesToInvoiceNumber", message)
            continue
        if wanted is not None:
            to_apply_total += wanted
        cash = -line.amount - to_apply_total if wanted is None else wanted
        share = _share(line.posting_date, entry, remaining[entry.id], entry.remaining_pmt_disc,
                       max(0, min(cash, -line.amount)) if line.amount < 0 else 0)
        remaining[entry.id] -= share.cash + share.discount
        takes_discount |= share.discount > 0
    too_much = rulebook.total_problem(to_apply_total, line.amount)
    if too_much:
        add("amountToApply", too_much)
    return _LineCheck(out, takes_discount)


def balance_problems(lines: Iterable[Line]) -> list[Problem]:
    """Without a balancing account the lines themselves must balance: per posting date, and
    per document number (Force Doc. Balance, on for the Cash Receipts template)."""
    by_date: dict[date | None, int] = defaultdict(int)
    by_document: dict[tuple[date | None, str], int] = defaultdict(int)
    last_line: dict[tuple[date | None, str], int] = {}
    for line in lines:
        by_date[line.posting_date] += line.amount
        key = (line.posting_date, line.document_number)
        by_document[key] += line.amount
        last_line[key] = line.line_number
    problems = []
    for (_, number), total in by_document.items():
        if total:
            problems.append(Problem(last_line[(_, number)], "amount", (
                f"Document No. {number} is out of balance by {money(total)}. Please check that "
                "Posting Date, Document Type, Document No. and Amount are correct for each "
                "line.")))
    for posting_date, total in by_date.items():
        if total:
            problems.append(Problem(None, "amount", (
                f"The lines in Gen. Journal Line are out of balance by {money(total)} on "
                f"{posting_date or 'a blank posting date'}. Check that Posting Date and Amount "
                "are correct for each line.")))
    return problems


# --- what posting writes ----------------------------------------------------------------------

class PlannedGLEntry(NamedTuple):
    entry_number: int
    posting_date: date
    document_type: str
    document_number: str
    external_document_number: str
    account_id: Key
    account_number: str
    description: str
    amount: int  # debit positive
    source_id: Key | None
    source_number: str


class PlannedCustEntry(NamedTuple):
    entry_number: int
    customer_id: Key
    customer_number: str
    posting_date: date
    document_type: str
    document_number: str
    external_document_number: str
    description: str
    amount: int
    remaining: int
    open: bool
    closed_by_entry_number: int | None
    closed_at_date: date | None


class PlannedDetail(NamedTuple):
    entry_number: int  # the customer ledger entry it belongs to
    entry_type: str
    posting_date: date
    document_type: str
    document_number: str
    customer_id: Key
    amount: int
    applied_entry_number: int | None  # the other side of an application
    unapplied: bool = False  # an application undone (and the entry undoing it)


class EntryChange(NamedTuple):
    """An existing entry (an invoice) after the applications of this posting."""

    entry_id: int
    entry_number: int
    remaining: int
    open: bool
    remaining_pmt_disc: int
    closed_by_entry_number: int | None
    closed_at_date: date | None


class Plan(NamedTuple):
    register_number: int
    gl_entries: list[PlannedGLEntry]
    cust_entries: list[PlannedCustEntry]
    details: list[PlannedDetail]
    changes: list[EntryChange]
    posted_line_ids: list[Hashable]
    skipped_line_ids: list[Hashable]

    @property
    def gl_range(self) -> tuple[int, int]:
        return self.gl_entries[0].entry_number, self.gl_entries[-1].entry_number

    @property
    def cust_range(self) -> tuple[int, int] | None:
        if not self.cust_entries:
            return None
        return self.cust_entries[0].entry_number, self.cust_entries[-1].entry_number


class _EntryState:
    __slots__ = ("closed_at", "closed_by", "open", "remaining", "remaining_disc")

    def __init__(self, remaining: int, is_open: bool, remaining_disc: int) -> None:
        self.remaining = remaining
        self.open = is_open
        self.remaining_disc = remaining_disc
        self.closed_by: int | None = None
        self.closed_at: date | None = None


class _Share(NamedTuple):
    cash: int  # paid by the payment
    discount: int  # granted


def discount_possible(posting_date: date | None, entry: OpenEntry,
                      remaining_disc: int | None = None) -> int:
    """The payment discount a payment on ``posting_date`` may take on the entry: its remaining
    discount, when paid on or before the Pmt. Discount Date."""
    if posting_date is None or entry.pmt_discount_date is None or \
            posting_date > entry.pmt_discount_date:
        return 0
    return max(entry.remaining_pmt_disc if remaining_disc is None else remaining_disc, 0)


def _share(posting_date: date | None, entry: OpenEntry, remaining: int, remaining_disc: int,
           cash: int) -> _Share:
    """How much of ``cash`` goes to an entry with ``remaining`` open, and the discount granted:
    the discount when paid by the discount date and the cash covers the rest of the entry."""
    discount = min(discount_possible(posting_date, entry, remaining_disc), remaining)
    if discount and cash >= remaining - discount:
        return _Share(remaining - discount, discount)
    return _Share(min(cash, remaining), 0)


def plan_posting(setup: Setup, lines: Sequence[Line], customers: Mapping[Key, Customer],
                 accounts: Mapping[Key, GLAccount], entries: Mapping[int, OpenEntry], *,
                 next_gl_entry: int, next_cust_entry: int, register_number: int) -> Plan:
    """The entries posting writes. The lines must have passed ``check_journal``."""
    bal = setup.balancing_account
    assert bal is not None, "check_journal first"
    gl: list[PlannedGLEntry] = []
    cust: list[PlannedCustEntry] = []
    details: list[PlannedDetail] = []
    state = {e.id: _EntryState(e.remaining, e.open, e.remaining_pmt_disc)
             for e in entries.values()}
    posted: list[Hashable] = []
    skipped: list[Hashable] = []
    gl_no, cust_no = next_gl_entry, next_cust_entry
    disc_account = setup.payment_discount_account

    for line in sorted(lines, key=lambda item: item.line_number):
        if is_skipped(line):
            skipped.append(line.id)
            continue
        posted.append(line.id)
        assert line.customer_id is not None and line.posting_date is not None
        customer = customers[line.customer_id]
        receivables = accounts[customer.receivables_account_id]
        day, doc, ext = line.posting_date, line.document_number, line.external_document_number
        payment_no = cust_no
        cust_no += 1
        cash_left = -line.amount
        discount_total = 0
        applied_total = 0
        closed_by: int | None = None
        payment_details = [PlannedDetail(payment_no, INITIAL_ENTRY, day, PAYMENT, doc,
                                         customer.id, line.amount, None)]
        other_details: list[PlannedDetail] = []
        for application in line.applications:
            entry = entries[application.entry_id]
            st = state[entry.id]
            wanted = cash_left if application.amount is None else min(application.amount,
                                                                      cash_left)
            share = _share(day, entry, st.remaining, st.remaining_disc, wanted)
            if share.cash + share.discount == 0:
                continue
            applied = share.cash + share.discount
            payment_details.append(PlannedDetail(payment_no, APPLICATION, day, PAYMENT, doc,
                                                 customer.id, applied, entry.entry_number))
            if share.discount:
                payment_details.append(PlannedDetail(payment_no, PAYMENT_DISCOUNT, day, PAYMENT,
                                                     doc, customer.id, -share.discount, None))
            other_details.append(PlannedDetail(entry.entry_number, APPLICATION, day, PAYMENT,
                                               doc, customer.id, -applied, payment_no))
            st.remaining -= applied
            if st.remaining == 0:
                st.open, st.remaining_disc, st.closed_by, st.closed_at = False, 0, payment_no, day
            cash_left -= share.cash
            discount_total += share.discount
            applied_total += applied
            closed_by = entry.entry_number
        remaining = line.amount - discount_total + applied_total
        cust.append(PlannedCustEntry(
            payment_no, customer.id, customer.number, day, PAYMENT, doc, ext, line.description,
            line.amount, remaining, remaining != 0,
            closed_by if remaining == 0 else None, day if remaining == 0 else None))
        details.extend(payment_details)
        details.extend(other_details)

        gl.append(PlannedGLEntry(gl_no, day, PAYMENT, doc, ext, receivables.id,
                                 receivables.number, line.description,
                                 line.amount - discount_total, customer.id, customer.number))
        gl_no += 1
        if discount_total:
            assert disc_account is not None
            gl.append(PlannedGLEntry(gl_no, day, PAYMENT, doc, ext, disc_account.id,
                                     disc_account.number, line.description, discount_total,
                                     customer.id, customer.number))
            gl_no += 1
        gl.append(PlannedGLEntry(gl_no, day, PAYMENT, doc, ext, bal.id, bal.number,
                                 line.description, -line.amount, customer.id, customer.number))
        gl_no += 1

    changes = [EntryChange(e.id, e.entry_number, st.remaining, st.open, st.remaining_disc,
                           st.closed_by, st.closed_at)
               for e in entries.values()
               for st in (state[e.id],)
               if st.remaining != e.remaining]
    return Plan(register_number, gl, cust, details, changes, posted, skipped)


def plan_balances(plan: Plan) -> dict[date, int]:
    """Σ G/L amount per posting date: zero for every date of a correct plan."""
    totals: dict[date, int] = defaultdict(int)
    for entry in plan.gl_entries:
        totals[entry.posting_date] += entry.amount
    return dict(totals)


# --- reversal ----------------------------------------------------------------------------------

def _document(document_type: str, document_number: str) -> str:
    """'invoice 103004': how a message names a ledger entry's document."""
    return f"{document_type.lower()} {document_number}".strip()


class EntryNow(NamedTuple):
    """An existing customer ledger entry as it stands before a reversal."""

    id: int
    entry_number: int
    remaining: int
    open: bool
    original_pmt_disc: int
    remaining_pmt_disc: int
    closed_by_entry_number: int | None
    closed_at_date: date | None


class ReversalPlan(NamedTuple):
    plan: Plan
    gl_links: dict[int, int]  # new G/L entry number -> the entry it reverses
    cust_links: dict[int, int]  # new customer entry number -> the payment entry it reverses


def plan_reversal(gl_entries: Sequence[PlannedGLEntry], payments: Sequence[PlannedCustEntry],
                  applications: Sequence[PlannedDetail], entries: Mapping[int, EntryNow], *,
                  next_gl_entry: int, next_cust_entry: int,
                  register_number: int, reversing: int) -> ReversalPlan:
    """Reverse a register: G/L entries with opposite signs; its applications undone (an
    opposite detailed entry each, both marked unapplied), which reopens the invoices; then each
    payment entry closed against a new entry of the opposite amount. Nothing is deleted.
    ``register_number`` is the new register's number, ``reversing`` the reversed one's.

    ``entries`` holds, by entry number, every customer entry the register touched. Refused
    (Invalid) when one of the register's payment entries was applied by a later register."""
    gl: list[PlannedGLEntry] = []
    gl_links: dict[int, int] = {}
    number = next_gl_entry
    for e in gl_entries:
        gl.append(e._replace(entry_number=number, amount=-e.amount))
        gl_links[number] = e.entry_number
        number += 1

    state = {n: _EntryState(e.remaining, e.open, e.remaining_pmt_disc)
             for n, e in entries.items()}
    for n, now in entries.items():
        state[n].closed_by, state[n].closed_at = now.closed_by_entry_number, now.closed_at_date
    details: list[PlannedDetail] = []
    for d in applications:
        details.append(d._replace(amount=-d.amount, unapplied=True))
        st = state[d.entry_number]
        st.remaining -= d.amount
        if st.remaining != 0 and (not st.open or st.closed_by is not None):
            st.open, st.closed_by, st.closed_at = True, None, None
            st.remaining_disc = entries[d.entry_number].original_pmt_disc

    cust: list[PlannedCustEntry] = []
    cust_links: dict[int, int] = {}
    cust_no = next_cust_entry
    for p in payments:
        st = state[p.entry_number]
        if st.remaining != p.amount:
            # Its applications by this register undone, a payment entry is open for its whole
            # amount, unless a later register applied it (the service refuses that first).
            raise Invalid(f"You cannot reverse G/L Register No. {reversing} "
                          f"because customer ledger entry {p.entry_number} "
                          f"({_document(p.document_type, p.document_number)}) was applied "
                          "again later. Reverse the later register first.", field="number")
        cust.append(p._replace(entry_number=cust_no, amount=-p.amount, remaining=0, open=False,
                               closed_by_entry_number=p.entry_number,
                               closed_at_date=p.posting_date))
        details.append(PlannedDetail(cust_no, INITIAL_ENTRY, p.posting_date, p.document_type,
                                     p.document_number, p.customer_id, -p.amount, None))
        details.append(PlannedDetail(cust_no, APPLICATION, p.posting_date, p.document_type,
                                     p.document_number, p.customer_id, p.amount, p.entry_number))
        details.append(PlannedDetail(p.entry_number, APPLICATION, p.posting_date,
                                     p.document_type, p.document_number, p.customer_id,
                                     -p.amount, cust_no))
        st.remaining, st.open, st.closed_by, st.closed_at = 0, False, cust_no, p.posting_date
        st.remaining_disc = 0
        cust_links[cust_no] = p.entry_number
        cust_no += 1

    changes = [EntryChange(e.id, n, st.remaining, st.open, st.remaining_disc, st.closed_by,
                           st.closed_at)
               for n, e in entries.items() for st in (state[n],)
               if (st.remaining, st.open, st.closed_by) != (e.remaining, e.open,
                                                            e.closed_by_entry_number)]
    plan = Plan(register_number, gl, cust, details, changes, [], [])
    return ReversalPlan(plan, gl_links, cust_links)

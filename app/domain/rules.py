"""The rulebook: the business rules every layer asks, each written once, here.

Pure functions on plain values (no database, no Qt), with Business Central's own messages.
The services (create, edit, apply, post), the posting check (app/domain/posting.py), the
dialogs' lookups (app/ui) and the command line all call these, so they cannot disagree:

- **Postable account**: a G/L account posted to is a Posting account and not blocked; a
  journal's balancing account is also open for Direct Posting.
- **Customer blocked**: a customer blocked for All takes no payment (Ship and Invoice do).
- **Application checks**: an entry a payment applies to is open, the payment's customer's,
  not posted after the payment; an Amount to Apply is positive and at most what is open;
  together they do not exceed the payment.
- **Apply to oldest**: the payment applies to the customer's oldest open entries, each up to
  its remaining amount less the discount still possible, until it is used up.
- **New-line defaults**: line number last + 10000; posting date from the line before, else
  the work date; document number from the No. Series for a first line, else the previous
  line's, counted up when the lines so far balance; description = the customer's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

from app.domain.numbering import increment_number, next_line_number

# --- postable account -----------------------------------------------------------------------


class AccountFacts(Protocol):
    """What the rule reads of a G/L account (AccountRead, the ORM row, posting's GLAccount)."""

    @property
    def number(self) -> str: ...
    @property
    def account_type(self) -> str: ...
    @property
    def blocked(self) -> bool: ...
    @property
    def direct_posting(self) -> bool: ...


Severity = Literal["invalid", "blocked"]


def account_problems(account: AccountFacts, *, direct: bool) -> list[tuple[Severity, str]]:
    """Why ``account`` cannot be posted to (``direct``: as a journal's balancing account),
    in Business Central's words; empty when it can."""
    problems: list[tuple[Severity, str]] = []
    if account.account_type != "Posting":
        problems.append(("invalid", (
            f"Account Type must be equal to 'Posting' in G/L Account: No.={account.number}. "
            f"Current value is '{account.account_type}'.")))
    if account.blocked:
        problems.append(("blocked", (
            f"Blocked must be equal to 'No' in G/L Account: No.={account.number}. "
            "Current value is 'Yes'.")))
    if direct and not account.direct_posting:
        problems.append(("invalid", (
            f"Direct Posting must be equal to 'Yes' in G/L Account: No.={account.number}. "
            "Current value is 'No'.")))
    return problems


def is_postable(account: AccountFacts, *, direct: bool = False) -> bool:
    """Whether entries may be posted to ``account`` (``direct``: balancing a journal)."""
    return account.account_type == "Posting" and not account.blocked and (
        account.direct_posting or not direct)


# --- customer blocked -------------------------------------------------------------------------

def blocks_payments(blocked: str) -> bool:
    """Payments are allowed for customers blocked for Ship or Invoice, not for All."""
    return blocked == "All"


def blocked_payment_message(number: str, name: str) -> str:
    return (f"You cannot enter a payment for customer {number} ({name}) because the customer "
            "is blocked for All transactions.")


def blocked_posting_message(number: str) -> str:
    return (f"You cannot post this type of document when Customer {number} is blocked with "
            "type All.")


# --- application checks -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the application checks read of a customer ledger entry."""

    entry_number: int
    customer_id: object
    document_type: str
    document_number: str
    posting_date: date
    open: bool

    @property
    def label(self) -> str:
        return f"{self.document_type} {self.document_number}"


def money(cents: int) -> str:
    """An amount as Business Central shows it in a message: 1,234.56."""
    return f"{Decimal(cents) / 100:,.2f}"


def earlier_posting_date_message(payment_document_number: str, entry_document_type: str,
                                 entry_document_number: str) -> str:
    return ("You cannot apply and post an entry to an entry with an earlier posting date. "
            f"Instead, post the document of type Payment with the number "
            f"{payment_document_number} and then apply it to the document of type "
            f"{entry_document_type} with the number {entry_document_number}.")


Concern = Literal["entry", "amount"]


def application_problem(entry: EntryFacts, remaining: int, *, customer_id: object | None,
                        posting_date: date | None, document_number: str,
                        amount: int | None,
                        customer_numbers: tuple[str, str] | None = None
                        ) -> tuple[Concern, str] | None:
    """Why a payment line (of ``customer_id``, dated ``posting_date``) cannot apply
    ``amount`` cents (None: as much as the entry takes) to ``entry``, which has ``remaining``
    cents open; None when it can. ``customer_numbers`` (the entry's, the line's) name the
    customers when the caller knows them. The concern says which field is at fault."""
    if not entry.open or remaining <= 0:
        return "entry", f"{entry.label} (entry {entry.entry_number}) is not open."
    if customer_id is not None and entry.customer_id != customer_id:
        if customer_numbers:
            return "entry", (f"{entry.label} belongs to customer {customer_numbers[0]}, not to "
                             f"customer {customer_numbers[1]}.")
        return "entry", f"{entry.label} belongs to another customer."
    if posting_date is not None and entry.posting_date > posting_date:
        return "entry", earlier_posting_date_message(document_number, entry.document_type,
                                                     entry.document_number)
    if amount is not None:
        if amount <= 0:
            return "amount", f"Amount to Apply must be positive on {entry.label}."
        if amount > remaining:
            return "amount", (f"Amount to Apply must not be larger than Remaining Amount: "
                              f"{money(amount)} to apply to {entry.label}, {money(remaining)} "
                              "open.")
    return None


def applied_twice_message(label: str) -> str:
    return f"{label} is applied twice."


def total_problem(total: int, payment_amount: int) -> str | None:
    """The amounts to apply together may not exceed a (negative) payment."""
    if payment_amount < 0 and total > -payment_amount:
        return (f"The amounts to apply, {money(total)} in total, are larger than the "
                f"payment, {money(-payment_amount)}.")
    return None


# --- apply to oldest ----------------------------------------------------------------------------

def apply_to_oldest(payment_amount: int, posting_date: date | None,
                    entries: Iterable[tuple[int, date, int]]) -> list[tuple[int, int]]:
    """(entry id, cents to apply) for a payment of ``payment_amount`` cents (negative: a
    receipt) over the customer's open ``entries`` (id, posting date, the amount to apply by
    default), oldest first; entries posted after the payment are left out."""
    if payment_amount >= 0:
        raise ValueError("Apply to Oldest needs a payment (a negative amount).")
    left = -payment_amount
    chosen: list[tuple[int, int]] = []
    for entry_id, entry_date, default in entries:
        if left <= 0:
            break
        if posting_date is not None and entry_date > posting_date:
            continue
        amount = min(default, left)
        chosen.append((entry_id, amount))
        left -= amount
    return chosen


# --- new-line defaults ----------------------------------------------------------------------------

def new_line_number(last_line_number: int | None) -> int:
    """The next line of a journal: the last line number + 10000."""
    return next_line_number(last_line_number)


def default_posting_date(given: date | None, previous: date | None, work_date: date) -> date:
    return given or previous or work_date


def default_document_number(previous: str | None, lines_balance: bool,
                            series_next: str | None) -> str:
    """A first line takes the No. Series' next number (peeked, not used up), else empty;
    a later line the previous line's number, counted up once the lines so far balance."""
    if previous is None:
        return series_next or ""
    if lines_balance:
        return increment_number(previous) or previous
    return previous


def default_description(given: str | None, customer_name: str | None) -> str:
    """A line's description is the customer's name unless one was given."""
    return given if given is not None else customer_name or ""

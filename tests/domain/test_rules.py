"""The rulebook (app/domain/rules.py): each rule once, with Business Central's messages."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest

from app.domain import rules


class Account(NamedTuple):
    number: str
    account_type: str
    blocked: bool
    direct_posting: bool


@pytest.mark.parametrize(("account", "direct", "expected"), [
    (Account("2910", "Posting", False, True), True, []),
    (Account("2910", "Posting", False, False), False, []),
    (Account("2910", "Posting", False, False), True, [
        ("invalid", "Direct Posting must be equal to 'Yes' in G/L Account: No.=2910. Current "
                    "value is 'No'.")]),
    (Account("1000", "Heading", True, True), False, [
        ("invalid", "Account Type must be equal to 'Posting' in G/L Account: No.=1000. "
                    "Current value is 'Heading'."),
        ("blocked", "Blocked must be equal to 'No' in G/L Account: No.=1000. Current value is "
                    "'Yes'.")]),
])
def test_postable_account(account: Account, direct: bool,
                          expected: list[tuple[str, str]]) -> None:
    assert rules.account_problems(account, direct=direct) == expected
    assert rules.is_postable(account, direct=direct) == (not expected)


def test_customer_blocked() -> None:
    assert [b for b in (" ", "Ship", "Invoice", "All") if rules.blocks_payments(b)] == ["All"]
    assert rules.blocked_payment_message("C1", "Ann") == (
        "You cannot enter a payment for customer C1 (Ann) because the customer is blocked for "
        "All transactions.")


ENTRY = rules.EntryFacts(7, "cust-1", "Invoice", "103001", date(2026, 11, 1), True)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, None),
    ({"remaining": 0}, ("entry", "Invoice 103001 (entry 7) is not open.")),
    ({"customer_id": "cust-2"}, ("entry", "Invoice 103001 belongs to another customer.")),
    ({"customer_id": "cust-2", "customer_numbers": ("C1", "C2")},
     ("entry", "Invoice 103001 belongs to customer C1, not to customer C2.")),
    ({"posting_date": date(2026, 10, 1)}, ("entry", (
        "You cannot apply and post an entry to an entry with an earlier posting date. Instead, "
        "post the document of type Payment with the number G1 and then apply it to the "
        "document of type Invoice with the number 103001."))),
    ({"amount": 0}, ("amount", "Amount to Apply must be positive on Invoice 103001.")),
    ({"amount": 10001}, ("amount", "Amount to Apply must not be larger than Remaining Amount: "
                                   "100.01 to apply to Invoice 103001, 100.00 open.")),
])
def test_application_checks(kwargs: dict[str, object],
                            expected: tuple[str, str] | None) -> None:
    args: dict[str, object] = {"customer_id": "cust-1", "posting_date": date(2026, 11, 20),
                               "document_number": "G1", "amount": 5000}
    remaining = int(kwargs.pop("remaining", 10000))  # type: ignore[call-overload]
    args.update(kwargs)
    assert rules.application_problem(ENTRY, remaining, **args) == expected  # type: ignore[arg-type]
    assert rules.total_problem(15000, -10000) == (
        "The amounts to apply, 150.00 in total, are larger than the payment, 100.00.")
    assert rules.total_problem(10000, -10000) is None


def test_apply_to_oldest() -> None:
    entries = [(1, date(2026, 9, 1), 3000), (2, date(2026, 12, 1), 9999),
               (3, date(2026, 10, 1), 5000), (4, date(2026, 10, 2), 5000)]
    assert rules.apply_to_oldest(-7000, date(2026, 11, 20), entries) == [(1, 3000), (3, 4000)]
    assert rules.apply_to_oldest(-100000, None, entries) == [
        (1, 3000), (2, 9999), (3, 5000), (4, 5000)]
    with pytest.raises(ValueError):
        rules.apply_to_oldest(0, None, entries)


def test_new_line_defaults() -> None:
    assert rules.new_line_number(None) == 10000 and rules.new_line_number(30000) == 40000
    work = date(2026, 11, 20)
    assert rules.default_posting_date(None, None, work) == work
    assert rules.default_posting_date(None, date(2026, 11, 1), work) == date(2026, 11, 1)
    assert rules.default_posting_date(date(2026, 1, 2), date(2026, 11, 1), work) == \
        date(2026, 1, 2)
    assert rules.default_document_number(None, True, "G00001") == "G00001"
    assert rules.default_document_number(None, True, None) == ""
    assert rules.default_document_number("G00001", True, "G00009") == "G00002"
    assert rules.default_document_number("G00001", False, None) == "G00001"
    assert rules.default_description(None, "Adatum") == "Adatum"
    assert rules.default_description("", "Adatum") == ""
    assert rules.default_description(None, None) == ""

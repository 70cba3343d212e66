"""Money: Decimal in Python, integer cents in the database, exact JSON numbers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import Invalid
from app.domain.money import MAX_AMOUNT, from_cents, parse_amount, to_cents, to_json_number
from app.domain.schemas import PaymentCreate
from app.domain.validation import parse

amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2,
                      allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(("amount", "cents"), [
    ("0", 0), ("0.01", 1), ("-0.01", -1), ("1234.56", 123456), ("-1234.5", -123450),
    ("999999999999.99", 99999999999999), ("0.10", 10), ("1E+2", 10000),
])
def test_to_cents_exact(amount: str, cents: int) -> None:
    assert to_cents(Decimal(amount)) == cents
    assert from_cents(cents) == Decimal(amount)


def test_from_cents_has_two_places() -> None:
    assert str(from_cents(100)) == "1.00"
    assert str(from_cents(-5)) == "-0.05"


@pytest.mark.parametrize("amount", ["0.001", "1.005", "-12.345", "0.0000001"])
def test_to_cents_refuses_more_than_two_decimals(amount: str) -> None:
    with pytest.raises(ValueError, match="more than 2 decimals"):
        to_cents(Decimal(amount))


@pytest.mark.parametrize("amount", ["1.005", "-0.001"])
def test_the_schema_refuses_more_than_two_decimals(amount: str) -> None:
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"amount": Decimal(amount)})
    assert (err.value.field, err.value.message) == ("amount",
                                                    "amount can have at most 2 decimals.")


def test_the_schema_refuses_floats_beyond_cents_and_huge_amounts() -> None:
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"amount": "1000000000000"})
    assert err.value.field == "amount"
    assert "too large" in err.value.message
    with pytest.raises(Invalid) as err:
        parse(PaymentCreate, {"amount": "abc"})
    assert err.value.message == "amount must be a number, not 'abc'."


def test_trailing_zeros_are_fine() -> None:
    assert parse(PaymentCreate, {"amount": Decimal("12.3000")}).amount == Decimal("12.30")


@pytest.mark.parametrize(("text", "value"), [(" 1 234.50 ", "1234.50"), ("-7", "-7")])
def test_parse_amount(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "NaN", "Infinity", "1,2"])
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_amount(text)


@pytest.mark.parametrize(("amount", "text"), [
    ("1234.56", "1234.56"), ("-0.10", "-0.1"), ("100.00", "100"), ("999999999999.99",
                                                                 "999999999999.99"),
    ("0.07", "0.07"), ("-913.90", "-913.9"),
])
def test_json_numbers_are_the_decimal_text(amount: str, text: str) -> None:
    assert json.dumps(to_json_number(Decimal(amount))) == text


@given(amounts)
def test_amounts_round_trip_through_cents(amount: Decimal) -> None:
    assert from_cents(to_cents(amount)) == amount


@given(amounts)
def test_amounts_round_trip_through_json_exactly(amount: Decimal) -> None:
    text = json.dumps({"amount": to_json_number(amount)})
    back = json.loads(text, parse_float=Decimal)["amount"]
    assert Decimal(back) == amount
    assert parse(PaymentCreate, {"amount": back}).amount == amount

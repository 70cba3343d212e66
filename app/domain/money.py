"""Money is Decimal in Python and integer cents in the database; never a float.

Amounts are bounded so that they fit comfortably in a 64-bit integer of cents and so that
a JSON number written from them (see ``to_json_number``) round-trips exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# 999,999,999,999.99: 14 significant digits, exact as a JSON/IEEE double.
MAX_AMOUNT = Decimal("999999999999.99")


def to_cents(amount: Decimal) -> int:
    """Exact conversion; refuses amounts with more than two decimals instead of rounding."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"amount {amount} has more than 2 decimals")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def parse_amount(text: str) -> Decimal:
    """Parse user or file text into a Decimal; raises ValueError with a plain message."""
    cleaned = text.strip().replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return value


def to_json_number(amount: Decimal) -> int | float:
    """JSON writes amounts as numbers, as Business Central does.

    A float is only the carrier on the way to the JSON text: any amount within MAX_AMOUNT
    has at most 15 significant digits, and Python writes the shortest repr that reads back
    to the same double, which is exactly the decimal text ("1234.56").
    """
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)

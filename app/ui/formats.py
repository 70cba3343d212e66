"""Amounts and dates in the grid's cells, on top of app/ui/localized.py (one parser for the
whole GUI). Money stays Decimal: never through a float."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale

from app.domain.money import CENT, MAX_AMOUNT
from app.ui import localized


def format_amount(amount: Decimal, locale: QLocale | None = None) -> str:
    return localized.format_amount(amount, locale)


def parse_amount(text: str, locale: QLocale | None = None) -> Decimal:
    """The amount typed in the locale's format ("1,234.56", "-50", "1.234,5" in German);
    blank is 0. Raises ValueError with a message for the user."""
    try:
        value = localized.parse_amount(text, locale)
    except ValueError as exc:
        raise ValueError(f"The amount {exc}.") from None
    if value is None:
        return Decimal("0.00")
    if value != value.quantize(CENT):
        raise ValueError(f"'{text.strip()}' has more than 2 decimals; an amount is in cents.")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"'{text.strip()}' is too large; the largest amount is "
                         f"{format_amount(MAX_AMOUNT, locale)}.")
    return value.quantize(CENT)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def format_date(value: date, locale: QLocale | None = None) -> str:
    """The locale's short format with a four-digit year, the same in every view and editor."""
    return localized.format_date(value, locale)


def date_edit_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with a four-digit year, for date editors."""
    return localized.date_format(locale)


def parse_date(text: str, locale: QLocale | None = None) -> date | None:
    try:
        return localized.parse_date(text, locale)
    except ValueError as exc:
        raise ValueError(f"The posting date {exc}.") from None

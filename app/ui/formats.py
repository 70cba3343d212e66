"""Locale-aware amounts and dates for the GUI (QLocale). Money stays Decimal: an amount is
formatted from its integer cents and parsed back to a Decimal, never through a float."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QLocale

from app.domain.money import CENT, MAX_AMOUNT


def format_amount(amount: Decimal, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    cents = int((amount * 100).to_integral_value())
    whole, fraction = divmod(abs(cents), 100)
    text = f"{loc.toString(whole)}{loc.decimalPoint()}{fraction:02d}"
    return f"{loc.negativeSign()}{text}" if cents < 0 else text


def parse_amount(text: str, locale: QLocale | None = None) -> Decimal:
    """The amount typed in the locale's format ("1,234.56", "-50", "1234,5" in German).

    Raises ValueError with a message for the user."""
    loc = locale or QLocale()
    cleaned = text.strip()
    if not cleaned:
        return Decimal("0.00")
    for space in (" ", "\u00a0", "\u202f", loc.groupSeparator()):
        cleaned = cleaned.replace(space, "")
    cleaned = cleaned.replace(loc.negativeSign(), "-").replace(loc.positiveSign(), "+")
    if loc.decimalPoint() != ".":
        cleaned = cleaned.replace(loc.decimalPoint(), ".")
    example = format_amount(Decimal("-1234.56"), loc)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text.strip()}' is not an amount. Type a number such as "
                         f"{example}.") from None
    if not value.is_finite():
        raise ValueError(f"'{text.strip()}' is not an amount.")
    if value != value.quantize(CENT):
        raise ValueError(f"'{text.strip()}' has more than 2 decimals; an amount is in cents.")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"'{text.strip()}' is too large; the largest amount is "
                         f"{format_amount(MAX_AMOUNT, loc)}.")
    return value.quantize(CENT)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def format_date(value: date, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    return loc.toString(to_qdate(value), QLocale.FormatType.ShortFormat)


def date_edit_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with a four-digit year, for date editors."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


def parse_date(text: str, locale: QLocale | None = None) -> date:
    loc = locale or QLocale()
    for fmt in (date_edit_format(loc), loc.dateFormat(QLocale.FormatType.ShortFormat),
                "yyyy-MM-dd"):
        parsed = loc.toDate(text.strip(), fmt)
        if parsed.isValid():
            return from_qdate(parsed)
    raise ValueError(f"'{text.strip()}' is not a date. Type it as "
                     f"{format_date(date(2026, 12, 31), loc)}.")

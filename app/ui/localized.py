"""Amounts and dates as the user's locale writes them. Amounts go to Decimal, never float."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale

_DIGITS = re.compile(r"^\d+$")


def _separators(locale: QLocale) -> tuple[str, str, str]:
    return locale.decimalPoint(), locale.groupSeparator(), locale.negativeSign()


def amount_example(locale: QLocale | None = None) -> str:
    return format_amount(Decimal("-1234.56"), locale)


def parse_amount(text: str, locale: QLocale | None = None) -> Decimal | None:
    """The Decimal a user typed in the locale's way ("1,234.56", "1.234,56", "-250").

    Returns None for blank text; raises ValueError with a plain message otherwise. Group
    separators are accepted only where they belong (every three digits), so "12.50" in a
    German locale is refused rather than read as 1250."""
    locale = locale or QLocale()
    point, group, minus = _separators(locale)
    cleaned = text.strip().replace("\u202f", " ").replace("\xa0", " ")
    if not cleaned:
        return None
    negative = False
    for sign in {minus, "-", "\u2212"}:
        if cleaned.startswith(sign):
            negative, cleaned = True, cleaned[len(sign):].strip()
            break
    else:
        if cleaned.startswith("+"):
            cleaned = cleaned[1:].strip()
    whole, _, fraction = cleaned.partition(point)
    if point in fraction or (fraction and not _DIGITS.match(fraction)) or (point in cleaned
                                                                          and not fraction):
        raise ValueError(f"must be a number like {amount_example(locale)}, not '{text}'")
    group_chars = {group, " "} if group.strip() else {group, " ", "\xa0"}
    parts = re.split("|".join(re.escape(g) for g in group_chars if g), whole)
    if not all(_DIGITS.match(p) for p in parts) or (
            len(parts) > 1 and (len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]))):
        raise ValueError(f"must be a number like {amount_example(locale)}, not '{text}'")
    value = Decimal("".join(parts) + ("." + fraction if fraction else ""))
    return -value if negative else value


def format_amount(value: Decimal, locale: QLocale | None = None, *, places: int = 2) -> str:
    """A Decimal in the locale's way, with group separators and ``places`` decimals."""
    locale = locale or QLocale()
    point, group, minus = _separators(locale)
    quantized = value.quantize(Decimal(1).scaleb(-places)) if places else value
    sign = minus if quantized < 0 else ""
    digits = f"{abs(quantized):f}"
    whole, _, fraction = digits.partition(".")
    grouped = ""
    while len(whole) > 3:
        grouped = group + whole[-3:] + grouped
        whole = whole[:-3]
    grouped = whole + grouped
    return sign + grouped + (point + fraction if fraction else "")


ISO_DATE = "yyyy-MM-dd"


def date_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with a four-digit year (accountants type 2026).

    Where the locale gives no sensible short date (the C locale, as under ``C.UTF-8``, says
    "d MM yyyy": "29 11 2026"), ISO ``yyyy-MM-dd``."""
    locale = locale or QLocale()
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if locale.language() == QLocale.Language.C or not any(sep in fmt for sep in "./-"):
        return ISO_DATE
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


def _lenient(fmt: str) -> str:
    """The same format with one-digit days and months allowed ("1.1.2024" for dd.MM.yyyy)."""
    return fmt.replace("dd", "d").replace("MM", "M")


def format_date(value: date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return ""
    return (locale or QLocale()).toString(QDate(value.year, value.month, value.day),
                                          date_format(locale))


def parse_date(text: str, locale: QLocale | None = None) -> date | None:
    """A date typed in the locale's short format (two- or four-digit year) or as ISO
    (2026-11-20). None for blank text; ValueError with a plain message otherwise."""
    locale = locale or QLocale()
    cleaned = text.strip()
    if not cleaned:
        return None
    shown = date_format(locale)
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    candidates = [shown, _lenient(shown), short, _lenient(short), ISO_DATE, _lenient(ISO_DATE)]
    for fmt in candidates:
        parsed = locale.toDate(cleaned, fmt, 2000)
        if parsed.isValid():
            return date(parsed.year(), parsed.month(), parsed.day())
    example = format_date(date(2026, 11, 20), locale)
    raise ValueError(f"must be a date like {example}, not '{text}'")

"""Amounts and dates in the user's locale: Decimal only, separators where they belong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QLocale

from app.ui.localized import format_amount, format_date, parse_amount, parse_date

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)
FR = QLocale(QLocale.Language.French, QLocale.Country.France)


@pytest.mark.parametrize(("locale", "text", "value"), [
    (US, "1,234.56", Decimal("1234.56")), (US, "-250", Decimal("-250")),
    (US, "0.1", Decimal("0.1")), (DE, "1.234,56", Decimal("1234.56")),
    (DE, "-12,5", Decimal("-12.5")), (FR, "1 234,50", Decimal("1234.50")),
    (US, "", None), (US, "  ", None),
])
def test_parse_amount(locale: QLocale, text: str, value: Decimal | None) -> None:
    parsed = parse_amount(text, locale)
    assert parsed == value and (parsed is None or isinstance(parsed, Decimal))


@pytest.mark.parametrize(("locale", "text"), [
    (US, "1.234,56"), (DE, "12.50"), (US, "12,34"), (US, "abc"), (US, "1e5"), (US, "1.2.3"),
    (US, "NaN"), (US, "--5"), (US, "5."),
])
def test_refused_amounts(locale: QLocale, text: str) -> None:
    with pytest.raises(ValueError, match="must be a number like"):
        parse_amount(text, locale)


@given(st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"),
                   places=2), st.sampled_from([US, DE, FR]))
def test_amount_round_trip(value: Decimal, locale: QLocale) -> None:
    assert parse_amount(format_amount(value, locale), locale) == value


@pytest.mark.parametrize("locale", [US, DE, FR])
def test_date_round_trip_and_iso(locale: QLocale) -> None:
    day = date(2026, 11, 20)
    assert parse_date(format_date(day, locale), locale) == day
    assert parse_date("2026-11-20", locale) == day
    assert parse_date("", locale) is None
    with pytest.raises(ValueError, match="must be a date like"):
        parse_date("31.31.2026", locale)


def test_two_digit_years_are_this_century() -> None:
    assert parse_date("11/20/26", US) == date(2026, 11, 20)


C_UTF8 = QLocale.c()  # what Qt makes of LANG=C.UTF-8 ("d MM yyyy")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
       st.sampled_from([C_UTF8, US, DE]))
def test_dates_round_trip_in_c_utf8_en_us_and_de_de(day: date, locale: QLocale) -> None:
    assert parse_date(format_date(day, locale), locale) == day


def test_the_c_locale_shows_iso_dates_and_accepts_them() -> None:
    from app.ui.localized import date_format

    assert date_format(C_UTF8) == "yyyy-MM-dd"
    assert format_date(date(2026, 11, 29), C_UTF8) == "2026-11-29"
    assert parse_date("2024-1-1", C_UTF8) == date(2024, 1, 1)
    assert date_format(US) == "M/d/yyyy" and date_format(DE) == "dd.MM.yyyy"
    assert format_date(date(2026, 1, 2), DE) == "02.01.2026"
    assert parse_date("1.1.2024", DE) == date(2024, 1, 1)  # as short as it is typed
    assert parse_date("1 1 2024", C_UTF8) == date(2024, 1, 1)  # the locale's own short form
    with pytest.raises(ValueError, match="must be a date like 2026-11-20, not '2024-13-01'"):
        parse_date("2024-13-01", C_UTF8)


@pytest.mark.parametrize("locale", [C_UTF8, US, DE])
def test_a_date_editor_accepts_what_it_shows(qtbot: object, locale: QLocale) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit

    from app.ui.formats import date_edit_format

    editor = QDateEdit()
    editor.setLocale(locale)
    editor.setDisplayFormat(date_edit_format(locale))
    editor.setDate(QDate(2025, 11, 1))
    shown = editor.text()
    assert parse_date(shown, locale) == date(2025, 11, 1)
    editor.setDate(QDate(2000, 1, 1))
    editor.lineEdit().setText(shown)
    assert editor.hasAcceptableInput()
    editor.interpretText()
    assert editor.date() == QDate(2025, 11, 1)

"""Pure rules of the reports: date formulas, aging periods (BC report 120), statement rows.

Amounts are integer cents. No database here: the services aggregate in SQL and apply these.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal, NamedTuple

from app.domain.errors import Invalid

AgingBy = Literal["due", "posting", "document"]
AGING_BY: tuple[AgingBy, ...] = ("due", "posting", "document")

_TERM = re.compile(r"([+-]?)(\d*)(C?)([DWMQY])", re.IGNORECASE)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _period_end(day: date, unit: str) -> date:
    if unit == "D":
        return day
    if unit == "W":
        return day + timedelta(days=6 - day.weekday())
    if unit == "M":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    if unit == "Q":
        month = (day.month - 1) // 3 * 3 + 3
        return date(day.year, month, calendar.monthrange(day.year, month)[1])
    return date(day.year, 12, 31)


def _period_start(day: date, unit: str) -> date:
    if unit == "D":
        return day
    if unit == "W":
        return day - timedelta(days=day.weekday())
    if unit == "M":
        return day.replace(day=1)
    if unit == "Q":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def parse_formula(text: str, *, field: str = "periodLength") -> list[tuple[int, bool, str]]:
    """A Business Central date formula ('30D', '1M', '1M+CM', '-1W', 'CQ') as terms
    (signed count, current-period flag, unit); ``Invalid`` naming the field otherwise."""
    compact = text.strip().upper().replace(" ", "")
    terms: list[tuple[int, bool, str]] = []
    position = 0
    while position < len(compact):
        match = _TERM.match(compact, position)
        if match is None or (not match.group(2) and not match.group(3)):
            raise Invalid(f"The date formula {text!r} is not valid. Use a number and a unit, "
                          "such as 30D, 1W, 1M, 1Q, 1Y, or CM for the current month.",
                          field=field)
        sign = -1 if match.group(1) == "-" else 1
        count = int(match.group(2)) if match.group(2) else 0
        terms.append((sign * count, bool(match.group(3)), match.group(4)))
        position = match.end()
    if not terms:
        raise Invalid("A date formula such as 30D or 1M is required.", field=field)
    return terms


def calc_date(formula: str | list[tuple[int, bool, str]], day: date) -> date:
    """BC's CalcDate: apply each term in turn; 'C' moves to the start (negative) or end of
    the current period."""
    terms = parse_formula(formula) if isinstance(formula, str) else formula
    try:
        return _apply_terms(terms, day)
    except (OverflowError, ValueError):  # before year 1 or after 9999
        shown = f"The date formula {formula}" if isinstance(formula, str) else "The period"
        raise Invalid(f"{shown} goes beyond the calendar (years 1 to 9999) from "
                      f"{day.isoformat()}.", field="period") from None


def _apply_terms(terms: list[tuple[int, bool, str]], day: date) -> date:
    for count, current, unit in terms:
        if current:
            day = _period_start(day, unit) if count < 0 else _period_end(day, unit)
            continue
        if unit == "D":
            day += timedelta(days=count)
        elif unit == "W":
            day += timedelta(weeks=count)
        elif unit == "M":
            day = _add_months(day, count)
        elif unit == "Q":
            day = _add_months(day, 3 * count)
        else:
            day = _add_months(day, 12 * count)
    return day


def negate(terms: list[tuple[int, bool, str]]) -> list[tuple[int, bool, str]]:
    return [(-count if count else -1 if current else 0, current, unit)
            for count, current, unit in terms]


class Period(NamedTuple):
    title: str
    start: date | None  # None: open ended
    end: date | None


def aging_periods(as_of: date, period_length: str, aging_by: AgingBy = "due",
                  count: int = 5) -> list[Period]:
    try:
        return _aging_periods(as_of, period_length, aging_by, count)
    except Invalid as exc:
        if exc.field != "period":
            raise
        raise Invalid(exc.message.replace("The period", f"The period length {period_length}",
                                          1), field="period") from None


def _aging_periods(as_of: date, period_length: str, aging_by: AgingBy,
                   count: int) -> list[Period]:
    """BC report 120's columns, newest first: aged by due date, the first is Not Due (due
    after the as-of date); otherwise the first is the latest period up to the as-of date.
    Then periods of ``period_length`` back, and the last one is open ended (Older)."""
    back = negate(parse_formula(period_length))
    periods: list[Period] = []
    if aging_by == "due":
        end: date | None = None
        start = as_of + timedelta(days=1)
        periods.append(Period("Not Due", start, end))
    else:
        start = calc_date(back, as_of + timedelta(days=1))
        periods.append(Period(_title(start, as_of), start, as_of))
    for index in range(1, count):
        end = start - timedelta(days=1)
        if index == count - 1:
            periods.append(Period("Older", None, end))
            break
        start = calc_date(back, end + timedelta(days=1))
        if start > end:
            raise Invalid(f"The period length {period_length} must go back in time.",
                          field="periodLength")
        periods.append(Period(_title(start, end), start, end))
    return periods


def _title(start: date, end: date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def bucket(periods: Sequence[Period], day: date) -> int:
    """The index of the period a date falls in (the last, open ended, when older)."""
    for index, period in enumerate(periods):
        if (period.start is None or day >= period.start) and (
                period.end is None or day <= period.end):
            return index
    return len(periods) - 1


def check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise Invalid(f"The starting date {start.isoformat()} is after the ending date "
                      f"{end.isoformat()}.", field="startDate")


def running(opening: int, amounts: Sequence[int]) -> list[int]:
    """Running balances after each amount."""
    out = []
    total = opening
    for amount in amounts:
        total += amount
        out.append(total)
    return out


def account_heading_kind(account_type: str) -> Literal["posting", "heading", "begin",
                                                      "end", "total"]:
    kind = account_type.replace("-", "").lower()
    return {"posting": "posting", "heading": "heading", "begintotal": "begin",
            "endtotal": "end", "total": "total"}.get(kind, "posting")  # type: ignore[return-value]

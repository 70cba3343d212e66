"""A date formula that leaves the calendar is refused with a message, not a bare error."""

from datetime import date

import pytest

from app.domain.errors import Invalid
from app.domain.reporting import aging_periods, calc_date


def test_a_formula_beyond_the_calendar_is_refused() -> None:
    with pytest.raises(Invalid, match="9999Y goes beyond the calendar"):
        calc_date("9999Y", date(2026, 11, 30))


def test_the_aging_period_that_leaves_the_calendar_is_named() -> None:
    with pytest.raises(Invalid, match="period length 9999Y goes beyond the calendar"):
        aging_periods(date(2026, 11, 30), "9999Y")

"""Business Central's IncStr and line numbers."""

from __future__ import annotations

import pytest

from app.domain.numbering import LINE_NUMBER_STEP, increment_number, next_line_number


@pytest.mark.parametrize(("number", "by", "expected"), [
    ("G00009", 1, "G00010"),
    ("G02001", 1, "G02002"),
    ("PAY-99", 1, "PAY-100"),
    ("9", 1, "10"),
    ("0001", 1, "0002"),
    ("R0041", 10, "R0051"),
    ("INV-12-A", 1, "INV-13-A"),  # the right-most digits, the suffix kept
    ("2026-0099", 1, "2026-0100"),
    ("", 1, ""),
    ("ABC", 1, ""),  # nothing to count
])
def test_increment_number(number: str, by: int, expected: str) -> None:
    assert increment_number(number, by) == expected


def test_next_line_number() -> None:
    assert LINE_NUMBER_STEP == 10000
    assert next_line_number(None) == 10000
    assert next_line_number(0) == 10000
    assert next_line_number(15000) == 25000

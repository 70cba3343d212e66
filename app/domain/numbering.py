"""Document numbers and line numbers, as Business Central increments them."""

from __future__ import annotations

import re

LINE_NUMBER_STEP = 10000
_LAST_DIGITS = re.compile(r"(\d+)(\D*)$")


def increment_number(number: str, by: int = 1) -> str:
    """Business Central's IncStr: increase the right-most run of digits, keeping its width.

    "G00009" -> "G00010", "PAY-99" -> "PAY-100", "" -> "", "ABC" -> "" (nothing to count).
    """
    match = _LAST_DIGITS.search(number)
    if match is None:
        return ""
    digits = match.group(1)
    incremented = str(int(digits) + by).zfill(len(digits))
    return number[: match.start(1)] + incremented + match.group(2)


def next_line_number(last_line_number: int | None) -> int:
    return (last_line_number or 0) + LINE_NUMBER_STEP

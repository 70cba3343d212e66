"""Document numbers and line numbers, as Business Central increments them."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def manual_numbers_message(series_code: str) -> str:
    """Business Central's No. Series TestManual error (CannotAssignManuallyErr)."""
    return ("You may not enter numbers manually. If you want to enter numbers manually, "
            f"please activate Manual Nos. in No. Series {series_code}.")


def series_problems(lines: Iterable[tuple[int, str]], *, series_code: str, next_number: str,
                    increment_by: int = 1, manual_numbers: bool = False
                    ) -> list[tuple[int, str]]:
    """Business Central's CheckDocNoBasedOnNoSeries over a journal's lines, in line order:
    each line whose document number differs from the previous line's must be the series'
    next number (each such line takes one, as GetNextNo does), unless the series allows
    manual numbers. Returns (line number, message) for each line that breaks the series."""
    problems: list[tuple[int, str]] = []
    expected = next_number
    last = ""
    for line_number, document_number in lines:
        if not last or document_number != last:
            if document_number != expected and not manual_numbers:
                problems.append((line_number, f"{manual_numbers_message(series_code)} Document "
                                 f"No. {document_number or '(blank)'} does not continue the "
                                 f"series, whose next number is {expected or '(none)'}."))
            expected = increment_number(expected, increment_by) if expected else ""
        last = document_number
    return problems


def already_posted_message(document_number: str, series_code: str) -> str:
    return (f"Document No. {document_number} has already been posted. A number of No. Series "
            f"{series_code} is posted once; take the next number from the series.")

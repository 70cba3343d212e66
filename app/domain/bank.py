"""Bank statements as the rest of the program sees them, whatever the file format was, and
the IBAN check (ISO 13616 mod-97: no dependency needed for a checksum and a length table).

A statement line's amount is positive; ``credit`` tells money in (a customer paying) from
money out. Dates are the bank's booking date (the posting date of the payment line) and the
value date. The remittance text is kept as the bank gave it, unstructured and structured
(a creditor reference such as ``RF18 5390 0754 7034``, or a document number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    amount: Decimal  # signed: a debit balance is negative
    on: date | None
    currency: str = ""


@dataclass(frozen=True, slots=True)
class StatementLine:
    amount: Decimal  # positive
    credit: bool  # money in
    booking_date: date
    value_date: date | None = None
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""  # unstructured
    structured_remittance: str = ""  # creditor reference / document number given in fields
    end_to_end_id: str = ""
    bank_reference: str = ""  # the bank's own reference of the entry (AcctSvcrRef, //ref)
    currency: str = ""
    where: str = ""  # where the line stands in the file ("entry 3", "line 14"), for messages

    @property
    def text(self) -> str:
        """All the text a document number may be found in."""
        return " ".join(t for t in (self.structured_remittance, self.remittance,
                                    self.end_to_end_id) if t)


@dataclass(frozen=True, slots=True)
class Statement:
    format: str  # camt053 / mt940 / ofx / csv
    lines: tuple[StatementLine, ...]
    account: str = ""  # the statement's own account (IBAN or bank account number)
    statement_id: str = ""
    opening: Balance | None = None
    closing: Balance | None = None
    currency: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def credits(self) -> list[StatementLine]:
        return [line for line in self.lines if line.credit]

    @property
    def debits(self) -> list[StatementLine]:
        return [line for line in self.lines if not line.credit]

    def net(self) -> Decimal:
        """Σ credits - Σ debits: the closing balance less the opening one when complete."""
        return sum((line.amount if line.credit else -line.amount for line in self.lines),
                   Decimal("0.00"))

    def is_complete(self) -> bool | None:
        """Opening + the lines = closing (None when the file gives no balances)."""
        if self.opening is None or self.closing is None:
            return None
        return self.opening.amount + self.net() == self.closing.amount


# --- IBAN ----------------------------------------------------------------------------------

# Lengths by country (SWIFT IBAN registry), for the countries a customer is likely to bank in;
# an unknown country is checked by the checksum and the general shape alone.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
    "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26,
    "IT": 27, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "ME": 22, "MK": 19, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "XK": 20,
}
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def compact_iban(text: str) -> str:
    """Upper case, without spaces (the electronic form)."""
    return "".join(text.split()).upper()


def iban_problem(text: str) -> str | None:
    """Why ``text`` is not a valid IBAN, or None when it is."""
    iban = compact_iban(text)
    if not _IBAN_SHAPE.match(iban):
        return (f"{text!r} is not an IBAN: it must start with a country code and two check "
                "digits, followed by 11 to 30 letters or digits.")
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return f"An IBAN of {iban[:2]} has {expected} characters; {iban} has {len(iban)}."
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return f"The IBAN {format_iban(iban)} is not valid: its check digits do not match."
    return None


def is_iban(text: str) -> bool:
    return iban_problem(text) is None


def format_iban(text: str) -> str:
    """The print form: groups of four."""
    iban = compact_iban(text)
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def make_iban(country: str, bban: str) -> str:
    """An IBAN from a country code and a national account number (computes the check digits;
    for demo data and tests)."""
    digits = "".join(str(int(c, 36)) for c in bban.upper() + country.upper() + "00")
    check = 98 - int(digits) % 97
    return f"{country.upper()}{check:02d}{bban.upper()}"

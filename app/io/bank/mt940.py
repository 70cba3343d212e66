"""MT940 (SWIFT customer statement), read with the mt-940 library (BSD-3).

Two layouts of the ``:86:`` information field are understood:
- the German one (Sparkasse, Deutsche Bank, Commerzbank, Volksbank: DFÜ-Abkommen), with
  ``?00`` posting text, ``?20``-``?29`` remittance (SEPA keywords ``EREF+``, ``SVWZ+``...),
  ``?30`` BIC, ``?31`` IBAN, ``?32``/``?33`` the counterparty's name; the library's details
  post-processor splits it, with ``?31`` as IBAN;
- the SWIFT slash layout (ABN AMRO, ING, Rabobank): ``/NAME/.../REMI/.../IBAN/.../EREF/...``.
A plain free-text ``:86:`` is taken as the remittance.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import mt940

from app.domain.bank import Balance, Statement, StatementLine, compact_iban, is_iban
from app.io.bank.common import MAX_LINES, BankFileError, check_size, clean, decode

_SLASH_KEYS = ("TRCD", "BENM", "ORDP", "NAME", "REMI", "IBAN", "BIC", "EREF", "ADDR", "CSID",
               "MARF", "PREF", "RTRN", "ISDT", "CDTRREF", "CDTRREFTP", "CD", "SCOR", "ULTD",
               "ULTB", "PURP", "ID")
_SLASH = re.compile(r"/(" + "|".join(sorted(_SLASH_KEYS, key=len, reverse=True)) + r")/")
_TAG = re.compile(r"^:(\d{2}[A-Z]?):")
_LINE_61 = re.compile(r"^\d{6}(\d{4})?R?[CD]R?[A-Z]?\d+,\d*")
_REQUIRED = ("20", "25", "60F")


def _slash_fields(text: str) -> dict[str, str]:
    """``/NAME/COHO WINERY/REMI/INVOICE 103012/`` -> {NAME: ..., REMI: ...}."""
    found: dict[str, str] = {}
    parts = _SLASH.split(text)
    # parts: [before, key1, value1, key2, value2, ...]
    for index in range(1, len(parts) - 1, 2):
        key, value = parts[index], parts[index + 1].strip("/")
        if key in ("BENM", "ORDP"):  # a party block: /ORDP//NAME/x/ - its fields follow
            continue
        found.setdefault(key, clean(value))
    return found


def _line_of(tag_line: int, transaction: Any) -> StatementLine:
    data: dict[str, Any] = transaction.data
    where = f"line {tag_line}"
    value: Decimal = data["amount"].amount
    status = str(data.get("status") or "")
    credit = status in ("C", "RD")  # RD: reversal of a debit, money back in
    booked: date = data.get("entry_date") or data["date"]
    name = clean(data.get("applicant_name"))
    iban = clean(data.get("applicant_iban") or data.get("gvc_applicant_iban"))
    remittance = clean(data.get("purpose"))
    e2e = clean(data.get("end_to_end_reference"))
    details = data.get("transaction_details")
    if details and not remittance:
        text = clean(str(details).replace("\n", ""))
        fields = _slash_fields(text) if _SLASH.search(text) else {}
        if fields:
            name = name or fields.get("NAME", "")
            iban = iban or fields.get("IBAN", "")
            remittance = fields.get("REMI", "")
            e2e = e2e or fields.get("EREF", "")
        else:
            remittance = text
    if e2e == "NOTPROVIDED":
        e2e = ""
    iban = compact_iban(iban) if iban and is_iban(iban) else ""
    reference = clean(data.get("bank_reference"))
    extra = clean(data.get("extra_details"))
    if not reference and "//" in extra:  # a customer reference of 16 that ran on
        reference = extra.split("//", 1)[1]
    customer_ref = clean(data.get("customer_reference"))
    if not reference and customer_ref and customer_ref != "NONREF":
        reference = customer_ref
    return StatementLine(abs(value), credit, booked, data.get("date"), counterparty_name=name,
                         counterparty_iban=iban, remittance=remittance, end_to_end_id=e2e,
                         bank_reference=reference, currency=str(data.get("currency") or ""),
                         where=where)


def _balance(value: Any) -> Balance | None:
    if value is None:
        return None
    return Balance(value.amount.amount, value.date, str(value.amount.currency or ""))


def parse(data: bytes, *, limit: int | None = None,
          encodings: tuple[str, ...] = ("utf-8", "cp1252")) -> Statement:
    check_size(data, limit)
    text = decode(data, encodings, "MT940").replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") > MAX_LINES:
        raise BankFileError(f"The file has more than {MAX_LINES:,} lines; it was not read.")
    rows = text.split("\n")
    tags = [(m.group(1), number) for number, row in enumerate(rows, start=1)
            if (m := _TAG.match(row))]
    names = {name for name, _ in tags}
    for required in _REQUIRED:
        if required not in names:
            line = tags[0][1] if tags else 1
            raise BankFileError(f"This is not an MT940 statement: the :{required}: field is "
                                "missing.", where=f"line {line}")
    for name, line in tags:
        if name == "61":
            body = rows[line - 1][4:]
            if not _LINE_61.match(body):
                raise BankFileError(f"the :61: field {body[:30]!r} is not a statement line "
                                    "(date, C/D mark, amount with a comma).",
                                    where=f"line {line}")
    try:
        transactions = mt940.parse(text, options=mt940.Options(applicant_iban=True))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise BankFileError(f"The MT940 file cannot be read: {exc}.") from None
    line_numbers = [line for name, line in tags if name == "61"]
    lines = [_line_of(line_numbers[i] if i < len(line_numbers) else 0, t)
             for i, t in enumerate(transactions)]
    if len(lines) != len(line_numbers):
        raise BankFileError(f"{len(line_numbers)} :61: lines but {len(lines)} could be read; "
                            "the file is damaged.")
    header = transactions.data
    opening = _balance(header.get("final_opening_balance") or header.get("opening_balance"))
    closing = _balance(header.get("final_closing_balance") or header.get("closing_balance"))
    if "62F" not in names and "62M" not in names:
        raise BankFileError("the statement has no closing balance (:62F:); the file is "
                            "truncated.", where=f"line {text.count(chr(10)) + 1}")
    return Statement("mt940", tuple(lines), account=clean(header.get("account_identification")),
                     statement_id=clean(header.get("statement_number")), opening=opening,
                     closing=closing, currency=opening.currency if opening else "")

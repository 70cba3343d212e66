"""CAMT.053 (ISO 20022 Bank-to-Customer Statement), versions 001.02 to 001.13.

Read with defusedxml: a DTD (and so every entity, the billion laughs and external entities)
is refused outright, nothing is fetched. Elements are found by local name, so every version's
namespace reads alike; the shapes that changed between versions (the entry status, a party's
name under ``Pty`` from version 8 on) are both accepted.

Why not pycamt: it parses with lxml into dictionaries that drop the structured remittance and
the per-transaction bank references of batch entries, and it names no element when an entry is
malformed; this reader is about the size of the glue its output would need.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.domain.bank import Balance, Statement, StatementLine, compact_iban
from app.io.bank.common import BankFileError, amount, check_size, clean, iso_date

_VERSION = re.compile(r"camt\.053\.001\.(\d+)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _text(element: ET.Element | None, *path: str) -> str:
    found = _child(element, *path)
    return clean(found.text) if found is not None else ""


def parse_xml(data: bytes, what: str) -> ET.Element:
    """The root element of an untrusted XML file: no DTD, no entities, nothing fetched."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True,
                          forbid_external=True)
    except DefusedXmlException as exc:
        raise BankFileError(f"The {what} file declares a DTD or entities "
                            f"({type(exc).__name__}); bank files never need one, so it "
                            "was not read.", where="line 1") from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0].replace("not well-formed ", "").strip("()")
        raise BankFileError(f"the {what} file is not well-formed XML: {reason} at column "
                            f"{column + 1} (a wrong encoding or a truncated file?).",
                            where=f"line {line}") from None


def _amount_of(element: ET.Element | None, where: str) -> tuple[Decimal, str]:
    if element is None or not (element.text or "").strip():
        raise BankFileError("Amt is missing.", where=where)
    return amount(element.text or "", f"{where}/Amt"), element.get("Ccy", "")


def _balance(element: ET.Element, where: str) -> tuple[str, Balance]:
    code = _text(element, "Tp", "CdOrPrtry", "Cd") or _text(element, "Tp", "CdOrPrtry",
                                                            "Prtry")
    value, currency = _amount_of(_child(element, "Amt"), where)
    if _text(element, "CdtDbtInd") == "DBIT":
        value = -value
    day = _text(element, "Dt", "Dt") or _text(element, "Dt", "DtTm")
    return code, Balance(value, iso_date(day, f"{where}/Dt") if day else None, currency)


def _party_name(party: ET.Element | None) -> str:
    """Name of a party (``Dbtr/Nm``, or ``Dbtr/Pty/Nm`` from version 8)."""
    return _text(party, "Nm") or _text(party, "Pty", "Nm")


def _account_id(account: ET.Element | None) -> str:
    iban = _text(account, "Id", "IBAN")
    return compact_iban(iban) if iban else _text(account, "Id", "Othr", "Id")


def _lines_of_entry(entry: ET.Element, where: str) -> list[StatementLine]:
    status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
    if status and status not in ("BOOK", "BOOKED"):
        return []  # pending or information-only entries are not bookings yet
    total, currency = _amount_of(_child(entry, "Amt"), where)
    indicator = _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise BankFileError(f"CdtDbtInd must be CRDT or DBIT, not {indicator!r}.",
                            where=f"{where}/CdtDbtInd")
    credit = indicator == "CRDT"
    if _text(entry, "RvslInd").lower() == "true":
        credit = not credit  # a reversal of a credit takes the money out again
    booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")
    if not booked:
        raise BankFileError("BookgDt is missing.", where=where)
    booking_date = iso_date(booked, f"{where}/BookgDt")
    valued = _text(entry, "ValDt", "Dt") or _text(entry, "ValDt", "DtTm")
    value_date = iso_date(valued, f"{where}/ValDt") if valued else None
    entry_ref = _text(entry, "AcctSvcrRef")
    details = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
    if not details:
        return [StatementLine(total, credit, booking_date, value_date, bank_reference=entry_ref,
                              currency=currency, where=where)]
    lines = []
    for index, tx in enumerate(details, start=1):
        tx_where = f"{where}/TxDtls[{index}]" if len(details) > 1 else where
        tx_amount = _child(tx, "Amt") or _child(tx, "AmtDtls", "TxAmt", "Amt")
        if tx_amount is not None:
            value, tx_currency = _amount_of(tx_amount, tx_where)
        elif len(details) == 1:
            value, tx_currency = total, currency
        else:
            raise BankFileError("a transaction of a batch entry has no amount.",
                                where=tx_where)
        parties = _child(tx, "RltdPties")
        side = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        remittance = _child(tx, "RmtInf")
        structured = [
            t for s in _children(remittance, "Strd")
            for t in (_text(s, "CdtrRefInf", "Ref"),
                      *(_text(d, "Nb") for d in _children(s, "RfrdDocInf"))) if t]
        reference = _text(tx, "Refs", "AcctSvcrRef") or (
            f"{entry_ref}/{index}" if entry_ref and len(details) > 1 else entry_ref)
        e2e = _text(tx, "Refs", "EndToEndId")
        lines.append(StatementLine(
            value, credit, booking_date, value_date,
            counterparty_name=_party_name(_child(parties, side[0])),
            counterparty_iban=_account_id(_child(parties, side[1])),
            remittance=" ".join(_text(u) for u in _children(remittance, "Ustrd")).strip(),
            structured_remittance=" ".join(structured),
            end_to_end_id="" if e2e == "NOTPROVIDED" else e2e,
            bank_reference=reference, currency=tx_currency or currency, where=tx_where))
    return lines


def parse(data: bytes, *, limit: int | None = None) -> Statement:
    check_size(data, limit)
    root = parse_xml(data, "CAMT.053")
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    match = _VERSION.search(namespace)
    if _local(root.tag) != "Document" or not match:
        raise BankFileError(f"This is not a CAMT.053 statement: the root element is "
                            f"{_local(root.tag)!r} in namespace {namespace or 'none'!r}.",
                            where="Document")
    if int(match.group(1)) < 2:
        raise BankFileError(f"CAMT.053 version 001.{match.group(1)} is not supported "
                            "(001.02 and later are).", where="Document")
    report = _child(root, "BkToCstmrStmt")
    statements = _children(report, "Stmt")
    if not statements:
        raise BankFileError("the file holds no statement (BkToCstmrStmt/Stmt).",
                            where="Document/BkToCstmrStmt")
    lines: list[StatementLine] = []
    opening = closing = None
    account = statement_id = currency = ""
    for s_index, stmt in enumerate(statements, start=1):
        s_where = f"Stmt[{s_index}]" if len(statements) > 1 else "Stmt"
        account = account or _account_id(_child(stmt, "Acct"))
        currency = currency or _text(stmt, "Acct", "Ccy")
        statement_id = statement_id or _text(stmt, "Id")
        for b_index, element in enumerate(_children(stmt, "Bal"), start=1):
            code, balance = _balance(element, f"{s_where}/Bal[{b_index}]")
            if code in ("OPBD", "PRCD") and opening is None:
                opening = balance
            elif code in ("CLBD",):
                closing = balance
        for e_index, entry in enumerate(_children(stmt, "Ntry"), start=1):
            lines.extend(_lines_of_entry(entry, f"{s_where}/Ntry[{e_index}]"))
    return Statement("camt053", tuple(lines), account=account, statement_id=statement_id,
                     opening=opening, closing=closing, currency=currency)

"""OFX bank statements: 1.x (SGML, leaf elements without end tags) and 2.x (XML).

Why no library: ofxtools is GPL-3.0 (unfit for a product shipped as installers) and ofxparse
(MIT) has been unmaintained since 2021 and reads SGML through BeautifulSoup. The part of OFX
a statement needs (STMTRS / CCSTMTRS: the account, the transactions, the ledger balance) is
small: 1.x is read by a tokenizer that closes leaf elements itself, 2.x through defusedxml
(no DTD, no entities), and both give the same element tree.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.bank import Balance, Statement, StatementLine
from app.io.bank.camt053 import _local, parse_xml
from app.io.bank.common import BankFileError, amount, check_size, clean, decode

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9_.]+)>([^<]*)")
_CREDIT_TYPES = {"CREDIT", "DEP", "DIRECTDEP", "INT", "DIV", "XFER"}


@dataclass
class Node:
    name: str
    text: str = ""
    line: int = 0
    children: list[Node] = field(default_factory=list)

    def find(self, *path: str) -> Node | None:
        node: Node | None = self
        for name in path:
            node = next((c for c in node.children if c.name == name), None) if node else None
        return node

    def value(self, *path: str) -> str:
        node = self.find(*path)
        return clean(node.text) if node is not None else ""

    def all(self, name: str) -> list[Node]:
        """Every descendant of this name, in document order."""
        found = []
        for child in self.children:
            if child.name == name:
                found.append(child)
            found.extend(child.all(name))
        return found


def _sgml_tree(text: str) -> Node:
    start = text.find("<")
    if start < 0:
        raise BankFileError("the OFX file has no <OFX> element.", where="line 1")
    root = Node("#root")
    stack = [root]
    tokens = list(_TOKEN.finditer(text, start))
    offsets = [0]
    for m in re.finditer("\n", text):
        offsets.append(m.end())

    def line_of(position: int) -> int:
        low, high = 0, len(offsets)
        while low < high:
            mid = (low + high) // 2
            if offsets[mid] <= position:
                low = mid + 1
            else:
                high = mid
        return low

    skip_close: str | None = None
    for token in tokens:
        closing, name, rest = token.group(1), token.group(2).upper(), token.group(3)
        line = line_of(token.start())
        if closing:
            if skip_close == name:
                skip_close = None
                continue
            skip_close = None
            names = [n.name for n in stack]
            if name not in names[1:]:
                raise BankFileError(f"</{name}> closes an element that is not open.",
                                    where=f"line {line}")
            while stack[-1].name != name:
                stack.pop()  # leaf-like aggregates left open by a lenient writer
            stack.pop()
            continue
        skip_close = None
        value = html.unescape(rest).strip()
        node = Node(name, value, line)
        stack[-1].children.append(node)
        if value:
            skip_close = name  # a leaf: its end tag, if written, closes nothing else
        else:
            stack.append(node)
    if len(stack) > 1:
        raise BankFileError(f"the file ends inside <{stack[-1].name}> (opened on line "
                            f"{stack[-1].line}): it is truncated.",
                            where=f"line {text.count(chr(10)) + 1}")
    ofx = root.find("OFX")
    if ofx is None:
        raise BankFileError("the OFX file has no <OFX> element.", where="line 1")
    return ofx


def _xml_tree(data: bytes) -> Node:
    element = parse_xml(data, "OFX")

    def convert(e: object) -> Node:
        import xml.etree.ElementTree as ET

        assert isinstance(e, ET.Element)
        return Node(_local(e.tag).upper(), clean(e.text), 0, [convert(c) for c in e])

    root = convert(element)
    if root.name != "OFX":
        raise BankFileError(f"the root element is <{root.name}>, not <OFX>.", where="line 1")
    return root


def _ofx_date(text: str, where: str) -> date:
    raw = text.strip()[:8]
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise BankFileError(f"{text.strip()!r} is not an OFX date (YYYYMMDD...).",
                            where=where) from None


def _amount(text: str, where: str) -> Decimal:
    raw = text.strip()
    separator = "," if "," in raw and "." not in raw else "."
    return amount(raw, where, decimal_separator=separator)


def parse(data: bytes, *, limit: int | None = None) -> Statement:
    check_size(data, limit)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml"):
        ofx = _xml_tree(data)
    else:
        if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
            raise BankFileError("The OFX file declares a DTD or entities; bank files never "
                                "need one, so it was not read.", where="line 1")
        match = re.search(rb"CHARSET:(\S+)", data[:1024])
        charset = match.group(1).decode("ascii", "replace") if match else ""
        encodings = ("cp1252",) if charset in ("1252", "8859-1") else ("utf-8", "cp1252")
        ofx = _sgml_tree(decode(data, encodings, "OFX"))
    statements = ofx.all("STMTRS") + ofx.all("CCSTMTRS")
    if not statements:
        raise BankFileError("the OFX file holds no bank statement (STMTRS).",
                            where="OFX")
    lines: list[StatementLine] = []
    closing = None
    account = currency = ""
    for s_index, stmt in enumerate(statements, start=1):
        currency = currency or stmt.value("CURDEF")
        account = account or stmt.value("BANKACCTFROM", "ACCTID") or stmt.value(
            "CCACCTFROM", "ACCTID")
        for t_index, trn in enumerate(stmt.all("STMTTRN"), start=1):
            where = (f"STMTTRN[{t_index}] (line {trn.line})" if trn.line
                     else f"STMTTRN[{t_index}]")
            raw_amount = trn.value("TRNAMT")
            posted = trn.value("DTPOSTED")
            if not raw_amount:
                raise BankFileError("TRNAMT is missing.", where=where)
            if not posted:
                raise BankFileError("DTPOSTED is missing.", where=where)
            value = _amount(raw_amount, f"{where}/TRNAMT")
            kind = trn.value("TRNTYPE").upper()
            credit = value > 0 or (value == 0 and kind in _CREDIT_TYPES)
            name = trn.value("NAME") or trn.value("PAYEE", "NAME")
            memo = trn.value("MEMO")
            user = trn.value("DTUSER")
            lines.append(StatementLine(
                abs(value), credit, _ofx_date(posted, f"{where}/DTPOSTED"),
                _ofx_date(user, f"{where}/DTUSER") if user else None,
                counterparty_name=name, remittance=memo,
                structured_remittance=trn.value("REFNUM") or trn.value("CHECKNUM"),
                bank_reference=trn.value("FITID"), currency=trn.value("CURRENCY", "CURSYM")
                or currency, where=where))
        ledger = stmt.find("LEDGERBAL")
        if ledger is not None and ledger.value("BALAMT"):
            as_of = ledger.value("DTASOF")
            closing = Balance(_amount(ledger.value("BALAMT"), f"STMTRS[{s_index}]/LEDGERBAL"),
                              _ofx_date(as_of, "LEDGERBAL/DTASOF") if as_of else None, currency)
    # OFX gives the ledger balance after the lines only: no opening balance.
    return Statement("ofx", tuple(lines), account=account, closing=closing, currency=currency)

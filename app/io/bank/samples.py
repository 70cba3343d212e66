"""Statement files written from statement lines, in each format this package reads: for the
demo, the benchmark and the tests (what a bank would send, in its shape)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from app.domain.bank import Statement, StatementLine


def camt053(statement: Statement, version: str = "02") -> bytes:
    lines = statement.lines
    opening = statement.opening.amount if statement.opening else Decimal("0.00")
    closing = opening + statement.net()
    first = min((x.booking_date for x in lines), default=None)
    last = max((x.booking_date for x in lines), default=None)
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
           f'tech:xsd:camt.053.001.{version}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId>'
           f'<CreDtTm>{last}T18:00:00</CreDtTm></GrpHdr><Stmt><Id>{statement.statement_id or "S1"}'
           f'</Id><Acct><Id><IBAN>{statement.account}</IBAN></Id><Ccy>EUR</Ccy></Acct>']
    for code, value, day in (("OPBD", opening, first), ("CLBD", closing, last)):
        out.append(f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">'
                   f'{abs(value)}</Amt><CdtDbtInd>{"CRDT" if value >= 0 else "DBIT"}'
                   f'</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>')
    for x in lines:
        party = "Dbtr" if x.credit else "Cdtr"
        account = (f"<{party}Acct><Id><IBAN>{x.counterparty_iban}</IBAN></Id></{party}Acct>"
                   if x.counterparty_iban else "")
        name = f"<{party}><Nm>{escape(x.counterparty_name)}</Nm></{party}>" \
            if x.counterparty_name else ""
        remittance = f"<Ustrd>{escape(x.remittance)}</Ustrd>" if x.remittance else ""
        if x.structured_remittance:
            remittance += (f"<Strd><CdtrRefInf><Ref>{escape(x.structured_remittance)}</Ref>"
                           "</CdtrRefInf></Strd>")
        e2e = f"<EndToEndId>{escape(x.end_to_end_id)}</EndToEndId>" if x.end_to_end_id else ""
        out.append(
            f'<Ntry><Amt Ccy="EUR">{x.amount}</Amt><CdtDbtInd>{"CRDT" if x.credit else "DBIT"}'
            f'</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{x.booking_date}</Dt></BookgDt>'
            f'<ValDt><Dt>{x.value_date or x.booking_date}</Dt></ValDt>'
            f'<AcctSvcrRef>{escape(x.bank_reference)}</AcctSvcrRef><NtryDtls><TxDtls>'
            f'<Refs>{e2e}</Refs><RltdPties>{name}{account}</RltdPties>'
            f'<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>')
    out.append("</Stmt></BkToCstmrStmt></Document>\n")
    return "\n".join(out).encode("utf-8")


def _mt_amount(value: Decimal) -> str:
    return f"{abs(value):.2f}".replace(".", ",")


def mt940(statement: Statement) -> bytes:
    """German layout: ``:86:`` with ?20.. remittance, ?31 IBAN, ?32 name."""
    lines = statement.lines
    opening = statement.opening.amount if statement.opening else Decimal("0.00")
    closing = opening + statement.net()
    first = min(x.booking_date for x in lines)
    last = max(x.booking_date for x in lines)
    out = [":20:STARTUMSE", f":25:{statement.account}", ":28C:00001/001",
           f":60F:{'C' if opening >= 0 else 'D'}{first:%y%m%d}EUR{_mt_amount(opening)}"]
    for x in lines:
        ref = f"NONREF//{x.bank_reference}" if x.bank_reference else "NONREF"
        out.append(f":61:{x.booking_date:%y%m%d}{x.booking_date:%m%d}{'C' if x.credit else 'D'}"
                   f"{_mt_amount(x.amount)}NTRF{ref}")
        text = x.remittance.replace("?", " ")
        chunks = [text[i:i + 27] for i in range(0, min(len(text), 27 * 10), 27)] or [""]
        fields = "".join(f"?{20 + i}{c}" for i, c in enumerate(chunks))
        name = x.counterparty_name.replace("?", " ")
        info = f"166?00GUTSCHRIFT{fields}"
        if x.counterparty_iban:
            info += f"?31{x.counterparty_iban}"
        if name:
            info += f"?32{name[:27]}" + (f"?33{name[27:54]}" if len(name) > 27 else "")
        out.append(f":86:{info}")
    out.append(f":62F:{'C' if closing >= 0 else 'D'}{last:%y%m%d}EUR{_mt_amount(closing)}")
    out.append("-")
    return ("\r\n".join(out) + "\r\n").encode("cp1252", "replace")


def ofx(statement: Statement) -> bytes:
    """OFX 1.02 SGML."""
    closing = (statement.opening.amount if statement.opening else Decimal("0.00")) + \
        statement.net()
    out = ["OFXHEADER:100", "DATA:OFXSGML", "VERSION:102", "SECURITY:NONE", "ENCODING:USASCII",
           "CHARSET:1252", "COMPRESSION:NONE", "OLDFILEUID:NONE", "NEWFILEUID:NONE", "",
           "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>EUR",
           f"<BANKACCTFROM><BANKID>1<ACCTID>{statement.account}<ACCTTYPE>CHECKING</BANKACCTFROM>",
           "<BANKTRANLIST>"]
    for x in statement.lines:
        sign = "" if x.credit else "-"
        memo = escape(" ".join(t for t in (x.structured_remittance, x.remittance) if t))
        out.append(f"<STMTTRN><TRNTYPE>{'CREDIT' if x.credit else 'DEBIT'}<DTPOSTED>"
                   f"{x.booking_date:%Y%m%d}<TRNAMT>{sign}{x.amount}<FITID>{x.bank_reference}"
                   f"<NAME>{escape(x.counterparty_name[:32])}<MEMO>{memo}</STMTTRN>")
    out.append(f"</BANKTRANLIST><LEDGERBAL><BALAMT>{closing}<DTASOF>20261231</LEDGERBAL>")
    out.append("</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")
    return "\r\n".join(out).encode("cp1252", "replace")


def csv(statement: Statement) -> bytes:
    """A German bank's CSV: semicolons, comma decimals, dd.mm.yyyy, cp1252."""
    out = ["Buchungstag;Valuta;Auftraggeber/Empfänger;IBAN;Verwendungszweck;Betrag;Referenz"]
    for x in statement.lines:
        value = f"{'' if x.credit else '-'}{x.amount:.2f}".replace(".", ",")
        text = " ".join(t for t in (x.structured_remittance, x.remittance) if t)
        cells = [f"{x.booking_date:%d.%m.%Y}", f"{x.booking_date:%d.%m.%Y}",
                 x.counterparty_name, x.counterparty_iban, text, value, x.bank_reference]
        out.append(";".join('"' + c.replace('"', '""') + '"' for c in cells))
    return ("\r\n".join(out) + "\r\n").encode("cp1252", "replace")


WRITERS = {"camt053": camt053, "mt940": mt940, "ofx": ofx, "csv": csv}


def write(statement: Statement, fmt: str) -> bytes:
    return WRITERS[fmt](statement)


def statement_of(lines: Sequence[StatementLine], account: str = "DE02120300000000202051",
                 opening: Decimal = Decimal("1000.00")) -> Statement:
    from app.domain.bank import Balance

    return Statement("camt053", tuple(lines), account=account,
                     opening=Balance(opening, None, "EUR"))

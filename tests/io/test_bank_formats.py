"""Bank statement readers: each format on real-world-shaped samples (golden values), and
hostile or broken files refused with a message naming the line or element."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.bank import format_iban, iban_problem, is_iban, make_iban
from app.io.bank import BankFileError, CsvProfile, csv_format, detect_format, read_statement

SAMPLES = Path(__file__).parent / "bank_samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def summary(name: str) -> list[tuple[object, ...]]:
    s = read_statement(sample(name))
    return [(line.credit, str(line.amount), line.booking_date.isoformat(),
             line.counterparty_name, line.counterparty_iban, line.remittance,
             line.structured_remittance, line.bank_reference, line.end_to_end_id)
            for line in s.lines]


def test_camt053_v02_entries_batch_and_balances() -> None:
    s = read_statement(sample("camt053_v02.xml"))
    assert s.format == "camt053" and s.account == "DE02120300000000202051"
    assert s.opening is not None and s.opening.amount == Decimal("10000.00")
    assert s.closing is not None and s.closing.amount == Decimal("12605.30")
    assert s.is_complete() is True
    assert summary("camt053_v02.xml") == [
        (True, "2450.00", "2026-12-02", "Adatum Corporation", "DE89370400440532013000",
         "Invoice 103004 thank you", "", "2026120200001234", "INV-103004-PAY"),
        (False, "300.00", "2026-12-02", "Office Supplies GmbH", "", "Order 5531", "",
         "2026120200001235", ""),
        (True, "200.00", "2026-12-02", "Trey Research", "", "", "RF18539007547034",
         "B-1236-1", ""),
        (True, "255.30", "2026-12-02", "Coho Winery", "", "", "103012", "B-1236-2", ""),
    ]
    assert s.lines[0].value_date == date(2026, 12, 2)


def test_camt053_v08_party_under_pty_datetime_and_pending_skipped() -> None:
    s = read_statement(sample("camt053_v08.xml"))
    assert s.opening is not None and s.opening.amount == Decimal("-500.00")  # DBIT balance
    assert s.is_complete() is True
    assert summary("camt053_v08.xml") == [
        (True, "1120.00", "2026-12-02", "Alpine Ski House", "CH5604835012345678009",
         "Rechnungen 103010 103029", "", "CH-77120", "E2E-77120")]


def test_mt940_german_subfields_golden() -> None:
    s = read_statement(sample("mt940_sparkasse.sta"))
    assert s.format == "mt940" and s.account == "50050201/0123456789"
    assert s.is_complete() is True
    assert summary("mt940_sparkasse.sta") == [
        (True, "1502.40", "2026-12-01", "ADATUM CORPORATION", "DE89370400440532013000",
         "RE 103004 UND 103007 DANKE", "", "", "E2E-2026-000871"),
        (False, "89.90", "2026-12-01", "STADTWERKE FRANKFURT", "", "Stromrechnung Dezember",
         "", "", ""),
        (True, "250.00", "2026-12-02", "Trey Research", "DE44500105175407324931",
         "Anzahlung ohne Rechnung", "", "BANKREF-77", ""),
    ]
    assert [line.where for line in s.lines] == ["line 5", "line 7", "line 9"]


def test_mt940_swift_slash_layout_golden() -> None:
    s = read_statement(sample("mt940_swift.sta"))
    assert s.account == "NL91ABNA0417164300" and s.is_complete() is True
    assert summary("mt940_swift.sta") == [
        (True, "1000.00", "2026-12-02", "COHO WINERY", "GB29NWBK60161331926819",
         "INVOICE 103012", "", "FT26336XYZ01", ""),
        (False, "120.50", "2026-12-02", "", "", "BANK CHARGES NOVEMBER", "", "FT26336CHG02",
         ""),
    ]


def test_ofx1_sgml_and_ofx2_xml() -> None:
    s = read_statement(sample("ofx1_sgml.ofx"))
    assert s.format == "ofx" and s.account == "4455667788" and s.currency == "USD"
    assert s.closing is not None and s.closing.amount == Decimal("5867.24")
    assert s.opening is None  # OFX gives no opening balance
    assert summary("ofx1_sgml.ofx") == [
        (True, "812.25", "2026-12-01", "NORTHWIND TRADERS", "", "INV 103010 & 103030", "",
         "20261201-0001", ""),
        (False, "45.00", "2026-12-01", "MONTHLY FEE", "", "", "", "20261201-0002", ""),
        (True, "99.99", "2026-12-02", "Tailspin Toys", "", "On account", "", "20261202-0001",
         ""),
    ]
    assert summary("ofx2_xml.ofx") == [
        (True, "1500.00", "2026-12-02", "Litware Inc.", "", "Payment invoice 103009", "",
         "X-1", ""),
        (False, "20.00", "2026-12-02", "Cheque 1001", "", "", "1001", "X-2", ""),
    ]


def test_csv_sniffed_comma_decimal_cp1252_and_identical_rows_kept() -> None:
    data = sample("csv_sparkasse_cp1252.csv")
    profile = csv_format.sniff(data, "Sparkasse")
    assert (profile.encoding, profile.delimiter, profile.decimal_separator,
            profile.thousands_separator, profile.date_format, profile.skip_rows) == (
        "cp1252", ";", ",", ".", "%d.%m.%Y", 3)
    assert profile.columns["counterparty_name"] == "Auftraggeber/Empfänger"
    s = read_statement(data, "csv", profile=profile)
    assert [(line.credit, str(line.amount)) for line in s.lines] == [
        (True, "1234.56"), (False, "49.99"), (True, "88.00"), (True, "88.00")]
    assert s.lines[0].counterparty_iban == "DE75512108001245126199"
    assert CsvProfile.from_json(profile.to_json()) == profile


def test_csv_separate_columns_by_number_and_indicator() -> None:
    data = b"2026-12-01,Contoso,100.00,,R1\n2026-12-02,Shop,,25.50,R2\n"
    profile = CsvProfile(delimiter=",", has_header=False, sign="separate", columns={
        "booking_date": "#1", "counterparty_name": "#2", "credit_amount": "#3",
        "debit_amount": "#4", "bank_reference": "#5"})
    s = read_statement(data, "csv", profile=profile)
    assert [(line.credit, str(line.amount), line.bank_reference) for line in s.lines] == [
        (True, "100.00", "R1"), (False, "25.50", "R2")]
    data = b"Datum;Betrag;S/H\n01.12.2026;10,00;H\n01.12.2026;5,00;S\n"
    profile = csv_format.sniff(data)
    assert profile.sign == "indicator"
    s = read_statement(data, "csv", profile=profile)
    assert [line.credit for line in s.lines] == [True, False]


def test_csv_errors_name_the_line() -> None:
    data = b"Date;Amount\n2026-12-01;10.00\n2026-13-01;5.00\n"
    with pytest.raises(BankFileError, match=r"^line 3: '2026-13-01' is not a date"):
        read_statement(data, "csv")
    data = b"Date;Amount\n2026-12-01;ten\n"
    with pytest.raises(BankFileError, match=r"^line 2: 'ten' is not an amount"):
        read_statement(data, "csv")
    profile = CsvProfile(columns={"booking_date": "When", "amount": "Amount"})
    with pytest.raises(BankFileError, match=r"line 1: there is no column 'When'"):
        read_statement(b"Date;Amount\n2026-12-01;1.00\n", "csv", profile=profile)
    rows, problem = csv_format.preview(b"Date;Amount\n2026-12-01;x\n", csv_format.sniff(
        b"Date;Amount\n2026-12-01;1.00\n"))
    assert rows == [] and problem == "line 2: 'x' is not an amount."


def test_detect_format() -> None:
    assert [detect_format(sample(n)) for n in (
        "camt053_v02.xml", "mt940_sparkasse.sta", "mt940_swift.sta", "ofx1_sgml.ofx",
        "ofx2_xml.ofx", "csv_sparkasse_cp1252.csv")] == [
        "camt053", "mt940", "mt940", "ofx", "ofx", "csv"]


# --- hostile and broken files ----------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-01</Dt>
</BookgDt><AcctSvcrRef>&xxe;</AcctSvcrRef></Ntry></Stmt></BkToCstmrStmt></Document>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol3;</Document>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_xml_with_dtd_or_entities_refused(data: bytes) -> None:
    with pytest.raises(BankFileError, match=r"^line 1: The CAMT.053 file declares a DTD"):
        read_statement(data)


def test_ofx_xml_and_sgml_with_entities_refused() -> None:
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE OFX [<!ENTITY x SYSTEM "http://x/">]><OFX>&x;</OFX>'
    with pytest.raises(BankFileError, match="declares a DTD"):
        read_statement(xml, "ofx")
    sgml = b"OFXHEADER:100\n<!ENTITY x 'y'>\n<OFX></OFX>"
    with pytest.raises(BankFileError, match="declares a DTD"):
        read_statement(sgml, "ofx")


def test_truncated_files_refused_naming_where() -> None:
    data = sample("camt053_v02.xml")
    with pytest.raises(BankFileError, match=r"^line \d+: the CAMT.053 file is not well-formed"):
        read_statement(data[: len(data) // 2])
    data = sample("mt940_sparkasse.sta")
    with pytest.raises(BankFileError, match=r"no closing balance \(:62F:\); the file is "
                                            "truncated"):
        read_statement(data[: data.index(b":62F:")])
    data = sample("ofx1_sgml.ofx")
    with pytest.raises(BankFileError, match=r"the file ends inside <BANKTRANLIST> \(opened "
                                            r"on line 15\): it is truncated"):
        read_statement(data[: data.index(b"</BANKTRANLIST>")])


def test_malformed_elements_named() -> None:
    data = sample("camt053_v02.xml").replace(b"<Amt Ccy=\"EUR\">300.00</Amt>",
                                             b"<Amt Ccy=\"EUR\">3OO.00</Amt>")
    with pytest.raises(BankFileError, match=r"^Stmt/Ntry\[2\]/Amt: '3OO.00' is not an amount"):
        read_statement(data)
    data = sample("camt053_v02.xml").replace(b"<BookgDt><Dt>2026-12-02</Dt></BookgDt><ValDt>"
                                             b"<Dt>2026-12-03</Dt>", b"<ValDt><Dt>2026-12-03</Dt>")
    with pytest.raises(BankFileError, match=r"^Stmt/Ntry\[3\]: BookgDt is missing"):
        read_statement(data)
    with pytest.raises(BankFileError, match=r"not a CAMT.053 statement: the root element is "
                                            "'Document' in namespace .*camt.054"):
        read_statement(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>',
                       "camt053")
    data = sample("mt940_sparkasse.sta").replace(b":61:2612011201DR89,90", b":61:26120X1201DR89")
    with pytest.raises(BankFileError, match=r"^line 7: the :61: field .* is not a statement "
                                            "line"):
        read_statement(data)
    data = sample("ofx2_xml.ofx").replace(b"<TRNAMT>1500.00</TRNAMT>", b"")
    with pytest.raises(BankFileError, match=r"^STMTTRN\[1\]: TRNAMT is missing"):
        read_statement(data)


def test_wrong_encoding_and_binary() -> None:
    data = "Date;Amount;Name\n2026-12-01;1.00;Müller\n".encode("cp1252")
    profile = CsvProfile(encoding="utf-8", columns={"booking_date": "Date", "amount": "Amount"})
    with pytest.raises(BankFileError, match=r"^line 2: the text is not valid utf-8"):
        read_statement(data, "csv", profile=profile)
    utf16 = sample("mt940_sparkasse.sta").decode("latin-1").encode("utf-16-le")
    with pytest.raises(BankFileError, match="binary data"):
        read_statement(utf16, "mt940")
    camt = sample("camt053_v02.xml").replace(b"Adatum Corporation", "Adatum Größe".encode(
        "latin-1"))
    with pytest.raises(BankFileError, match=r"^line 26: the CAMT.053 file is not well-formed XML: "
                                            "invalid token"):
        read_statement(camt)


def test_huge_file_refused_before_reading() -> None:
    with pytest.raises(BankFileError, match=r"has 2,001 bytes, more than the 2,000"):
        read_statement(b"x" * 2001, "csv", limit=2000)


def test_iban_check() -> None:
    assert is_iban("DE89 3704 0044 0532 0130 00")
    assert iban_problem("DE89370400440532013001") is not None
    assert "22 characters" in (iban_problem("DE8937040044053201300") or "")
    assert "not an IBAN" in (iban_problem("hello") or "")
    assert format_iban("gb29nwbk60161331926819") == "GB29 NWBK 6016 1331 9268 19"
    assert is_iban(make_iban("DE", "370400440532013000"))

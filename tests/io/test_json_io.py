"""JSON export and import: Business Central shapes, the round trip, validation of everything
first, each error naming its record and field, and nothing written when anything is wrong."""

from __future__ import annotations

import copy
import json
import os
import stat
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import Database, open_database
from app.domain.errors import Invalid, NotFound
from app.domain.money import MAX_AMOUNT, to_json_number
from app.domain.schemas import CompanyCreate, CompanyRead
from app.io import json_io
from app.io.json_io import FileFormatError
from app.services import companies, importing, journals, number_series, payments
from app.services.importing import ImportRejected
from tests.helpers import counts, dump

IDS_AND_STAMPS = ("id", "@odata.etag", "lastModifiedDateTime")
REFERENCE_IDS = ("journalId", "customerId", "balancingAccountId", "receivablesAccountId",
                 "appliesToInvoiceId")


def normalised(document: Any) -> Any:
    """The content, ids and timestamps and etags aside."""
    if isinstance(document, dict):
        return {k: normalised(v) for k, v in document.items()
                if k not in IDS_AND_STAMPS + REFERENCE_IDS}
    if isinstance(document, list):
        return [normalised(v) for v in document]
    return document


def through_text(document: dict[str, Any]) -> Any:
    """What a reader of the file gets: the JSON text, read back with exact amounts."""
    return json.loads(json_io.dumps(document), parse_float=Decimal)


_import_document = json_io.import_document


@pytest.fixture(autouse=True, params=["whole", "streamed"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every import test runs twice: the document as it is, and as text read as a stream
    (``import_text``: the path a file takes), which must give the same results and messages."""
    if request.param == "streamed":
        def streamed(db: Database, document: Any, **where: Any) -> importing.ImportSummary:
            try:
                text = json_io.dumps(document)
            except (TypeError, ValueError):  # not JSON-writable as it is: the whole path
                return _import_document(db, document, **where)
            return json_io.import_text(db, text, **where)

        monkeypatch.setattr(json_io, "import_document", streamed)
    return str(request.param)


@pytest.fixture
def exported(db: Database, demo: CompanyRead) -> dict[str, Any]:
    return through_text(json_io.export_document(db, demo.id))


def new_company(name: str = "Copy Ltd") -> CompanyCreate:
    return CompanyCreate(name=name)


def rejected(db: Database, document: Any, **where: Any) -> list[str]:
    """Import, expect a refusal that wrote nothing, return the problem messages."""
    before = dump(db)
    with pytest.raises(ImportRejected) as err:
        json_io.import_document(db, document, **where)
    assert dump(db) == before
    headline, *problems = [e.message for e in err.value.errors]
    assert headline.endswith("nothing was written.")
    return problems


# --- export --------------------------------------------------------------------------------

def test_export_shape(db: Database, demo: CompanyRead) -> None:
    text = json_io.dumps(json_io.export_document(db, demo.id))
    document = json.loads(text, parse_float=Decimal)
    # Master data first, in dependency order, journals last: an import streams the file.
    assert list(document) == ["accounts", "numberSeries", "customers", "salesInvoices", "value"]
    assert [j["code"] for j in document["value"]] == ["BANK", "CASH"]
    bank = document["value"][0]
    assert bank["@odata.type"] == "#microsoft.graph.customerPaymentJournal"
    assert bank["@odata.etag"] == 'W/"1"'
    assert bank["balancingAccountNumber"] == "2910"
    assert bank["numberSeriesCode"] == "GJNL-RCPT"
    assert datetime.fromisoformat(bank["lastModifiedDateTime"]).utcoffset() is not None
    lines = bank["customerPayments"]
    assert [line["lineNumber"] for line in lines] == [10000 * i for i in range(1, 8)]
    first = lines[0]
    assert first["@odata.type"] == "#microsoft.graph.customerPayment"
    assert first["journalId"] == bank["id"]
    assert first["journalDisplayName"] == "BANK"
    assert isinstance(first["amount"], Decimal | int)  # a JSON number, not a string
    assert first["amount"] < 0  # a receipt
    assert set(first) == {
        "@odata.type", "@odata.etag", "id", "lastModifiedDateTime", "journalId",
        "journalDisplayName", "lineNumber", "customerId", "customerNumber", "contactId",
        "postingDate", "documentNumber", "externalDocumentNumber", "amount",
        "appliesToInvoiceId", "appliesToInvoiceNumber", "description", "comment"}
    assert '"amount": "' not in text
    assert len(document["customers"]) == 20 and len(document["salesInvoices"]) == 50
    # The amounts in the file are exactly the amounts in the books.
    books = payments.list_all(db, demo.id, uuid.UUID(bank["id"]))
    assert [Decimal(line["amount"]) for line in lines] == [p.amount for p in books]


def test_export_journals_only_is_pure_bc_shape(db: Database, demo: CompanyRead) -> None:
    document = json_io.export_document(db, demo.id, journals_only=True)
    assert list(document) == ["value"]
    assert "numberSeriesCode" not in document["value"][0]
    assert set(document["value"][0]) == {"@odata.type", "@odata.etag", "id", "code",
                                         "displayName", "lastModifiedDateTime",
                                         "balancingAccountId", "balancingAccountNumber",
                                         "customerPayments"}


def test_export_of_an_empty_company(db: Database) -> None:
    company = companies.create(db, new_company("Empty"))
    assert json_io.export_document(db, company.id) == {
        "value": [], "accounts": [], "numberSeries": [], "customers": [], "salesInvoices": []}


def test_export_writes_only_the_named_company(db: Database, demo: CompanyRead) -> None:
    from app.services.demo import create_demo_company

    create_demo_company(db, "Second")
    document = json_io.export_document(db, demo.id)
    assert len(document["customers"]) == 20
    assert len(document["value"][0]["customerPayments"]) == 7


# --- round trip ----------------------------------------------------------------------------

def test_round_trip_into_an_empty_company_of_another_file(exported: dict[str, Any],
                                                          tmp_path: Path) -> None:
    other = open_database(tmp_path / "other.sqlite")
    try:
        summary = json_io.import_document(other, exported, new_company=new_company())
        assert summary.company_created
        assert (summary.journals, summary.payments) == (2, 7)
        assert summary.created == {"accounts": 9, "number series": 2, "customers": 20,
                                   "sales invoices": 50}
        again = through_text(json_io.export_document(other, summary.company.id))
    finally:
        other.close()
    assert normalised(again) == normalised(exported)
    # The ids are new ones: they belong to the other file.
    assert again["value"][0]["id"] != exported["value"][0]["id"]


def test_round_trip_into_an_empty_company_of_the_same_file(db: Database,
                                                           exported: dict[str, Any]) -> None:
    summary = json_io.import_document(db, exported, new_company=new_company())
    again = through_text(json_io.export_document(db, summary.company.id))
    assert normalised(again) == normalised(exported)
    assert summary.line() == (
        "Imported into Copy Ltd (new company): 2 journals, 7 payment lines; created "
        "9 accounts, 2 number series, 20 customers, 50 sales invoices.")


def test_the_series_is_not_used_up_by_an_import(db: Database, exported: dict[str, Any]) -> None:
    summary = json_io.import_document(db, exported, new_company=new_company())
    series = number_series.list_all(db, summary.company.id)
    assert [(s.code, s.last_number_used) for s in series] == [("GJNL-CASH", ""), ("GJNL-RCPT", "")]


def test_existing_master_data_is_used_as_is(db: Database, demo: CompanyRead,
                                            exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    for journal in document["value"]:
        journal["code"] = journal["code"] + "2"
        for line in journal["customerPayments"]:
            line["journalDisplayName"] = journal["code"]
    document["customers"][0]["displayName"] = "Not used: C10000 is already there"
    summary = json_io.import_document(db, document, company_id=demo.id)
    assert summary.created == {"accounts": 0, "number series": 0, "customers": 0,
                               "sales invoices": 0}
    assert summary.existing == {"accounts": 9, "number series": 2, "customers": 20,
                                "sales invoices": 50}
    assert "already there, used as is: 9 accounts, 2 number series, 20 customers, " \
           "50 sales invoices" in summary.line()
    assert [j.code for j in journals.list_all(db, demo.id)] == ["BANK", "BANK2", "CASH",
                                                                "CASH2"]
    from app.services import customers

    assert customers.list_all(db, demo.id)[0].display_name == "Adatum Corporation"


def test_a_journals_only_file_into_a_company_with_the_master_data(
        db: Database, demo: CompanyRead) -> None:
    document = through_text(json_io.export_document(db, demo.id, journals_only=True))
    document["value"] = [j for j in document["value"] if j["code"] == "BANK"]
    document["value"][0]["code"] = "BANK-COPY"
    for line in document["value"][0]["customerPayments"]:
        line.pop("journalDisplayName")
    summary = json_io.import_document(db, document, company_id=demo.id)
    assert (summary.journals, summary.payments) == (1, 7)
    copy_lines = payments.list_all(db, demo.id, journals.find_by_code(db, demo.id,
                                                                      "BANK-COPY").id)
    assert [p.document_number for p in copy_lines][:2] == ["G02001", "G02002"]


def test_ids_are_ignored_when_a_number_is_present(db: Database,
                                                  exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    line = document["value"][0]["customerPayments"][0]
    line["customerId"] = str(uuid.uuid4())  # from some other company
    line["appliesToInvoiceId"] = str(uuid.uuid4())
    document["value"][0]["balancingAccountId"] = str(uuid.uuid4())
    document["customers"][0]["receivablesAccountId"] = str(uuid.uuid4())
    document["salesInvoices"][0]["customerId"] = str(uuid.uuid4())
    summary = json_io.import_document(db, document, new_company=new_company())
    assert summary.payments == 7


def test_a_deep_insert_gets_the_line_defaults(db: Database) -> None:
    company = companies.create(db, CompanyCreate(name="Fresh", work_date="2026-05-04"))
    document = {
        "value": [{"code": "bank", "displayName": "Bank", "balancingAccountNumber": "2910",
                   "numberSeriesCode": "RCPT",
                   "customerPayments": [{"customerNumber": "C1", "amount": -10},
                                        {"customerNumber": "C1", "amount": -20.5}]}],
        "accounts": [{"number": "2910", "displayName": "Bank"}],
        "numberSeries": [{"code": "RCPT", "startingNumber": "R001"}],
        "customers": [{"number": "C1", "displayName": "Cust One"}],
    }
    json_io.import_document(db, through_text(document), company_id=company.id)
    journal = journals.find_by_code(db, company.id, "BANK")
    lines = payments.list_all(db, company.id, journal.id)
    assert [(p.line_number, p.document_number, str(p.posting_date), p.description, p.amount)
            for p in lines] == [
        (10000, "R001", "2026-05-04", "Cust One", Decimal("-10.00")),
        (20000, "R002", "2026-05-04", "Cust One", Decimal("-20.50")),
    ]


# --- validation: everything first, nothing written -----------------------------------------

def test_the_brief_example_message(db: Database, demo: CompanyRead,
                                   exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["value"].reverse()  # CASH first, BANK second
    document["value"][1]["customerPayments"][3]["amount"] = Decimal("-12.345")
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[1] (BANK).customerPayments[3] (line 40000): "
                        "amount: amount can have at most 2 decimals."]
    assert [c.name for c in companies.list_all(db)] == [demo.name]  # not even the company


def test_every_problem_is_reported_at_once(db: Database, demo: CompanyRead,
                                           exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    bank_lines = document["value"][0]["customerPayments"]
    bank_lines[0]["amount"] = "lots"
    bank_lines[1]["customerNumber"] = "C99999"
    bank_lines[1]["customerId"] = str(uuid.uuid4())
    bank_lines[2]["appliesToInvoiceNumber"] = "103002"  # another customer's invoice
    bank_lines[4]["externalDocumentNumber"] = "X" * 36
    document["accounts"][0]["accountType"] = "Sideways"
    problems = rejected(db, document, new_company=new_company())
    assert problems == [
        "accounts[0] (1000): accountType: accountType must be one of 'Posting', 'Heading', "
        "'Total', 'Begin-Total' or 'End-Total', not 'Sideways'.",
        "customerPaymentJournals[0] (BANK).customerPayments[0] (line 10000): amount: amount "
        "must be a number, not 'lots'.",
        "customerPaymentJournals[0] (BANK).customerPayments[4] (line 50000): "
        "externalDocumentNumber: The length of externalDocumentNumber is 36, but it must be "
        "less than or equal to 35 characters.",
        "customerPaymentJournals[0] (BANK).customerPayments[1] (line 20000): customerNumber: "
        "Customer C99999 does not exist.",
        "customerPaymentJournals[0] (BANK).customerPayments[2] (line 30000): "
        "appliesToInvoiceNumber: Sales invoice 103002 belongs to customer C10010, not to "
        "customer C10020.",
    ]


def test_an_invalid_customer_also_fails_its_lines(db: Database,
                                                  exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["customers"][0]["displayName"] = ""  # fails its schema
    document["customers"][1]["receivablesAccountNumber"] = "2910X"  # fails its reference
    problems = rejected(db, document, new_company=new_company())
    assert problems[:2] == [
        "customers[0] (C10000): displayName: displayName must have a value.",
        "customers[1] (C10010): receivablesAccountNumber: G/L Account 2910X does not exist."]
    # What names them is told why, not that they are missing.
    assert "salesInvoices[0] (103001): customerNumber: Customer C10000 is in the file but " \
           "could not be imported (see customers[0] (C10000))." in problems
    assert "salesInvoices[1] (103002): customerNumber: Customer C10010 is in the file but " \
           "could not be imported (see customers[1] (C10010))." in problems
    assert "customerPaymentJournals[0] (BANK).customerPayments[0] (line 10000): " \
           "appliesToInvoiceNumber: Sales invoice 103001 is in the file but could not be " \
           "imported (see salesInvoices[0] (103001))." in problems
    assert not any("does not exist" in p for p in problems[2:])


def test_a_paid_invoice_cannot_be_applied(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["salesInvoices"][0]["remainingAmount"] = 0
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[0] (BANK).customerPayments[0] (line 10000): "
                        "appliesToInvoiceNumber: Sales invoice 103001 is not open: it has been "
                        "paid."]


def test_a_customer_blocked_for_all(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    line = document["value"][0]["customerPayments"][0]
    line["appliesToInvoiceNumber"] = ""
    del line["appliesToInvoiceId"]
    line["customerNumber"] = "C10190"
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[0] (BANK).customerPayments[0] (line 10000): "
                        "customerNumber: You cannot enter a payment for customer C10190 "
                        "(Fourth Coffee) because the customer is blocked for All "
                        "transactions."]


def test_an_id_alone_from_another_company_is_not_found(db: Database,
                                                       exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    line = document["value"][0]["customerPayments"][0]
    line["customerNumber"] = ""
    line["appliesToInvoiceNumber"] = ""
    line["appliesToInvoiceId"] = "00000000-0000-0000-0000-000000000000"
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[0] (BANK).customerPayments[0] (line 10000): "
                        'customerId: The "customerId" does not match to a Customer.']


def test_duplicate_journal_codes_in_the_file(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["value"][1]["code"] = "bank"
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[1] (bank): code: The journal code BANK "
                        "appears twice in the file (also customerPaymentJournals[0] (BANK))."]


def test_journal_codes_already_in_the_company(db: Database, demo: CompanyRead,
                                              exported: dict[str, Any]) -> None:
    problems = rejected(db, exported, company_id=demo.id)
    assert problems == [
        "customerPaymentJournals[0] (BANK): code: A customer payment journal with the code "
        "BANK already exists.",
        "customerPaymentJournals[1] (CASH): code: A customer payment journal with the code "
        "CASH already exists.",
    ]


def test_duplicate_master_data_in_the_file(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["customers"].append(copy.deepcopy(document["customers"][2]))
    document["accounts"][1]["number"] = document["accounts"][0]["number"]
    problems = rejected(db, document, new_company=new_company())
    assert problems == [
        "accounts[1] (1000): number: G/L Account 1000 appears twice in the file (also "
        "accounts[0] (1000)).",
        "customers[20] (C10020): number: Customer C10020 appears twice in the file (also "
        "customers[2] (C10020)).",
    ]


def test_duplicate_line_numbers_in_a_journal(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["value"][0]["customerPayments"][1]["lineNumber"] = 10000
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[0] (BANK).customerPayments[1] (line 10000): "
                        "lineNumber: Line 10000 already exists in journal BANK."]


def test_a_bad_balancing_account(db: Database, exported: dict[str, Any]) -> None:
    document = copy.deepcopy(exported)
    document["value"][1]["balancingAccountNumber"] = "2310"
    problems = rejected(db, document, new_company=new_company())
    assert problems == ["customerPaymentJournals[1] (CASH): balancingAccountNumber: Direct "
                        "Posting must be equal to 'Yes' in G/L Account: No.=2310. Current "
                        "value is 'No'."]


def test_the_errors_are_capped(db: Database) -> None:
    company = companies.create(db, new_company("Capped"))
    lines = [{"amount": "1.001"} for _ in range(150)]
    problems = rejected(db, {"value": [{"code": "J", "customerPayments": lines}]},
                        company_id=company.id)
    assert len(problems) == importing.MAX_ERRORS + 1
    assert problems[-1] == "... and 50 more."


def test_a_company_that_cannot_be_created(db: Database) -> None:
    before = dump(db)
    with pytest.raises(ImportRejected) as err:
        json_io.import_document(db, {"value": []}, new_company=new_company("CRONUS Demo"))
        json_io.import_document(db, {"value": []}, new_company=new_company("CRONUS Demo"))
    assert dump(db) != before  # the first import made the company
    assert "company: name: A company named CRONUS Demo already exists." in \
        err.value.errors[1].message


# --- the shape of the file -----------------------------------------------------------------

@pytest.mark.parametrize("document", [
    [], "text", 3, {}, {"value": {}}, {"journals": []}, {"value": None},
])
def test_a_document_of_the_wrong_shape(db: Database, document: Any) -> None:
    with pytest.raises(FileFormatError) as err:
        json_io.parse_document(document)
    assert "does not hold customer payment journals" in err.value.message


def test_unknown_top_level_collections_are_refused(db: Database) -> None:
    with pytest.raises(FileFormatError) as err:
        json_io.parse_document({"value": [], "vendors": [], "@odata.context": "x"})
    assert err.value.message.startswith("The file has properties Ledgerdesk does not know: "
                                        "vendors")


def test_records_that_are_not_objects(db: Database) -> None:
    batch, problems = json_io.parse_document(
        {"value": [3, {"code": "J", "customerPayments": ["x"]},
                   {"code": "K", "customerPayments": 5}],
         "customers": {"number": "C1"}})
    assert [p.message for p in problems] == [
        "customers: must be a list.",
        "customerPaymentJournals[0]: must be a JSON object.",
        "customerPaymentJournals[1] (J).customerPayments[0]: must be a JSON object.",
        "customerPaymentJournals[2] (K): customerPayments: customerPayments must be a list.",
    ]
    assert [j.data.code for j in batch.journals] == ["J"]


def test_read_document_errors(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"value": [}')
    with pytest.raises(FileFormatError, match=r"bad.json is not valid JSON: Expecting value at "
                                              r"line 1, column 12\."):
        json_io.read_document(bad_json)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"value": [], "x": "café"}'.encode("latin-1"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        json_io.read_document(latin)
    with pytest.raises(FileNotFoundError):
        json_io.read_document(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError):
        json_io.read_document(tmp_path)


def test_read_document_amounts_are_decimals(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('\ufeff{"value": [], "n": 0.1, "big": 999999999999.99}', encoding="utf-8")
    document = json_io.read_document(path)
    assert document["n"] == Decimal("0.1") and document["big"] == Decimal("999999999999.99")


# --- writing files -------------------------------------------------------------------------

def test_export_to_file_is_private_and_complete(db: Database, demo: CompanyRead,
                                                tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    document = json_io.export_to_file(db, demo.id, path)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(document))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Nothing beside the export (the database file, on SQLite, is in the same folder).
    assert sorted(p.name for p in tmp_path.iterdir()
                  if not p.name.startswith("books.sqlite")) == ["out.json"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old")
    os.chmod(path, 0o644)
    json_io.write_atomically(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_litter(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.json"
    path.write_text("the previous export")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        json_io.write_atomically(path, "{" * 100_000)
    assert path.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(("where", "reason"), [
    ("folder", "is a folder, not a file"),
    ("missing/out.json", "the folder does not exist"),
])
def test_write_to_a_bad_place(tmp_path: Path, where: str, reason: str) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(OSError) as err:
        json_io.write_atomically(tmp_path / where, "{}")
    assert err.value.strerror == reason


def test_write_into_a_folder_that_refuses(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OSError) as err:
        json_io.write_atomically(tmp_path / "out.json", "{}")
    assert err.value.strerror == "cannot write in this folder (Permission denied)"
    assert err.value.filename == str(tmp_path)


# --- exact amounts, any amounts ------------------------------------------------------------

amounts = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(amounts, min_size=1, max_size=8))
def test_amounts_survive_export_and_import_exactly(db: Database,
                                                   values: list[Decimal]) -> None:
    name = f"H{uuid.uuid4().hex[:12]}"
    document = {"value": [{"code": "J", "customerPayments": [
        {"amount": to_json_number(v)} for v in values]}]}
    summary = json_io.import_document(db, through_text(document),
                                      new_company=new_company(name))
    exported = through_text(json_io.export_document(db, summary.company.id))
    assert [line["amount"] for line in exported["value"][0]["customerPayments"]] == values
    assert counts(db)["payment"] >= len(values)


def test_the_import_is_one_transaction(db: Database, exported: dict[str, Any],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure that is not the user's (a bug, a full disk) also leaves nothing behind."""
    calls = {"n": 0}
    real = payments.BatchLines.add

    def failing(self: payments.BatchLines, data: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(self, data)

    monkeypatch.setattr(payments.BatchLines, "add", failing)
    before = dump(db)
    with pytest.raises(RuntimeError):
        json_io.import_document(db, exported, new_company=new_company())
    assert dump(db) == before


def test_unknown_company(db: Database) -> None:
    with pytest.raises(NotFound):
        json_io.import_document(db, {"value": []}, company_id=uuid.uuid4())
    with pytest.raises(ValueError, match="either"):
        importing.run(db, importing.ImportBatch())
    with pytest.raises(Invalid):
        companies.the_only(db)


def test_dumps_writes_decimals_exactly_or_not_at_all() -> None:
    text = json_io.dumps({"a": Decimal("-913.90"), "b": Decimal("100.00"), "c": Decimal("0.1")})
    assert json.loads(text) == {"a": -913.9, "b": 100, "c": 0.1}
    assert '"a": -913.9,' in text
    with pytest.raises(ValueError, match="cannot be written exactly"):
        json_io.dumps({"a": Decimal("0.12345678901234567890")})
    with pytest.raises(TypeError):
        json_io.dumps({"a": Decimal("NaN")})


# --- the stream ----------------------------------------------------------------------------

def test_an_exported_file_is_streamed_not_read_whole(db: Database, demo: CompanyRead,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "books.json"
    json_io.export_to_file(db, demo.id, path)

    def whole(*_args: Any) -> Any:
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(json_io, "_loads", whole)
    summary = json_io.import_file(db, path, new_company=new_company())
    assert summary.payments > 0 and summary.created["sales invoices"] > 0


def test_a_file_in_another_order_gives_the_same_import(db: Database,
                                                       exported: dict[str, Any]) -> None:
    streamed = json_io.import_text(db, json_io.dumps(exported), new_company=new_company("A"))
    journals_first: dict[str, Any] = {"value": [
        {"customerPayments": j["customerPayments"],
         **{k: v for k, v in j.items() if k != "customerPayments"}}
        for j in exported["value"]]}
    journals_first.update((k, v) for k, v in reversed(exported.items()) if k != "value")
    whole = json_io.import_text(db, json_io.dumps(journals_first),
                                new_company=new_company("B"))
    assert whole.line().replace("into B", "into A") == streamed.line()
    assert normalised(json_io.export_document(db, whole.company.id)) == normalised(
        json_io.export_document(db, streamed.company.id))


def test_a_bad_record_deep_in_a_streamed_file_writes_nothing(db: Database,
                                                             exported: dict[str, Any]) -> None:
    exported["value"][0]["customerPayments"][-1]["amount"] = "lots"
    before = dump(db)
    with pytest.raises(ImportRejected) as err:
        json_io.import_text(db, json_io.dumps(exported), new_company=new_company())
    assert dump(db) == before
    last = len(exported["value"][0]["customerPayments"]) - 1
    assert any(f"customerPayments[{last}]" in e.message and "amount" in e.message
               for e in err.value.errors)

"""Every route and verb, with BC's statuses, ETags and error bodies; nothing written on error."""

from __future__ import annotations

import uuid
from datetime import date

from app.services import accounts, companies, journals, payments
from tests.api.conftest import Api, error_of
from tests.conftest import WORK_DATE


def _lines(api: Api, journal_id: uuid.UUID | None = None) -> list[payments.PaymentRead]:
    return payments.list_all(api.db, api.company_id, journal_id or api.bank_id)


def test_companies(api: Api) -> None:
    root = f"{api.server.url}api/v2.0/"
    listed = api.get(f"{root}companies")
    assert listed.status_code == 200
    body = listed.json()
    assert body["@odata.context"] == f"{root}$metadata#companies"
    (company,) = body["value"]
    version = companies.get(api.db, api.company_id).version
    assert company["id"] == str(api.company_id) and company["@odata.etag"] == f'W/"{version}"'
    one = api.get(f"{root}companies({api.company_id})")
    assert one.status_code == 200 and one.json()["name"] == "CRONUS Demo"
    assert one.headers["etag"] == company["@odata.etag"]
    posted = api.post(f"{root}companies", {"name": "X"})
    assert posted.status_code == 405 and error_of(posted)[0] == "BadRequest_MethodNotAllowed"
    missing = api.get(f"{root}companies({uuid.uuid4()})")
    assert missing.status_code == 404 and error_of(missing)[0] == "Internal_RecordNotFound"
    bad = api.get(f"{root}companies(not-a-guid)")
    assert bad.status_code == 400 and "must be a GUID" in error_of(bad)[1]


def test_master_data_is_read_only(api: Api) -> None:
    for name, key in (("accounts", "number"), ("customers", "number"),
                      ("salesInvoices", "number")):
        listed = api.get(f"{api.base}/{name}")
        assert listed.status_code == 200, listed.text
        values = listed.json()["value"]
        assert values and values == sorted(values, key=lambda v: v[key])
        first = values[0]
        one = api.get(f"{api.base}/{name}({first['id']})")
        assert one.status_code == 200 and one.json()[key] == first[key]
        for method in ("POST", "PATCH", "DELETE", "PUT"):
            response = api.client.request(method, f"{api.base}/{name}", json={})
            assert response.status_code == 405, (name, method)
            assert error_of(response)[0] == "BadRequest_MethodNotAllowed"
        missing = api.get(f"{api.base}/{name}({uuid.uuid4()})")
        assert missing.status_code == 404 and error_of(missing)[0] == "Internal_RecordNotFound"


def test_unknown_paths(api: Api) -> None:
    for path in ("api/v2.0/nothing", "api/v2.0/companies(" + str(api.company_id) + ")/items",
                 "api/v3.0/companies", "api/v2.0/companies/x/y", "other",
                 f"api/v2.0/companies({api.company_id})/customerPaymentJournals"
                 f"({api.bank_id})/lines"):
        response = api.get(f"{api.server.url}{path}")
        assert response.status_code == 404, path
        code, _message = error_of(response)
        assert code == "BadRequest_NotFound", path


def test_journal_create_read_update_delete_with_etags(api: Api) -> None:
    url = f"{api.base}/customerPaymentJournals"
    bank = accounts.list_direct_posting(api.db, api.company_id)[0]
    made = api.post(url, {"code": "new", "displayName": "New one",
                          "balancingAccountId": str(bank.id)})
    assert made.status_code == 201, made.text
    journal = made.json()
    assert journal["code"] == "NEW" and journal["balancingAccountNumber"] == bank.number
    assert journal["@odata.etag"] == 'W/"1"' and made.headers["etag"] == 'W/"1"'
    assert made.headers["location"] == f"{url}({journal['id']})"
    one = f"{url}({journal['id']})"
    assert api.get(one).json()["displayName"] == "New one"

    missing = api.patch(one, {"displayName": "No etag"}, None)
    assert missing.status_code == 400
    assert error_of(missing) == ("BadRequest_InvalidToken", error_of(missing)[1])
    assert "concurrency token" in error_of(missing)[1]
    garbled = api.patch(one, {"displayName": "Bad etag"}, "W/\"abc\"")
    assert garbled.status_code == 400 and error_of(garbled)[0] == "BadRequest_InvalidToken"

    changed = api.patch(one, {"displayName": "Renamed"}, journal["@odata.etag"])
    assert changed.status_code == 200 and changed.json()["displayName"] == "Renamed"
    assert changed.json()["@odata.etag"] == 'W/"2"'
    stale = api.patch(one, {"displayName": "Stale"}, journal["@odata.etag"])
    assert stale.status_code == 409
    assert error_of(stale)[0] == "Request_EntityChanged"
    assert "Another user has already changed the record" in error_of(stale)[1]
    assert journals.get(api.db, api.company_id, uuid.UUID(journal["id"])).display_name \
        == "Renamed"
    stale_delete = api.delete(one, journal["@odata.etag"])
    assert stale_delete.status_code == 409
    assert api.delete(one, None).status_code == 400
    assert api.get(one).status_code == 200
    star = api.patch(one, {"displayName": "Any"}, "*")
    assert star.status_code == 200
    gone = api.delete(one, star.json()["@odata.etag"])
    assert gone.status_code == 204 and gone.content == b""
    assert api.get(one).status_code == 404


def test_journal_errors_name_the_property_and_write_nothing(api: Api) -> None:
    url = f"{api.base}/customerPaymentJournals"
    before = journals.list_all(api.db, api.company_id)
    cases = [
        ({"code": ""}, 400, "BadRequest", "code"),
        ({"code": "X" * 11}, 400, "BadRequest", "code"),
        ({"code": "OK", "colour": "red"}, 400, "BadRequest", "colour"),
        ({"code": "OK", "balancingAccountId": "nope"}, 400, "BadRequest", "balancingAccountId"),
        ({"code": "OK", "balancingAccountId": str(uuid.uuid4())}, 400,
         "Application_DialogException", "balancingAccountId"),
        ({"code": "OK", "balancingAccountNumber": "2910"}, 400, "BadRequest_InvalidOperation",
         "balancingAccountNumber"),
        ({"code": "BANK"}, 409, "Internal_EntityWithSameKeyExists", "BANK"),
    ]
    for body, status, code, named in cases:
        response = api.post(url, body)
        assert response.status_code == status, (body, response.text)
        got_code, message = error_of(response)
        assert got_code == code, (body, got_code)
        assert named in message, (body, message)
    not_json = api.client.post(url, content=b"{nope", headers={"Content-Type":
                                                              "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in error_of(not_json)[1]
    a_list = api.post(url, [1, 2])
    assert a_list.status_code == 400 and "JSON object" in error_of(a_list)[1]
    text = api.client.post(url, content=b"code=X", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415
    empty = api.client.post(url)
    assert empty.status_code == 400 and "JSON body" in error_of(empty)[1]
    assert journals.list_all(api.db, api.company_id) == before


def test_v2_balancing_account_number_is_read_only_on_patch_too(api: Api) -> None:
    one = f"{api.base}/customerPaymentJournals({api.bank_id})"
    etag = api.get(one).json()["@odata.etag"]
    response = api.patch(one, {"balancingAccountNumber": "2940"}, etag)
    assert response.status_code == 400
    assert error_of(response) == ("BadRequest_InvalidOperation",
                                  "Control 'balancingAccountNumber' is read-only.")
    assert api.get(one).json()["balancingAccountNumber"] == "2910"


def test_deep_insert_and_deep_patch_refused(api: Api) -> None:
    url = f"{api.base}/customerPaymentJournals"
    made = api.post(url, {"code": "DEEP", "customerPayments": [
        {"customerNumber": "C10000", "amount": -10},
        {"customerNumber": "C10010", "amount": -20, "description": "Second"}]})
    assert made.status_code == 201, made.text
    body = made.json()
    lines = body["customerPayments"]
    assert [x["lineNumber"] for x in lines] == [10000, 20000]
    assert lines[0]["description"] == "Adatum Corporation" and lines[1]["description"] == "Second"
    assert all("contactId" not in x for x in lines)
    journal_id = uuid.UUID(body["id"])
    assert len(_lines(api, journal_id)) == 2

    patch = api.patch(f"{url}({journal_id})", {"customerPayments": []}, body["@odata.etag"])
    assert patch.status_code == 400 and error_of(patch)[0] == "BadRequest_InvalidOperation"
    assert "deep update" in error_of(patch)[1]

    before = journals.list_all(api.db, api.company_id)
    bad = api.post(url, {"code": "DEEP2", "customerPayments": [
        {"customerNumber": "C10000", "amount": -10},
        {"customerNumber": "C99999", "amount": -20}]})
    assert bad.status_code == 400
    assert error_of(bad)[1] == "customerPayments[1]: Customer C99999 does not exist."
    bad_shape = api.post(url, {"code": "DEEP2", "customerPayments": [
        {"customerNumber": "C10000", "amount": "lots"}]})
    assert bad_shape.status_code == 400 and "customerPayments[0]" in error_of(bad_shape)[1]
    assert "amount" in error_of(bad_shape)[1]
    not_list = api.post(url, {"code": "DEEP2", "customerPayments": {"a": 1}})
    assert not_list.status_code == 400
    assert journals.list_all(api.db, api.company_id) == before  # the journal was not kept


def test_lines_in_a_journal(api: Api) -> None:
    url = f"{api.bank}/customerPayments"
    listed = api.get(url)
    assert listed.status_code == 200
    values = listed.json()["value"]
    assert [v["lineNumber"] for v in values] == [10000 * i for i in range(1, 8)]
    assert "contactId" not in values[0] and values[0]["journalId"] == str(api.bank_id)

    made = api.post(url, {"customerNumber": "C10020", "amount": -99.5})
    assert made.status_code == 201, made.text
    line = made.json()
    # BC's defaults: last + 10000, the previous line's date, the customer's name.
    assert line["lineNumber"] == 80000 and line["postingDate"] == WORK_DATE.isoformat()
    assert line["description"] == "School of Fine Art" and line["amount"] == -99.5
    assert line["journalDisplayName"] == "BANK"
    one = f"{url}({line['id']})"
    assert api.get(one).json()["amount"] == -99.5

    patched = api.patch(one, {"amount": -100, "lineNumber": 85000}, line["@odata.etag"])
    assert patched.status_code == 200, patched.text
    assert patched.json()["amount"] == -100 and patched.json()["lineNumber"] == 85000
    assert patched.json()["id"] == line["id"]
    stale = api.patch(one, {"amount": -1}, line["@odata.etag"])
    assert stale.status_code == 409 and error_of(stale)[0] == "Request_EntityChanged"
    assert payments.get(api.db, api.company_id, uuid.UUID(line["id"])).amount == -100
    assert api.delete(one, line["@odata.etag"]).status_code == 409
    assert api.delete(one, patched.json()["@odata.etag"]).status_code == 204
    assert api.get(one).status_code == 404

    # A line of another journal is not found under this one.
    cash_line = api.post(f"{api.base}/customerPaymentJournals({api.cash_id})/customerPayments",
                         {"customerNumber": "C10000", "amount": -1}).json()
    assert api.get(f"{url}({cash_line['id']})").status_code == 404


def test_line_rules_and_messages(api: Api) -> None:
    url = f"{api.bank}/customerPayments"
    before = _lines(api)
    paid = api.post(url, {"customerNumber": "C10030", "amount": -1,
                          "appliesToInvoiceNumber": "999999"})
    cases = [
        ({"customerNumber": "C10190", "amount": -5}, "Application_DialogException",
         "blocked for All transactions"),
        ({"customerId": str(uuid.uuid4())}, "Application_DialogException",
         'The "customerId" does not match to a Customer.'),
        ({"customerNumber": "C10000", "appliesToInvoiceNumber": "103002"},
         "Application_DialogException", "belongs to customer"),
        ({"amount": "abc"}, "BadRequest", "amount must be a number"),
        ({"postingDate": "2026-13-01"}, "BadRequest", "postingDate must be a date"),
        ({"description": "x" * 101}, "BadRequest", "description"),
        ({"contactId": "someone"}, "BadRequest", "contactId is not a property"),
        ({"journalDisplayName": "CASH"}, "Application_DialogException",
         "Journal Display Name do not match"),
        ({"lineNumber": 10000}, "Internal_EntityWithSameKeyExists", "Line 10000 already exists"),
    ]
    assert paid.status_code == 400 and "999999" in error_of(paid)[1]
    for body, code, text in cases:
        response = api.post(url, body)
        assert response.status_code in (400, 409), (body, response.text)
        got, message = error_of(response)
        assert got == code, (body, got, message)
        assert text in message, (body, message)
    assert _lines(api) == before


def test_company_level_customer_payments(api: Api) -> None:
    url = f"{api.base}/customerPayments"
    refused = api.get(url)
    assert refused.status_code == 400
    assert error_of(refused) == (
        "Application_DialogException",
        "You must specify a journal batch ID or a journal ID to get a journal line.")
    listed = api.get(url, params={"$filter": f"journalId eq {api.bank_id}"})
    assert listed.status_code == 200 and len(listed.json()["value"]) == 7
    quoted = api.get(url, params={"$filter": f"journalId eq '{api.bank_id}' and amount lt -300"})
    assert quoted.status_code == 200
    assert all(v["amount"] < -300 for v in quoted.json()["value"])

    no_journal = api.post(url, {"customerNumber": "C10000", "amount": -1})
    assert no_journal.status_code == 400 and "journal batch ID" in error_of(no_journal)[1]
    made = api.post(url, {"journalId": str(api.cash_id), "customerNumber": "C10000",
                          "amount": -3})
    assert made.status_code == 201, made.text
    line = made.json()
    assert line["journalId"] == str(api.cash_id) and line["journalDisplayName"] == "CASH"
    one = f"{url}({line['id']})"
    assert api.get(one).status_code == 200
    moved = api.patch(one, {"journalId": str(api.bank_id)}, line["@odata.etag"])
    assert moved.status_code == 400 and error_of(moved)[1] == "The Journal Id cannot be changed."
    assert api.delete(one, line["@odata.etag"]).status_code == 204
    unknown = api.post(url, {"journalId": str(uuid.uuid4()), "amount": -1})
    assert unknown.status_code == 400 and "cannot be found" in error_of(unknown)[1]


def test_v1_has_contact_id_and_no_journal_id(api: Api) -> None:
    v1 = (f"{api.server.url}api/v1.0/companies({api.company_id})/customerPaymentJournals"
          f"({api.bank_id})/customerPayments")
    made = api.post(v1, {"customerNumber": "C10000", "amount": -7, "contactId": "CT-1"})
    assert made.status_code == 201, made.text
    line = made.json()
    assert line["contactId"] == "CT-1" and "journalId" not in line
    v2 = api.get(f"{api.bank}/customerPayments({line['id']})").json()
    assert "contactId" not in v2 and v2["journalId"] == str(api.bank_id)
    refused = api.post(v1, {"journalId": str(api.bank_id), "amount": -1})
    assert refused.status_code == 400 and "journalId is not a property" in error_of(refused)[1]
    journal = api.patch(v1.rsplit("/", 1)[0], {"balancingAccountNumber": "2940"}, "*")
    assert journal.status_code == 400 and error_of(journal)[0] == "BadRequest_InvalidOperation"


def test_the_journals_account(api: Api) -> None:
    response = api.get(f"{api.bank}/account")
    assert response.status_code == 200
    assert response.json()["number"] == "2910"
    assert response.json()["@odata.type"] == "#microsoft.graph.account"
    made = api.post(f"{api.base}/customerPaymentJournals", {"code": "NOACC"}).json()
    none = api.get(f"{api.base}/customerPaymentJournals({made['id']})/account")
    assert none.status_code == 404 and "no balancing G/L account" in error_of(none)[1]
    assert api.post(f"{api.bank}/account", {}).status_code == 405


def test_post_action_and_the_ledgers(api: Api) -> None:
    entries = api.get(f"{api.base}/generalLedgerEntries",
                      params={"$filter": "documentType eq 'Payment'"})
    assert entries.status_code == 200 and entries.json()["value"] == []  # invoices' only
    assert api.get(f"{api.bank}/Microsoft.NAV.post").status_code == 405
    posted = api.post(f"{api.bank}/Microsoft.NAV.post")
    assert posted.status_code == 204, posted.text
    assert _lines(api) == []
    gl = api.get(f"{api.base}/generalLedgerEntries",
                 params={"$filter": "documentType eq 'Payment'"}).json()["value"]
    assert gl and sum(e["amount"] for e in gl) == 0
    assert api.get(f"{api.base}/generalLedgerEntries({gl[0]['id']})").json()["entryNumber"] \
        == gl[0]["entryNumber"]
    cust = api.get(f"{api.base}/customerLedgerEntries",
                   params={"$filter": "documentType eq 'Payment'"}).json()["value"]
    assert len(cust) == 7 and all(e["amount"] < 0 for e in cust)
    assert api.get(f"{api.base}/customerLedgerEntries(abc)").status_code == 400
    assert api.get(f"{api.base}/customerLedgerEntries(999999)").status_code == 404
    empty = api.post(f"{api.bank}/Microsoft.NAV.post")
    assert empty.status_code == 400 and "nothing to post" in error_of(empty)[1].lower()
    unknown = api.post(f"{api.base}/customerPaymentJournals({uuid.uuid4()})/Microsoft.NAV.post")
    assert unknown.status_code == 404


def test_posting_date_is_typed(api: Api) -> None:
    made = api.post(f"{api.bank}/customerPayments",
                    {"customerNumber": "C10000", "amount": -1, "postingDate": "2026-11-02"})
    assert made.json()["postingDate"] == date(2026, 11, 2).isoformat()


def test_lines_of_an_unknown_journal_are_not_found(api: Api) -> None:
    url = f"{api.base}/customerPaymentJournals({uuid.uuid4()})/customerPayments"
    for response in (api.get(url), api.post(url, {"amount": -1})):
        assert response.status_code == 404
        assert error_of(response)[0] == "Internal_RecordNotFound"


def test_out_of_range_keys_and_values_are_refused(api: Api) -> None:
    huge = "9" * 30
    assert api.get(f"{api.base}/generalLedgerEntries({huge})").status_code == 400
    for text in (f"entryNumber eq {huge}", f"amount eq {huge}"):
        response = api.get(f"{api.base}/customerLedgerEntries", params={"$filter": text})
        assert response.status_code == 400 and "does not fit the property" in \
            error_of(response)[1]


def test_environment_problems_and_bugs_get_plain_messages(api: Api) -> None:
    import pytest

    from app.domain.errors import DatabaseBusy, DiskFull

    patcher = pytest.MonkeyPatch()
    try:
        def busy(*_a: object, **_k: object) -> None:
            raise DatabaseBusy("The database is locked by another program; try again.")
        patcher.setattr(journals, "get", busy)
        response = api.get(api.bank)
        assert response.status_code == 503 and response.headers["retry-after"] == "1"
        assert error_of(response) == ("Internal_DatabaseBusy",
                                      "The database is locked by another program; try again.")

        def full(*_a: object, **_k: object) -> None:
            raise DiskFull("The disk is full: nothing was saved.")
        patcher.setattr(journals, "get", full)
        response = api.get(api.bank)
        assert response.status_code == 500
        assert error_of(response) == ("Internal_DiskFull", "The disk is full: nothing was saved.")

        def bug(*_a: object, **_k: object) -> None:
            raise RuntimeError("a bug with a secret path /home/x")
        patcher.setattr(journals, "get", bug)
        response = api.get(api.bank)
        assert response.status_code == 500
        code, message = error_of(response)
        assert code == "Internal_ServerError" and "secret" not in message
        assert "Traceback" not in response.text
    finally:
        patcher.undo()

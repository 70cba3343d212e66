"""The seed's own request (shared/seeds/customerpaymentjournal-post.md) on its own path."""

from __future__ import annotations

import uuid

from app.services import accounts, journals
from tests.api.conftest import Api, error_of

SEED_RESPONSE_KEYS = {"@odata.type", "id", "code", "displayName", "lastModifiedDateTime",
                      "balancingAccountId", "balancingAccountNumber"}


def _seed_body(account_id: str, number: str) -> dict[str, str]:
    return {
        "@odata.type": "#microsoft.graph.customerPaymentJournal",
        "code": "Code value",
        "displayName": "Display Name value",
        "balancingAccountId": account_id,
        "balancingAccountNumber": number,
    }


def test_the_seed_request_with_a_real_account(api: Api) -> None:
    bank = next(a for a in accounts.list_direct_posting(api.db, api.company_id)
                if a.number == "2920")
    url = f"{api.server.url}financials/companies/{api.company_id}/customerPaymentJournals"
    response = api.post(url, _seed_body(str(bank.id), bank.number))
    assert response.status_code == 201, response.text
    body = response.json()
    assert SEED_RESPONSE_KEYS | {"@odata.etag"} <= set(body)
    assert body["@odata.type"] == "#microsoft.graph.customerPaymentJournal"
    # "Code value" is a Code[10]: upper-cased, as BC does; it fits.
    assert body["code"] == "CODE VALUE" and body["displayName"] == "Display Name value"
    assert body["balancingAccountId"] == str(bank.id) and body["balancingAccountNumber"] == "2920"
    uuid.UUID(body["id"])
    assert response.headers["location"] == f"{url}/{body['id']}"
    # The seed's other routes, with keys as segments.
    one = f"{url}/{body['id']}"
    assert api.get(one).json()["code"] == "CODE VALUE"
    assert api.get(f"{one}/account").json()["number"] == "2920"
    line = api.post(f"{one}/customerPayments", {"customerNumber": "C10000", "amount": -5})
    assert line.status_code == 201 and "journalId" not in line.json()
    assert api.get(f"{one}/customerPayments/{line.json()['id']}").json()["amount"] == -5
    assert len(api.get(f"{one}/customerPayments").json()["value"]) == 1
    # The page's own header line: POST .../customerPaymentJournals/$ref
    ref = api.post(f"{url}/$ref", {**_seed_body(str(bank.id), "2920"), "code": "REF"})
    assert ref.status_code == 201


def test_the_seed_request_with_its_literal_number_is_refused(api: Api) -> None:
    bank = accounts.list_direct_posting(api.db, api.company_id)[0]
    before = journals.list_all(api.db, api.company_id)
    url = f"{api.server.url}financials/companies/{api.company_id}/customerPaymentJournals"
    response = api.post(url, _seed_body(str(bank.id), "Balancing Account Number value"))
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "BadRequest" and "balancingAccountNumber" in message
    assert "30" in message and "20 characters" in message
    # A number that exists but names another account than the id: refused too.
    other = api.post(url, _seed_body(str(bank.id), "2940" if bank.number != "2940" else "2910"))
    assert other.status_code == 400 and "balancingAccountNumber" in error_of(other)[1]
    # The seed's literal id (no such account here).
    literal = api.post(url, _seed_body("1f4f6a81-6a81-1f4f-816a-4f1f816a4f1f", bank.number))
    assert literal.status_code == 400
    assert error_of(literal)[1] == 'The "balancingAccountId" does not match to a G/L Account.'
    assert journals.list_all(api.db, api.company_id) == before


def test_v2_refuses_the_seed_body(api: Api) -> None:
    bank = accounts.list_direct_posting(api.db, api.company_id)[0]
    response = api.post(f"{api.base}/customerPaymentJournals",
                        _seed_body(str(bank.id), bank.number))
    assert response.status_code == 400
    assert error_of(response) == ("BadRequest_InvalidOperation",
                                  "Control 'balancingAccountNumber' is read-only.")
    body = _seed_body(str(bank.id), bank.number)
    del body["balancingAccountNumber"]
    assert api.post(f"{api.base}/customerPaymentJournals", body).status_code == 201

"""$batch: each part its own status; Isolation: snapshot makes it all or nothing."""

from __future__ import annotations

from typing import Any

from app.services import journals, payments
from tests.api.conftest import Api, error_of


def _batch(api: Api, requests: list[dict[str, Any]], **headers: str) -> dict[str, Any]:
    response = api.client.post(f"{api.server.url}api/v2.0/$batch", json={"requests": requests},
                               headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _line(api: Api, index: int, amount: Any = -1) -> dict[str, Any]:
    path = (f"companies({api.company_id})/customerPaymentJournals({api.bank_id})"
            "/customerPayments")
    return {"id": str(index), "method": "POST", "url": path,
            "headers": {"Content-Type": "application/json"},
            "body": {"customerNumber": "C10000", "amount": amount}}


def test_a_batch_answers_each_part(api: Api) -> None:
    before = len(payments.list_all(api.db, api.company_id, api.bank_id))
    parts = [_line(api, i) for i in range(3)]
    parts.append({"id": "bad", "method": "POST", "url": parts[0]["url"],
                  "body": {"customerNumber": "C99999"}})
    parts.append({"id": "get", "method": "GET",
                  "url": f"/api/v2.0/companies({api.company_id})/customerPaymentJournals"
                         f"({api.bank_id})?$select=code"})
    parts.append({"id": "nowhere", "method": "GET", "url": "nothing"})
    answers = _batch(api, parts)["responses"]
    assert [a["id"] for a in answers] == ["0", "1", "2", "bad", "get", "nowhere"]
    assert [a["status"] for a in answers] == [201, 201, 201, 400, 200, 404]
    assert [a["body"]["lineNumber"] for a in answers[:3]] == [80000, 90000, 100000]
    assert answers[3]["body"]["error"]["message"] == "Customer C99999 does not exist."
    assert answers[4]["body"]["code"] == "BANK"
    assert answers[4]["headers"]["etag"] == answers[4]["body"]["@odata.etag"]
    assert len(payments.list_all(api.db, api.company_id, api.bank_id)) == before + 3


def test_a_snapshot_batch_is_all_or_nothing(api: Api) -> None:
    before = payments.list_all(api.db, api.company_id, api.bank_id)
    journals_before = journals.list_all(api.db, api.company_id)
    new_journal = {"id": "j", "method": "POST",
                   "url": f"companies({api.company_id})/customerPaymentJournals",
                   "body": {"code": "SNAP"}}
    parts = [new_journal, *[_line(api, i) for i in range(5)], _line(api, 5, "lots"),
             _line(api, 6)]
    answers = _batch(api, parts, Isolation="snapshot")["responses"]
    statuses = [a["status"] for a in answers]
    assert statuses == [424] * 6 + [400, 424]
    assert "amount must be a number" in answers[6]["body"]["error"]["message"]
    assert "rolled back" in answers[0]["body"]["error"]["message"]
    assert "was not run" in answers[7]["body"]["error"]["message"]
    assert payments.list_all(api.db, api.company_id, api.bank_id) == before
    assert journals.list_all(api.db, api.company_id) == journals_before

    good = _batch(api, [new_journal, *[_line(api, i) for i in range(5)]],
                  Isolation="snapshot")["responses"]
    assert [a["status"] for a in good] == [201] * 6
    # Within the snapshot each line saw the one before it: line numbers +10000.
    assert [a["body"]["lineNumber"] for a in good[1:]] == [80000 + 10000 * i for i in range(5)]
    assert len(payments.list_all(api.db, api.company_id, api.bank_id)) == len(before) + 5


def test_a_snapshot_batch_rolls_back_a_stale_patch(api: Api) -> None:
    line = payments.list_all(api.db, api.company_id, api.bank_id)[0]
    url = (f"companies({api.company_id})/customerPaymentJournals({api.bank_id})"
           f"/customerPayments({line.id})")
    parts = [{"id": "1", "method": "PATCH", "url": url, "headers": {"If-Match": line.etag},
              "body": {"amount": -1}},
             {"id": "2", "method": "PATCH", "url": url, "headers": {"If-Match": line.etag},
              "body": {"amount": -2}}]
    answers = _batch(api, parts, Isolation="snapshot")["responses"]
    assert [a["status"] for a in answers] == [424, 409]
    assert answers[1]["body"]["error"]["code"] == "Request_EntityChanged"
    assert payments.get(api.db, api.company_id, line.id).amount == line.amount


def test_bad_batches(api: Api) -> None:
    url = f"{api.server.url}api/v2.0/$batch"
    for body, text in (([], '{"requests": [...]}'), ({"requests": "x"}, '{"requests": [...]}'),
                       ({"requests": [{"url": "x"}]}, "requests[0] needs a method"),
                       ({"requests": [{"method": "GET", "url": "x", "headers": 1}]},
                        "requests[0].headers"),
                       ({"requests": [_line(api, i) for i in range(101)]}, "at most 100")):
        response = api.client.post(url, json=body)
        assert response.status_code == 400, body
        assert text in error_of(response)[1]
    not_json = api.client.post(url, content=b"--batch_1", headers={"Content-Type":
                                                                  "multipart/mixed"})
    assert not_json.status_code == 415
    garbled = api.client.post(url, content=b"{", headers={"Content-Type": "application/json"})
    assert garbled.status_code == 400
    assert api.client.post(f"{api.server.url}api/v9.0/$batch", json={}).status_code == 404
    assert api.client.get(url).status_code == 405

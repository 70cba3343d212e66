"""agedAccountsReceivables: BC's read-only API page over the aged receivables report."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from app.services import companies, reports
from tests.api.conftest import Api, error_of

FIELDS = ["customerId", "customerNumber", "name", "currencyCode", "balanceDue", "currentAmount",
          "period1Amount", "period2Amount", "period3Amount", "agedAsOfDate",
          "periodLengthFilter"]


def _expected(api: Api, as_of: date, period: str = "30D") -> dict[str, list[Decimal]]:
    report = reports.aged_receivables(api.db, api.company_id, as_of=as_of, period_length=period)
    return {str(c.customer_id): [c.balance_due, c.amounts[0], c.amounts[1], c.amounts[2],
                                 c.amounts[3] + c.amounts[4]] for c in report.customers}


def _amounts(row: dict[str, object]) -> list[Decimal]:
    return [Decimal(str(row[k])) for k in ("balanceDue", "currentAmount", "period1Amount",
                                           "period2Amount", "period3Amount")]


def test_the_list_gives_the_reports_figures_as_of_the_work_date(api: Api) -> None:
    response = api.get(f"{api.base}/agedAccountsReceivables")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["@odata.context"].endswith("/agedAccountsReceivables")
    work_date = companies.work_date(api.db, api.company_id)
    expected = _expected(api, work_date)
    assert expected and any(v[0] for v in expected.values())
    assert [row["customerId"] for row in body["value"]] == list(expected)
    for row in body["value"]:
        assert list(row) == FIELDS
        assert isinstance(row["balanceDue"], int | float)  # a JSON number, not a string
        assert _amounts(row) == expected[row["customerId"]]
        assert sum(_amounts(row)[1:]) == _amounts(row)[0]
        assert row["agedAsOfDate"] == work_date.isoformat()
        assert row["periodLengthFilter"] == "30D"


def test_the_filter_sets_the_as_of_date_and_the_period_length(api: Api) -> None:
    as_of = companies.work_date(api.db, api.company_id) - timedelta(days=20)
    text = f"agedAsOfDate eq {as_of.isoformat()} and periodLengthFilter eq '1M'"
    response = api.get(f"{api.base}/agedAccountsReceivables",
                       params={"$filter": text, "$select": "customerNumber,balanceDue"})
    assert response.status_code == 200, response.text
    rows = response.json()["value"]
    report = reports.aged_receivables(api.db, api.company_id, as_of=as_of, period_length="1M")
    assert [(r["customerNumber"], Decimal(str(r["balanceDue"]))) for r in rows] == [
        (c.customer_number, c.balance_due) for c in report.customers]
    assert all(set(r) == {"customerNumber", "balanceDue"} for r in rows)
    top = api.get(f"{api.base}/agedAccountsReceivables", params={"$top": "1"}).json()["value"]
    assert len(top) == 1


def test_a_filter_on_anything_else_is_refused(api: Api) -> None:
    response = api.get(f"{api.base}/agedAccountsReceivables",
                       params={"$filter": "balanceDue gt 0"})
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "BadRequest" and "agedAsOfDate" in message and "balanceDue" in message
    bad = api.get(f"{api.base}/agedAccountsReceivables",
                  params={"$filter": "periodLengthFilter eq 'X'"})
    assert bad.status_code == 400
    assert error_of(bad) == ("BadRequest", "periodLengthFilter 'X': The date formula 'X' is "
                             "not valid. Use a number and a unit, such as 30D, 1W, 1M, 1Q, "
                             "1Y, or CM for the current month.")
    far = api.get(f"{api.base}/agedAccountsReceivables",
                  params={"$filter": "periodLengthFilter eq '9999Y'"})
    assert far.status_code == 400 and "periodLengthFilter '9999Y'" in error_of(far)[1]


def test_one_customer_by_id(api: Api) -> None:
    listed = api.get(f"{api.base}/agedAccountsReceivables").json()["value"]
    first = listed[0]
    response = api.get(f"{api.base}/agedAccountsReceivables({first['customerId']})")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["@odata.context"].endswith("/agedAccountsReceivables/$entity")
    assert {k: v for k, v in body.items() if not k.startswith("@")} == first


def test_an_unknown_customer_is_404_and_a_post_405(api: Api) -> None:
    response = api.get(f"{api.base}/agedAccountsReceivables({uuid.uuid4()})")
    assert response.status_code == 404
    assert error_of(response)[0] == "Internal_RecordNotFound"
    assert api.get(f"{api.base}/agedAccountsReceivables(abc)").status_code == 400
    assert api.post(f"{api.base}/agedAccountsReceivables", {}).status_code == 405
    other = f"{api.server.url}api/v2.0/companies({uuid.uuid4()})/agedAccountsReceivables"
    assert api.get(other).status_code == 404

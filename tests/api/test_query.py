"""$filter, $select, $orderby, $top, $skip, $expand and server-driven paging."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, error_of


def _values(api: Api, url: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(url, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["value"])


def test_filters(api: Api) -> None:
    url = f"{api.base}/customers"
    numbers = [c["number"] for c in _values(api, url)]
    assert len(numbers) == 20

    def got(text: str) -> list[str]:
        return [c["number"] for c in _values(api, url, **{"$filter": text})]

    assert got("number eq 'C10010'") == ["C10010"]
    assert got("number ne 'C10010'") == [n for n in numbers if n != "C10010"]
    assert got("number gt 'C10170'") == ["C10180", "C10190"]
    assert got("number ge 'C10180'") == ["C10180", "C10190"]
    assert got("number lt 'C10010'") == ["C10000"]
    assert got("number le 'C10010'") == ["C10000", "C10010"]
    assert got("'C10010' ge number") == ["C10000", "C10010"]
    assert got("number ge 'C10010' and number le 'C10030'") == ["C10010", "C10020", "C10030"]
    assert got("number eq 'C10000' or number eq 'C10190'") == ["C10000", "C10190"]
    assert got("(number eq 'C10000' or number eq 'C10190') and blocked eq 'All'") == ["C10190"]
    assert got("startswith(displayName,'Trey')") == ["C10010"]
    assert got("endswith(displayName,'Winery')") == ["C10050"]
    assert got("contains(displayName,'Ski')") == ["C10030"]
    assert got("contains(tolower(displayName),'ski house')") == ["C10030"]
    assert got("toupper(displayName) eq 'RELECLOUD'") == ["C10040"]
    assert got("startswith(tolower(displayName),'rele')") == ["C10040"]
    assert got("displayName eq 'Margie''s Travel'") == ["C10160"]
    assert got("number eq null") == []
    invoices = _values(api, f"{api.base}/salesInvoices",
                       **{"$filter": "remainingAmount gt 8000 and dueDate ge 2026-01-01"})
    assert invoices and all(i["remainingAmount"] > 8000 for i in invoices)
    lines = _values(api, f"{api.bank}/customerPayments",
                    **{"$filter": "amount eq -250 and postingDate eq 2026-11-20"})
    assert [x["comment"] for x in lines] == ["On account, no invoice given"]


def test_bad_filters_are_refused_with_bcs_messages(api: Api) -> None:
    url = f"{api.base}/customers"
    cases = {
        "number eq 'C10000' or displayName eq 'x'":
            "The 'OR' operator is not supported on distinct fields on an OData filter.",
        "colour eq 'red'": "colour",
        "number eq": "ends too early",
        "number like 'C'": "'like' is not a supported operator",
        "number eq 'C1' and": "ends too early",
        "not number eq 'C'": "'not' operator is not supported",
        "substringof('a', number)": "'substringof' is not supported",
        "number eq 'unterminated": "cannot be read",
        "number eq 5": "does not fit the property number",
        "contains(number, 5)": "needs a property and a text value",
        "tolower(blockedX) eq 'a'": "blockedX",
        "number gt null": "null can only be compared",
        "(number eq 'C1'": "ends too early",
        "(number eq 'C1' x": "')' was expected",
        "1 eq 1": "one property and one value",
    }
    for text, expected in cases.items():
        response = api.get(url, params={"$filter": text})
        assert response.status_code == 400, text
        code, message = error_of(response)
        assert code == "BadRequest", (text, code)
        assert expected in message, (text, message)
    bad_date = api.get(f"{api.base}/salesInvoices", params={"$filter": "dueDate ge 2026-02-30"})
    assert bad_date.status_code == 400 and "not a valid date" in error_of(bad_date)[1]
    bad_bool = api.get(f"{api.base}/accounts", params={"$filter": "blocked eq 'yes'"})
    assert bad_bool.status_code == 400 and "blocked" in error_of(bad_bool)[1]
    for option, value, named in (("$top", "-1", "$top"), ("$skip", "x", "$skip"),
                                 ("$orderby", "number sideways", "$orderby"),
                                 ("$orderby", "colour", "colour"), ("$select", "colour", "colour"),
                                 ("$expand", "lines", "$expand"), ("$count", "true", "$count"),
                                 ("$expand", "customerPayments", "not valid on customers")):
        response = api.get(url, params={option: value})
        assert response.status_code == 400, (option, value)
        assert named in error_of(response)[1], (option, error_of(response))


def test_select_orderby_top_skip(api: Api) -> None:
    url = f"{api.base}/customers"
    rows = _values(api, url, **{"$select": "number,displayName", "$orderby": "displayName desc",
                                "$top": "3", "$skip": "1"})
    assert [set(r) for r in rows] == [{"@odata.etag", "@odata.type", "number",
                                       "displayName"}] * 3
    names = sorted((c["displayName"] for c in _values(api, url)), reverse=True)
    assert [r["displayName"] for r in rows] == names[1:4]
    lines = _values(api, f"{api.bank}/customerPayments",
                    **{"$orderby": "amount,lineNumber desc", "$select": "amount"})
    amounts = [x["amount"] for x in lines]
    assert amounts == sorted(amounts)
    one = api.get(f"{api.bank}", params={"$select": "code"}).json()
    assert set(one) == {"@odata.context", "@odata.type", "@odata.etag", "code"}


def test_expand_customer_payments(api: Api) -> None:
    journals = _values(api, f"{api.base}/customerPaymentJournals",
                       **{"$expand": "customerPayments"})
    by_code = {j["code"]: j for j in journals}
    assert len(by_code["BANK"]["customerPayments"]) == 7
    assert by_code["CASH"]["customerPayments"] == []
    one = api.get(api.bank, params={"$expand": "customerPayments",
                                    "$select": "code"}).json()
    assert one["code"] == "BANK" and len(one["customerPayments"]) == 7


def test_server_driven_paging(api: Api) -> None:
    url = f"{api.base}/customers"
    response = api.get(url, headers={"Prefer": "odata.maxpagesize=6"},
                       params={"$filter": "number ne 'C10000'"})
    assert response.headers["preference-applied"] == "odata.maxpagesize=6"
    seen: list[str] = []
    pages = 0
    body = response.json()
    while True:
        pages += 1
        seen.extend(c["number"] for c in body["value"])
        link = body.get("@odata.nextLink")
        if link is None:
            break
        assert "$skiptoken=" in link and link.startswith(url)
        body = api.get(link, headers={"Prefer": "odata.maxpagesize=6"}).json()
    assert pages == 4 and len(seen) == 19 and len(set(seen)) == 19
    assert seen == sorted(seen)
    # $top smaller than the page: one page, no link; larger: pages until $top.
    top = api.get(url, headers={"Prefer": "odata.maxpagesize=6"}, params={"$top": "8"}).json()
    assert len(top["value"]) == 6 and "@odata.nextLink" in top
    rest = api.get(top["@odata.nextLink"], headers={"Prefer": "odata.maxpagesize=6"}).json()
    assert len(rest["value"]) == 2 and "@odata.nextLink" not in rest
    bad = api.get(url, headers={"Prefer": "odata.maxpagesize=zero"})
    assert bad.status_code == 400 and "maxpagesize" in error_of(bad)[1]
    everything = api.get(url).json()
    assert len(everything["value"]) == 20 and "@odata.nextLink" not in everything


def test_paging_a_journal_by_another_order(api: Api) -> None:
    url = f"{api.bank}/customerPayments"
    for i in range(13):
        assert api.post(url, {"customerNumber": "C10000", "amount": -(i % 5) - 1}).status_code \
            == 201
    everything = _values(api, url, **{"$orderby": "amount desc"})
    assert len(everything) == 20
    seen: list[dict[str, Any]] = []
    link: str | None = f"{url}?$orderby=amount%20desc"
    while link:
        body = api.get(link, headers={"Prefer": "odata.maxpagesize=3"}).json()
        seen.extend(body["value"])
        link = body.get("@odata.nextLink")
    assert [x["id"] for x in seen] == [x["id"] for x in everything]
    amounts = [x["amount"] for x in seen]
    assert amounts == sorted(amounts, reverse=True)
    bad = api.get(url, params={"$skiptoken": "abc"})
    assert bad.status_code == 400 and "$skiptoken" in error_of(bad)[1]


def test_a_journal_in_line_order_pages_by_key(api: Api) -> None:
    url = f"{api.bank}/customerPayments"
    for _ in range(5):
        api.post(url, {"customerNumber": "C10000", "amount": -1})
    everything = [x["lineNumber"] for x in _values(api, url)]
    seen: list[int] = []
    link: str | None = f"{url}?$top=11&$select=lineNumber"
    links = []
    while link:
        body = api.get(link, headers={"Prefer": "odata.maxpagesize=3"}).json()
        seen.extend(x["lineNumber"] for x in body["value"])
        link = body.get("@odata.nextLink")
        if link:
            links.append(link)
    assert seen == everything[:11]
    assert links and all("$skiptoken=L" in x for x in links)
    # A line added between two pages is not skipped, none is repeated.
    body = api.get(f"{url}?$select=lineNumber", headers={"Prefer": "odata.maxpagesize=4"}).json()
    first = [x["lineNumber"] for x in body["value"]]
    api.post(url, {"customerNumber": "C10000", "amount": -1})
    rest = api.get(body["@odata.nextLink"], headers={"Prefer": "odata.maxpagesize=100"}).json()
    added = everything[-1] + 10000
    assert first + [x["lineNumber"] for x in rest["value"]] == [*everything, added]
    for token in ("Lx.1", "L5", "L.2"):
        bad = api.get(url, params={"$skiptoken": token})
        assert bad.status_code == 400 and "$skiptoken" in error_of(bad)[1], token

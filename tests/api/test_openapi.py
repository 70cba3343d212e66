"""The OpenAPI document, and a bounded fuzz of it with schemathesis: no request gets a 5xx."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings

from app.domain.schemas import PaymentCreate
from tests.api.conftest import TOKEN, Api


def test_the_document_is_served_and_follows_the_models(api: Api) -> None:
    response = httpx.get(f"{api.server.url}api/openapi.json")  # no token needed: no data
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.0")
    schemas = doc["components"]["schemas"]
    fields = {f.alias for f in PaymentCreate.model_fields.values()}
    line = schemas["PaymentCreate"]["properties"]
    assert "contactId" not in line and "customerNumber" in line  # v2.0
    assert line["customerNumber"]["maxLength"] == 20 and line["description"]["maxLength"] == 100
    assert fields
    assert "balancingAccountNumber" not in schemas["JournalCreate"]["properties"]
    assert "balancingAccountNumber" in schemas["SeedJournalCreate"]["properties"]
    assert "@odata.etag" in schemas["JournalRead"]["properties"]
    paths = doc["paths"]
    assert "/api/v2.0/companies({companyId})/customerPaymentJournals({journalId})"\
        "/Microsoft.NAV.post" in paths
    assert "/financials/companies/{companyId}/customerPaymentJournals" in paths
    assert "/api/v2.0/companies({companyId})/agedAccountsReceivables({customerId})" in paths
    assert "periodLengthFilter" in schemas["AgedReceivableRead"]["properties"]
    assert httpx.get(f"{api.server.url}api/openapi.json",
                     headers={"Host": "evil.example"}).status_code == 403


def test_fuzzing_the_document_gives_no_5xx(api: Api) -> None:
    import schemathesis

    doc = httpx.get(f"{api.server.url}api/openapi.json").json()
    base = api.server.url.rstrip("/")
    # Real keys half the time, so requests get past the 404 of a random id.
    ids = {"companyId": str(api.company_id), "journalId": str(api.bank_id)}
    schema = schemathesis.openapi.from_dict(doc)
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]

        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: object) -> None:
            nonlocal calls
            params = getattr(case, "path_parameters", None) or {}
            for key, value in ids.items():
                if key in params and calls % 2 == 0:
                    params[key] = value
            headers = {"Authorization": f"Bearer {TOKEN}"}
            response = case.call(base_url=base, headers=headers)  # type: ignore[attr-defined]
            calls += 1
            if response.status_code >= 500 or "Traceback" in response.text:
                failures.append(f"{case.operation.label}: {response.status_code} "  # type: ignore[attr-defined]
                                f"{response.text}")
        run()
    assert calls > 100
    assert not failures, failures[:5]

"""The real server on a free port (uvicorn in a thread) over a demo database, and a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.api.server import ApiServer
from app.db import Database
from app.domain.schemas import CompanyRead
from app.services import journals

TOKEN = "test-token-0123456789"


@dataclass
class Api:
    server: ApiServer
    client: httpx.Client
    db: Database
    company_id: uuid.UUID
    bank_id: uuid.UUID
    cash_id: uuid.UUID

    @property
    def base(self) -> str:
        return f"{self.server.url}api/v2.0/companies({self.company_id})"

    @property
    def bank(self) -> str:
        return f"{self.base}/customerPaymentJournals({self.bank_id})"

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.client.get(url, **kw)

    def post(self, url: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.client.post(url, json=body, **kw)

    def patch(self, url: str, body: Any, etag: str | None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if etag is not None:
            headers["If-Match"] = etag
        return self.client.patch(url, json=body, headers=headers, **kw)

    def delete(self, url: str, etag: str | None, **kw: Any) -> httpx.Response:
        headers = {"If-Match": etag} if etag is not None else {}
        return self.client.delete(url, headers=headers, **kw)


def start_server(db: Database, **kw: Any) -> ApiServer:
    server = ApiServer(db, host="127.0.0.1", port=0, token=TOKEN, **kw)
    server.start()
    return server


@pytest.fixture
def api(db: Database, demo: CompanyRead) -> Iterator[Api]:
    server = start_server(db)
    by_code = {j.code: j.id for j in journals.list_all(db, demo.id)}
    client = httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    try:
        yield Api(server, client, db, demo.id, by_code["BANK"], by_code["CASH"])
    finally:
        client.close()
        server.stop()


def error_of(response: httpx.Response) -> tuple[str, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]["code"], body["error"]["message"]

"""The OpenAPI 3.0 document of the API (``GET /api/openapi.json``), generated from the same
Pydantic models that validate the bodies and shape the answers (app/domain/schemas.py), so
it cannot drift from what the server does. v2.0's differences are applied to the schemas:
its customerPayment has no contactId and its journal's balancingAccountNumber is read-only.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from app import __version__
from app.api.aged import AgedReceivableRead
from app.domain.ledger_schemas import CustLedgerEntryRead, GLEntryRead
from app.domain.schemas import (
    AccountRead,
    CompanyRead,
    CustomerRead,
    JournalCreate,
    JournalRead,
    JournalUpdate,
    PaymentCreate,
    PaymentRead,
    PaymentUpdate,
    SalesInvoiceRead,
)

REF = "#/components/schemas/{model}"
_V2_DROPS = {"PaymentCreate": ("contactId", "journalDisplayName"),
             "PaymentUpdate": ("contactId",),
             "PaymentRead": ("contactId",),
             "JournalCreate": ("balancingAccountNumber",),
             "JournalUpdate": ("balancingAccountNumber",)}


def _schema(model: type[BaseModel], mode: str, defs: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, ref_template=REF,
                                     mode=mode)  # type: ignore[arg-type]
    defs.update(schema.pop("$defs", {}))
    for name in _V2_DROPS.get(model.__name__, ()):
        schema.get("properties", {}).pop(name, None)
        if name in schema.get("required", []):
            schema["required"].remove(name)
    if mode == "serialization":
        schema["properties"] = {"@odata.etag": {"type": "string", "readOnly": True},
                                **schema.get("properties", {})}
    else:
        schema["additionalProperties"] = False
    return _nullable(schema)


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0 has no {"type": "null"}: anyOf [X, null] becomes X with nullable."""
    if isinstance(node, dict):
        any_of = node.get("anyOf")
        if isinstance(any_of, list) and {"type": "null"} in any_of:
            rest = [x for x in any_of if x != {"type": "null"}]
            node = {k: v for k, v in node.items() if k != "anyOf"}
            if len(rest) == 1:
                node = {**rest[0], **node}
            else:
                node["anyOf"] = rest
            node["nullable"] = True
        if node.get("const") is not None:
            node = {**node, "enum": [node["const"]]}
            node.pop("const")
        return {k: _nullable(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_nullable(x) for x in node]
    return node


ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {400: "Bad request (BC's error body; the message names the property)",
             401: "Authentication_InvalidCredentials", 403: "Host not allowed",
             404: "BadRequest_NotFound / Internal_RecordNotFound",
             405: "BadRequest_MethodNotAllowed", 409: "Request_EntityChanged (stale If-Match) "
             "or a duplicate key", 413: "Body too large", 415: "Not JSON"}
    content = {"application/json": {"schema": _ref("Error")}}
    return {str(s): {"description": texts[s], "content": content}
            for s in (400, 401, 403, *statuses)}


def _list_of(name: str) -> dict[str, Any]:
    return {"200": {"description": "A page of entities", "content": {"application/json": {
        "schema": {"type": "object", "properties": {
            "@odata.context": {"type": "string"}, "@odata.nextLink": {"type": "string"},
            "value": {"type": "array", "items": _ref(name)}}}}}}}


def _entity(name: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": name, "content": {"application/json": {
        "schema": _ref(name)}}}}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _param(name: str, fmt: str = "uuid", where: str = "path") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "format": fmt} if fmt else {"type": "string"}
    if fmt == "int":
        schema = {"type": "integer", "minimum": 1}
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


_QUERY = [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
          for n in ("$filter", "$select", "$orderby")] + [
    {"name": n, "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}
    for n in ("$top", "$skip")]
_IF_MATCH = {"name": "If-Match", "in": "header", "required": True,
             "schema": {"type": "string"}, "description": "the entity's @odata.etag, or *"}


def document() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": ERROR}
    for model in (CompanyRead, AccountRead, CustomerRead, SalesInvoiceRead, JournalRead,
                  PaymentRead, GLEntryRead, CustLedgerEntryRead, AgedReceivableRead):
        schemas[model.__name__] = _schema(model, "serialization", defs)
    for body in (JournalCreate, JournalUpdate, PaymentCreate, PaymentUpdate):
        schemas[body.__name__] = _schema(body, "validation", defs)
    schemas["JournalDeepCreate"] = copy.deepcopy(schemas["JournalCreate"])
    schemas["JournalDeepCreate"]["properties"]["customerPayments"] = {
        "type": "array", "items": _ref("PaymentCreate")}
    schemas["SeedJournalCreate"] = _schema_graph_journal(defs)
    schemas.update(_nullable(defs))

    c = "/api/v2.0/companies({companyId})"
    j = f"{c}/customerPaymentJournals({{journalId}})"
    company = [_param("companyId")]
    journal = [*company, _param("journalId")]
    line = [*journal, _param("paymentId")]
    paths: dict[str, Any] = {
        "/api/v2.0/companies": {"get": _op("List companies", _list_of("CompanyRead"),
                                           query=True)},
        "/api/v2.0/companies({companyId})": {"get": _op(
            "Get a company", _entity("CompanyRead"), company, errors=(404,))},
    }
    for name, read in (("accounts", "AccountRead"), ("customers", "CustomerRead"),
                       ("salesInvoices", "SalesInvoiceRead")):
        paths[f"{c}/{name}"] = {"get": _op(f"List {name}", _list_of(read), company,
                                           query=True)}
        paths[f"{c}/{name}({{id}})"] = {"get": _op(f"Get one of {name}", _entity(read),
                                                   [*company, _param("id")], errors=(404,))}
    paths[f"{c}/customerPaymentJournals"] = {
        "get": _op("List customer payment journals", _list_of("JournalRead"), company,
                   query=True, expand=True),
        "post": _op("Create a journal (deep insert: with its customerPayments)",
                    _entity("JournalRead", "201"), company, body="JournalDeepCreate",
                    errors=(404, 409, 413, 415)),
    }
    paths[j] = {
        "get": _op("Get a journal", _entity("JournalRead"), journal, expand=True,
                   errors=(404,)),
        "patch": _op("Update a journal (no deep update)", _entity("JournalRead"),
                     [*journal, _IF_MATCH], body="JournalUpdate", errors=(404, 409, 413, 415)),
        "delete": _op("Delete a journal and its lines", {"204": {"description": "Deleted"}},
                      [*journal, _IF_MATCH], errors=(404, 409)),
    }
    paths[f"{j}/customerPayments"] = {
        "get": _op("List a journal's lines", _list_of("PaymentRead"), journal, query=True),
        "post": _op("Add a line (BC's defaults)", _entity("PaymentRead", "201"), journal,
                    body="PaymentCreate", errors=(404, 409, 413, 415)),
    }
    paths[f"{j}/customerPayments({{paymentId}})"] = _line_ops(line)
    paths[f"{j}/account"] = {"get": _op("Get the journal's balancing account",
                                        _entity("AccountRead"), journal, errors=(404,))}
    paths[f"{j}/Microsoft.NAV.post"] = {"post": _op(
        "Ledgerdesk extension: post the journal (BC has no such action on "
        "customerPaymentJournals)", {"204": {"description": "Posted"}}, journal,
        errors=(404,))}
    paths[f"{c}/customerPayments"] = {
        "get": _op("List lines: needs $filter=journalId eq {id}", _list_of("PaymentRead"),
                   company, query=True),
        "post": _op("Add a line to the journal named by journalId",
                    _entity("PaymentRead", "201"), company, body="PaymentCreate",
                    errors=(404, 409, 413, 415)),
    }
    paths[f"{c}/customerPayments({{paymentId}})"] = _line_ops([*company, _param("paymentId")])
    for name, read in (("generalLedgerEntries", "GLEntryRead"),
                       ("customerLedgerEntries", "CustLedgerEntryRead")):
        paths[f"{c}/{name}"] = {"get": _op(f"Ledgerdesk extension: list {name} (read-only)",
                                           _list_of(read), company, query=True)}
        paths[f"{c}/{name}({{entryId}})"] = {"get": _op(
            f"Ledgerdesk extension: one of {name}", _entity(read),
            [*company, _param("entryId", "int")], errors=(404,))}
    aged = ("BC's agedAccountsReceivables page (read-only): $filter=agedAsOfDate eq "
            "YYYY-MM-DD and periodLengthFilter eq '30D' (defaults: the work date, 30D)")
    paths[f"{c}/agedAccountsReceivables"] = {"get": _op(
        f"{aged}: one row per customer with a balance", _list_of("AgedReceivableRead"),
        company, query=True)}
    paths[f"{c}/agedAccountsReceivables({{customerId}})"] = {"get": _op(
        f"{aged}: one customer", _entity("AgedReceivableRead"),
        [*company, _param("customerId")], query=True, errors=(404,))}
    paths["/financials/companies/{companyId}/customerPaymentJournals"] = {"post": _op(
        "The seed's request (Graph form): balancingAccountNumber may be sent and must agree",
        _entity("JournalRead", "201"), company, body="SeedJournalCreate",
        errors=(404, 409, 413, 415))}
    paths["/api/v2.0/$batch"] = {"post": {
        "summary": "JSON $batch, at most 100 requests; header Isolation: snapshot = all or "
                   "nothing",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["requests"], "properties": {"requests": {
                "type": "array", "maxItems": 100, "items": {
                    "type": "object", "required": ["id", "method", "url"], "properties": {
                        "id": {"type": "string"},
                        "method": {"type": "string", "enum": ["GET", "POST", "PATCH",
                                                              "DELETE"]},
                        "url": {"type": "string"}, "headers": {"type": "object"},
                        "body": {"type": "object"}}}}}}}}},
        "responses": {"200": {"description": "One response per request"}, **_errors(415)}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Ledgerdesk local API (Business Central-compatible)",
                 "version": __version__,
                 "description": "Business Central's API v2.0 (and v1.0 at /api/v1.0/) on the "
                                "local books. See docs/api.md."},
        "servers": [{"url": "http://127.0.0.1:7048"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _schema_graph_journal(defs: dict[str, Any]) -> dict[str, Any]:
    schema = JournalCreate.model_json_schema(by_alias=True, ref_template=REF)
    defs.update(schema.pop("$defs", {}))
    schema["properties"]["@odata.type"] = {"type": "string"}
    schema["additionalProperties"] = False
    schema["title"] = "SeedJournalCreate"
    return _nullable(schema)


def _line_ops(params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": _op("Get a line", _entity("PaymentRead"), params, errors=(404,)),
        "patch": _op("Update a line", _entity("PaymentRead"), [*params, _IF_MATCH],
                     body="PaymentUpdate", errors=(404, 409, 413, 415)),
        "delete": _op("Delete a line", {"204": {"description": "Deleted"}},
                      [*params, _IF_MATCH], errors=(404, 409)),
    }


def _op(summary: str, responses: dict[str, Any], params: list[dict[str, Any]] | None = None,
        *, query: bool = False, expand: bool = False, body: str | None = None,
        errors: tuple[int, ...] = ()) -> dict[str, Any]:
    parameters = list(params or [])
    if query:
        parameters.extend(_QUERY)
    if expand:
        parameters.append({"name": "$expand", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["customerPayments"]}})
    op: dict[str, Any] = {"summary": summary, "parameters": parameters,
                          "responses": {**responses, **_errors(*errors)}}
    if body is not None:
        op["requestBody"] = _body(body)
    return op

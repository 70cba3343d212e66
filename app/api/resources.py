"""The API's resources: one request (``Call``) in, one answer (``Reply``) out, through the
services only. No HTTP server here: app/api/app.py feeds it from Starlette, app/api/batch.py
from the parts of a ``$batch``.

Paths come in Business Central's key syntax (``companies({id})/customerPaymentJournals({id})``)
under ``/api/v2.0/`` and ``/api/v1.0/``, or in the seed's Graph form with keys as segments
(``/financials/companies/{id}/customerPaymentJournals/{id}``). Both parse into the same
list of (name, key) segments.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from app.api import aged
from app.api.errors import (
    INVALID_TOKEN,
    ApiError,
    from_domain,
    from_exception,
    method_not_allowed,
    not_found_url,
)
from app.db import Database
from app.domain import odata as q
from app.domain.errors import DomainError, Invalid, NotFound
from app.domain.schemas import (
    ApiModel,
    ApiRead,
    JournalCreate,
    JournalRead,
    JournalUpdate,
    PaymentCreate,
    PaymentUpdate,
    parse_etag,
)
from app.domain.validation import parse
from app.services import accounts, journals, payments, posting
from app.services import odata as lists

V1, V2, GRAPH = "v1.0", "v2.0", "graph"
READ_ONLY_NUMBER = "Control 'balancingAccountNumber' is read-only."
DEEP_PATCH = ("customerPayments cannot be changed by a PATCH of the journal: deep update is "
              "not supported. PATCH each line at its own URL.")
MAX_PAGE = lists.MAX_PAGE
_SAFE = "$'(),:"

ENTITY_SETS = ("companies", "accounts", "customers", "salesInvoices", "customerPaymentJournals",
               "customerPayments", "customerLedgerEntries", "generalLedgerEntries",
               "agedAccountsReceivables")
NAVIGATION = ("account", "Microsoft.NAV.post")
NAMES = frozenset(ENTITY_SETS + NAVIGATION)
INT_KEYED = frozenset({"customerLedgerEntries", "generalLedgerEntries"})
READ_ONLY_SETS = frozenset({"accounts", "customers", "salesInvoices", "customerLedgerEntries",
                            "generalLedgerEntries"})
QUERY_OPTIONS = frozenset({"$filter", "$select", "$orderby", "$top", "$skip", "$expand",
                           "$skiptoken", "$schemaversion", "$format"})
ODATA_TYPES = {"account": "#microsoft.graph.account"}


@dataclass
class Call:
    method: str
    path: str  # below the service root: "companies(...)/customerPayments"
    version: str  # V1 | V2 | GRAPH
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    root: str = ""  # the absolute service root URL, ending in "/"


@dataclass
class Reply:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


# --- paths ---------------------------------------------------------------------------------

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z][\w.]*)(?:\((?P<key>[^()]*)\))?$")


def _key(text: str) -> str:
    text = text.strip()
    if text.startswith("id="):
        text = text[3:]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return text


def parse_path(path: str, version: str) -> list[tuple[str, str | None]]:
    """The (name, key) segments of a resource path; 404 for one that names nothing."""
    raw = [s for s in path.split("/") if s]
    segments: list[tuple[str, str | None]] = []
    if version == GRAPH:
        for part in raw:
            if part in NAMES:
                segments.append((part, None))
            elif part == "$ref" and segments:
                continue  # the seed page writes POST .../customerPaymentJournals/$ref
            elif segments and segments[-1][1] is None and segments[-1][0] in ENTITY_SETS:
                segments[-1] = (segments[-1][0], _key(part))
            else:
                raise not_found_url(path)
        return segments
    for part in raw:
        m = _SEGMENT.match(part)
        if m is None or m.group("name") not in NAMES:
            raise not_found_url(path)
        key = m.group("key")
        segments.append((m.group("name"), _key(key) if key is not None else None))
    return segments


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ApiError(400, "BadRequest_InvalidRequestUrl",
                       f"The key of {what} must be a GUID, not '{text}'.") from None


# --- output --------------------------------------------------------------------------------

def entity_json(item: ApiModel, version: str, kind: str) -> dict[str, Any]:
    """An entity as this API version shows it."""
    if isinstance(item, ApiRead):
        data = item.to_json()
    else:
        data = item.model_dump(mode="json")
        if kind in ODATA_TYPES:
            data = {"@odata.type": ODATA_TYPES[kind], **data}
    if kind == "customerPayments":
        if version == V2:
            data.pop("contactId", None)  # v2.0 has none (bc-model.md 1.5)
        else:
            data.pop("journalId", None)  # v1.0 and the Graph form have none
    return data


def _selected(data: dict[str, Any], select: list[str] | None, kind: str,
              expanded: tuple[str, ...] = ()) -> dict[str, Any]:
    if select is None:
        return data
    unknown = [name for name in select if name not in data and name not in expanded]
    if unknown:
        raise ApiError(400, "BadRequest",
                       f"Could not find a property named '{unknown[0]}' on type "
                       f"'{kind}' ($select).")
    keep = set(select) | set(expanded)
    return {k: v for k, v in data.items() if k.startswith("@odata.") or k in keep}


# --- the request's options -----------------------------------------------------------------

@dataclass
class Options:
    filter: q.Node | None
    select: list[str] | None
    orderby: list[tuple[str, bool]]
    top: int | None
    skip: int
    skiptoken: int  # entities already served by the pages before
    after_line: int | None  # keyset: the last line number served (a journal in line order)
    expand: tuple[str, ...]
    maxpagesize: int | None


def options_of(call: Call) -> Options:
    unknown = sorted(k for k in call.query if k.startswith("$") and k not in QUERY_OPTIONS)
    if unknown:
        raise ApiError(400, "BadRequest",
                       f"The query option {unknown[0]} is not supported. Supported: "
                       f"{', '.join(sorted(QUERY_OPTIONS))}.")
    try:
        expand = tuple(q.parse_select(call.query.get("$expand")) or ())
        for name in expand:
            if name != "customerPayments":
                raise Invalid(f"$expand supports customerPayments (on customerPaymentJournals)"
                              f", not '{name}'.", field="$expand")
        token = call.query.get("$skiptoken")
        return Options(
            filter=q.parse_filter(call.query.get("$filter")),
            select=q.parse_select(call.query.get("$select")),
            orderby=q.parse_orderby(call.query.get("$orderby")),
            top=q.parse_count(call.query.get("$top"), "$top"),
            skip=q.parse_count(call.query.get("$skip"), "$skip") or 0,
            skiptoken=_served(token),
            after_line=_after_line(token),
            expand=expand,
            maxpagesize=_maxpagesize(call.headers.get("prefer", "")),
        )
    except DomainError as exc:
        raise from_domain(exc, validation=True) from None


def _served(token: str | None) -> int:
    if token is None:
        return 0
    if token.startswith("L") and "." in token:  # L<last line number>.<served>
        return q.parse_count(token.split(".", 1)[1], "$skiptoken") or 0
    return q.parse_count(token, "$skiptoken") or 0


def _after_line(token: str | None) -> int | None:
    if token is None or not token.startswith("L"):
        return None
    value = q.parse_count(token[1:].split(".", 1)[0], "$skiptoken")
    if value is None or "." not in token:
        raise Invalid(f"$skiptoken '{token}' is not one this server gave.", field="$skiptoken")
    return value


def _maxpagesize(prefer: str) -> int | None:
    for part in prefer.split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "odata.maxpagesize":
            text = value.strip().strip('"')
            if not text.isdigit() or int(text) < 1:
                raise ApiError(400, "BadRequest",
                               f"Prefer: odata.maxpagesize must be a whole number above 0, "
                               f"not '{text}'.")
            return min(int(text), MAX_PAGE)
    return None


def _body(call: Call) -> dict[str, Any]:
    if not call.body:
        raise ApiError(400, "BadRequest", "The request needs a JSON body.")
    ctype = call.headers.get("content-type", "application/json")
    if "json" not in ctype.lower():
        raise ApiError(415, "BadRequest_UnsupportedMediaType",
                       f"The Content-Type must be application/json, not '{ctype}'.")
    try:
        data = json.loads(call.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "BadRequest",
                       f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "BadRequest", "The request body must be a JSON object.")
    return data


def _parse(model: Any, data: Any, prefix: str = "") -> Any:
    try:
        return parse(model, data)
    except DomainError as exc:
        raise from_domain(exc.with_prefix(prefix) if prefix else exc, validation=True) from None


def _version_of(call: Call) -> int | None:
    value = call.headers.get("if-match")
    if value is None or not value.strip():
        raise ApiError(400, "BadRequest_InvalidToken", INVALID_TOKEN)
    try:
        return parse_etag(value)
    except ValueError:
        raise ApiError(400, "BadRequest_InvalidToken", INVALID_TOKEN) from None


# --- dispatch ------------------------------------------------------------------------------

def handle(db: Database, call: Call) -> Reply:
    """Answer one request (errors as BC's error body)."""
    try:
        return _route(db, call)
    except Exception as exc:  # every failure becomes BC's error body, never a traceback
        err = from_exception(exc)
        return Reply(err.status, err.body(), err.headers)


def _route(db: Database, call: Call) -> Reply:
    if call.path.strip("/") == "$batch":
        raise method_not_allowed(call.method, "$batch")
    segments = parse_path(call.path, call.version)
    if not segments or segments[0][0] != "companies":
        raise not_found_url(call.path)
    opts = options_of(call)
    name, key = segments[0]
    if len(segments) == 1:
        if call.method != "GET":
            raise method_not_allowed(call.method, "companies")
        if key is None:
            return _list(db, call, opts, "companies", lists.Scope())
        return _one(call, opts, "companies",
                    lists.get_one(db, "companies", lists.Scope(), _uuid(key, "companies")))
    if key is None:
        raise not_found_url(call.path)
    company_id = _uuid(key, "companies")
    name, key = segments[1]
    scope = lists.Scope(company_id)
    rest = segments[2:]
    if name == aged.NAME:
        return _aged(db, call, opts, company_id, key, rest)
    if name in READ_ONLY_SETS:
        if rest:
            raise not_found_url(call.path)
        if call.method != "GET":
            raise method_not_allowed(call.method, name)
        if key is None:
            return _list(db, call, opts, name, scope)
        item_key: Any = _int_key(key, name) if name in INT_KEYED else _uuid(key, name)
        return _one(call, opts, name, lists.get_one(db, name, scope, item_key))
    if name == "customerPaymentJournals":
        return _journals(db, call, opts, company_id, key, rest)
    if name == "customerPayments":
        if rest:
            raise not_found_url(call.path)
        return _payments(db, call, opts, company_id, None,
                         _uuid(key, name) if key is not None else None)
    raise not_found_url(call.path)


def _aged(db: Database, call: Call, opts: Options, company_id: uuid.UUID, key: str | None,
          rest: list[tuple[str, str | None]]) -> Reply:
    """The read-only agedAccountsReceivables page (app/api/aged.py)."""
    if rest:
        raise not_found_url(call.path)
    if call.method != "GET":
        raise method_not_allowed(call.method, aged.NAME)
    aged.check(call, opts)
    if key is not None:
        customer = aged.customer_of(db, company_id, _uuid(key, aged.NAME))
        return _one(call, opts, aged.NAME, aged.rows(db, company_id, opts, customer)[0])
    lists.get_one(db, "companies", lists.Scope(), company_id)  # an unknown company: 404
    values = aged.rows(db, company_id, opts)
    end = None if opts.top is None else opts.skip + opts.top
    data = [_selected(entity_json(v, call.version, aged.NAME), opts.select, aged.NAME)
            for v in values[opts.skip:end]]
    return Reply(200, {"@odata.context": _context(call, aged.NAME), "value": data})


def _int_key(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise ApiError(400, "BadRequest_InvalidRequestUrl",
                       f"The key of {what} must be a whole number, not '{text}'.")
    return int(text)


def _journals(db: Database, call: Call, opts: Options, company_id: uuid.UUID, key: str | None,
              rest: list[tuple[str, str | None]]) -> Reply:
    kind = "customerPaymentJournals"
    if key is None:
        if rest:
            raise not_found_url(call.path)
        if call.method == "GET":
            return _list(db, call, opts, kind, lists.Scope(company_id))
        if call.method == "POST":
            return _create_journal(db, call, company_id)
        raise method_not_allowed(call.method, kind)
    journal_id = _uuid(key, kind)
    if not rest:
        if call.method == "GET":
            return _one(call, opts, kind, journals.get(db, company_id, journal_id),
                        db=db, company_id=company_id)
        if call.method == "PATCH":
            data = _body(call)
            version = _version_of(call)
            if "customerPayments" in data:
                raise ApiError(400, "BadRequest_InvalidOperation", DEEP_PATCH)
            _check_journal_body(call, data)
            update = _parse(JournalUpdate, data)
            return _one(call, opts, kind, journals.update(db, company_id, journal_id, update,
                                                           version=version))
        if call.method == "DELETE":
            version = _version_of(call)
            journals.delete(db, company_id, journal_id, version=version)
            return Reply(204)
        raise method_not_allowed(call.method, kind)
    (sub, sub_key), *deeper = rest
    if deeper:
        raise not_found_url(call.path)
    if sub == "customerPayments":
        try:
            return _payments(db, call, opts, company_id, journal_id,
                             _uuid(sub_key, sub) if sub_key is not None else None)
        except NotFound as exc:
            if exc.field == "journalId":  # the URL's journal: 404, not a rule of the body
                raise ApiError(404, "Internal_RecordNotFound", exc.message) from None
            raise
    if sub == "account" and sub_key is None:
        if call.method != "GET":
            raise method_not_allowed(call.method, "account")
        journal = journals.get(db, company_id, journal_id)
        if journal.balancing_account_id is None:
            raise ApiError(404, "Internal_RecordNotFound",
                           f"Journal {journal.code} has no balancing G/L account.")
        return _one(call, opts, "account",
                    accounts.get(db, company_id, journal.balancing_account_id))
    if sub == "Microsoft.NAV.post" and sub_key is None:
        if call.method != "POST":
            raise method_not_allowed(call.method, "Microsoft.NAV.post")
        journals.get(db, company_id, journal_id)  # an unknown journal: 404
        posting.post(db, company_id, journal_id)
        return Reply(204)
    raise not_found_url(call.path)


def _check_journal_body(call: Call, data: dict[str, Any]) -> None:
    if call.version != GRAPH and "balancingAccountNumber" in data:
        # Read-only in v1.0 and v2.0 (bc-api-v2.md 1): refused before any lookup.
        raise ApiError(400, "BadRequest_InvalidOperation", READ_ONLY_NUMBER)


def _check_payment_body(call: Call, data: dict[str, Any]) -> None:
    if call.version == V2 and "contactId" in data:
        raise ApiError(400, "BadRequest",
                       "contactId is not a property of customerPayment in API v2.0 (it is in "
                       "v1.0).")
    if call.version != V2 and "journalId" in data:
        raise ApiError(400, "BadRequest",
                       f"journalId is not a property of customerPayment in "
                       f"{'API v1.0' if call.version == V1 else 'this API'} (it is in v2.0).")


def _create_journal(db: Database, call: Call, company_id: uuid.UUID) -> Reply:
    data = _body(call)
    lines_data = data.pop("customerPayments", None)
    _check_journal_body(call, data)
    create = _parse(JournalCreate, data)
    if lines_data is None:
        journal = journals.create(db, company_id, create)
        return _created(call, "customerPaymentJournals", journal)
    if not isinstance(lines_data, list) or not all(isinstance(x, dict) for x in lines_data):
        raise ApiError(400, "BadRequest", "customerPayments must be a list of objects.")
    lines: list[PaymentCreate] = []
    for index, line in enumerate(lines_data):
        _check_payment_body(call, line)
        lines.append(_parse(PaymentCreate, line, f"customerPayments[{index}]"))

    def deep(tx: Database) -> tuple[JournalRead, list[ApiModel]]:
        made = journals.create(tx, company_id, create)
        written: list[ApiModel] = []
        for index, line in enumerate(lines):
            try:
                written.append(payments.create(tx, company_id, made.id, line))
            except DomainError as exc:
                raise exc.with_prefix(f"customerPayments[{index}]") from None
        return journals.get(tx, company_id, made.id), written

    journal, written = lists.in_one_transaction(db, deep)
    reply = _created(call, "customerPaymentJournals", journal)
    assert reply.body is not None
    reply.body["customerPayments"] = [entity_json(p, call.version, "customerPayments")
                                      for p in written]
    return reply


def _payments(db: Database, call: Call, opts: Options, company_id: uuid.UUID,
              journal_id: uuid.UUID | None, payment_id: uuid.UUID | None) -> Reply:
    kind = "customerPayments"
    if payment_id is None:
        if call.method == "GET":
            wanted = journal_id
            if wanted is None:
                try:
                    wanted = lists.journal_of_filter(opts.filter)
                except DomainError as exc:
                    raise from_domain(exc, validation=True) from None
                if wanted is None:
                    raise ApiError(400, "Application_DialogException",
                                   lists.JOURNAL_FILTER_NEEDED)
            return _list(db, call, opts, kind, lists.Scope(company_id, wanted))
        if call.method == "POST":
            data = _body(call)
            _check_payment_body(call, data)
            create = _parse(PaymentCreate, data)
            target = journal_id or create.journal_id
            if target is None:
                raise ApiError(400, "Application_DialogException", lists.JOURNAL_FILTER_NEEDED)
            return _created(call, kind, payments.create(db, company_id, target, create))
        raise method_not_allowed(call.method, kind)
    if call.method not in ("GET", "PATCH", "DELETE"):
        raise method_not_allowed(call.method, kind)
    version = _version_of(call) if call.method != "GET" else None
    current = lists.payment(db, company_id, payment_id)
    if journal_id is not None and current.journal_id != journal_id:
        raise NotFound(f"The customer payment with ID {payment_id} cannot be found in this "
                       "journal.", field="id")
    if call.method == "GET":
        return _one(call, opts, kind, current)
    if call.method == "PATCH":
        data = _body(call)
        _check_payment_body(call, data)
        update = _parse(PaymentUpdate, data)
        return _one(call, opts, kind, payments.update(db, company_id, payment_id, update,
                                                       version=version))
    payments.delete(db, company_id, payment_id, version=version)
    return Reply(204)


def _context(call: Call, kind: str, entity: bool = False) -> str:
    path = call.path.strip("/")
    if entity:
        path = path.rsplit("(", 1)[0] if path.endswith(")") else path
        return f"{call.root}$metadata#{path}/$entity"
    return f"{call.root}$metadata#{path}"


def _created(call: Call, kind: str, item: ApiModel) -> Reply:
    data = {"@odata.context": f"{call.root}$metadata#{call.path.strip('/')}/$entity",
            **entity_json(item, call.version, kind)}
    headers = {"ETag": item.etag} if isinstance(item, ApiRead) else {}
    item_id = getattr(item, "id", None)
    if item_id is not None:
        base = call.path.strip("/").removesuffix("/$ref")
        location = (f"{call.root}{base}/{item_id}" if call.version == GRAPH
                    else f"{call.root}{base}({item_id})")
        headers["Location"] = location
    return Reply(201, data, headers)


def _one(call: Call, opts: Options, kind: str, item: ApiModel, *, db: Database | None = None,
         company_id: uuid.UUID | None = None) -> Reply:
    data = {"@odata.context": _context(call, kind, entity=True),
            **entity_json(item, call.version, kind)}
    if opts.expand and kind == "customerPaymentJournals" and db is not None \
            and company_id is not None:
        lines = lists.journal_lines(db, company_id, [item.id])  # type: ignore[attr-defined]
        data["customerPayments"] = [entity_json(p, call.version, "customerPayments")
                                    for p in lines[item.id]]  # type: ignore[attr-defined]
    elif opts.expand:
        raise ApiError(400, "BadRequest", f"$expand=customerPayments is not valid on {kind}.")
    headers = {"ETag": item.etag} if isinstance(item, ApiRead) else {}
    return Reply(200, _selected(data, opts.select, kind, opts.expand), headers)


def _list(db: Database, call: Call, opts: Options, kind: str, scope: lists.Scope) -> Reply:
    if opts.expand and kind != "customerPaymentJournals":
        raise ApiError(400, "BadRequest", f"$expand=customerPayments is not valid on {kind}.")
    page_size = opts.maxpagesize or MAX_PAGE
    remaining = None if opts.top is None else max(0, opts.top - opts.skiptoken)
    limit = page_size if remaining is None else min(page_size, remaining)
    # A journal in line order pages by key (lines after the last one served): each page
    # costs the same wherever it is in a million lines. Other orders page by position.
    keyset = kind == "customerPayments" and opts.orderby in ([], [("lineNumber", False)])
    where, skip = opts.filter, opts.skip + opts.skiptoken
    if keyset and opts.after_line is not None:
        after = q.Compare(q.Prop("lineNumber"), "gt", opts.after_line)
        where = after if where is None else q.And((where, after))
        skip = 0
    try:
        page = lists.list_page(db, kind, scope, filter=where, orderby=opts.orderby,
                               skip=skip, limit=limit)
    except Invalid as exc:
        raise from_domain(exc, validation=True) from None
    values = [entity_json(item, call.version, kind) for item in page.items]
    if opts.expand and scope.company_id is not None:
        ids = [item.id for item in page.items]  # type: ignore[attr-defined]
        lines = lists.journal_lines(db, scope.company_id, ids)
        for value, journal_id in zip(values, ids, strict=True):
            value["customerPayments"] = [entity_json(p, call.version, "customerPayments")
                                         for p in lines[journal_id]]
    values = [_selected(v, opts.select, kind, opts.expand) for v in values]
    body: dict[str, Any] = {"@odata.context": _context(call, kind), "value": values}
    headers: dict[str, str] = {}
    if opts.maxpagesize is not None:
        headers["Preference-Applied"] = f"odata.maxpagesize={opts.maxpagesize}"
    more = page.more and (remaining is None or len(values) < remaining)
    if more:
        query = dict(call.query)
        served = opts.skiptoken + len(values)
        last = page.items[-1] if page.items else None
        if keyset and last is not None:
            query.pop("$skip", None)  # the key already says where the next page starts
            query["$skiptoken"] = f"L{last.line_number}.{served}"  # type: ignore[attr-defined]
        else:
            query["$skiptoken"] = str(served)
        link = urlencode(query, safe=_SAFE)
        body["@odata.nextLink"] = f"{call.root}{call.path.strip('/')}?{link}"
    return Reply(200, body, headers)


Handler = Callable[[Database, Call], Reply]

"""``$batch`` in Business Central's JSON format (OData 4.01 JSON batch).

Request: ``{"requests": [{"id", "method", "url", "headers"?, "body"?}, ...]}``, at most 100.
Each ``url`` is relative to the service root (``companies(...)/customerPayments``) or absolute
below it. Answer: 200 with ``{"responses": [{"id", "status", "headers", "body"?}, ...]}``,
each part with its own status and, on failure, BC's error body.

Without ``Isolation: snapshot`` every part succeeds or fails on its own, as if sent alone (each
is a savepoint; those that worked are committed together at the end). With it, the parts
share one transaction: when one fails, everything is rolled back; that part keeps
its error, the parts before it answer 424 Failed Dependency (their work was undone) and the
parts after it are not run (424 too).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from app.api.errors import ApiError, error_body
from app.api.resources import Call, Reply
from app.api.resources import handle as handle_one
from app.db import Database
from app.services import odata as lists

MAX_REQUESTS = 100
ROLLED_BACK = ("The batch was run with Isolation: snapshot and request {failed} failed: "
               "this request's work was rolled back.")
NOT_RUN = ("The batch was run with Isolation: snapshot and request {failed} failed: this "
           "request was not run.")


class _RolledBack(Exception):
    def __init__(self, index: int, reply: Reply) -> None:
        super().__init__(index)
        self.index = index
        self.reply = reply


def _parts(call: Call) -> list[dict[str, Any]]:
    ctype = call.headers.get("content-type", "application/json")
    if "json" not in ctype.lower():
        raise ApiError(415, "BadRequest_UnsupportedMediaType",
                       "$batch takes the JSON format: Content-Type: application/json.")
    try:
        data = json.loads(call.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "BadRequest", f"The $batch body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("requests"), list):
        raise ApiError(400, "BadRequest",
                       'The $batch body must be {"requests": [...]} (the JSON batch format).')
    requests = data["requests"]
    if len(requests) > MAX_REQUESTS:
        raise ApiError(400, "BadRequest",
                       f"A $batch holds at most {MAX_REQUESTS} requests, not {len(requests)}.")
    for index, part in enumerate(requests):
        if not isinstance(part, dict) or not isinstance(part.get("method"), str) \
                or not isinstance(part.get("url"), str):
            raise ApiError(400, "BadRequest",
                           f"requests[{index}] needs a method and a url.")
        if part.get("headers") is not None and not isinstance(part["headers"], dict):
            raise ApiError(400, "BadRequest", f"requests[{index}].headers must be an object.")
    return requests


def _inner(call: Call, part: dict[str, Any]) -> Call:
    url = part["url"]
    split = urlsplit(url)
    path = split.path
    root_path = urlsplit(call.root).path  # /api/v2.0/
    if path.startswith(root_path):
        path = path[len(root_path):]
    elif path.startswith("/"):
        path = path.lstrip("/")
    headers = {str(k).lower(): str(v) for k, v in (part.get("headers") or {}).items()}
    body = part.get("body")
    raw = b"" if body is None else json.dumps(body).encode("utf-8")
    if body is not None:
        headers.setdefault("content-type", "application/json")
    return Call(method=part["method"].upper(), path=path, version=call.version,
                query=dict(parse_qsl(split.query, keep_blank_values=True)), headers=headers,
                body=raw, root=call.root)


def _answer(part: dict[str, Any], reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(part.get("id", "")), "status": reply.status,
                           "headers": {"content-type": "application/json",
                                       **{k.lower(): v for k, v in reply.headers.items()}}}
    if reply.body is not None:
        out["body"] = reply.body
    else:
        out["headers"].pop("content-type")
    return out


def handle(db: Database, call: Call) -> Reply:
    try:
        parts = _parts(call)
    except ApiError as err:
        return Reply(err.status, err.body(), err.headers)
    snapshot = call.headers.get("isolation", "").strip().lower() == "snapshot"
    if not snapshot:
        # Each part succeeds or fails on its own (a savepoint each); the parts that worked
        # are committed together at the end, one commit instead of a hundred.
        try:
            answers = lists.in_one_transaction(
                db, lambda tx: [_answer(p, handle_one(tx, _inner(call, p))) for p in parts],
                savepoints=True)
        except Exception as exc:  # the commit failed (disk full, busy): nothing written
            from app.api.errors import from_exception

            failure = from_exception(exc)
            return Reply(failure.status, failure.body(), failure.headers)
        return Reply(200, {"responses": answers})

    done: list[tuple[dict[str, Any], Reply]] = []

    def run_all(tx: Database) -> None:
        for index, part in enumerate(parts):
            reply = handle_one(tx, _inner(call, part))
            if reply.status >= 400:
                raise _RolledBack(index, reply)
            done.append((part, reply))

    try:
        lists.in_one_transaction(db, run_all)
    except _RolledBack as failed:
        name = str(parts[failed.index].get("id", failed.index))
        answers = []
        for index, part in enumerate(parts):
            if index == failed.index:
                answers.append(_answer(part, failed.reply))
                continue
            text = (ROLLED_BACK if index < failed.index else NOT_RUN).format(failed=name)
            answers.append(_answer(part, Reply(424, error_body("BadRequest_FailedDependency",
                                                               text))))
        return Reply(200, {"responses": answers})
    except Exception as exc:  # the commit itself failed (disk full, busy): nothing written
        from app.api.errors import from_exception

        failure = from_exception(exc)
        return Reply(failure.status, failure.body(), failure.headers)
    return Reply(200, {"responses": [_answer(p, r) for p, r in done]})

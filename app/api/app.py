"""The ASGI application (Starlette): security checks, then app/api/resources.py.

Every request, in this order:
1. ``Host`` must name a loopback address (or the host the server was explicitly bound to):
   a web page cannot reach the books through DNS rebinding. There is no CORS: browsers get
   no ``Access-Control-*`` header, so no other origin can read an answer.
2. ``Authorization: Bearer TOKEN``, compared in constant time (``hmac.compare_digest``);
   else 401 ``Authentication_InvalidCredentials``.
3. A body over ``max_body`` bytes: 413 (checked on Content-Length and while reading).
Services run in a worker thread, so a long posting never stalls other requests' I/O (a GET of
one entity by key, about a millisecond, is answered on the event loop).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.api import resources
from app.api.errors import ApiError, error_body
from app.db import Database

MAX_BODY = 16 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
BAD_TOKEN = ("The server has rejected the client credentials: send "
             "'Authorization: Bearer <token>' with the token the server printed at start.")


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    text = header.strip()
    if text.startswith("["):  # [::1]:7048
        return text[1:text.find("]")] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def _json(status: int, body: dict[str, Any] | None,
          headers: dict[str, str] | None = None) -> Response:
    if body is None:
        return Response(status_code=status, headers=headers)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status_code=status, headers=headers,
                    media_type="application/json; odata.metadata=minimal")


def _error(err: ApiError) -> Response:
    return _json(err.status, err.body(), err.headers)


class Api:
    """The application and what it needs: the database, the token, the limits."""

    def __init__(self, db: Database, token: str, *, max_body: int = MAX_BODY,
                 allowed_hosts: frozenset[str] = frozenset()) -> None:
        self.db = db
        self._token = token.encode("utf-8")
        self.max_body = max_body
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        routes = [
            Route("/api/openapi.json", self.openapi, methods=["GET"]),
            Route("/api/{version:str}/$batch", self.batch, methods=["POST"]),
            Route("/api/{version:str}/{path:path}", self.resource,
                  methods=["GET", "POST", "PATCH", "DELETE", "PUT"]),
            Route("/financials/{path:path}", self.graph,
                  methods=["GET", "POST", "PATCH", "DELETE", "PUT"]),
        ]
        self.app = Starlette(routes=routes)
        self.app.add_exception_handler(404, self._not_found)
        self.app.add_exception_handler(405, self._not_allowed)
        self._openapi: bytes | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    # --- checks ----------------------------------------------------------------------------
    def _refusal(self, request: Request) -> ApiError | None:
        host = _host_name(request.headers.get("host", ""))
        if not (is_loopback(host) or host.lower() in self.allowed_hosts):
            return ApiError(403, "Authorization_HostNotAllowed",
                            f"The Host header '{host}' does not name this server's loopback "
                            "address; the request is refused (DNS rebinding protection).")
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode("utf-8"), self._token):
            return ApiError(401, "Authentication_InvalidCredentials", BAD_TOKEN,
                            {"WWW-Authenticate": 'Bearer realm="Ledgerdesk"'})
        return None

    async def _read_body(self, request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            raise ApiError(413, "BadRequest_RequestTooLarge", self._too_large())
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise ApiError(413, "BadRequest_RequestTooLarge", self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return (f"The request body is larger than the server accepts "
                f"({self.max_body:,} bytes).")

    async def _call(self, request: Request, version: str, path: str) -> resources.Call | Response:
        refused = self._refusal(request)
        if refused is not None:
            return _error(refused)
        try:
            body = await self._read_body(request)
        except ApiError as err:
            return _error(err)
        root = str(request.base_url) + (
            "financials/" if version == resources.GRAPH else f"api/{version}/")
        return resources.Call(
            method=request.method, path=path, version=version,
            query=dict(request.query_params), body=body, root=root,
            headers={k.lower(): v for k, v in request.headers.items()})

    # --- endpoints -------------------------------------------------------------------------
    async def resource(self, request: Request) -> Response:
        version = request.path_params["version"]
        if version not in (resources.V1, resources.V2):
            return _error(ApiError(404, "BadRequest_NotFound",
                                   f"There is no API version '{version}': use v2.0 or v1.0."))
        return await self._answer(request, version, request.path_params["path"])

    async def graph(self, request: Request) -> Response:
        return await self._answer(request, resources.GRAPH, request.path_params["path"])

    async def _answer(self, request: Request, version: str, path: str) -> Response:
        call = await self._call(request, version, path)
        if isinstance(call, Response):
            return call
        if call.method == "GET" and call.path.endswith(")") and not call.query:
            # One entity by key: a millisecond of work, answered on the event loop (the
            # worker-thread hop would cost as much again); lists and writes go to a thread.
            reply = resources.handle(self.db, call)
        else:
            reply = await run_in_threadpool(resources.handle, self.db, call)
        return _json(reply.status, reply.body, reply.headers)

    async def batch(self, request: Request) -> Response:
        from app.api import batch

        version = request.path_params["version"]
        if version not in (resources.V1, resources.V2):
            return _error(ApiError(404, "BadRequest_NotFound",
                                   f"There is no API version '{version}': use v2.0 or v1.0."))
        call = await self._call(request, version, "$batch")
        if isinstance(call, Response):
            return call
        reply = await run_in_threadpool(batch.handle, self.db, call)
        return _json(reply.status, reply.body, reply.headers)

    async def openapi(self, request: Request) -> Response:
        host = _host_name(request.headers.get("host", ""))
        if not (is_loopback(host) or host.lower() in self.allowed_hosts):
            refused = self._refusal(request)
            assert refused is not None
            return _error(refused)
        if self._openapi is None:
            from app.api.openapi import document

            self._openapi = json.dumps(document(), indent=1).encode("utf-8")
        return Response(self._openapi, media_type="application/json")

    async def _not_found(self, request: Request, _exc: Exception) -> Response:
        refused = self._refusal(request)
        if refused is not None:
            return _error(refused)
        return _json(404, error_body("BadRequest_NotFound",
                                     "No HTTP resource was found that matches the request URI "
                                     f"'{request.url.path}'."))

    async def _not_allowed(self, request: Request, _exc: Exception) -> Response:
        refused = self._refusal(request)
        if refused is not None:
            return _error(refused)
        return _json(405, error_body("BadRequest_MethodNotAllowed",
                                     f"'{request.method}' is not allowed on "
                                     f"'{request.url.path}'."))


def create_app(db: Database, token: str, **kwargs: Any) -> Api:
    return Api(db, token, **kwargs)

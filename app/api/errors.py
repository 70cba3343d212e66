"""Errors in Business Central's body, ``{"error": {"code": ..., "message": ...}}``, with the
status BC answers. Domain errors carry their BC code (app/domain/errors.py); environment
problems get a plain message (503 when trying again may help); a bug gets 500 and a plain
message, its traceback only in the server's log."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import (
    Conflict,
    DatabaseBusy,
    DomainError,
    EnvironmentProblem,
    Invalid,
    NotFound,
    ServerUnavailable,
    StaleWrite,
)

log = logging.getLogger("ledgerdesk.api")

INVALID_TOKEN = ("Could not validate the client concurrency token required by the service. "
                 "Please provide a valid token in the client request (If-Match).")
UNEXPECTED = "An unexpected error occurred on the server; nothing was saved. See the server log."


@dataclass
class ApiError(Exception):
    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message)


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def not_found_url(path: str) -> ApiError:
    return ApiError(404, "BadRequest_NotFound",
                    f"No HTTP resource was found that matches the request URI '{path}'.")


def method_not_allowed(method: str, what: str) -> ApiError:
    return ApiError(405, "BadRequest_MethodNotAllowed",
                    f"'{method}' requests for '{what}' of EdmEntityType are not allowed "
                    "within Dynamics 365 Business Central OData web services.")


# The URL's own key: an unknown one is 404 (Internal_RecordNotFound). A reference inside a
# body or a filter that names nothing is a business-rule answer (400), as BC gives.
URL_FIELDS = frozenset({"id", "companyId", None})


def from_domain(exc: DomainError, *, validation: bool = False) -> ApiError:
    """The status and BC code of a domain error."""
    if isinstance(exc, EnvironmentProblem):
        retry = isinstance(exc, DatabaseBusy | ServerUnavailable)
        return ApiError(503 if retry else 500, exc.code, exc.message,
                        {"Retry-After": "1"} if retry else {})
    if isinstance(exc, StaleWrite):
        return ApiError(409, "Request_EntityChanged", exc.message)
    if isinstance(exc, Conflict):
        return ApiError(409, "Internal_EntityWithSameKeyExists", exc.message)
    if isinstance(exc, NotFound):
        if exc.field in URL_FIELDS:
            return ApiError(404, "Internal_RecordNotFound", exc.message)
        return ApiError(400, "Application_DialogException", exc.message)
    if isinstance(exc, Invalid):
        # A body or option that does not parse is BadRequest; a service's rule is a dialog.
        return ApiError(400, "BadRequest" if validation else "Application_DialogException",
                        _all_messages(exc))
    return ApiError(400, exc.code, _all_messages(exc))


def _all_messages(exc: DomainError) -> str:
    messages = [e.message for e in exc.errors] or [exc.message]
    return " ".join(dict.fromkeys(messages))


def from_exception(exc: BaseException) -> ApiError:
    """Any exception as an answer: typed ones by their class, a bug as a plain 500."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, DomainError):
        return from_domain(exc)
    from app.db.errors import classify

    typed = classify(exc)
    if typed is not None:
        return from_domain(typed)
    log.exception("unexpected error while answering a request", exc_info=exc)
    return ApiError(500, "Internal_ServerError", UNEXPECTED)

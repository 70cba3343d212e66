"""Typed domain errors. Each carries the field it concerns and a message in the
accountant's words, close to Business Central's own, plus BC's API error code."""

from __future__ import annotations

from dataclasses import dataclass

CHANGED_BY_ANOTHER_USER = (
    "Another user has already changed the record. Reload it to see the change, then try again."
)


@dataclass(frozen=True)
class FieldError:
    field: str | None  # API property name (camelCase), or None for the whole record
    message: str


class DomainError(Exception):
    code = "Application_DialogException"

    def __init__(self, message: str, field: str | None = None,
                 errors: list[FieldError] | None = None) -> None:
        self.errors: list[FieldError] = errors or [FieldError(field, message)]
        self.field = field if errors is None else errors[0].field
        self.message = message
        super().__init__(message)

    def with_prefix(self, prefix: str) -> DomainError:
        """The same error, its messages prefixed by where it happened (a file record)."""
        errors = [FieldError(e.field, f"{prefix}: {e.message}") for e in self.errors]
        return type(self)(f"{prefix}: {self.message}", errors=errors)


class NotFound(DomainError):
    code = "Internal_RecordNotFound"


class Invalid(DomainError):
    code = "BadRequest"


class Conflict(DomainError):
    """A stale write (the record changed since it was read) or a duplicate key."""

    code = "Request_EntityChanged"


class StaleWrite(Conflict):
    """The record changed since the caller read it (its version moved on): never a silent
    overwrite. Typed, so no caller compares message texts to recognise it."""

    def __init__(self, message: str = "", field: str | None = "@odata.etag",
                 errors: list[FieldError] | None = None) -> None:
        super().__init__(message or CHANGED_BY_ANOTHER_USER, field=field, errors=errors)


class Blocked(DomainError):
    code = "Application_DialogException"



class EnvironmentProblem(DomainError):
    """Not the user's mistake and not a bug: the file, the disk or the server is in the way.
    Told to the user in plain words; never a crash dialog (app/db/errors.py classifies)."""

    code = "Internal_ServerError"


class DatabaseBusy(EnvironmentProblem):
    """Another program holds the write lock (SQLite) or a lock (PostgreSQL)."""

    code = "Internal_DatabaseBusy"


class DatabaseReadOnly(EnvironmentProblem):
    code = "Internal_DatabaseReadOnly"


class DiskFull(EnvironmentProblem):
    code = "Internal_DiskFull"


class DatabaseDamaged(EnvironmentProblem):
    code = "Internal_DatabaseDamaged"


class NoPermission(EnvironmentProblem):
    """The OS refuses the file, or the database role may not do this."""

    code = "Authorization_InsufficientPermissions"


class DriverMissing(EnvironmentProblem):
    code = "Internal_DriverMissing"


class ServerUnavailable(EnvironmentProblem):
    """The database server cannot be reached (PostgreSQL stopped, network gone)."""

    code = "Internal_ServerUnavailable"

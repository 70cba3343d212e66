"""The one seam through which the payment grid writes (create line, update cell, delete lines).

Every write of the grid goes through one method of ``PaymentGridEdits``, and each method is
one call of the gateway (app/ui/operations.py: one transaction, one undo step, the change-set
broadcast) that returns read models describing what it did:

- ``create_line()`` -> the new line (``payments.create``: Business Central's defaults);
- ``update_cell(line, field, value)`` -> the line after the change (``payments.update``,
  with the version the grid read, so a stale line is a StaleWrite, never an overwrite);
- ``delete_lines(lines)`` -> the lines as they were (``payments.delete_many``).

The payments model makes one when it has a gateway (``PaymentsModel.gateway``); without one
the grid is read-only. The grid never calls a service for a write by another path.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.db import Database
from app.domain.errors import Invalid, StaleWrite
from app.domain.schemas import PaymentCreate, PaymentRead, PaymentUpdate
from app.services import payments
from app.services.browse import PaymentRow

if TYPE_CHECKING:
    from app.ui.operations import Operations


class PaymentGridEdits:
    """The grid's writes, each one call of the gateway (``Operations``): one undo step per
    write, the change-set broadcast, an environment problem shown in a box."""

    def __init__(self, ops: Operations, db: Database, company_id: uuid.UUID,
                 journal_id: uuid.UUID) -> None:
        self.ops = ops
        self.db = db
        self.company_id = company_id
        self.journal_id = journal_id

    def _as_read(self, line: PaymentRow) -> PaymentRead:
        """The line as an Operations step needs it; StaleWrite if it changed since the grid
        read it (the grid's version is the one the user saw)."""
        current = payments.get(self.db, self.company_id, line.id)
        if current.version != line.version:
            raise StaleWrite()
        return current

    def create_line(self) -> PaymentRead:
        """A new line at the end of the journal, with the service's defaults."""
        return self.ops.create_line(self.company_id, self.journal_id, PaymentCreate())

    def update_cell(self, line: PaymentRow, field: str, value: Any) -> PaymentRead:
        """Set one property (API name) of a line; raises a DomainError and writes nothing
        when the value is refused."""
        try:
            data = PaymentUpdate.model_validate({field: value})
        except ValidationError as exc:
            raise Invalid(validation_message(exc), field=field) from None
        return self.ops.update_line(self.company_id, self._as_read(line), data)

    def delete_lines(self, lines: Sequence[PaymentRow], *,
                     undoable: bool = True) -> list[PaymentRead]:
        """Delete lines in one transaction; ``undoable=False``: no undo step (too many)."""
        if not undoable:  # the versions the grid read; no copies of the lines kept
            return self.ops.delete_lines(self.company_id, lines, keep_undo=False)
        before = [self._as_read(line) for line in lines]
        self.ops.delete_lines(self.company_id, before)
        return before


# The name the tests and older call sites know: every grid edit is undoable now.
UndoableGridEdits = PaymentGridEdits


def validation_message(exc: ValidationError) -> str:
    """A Pydantic error in the user's words (the first one; a cell has one value)."""
    error = exc.errors()[0]
    message = str(error.get("msg", "invalid value"))
    context = error.get("ctx") or {}
    if error.get("type") == "string_too_long":
        return f"The text is too long: at most {context.get('max_length')} characters."
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")

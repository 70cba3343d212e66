"""The one seam through which the payment grid writes (create line, update cell, delete lines).

Every write of the grid goes through one method of ``PaymentGridEdits``, and each method is
one service call (one transaction) that returns read models describing what it did:

- ``create_line()`` -> the new line (``payments.create``: Business Central's defaults);
- ``update_cell(line, field, value)`` -> the line after the change (``payments.update``,
  with the version the grid read, so a stale line is a Conflict, never an overwrite);
- ``delete_lines(lines)`` -> the lines as they were (``payments.delete_many``).

The undo stack (issue 4) plugs in here: subclass or wrap this class so each method pushes a
QUndoCommand whose redo() is the call below and whose undo() is its inverse
(``payments.delete_many`` of the created line; ``update_cell`` back to the old value with the
new version; ``payments.restore`` of the deleted lines), then set it as the model's
``edits``. The grid never calls a service for a write by another path.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from app.db import Database
from app.domain.errors import Invalid
from app.domain.schemas import PaymentCreate, PaymentRead, PaymentUpdate
from app.services import payments
from app.services.browse import PaymentRow


class PaymentGridEdits:
    def __init__(self, db: Database, company_id: uuid.UUID, journal_id: uuid.UUID) -> None:
        self.db = db
        self.company_id = company_id
        self.journal_id = journal_id

    def create_line(self) -> PaymentRead:
        """A new line at the end of the journal, with the service's defaults."""
        return payments.create(self.db, self.company_id, self.journal_id, PaymentCreate())

    def update_cell(self, line: PaymentRow, field: str, value: Any) -> PaymentRead:
        """Set one property (API name) of a line; raises a DomainError and writes nothing
        when the value is refused."""
        try:
            data = PaymentUpdate.model_validate({field: value})
        except ValidationError as exc:
            raise Invalid(validation_message(exc), field=field) from None
        return payments.update(self.db, self.company_id, line.id, data, version=line.version)

    def delete_lines(self, lines: Sequence[PaymentRow]) -> list[PaymentRead]:
        return payments.delete_many(self.db, self.company_id,
                                    {line.id: line.version for line in lines})


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

"""The undo step of a posting.

``PostStep`` ("Post Journal BANK") is pushed after a successful post. Its undo is the
reversal (issue 5 item 7): in ONE transaction (``posting.unpost``) the register is reversed
and the journal's lines come back with their ids, line numbers, versions and applications, so
its redo can post them again (a new register). When the reversal is refused (the register was
reversed from the G/L Registers list, the posting dates are closed now, ...) or a line cannot
come back (its line number was taken again, its customer deleted), the undo is refused with
the message and nothing changes, as every step of app/ui/undo.py.

Its undo and redo run on a worker thread behind a progress dialog through the gateway's
``run_long`` (app/ui/busy.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from app.ui.busy import Cancelled, run_busy
from app.ui.resources import PAYMENT
from app.ui.undo import Gateway, Step

if TYPE_CHECKING:
    from app.domain.ledger_schemas import RegisterRead
    from app.domain.schemas import PaymentRead

Applications = dict[uuid.UUID, list[tuple[int, Decimal]]]


class PostStep(Step):
    """"Post Journal BANK": undo reverses the register and puts the lines back; redo posts
    them again (refused if the journal's lines changed in between)."""

    kinds = ("payment", "journal", "invoice", "customer", "ledger")

    def __init__(self, ops: Gateway, parent_widget: QWidget | None, company_id: uuid.UUID,
                 journal_id: uuid.UUID, journal_code: str, register: RegisterRead,
                 lines: Sequence[PaymentRead], applications: Applications) -> None:
        super().__init__(ops, f"Post Journal {journal_code}")
        self.widget = parent_widget
        self.company_id, self.journal_id = company_id, journal_id
        self.register = register
        self.lines = list(lines)
        self.applications = applications

    def perform_undo(self) -> None:
        from app.services import posting

        db, number = self.ops.db, self.register.number

        def job(_progress: Callable[[str], None]) -> Any:
            return posting.unpost(db, self.company_id, number, self.lines, self.applications)

        _reversal, restored = self.ops.run_long("Undo", f"Reversing G/L Register {number} "
                                                "and putting the lines back…", job)
        self.lines = restored
        for line in restored:
            self.ops.book.wrote(line)

    def perform_redo(self) -> None:
        from app.services import posting

        expected = {line.id: self.ops.book.expect(PAYMENT, line, line.version)
                    for line in self.lines}
        db = self.ops.db

        def job(progress: Callable[[str], None]) -> RegisterRead:
            return posting.post(db, self.company_id, self.journal_id, progress=progress,
                                expected_lines=expected)

        self.register = self.ops.run_long("Redo", "Posting the journal lines again…", job)
        for line in self.lines:
            self.ops.book.gone(line.id)


__all__ = ["Cancelled", "PostStep", "run_busy"]

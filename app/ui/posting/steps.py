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
    from app.domain.ledger_schemas import ApplicationsRead, RegisterRead
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


Applied = list[tuple[int, Decimal]]  # (customer ledger entry id, amount to apply), sorted


def applied_of(read: ApplicationsRead) -> Applied:
    """What a payment line is applied to, as an Apply Entries step compares it."""
    return sorted((e.id, e.amount_to_apply) for e in read.entries if e.applied)


class ApplyStep(Step):
    """"Apply Entries of Payment Line 10000": undo puts the line's previous applications
    back, redo the new ones, each only if the applications are still as the step left them
    (else refused: they were changed in another window or program)."""

    kinds = ("application", "payment")

    def __init__(self, ops: Gateway, company_id: uuid.UUID, payment_id: uuid.UUID,
                 line_number: int, before: Applied, after: Applied) -> None:
        super().__init__(ops, f"Apply Entries of {PAYMENT.label} {line_number}")
        self.company_id, self.payment_id = company_id, payment_id
        self.line_number = line_number
        self.before, self.after = before, after

    def _put(self, expected: Applied, wanted: Applied) -> None:
        from app.domain.errors import Conflict
        from app.domain.ledger_schemas import ApplicationInput
        from app.services import applications

        db = self.ops.db
        now = applied_of(applications.open_entries(db, self.company_id, self.payment_id))
        if now != expected:
            raise Conflict(f"The applications of {PAYMENT.label.lower()} {self.line_number} "
                           "were changed after this step, so it cannot be taken back without "
                           "losing that change.")
        applications.set_applications(db, self.company_id, self.payment_id, [
            ApplicationInput(cust_ledger_entry_id=entry, amount_to_apply=amount)
            for entry, amount in wanted])

    def perform_undo(self) -> None:
        self._put(self.after, self.before)

    def perform_redo(self) -> None:
        self._put(self.before, self.after)


__all__ = ["ApplyStep", "Cancelled", "PostStep", "applied_of", "run_busy"]

"""Undo and redo of every change: one QUndoCommand per step, generic over the resources.

Each step talks to the services in ``perform_undo`` / ``perform_redo``, which raise the
domain error when the step has become impossible (the record was changed or deleted
elsewhere, a number was taken again, ...). ``Operations.undo`` calls ``perform_undo`` first
and moves the stack only when it succeeded, so a refused step leaves the database and the
stack exactly as they were. (The plain ``QUndoCommand.undo`` also works, for code that drives
the stack directly: a refused step is then reported and dropped from the stack.)

Versions: every write bumps a record's version, and the services refuse a stale one. The
``VersionBook`` remembers the version of every record as this app last wrote it, and which
earlier version each undo or redo re-created, so a step can tell "the record is as the next
step left it" (go ahead) from "someone changed it in between" (refuse).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtGui import QUndoCommand

from app.domain.changes import ChangeSet
from app.domain.errors import Conflict, DomainError
from app.domain.schemas import ApiRead, PaymentRead
from app.ui.resources import (
    PAYMENT,
    Resource,
    changed_fields,
    snapshot_of_new,
    values_of,
)

if TYPE_CHECKING:
    from app.db import Database

T = TypeVar("T")


class Gateway(Protocol):
    """What a step needs of the gateway (app/ui/operations.py), which runs its undo and
    redo: the database, the version book, long work off the GUI thread."""

    db: Database
    book: VersionBook

    def take_step(self, step: Step, verb: str, perform: Callable[[], None],
                  move: Callable[[], None] | None) -> bool: ...

    def run_long(self, title: str, text: str, call: Callable[[Callable[[str], None]], T], *,
                 step: Callable[[T], Step | None] | None = None,
                 refresh: ChangeSet | None = None, cancellable: bool = False) -> T: ...


class VersionBook:
    """The version of each record as this app last wrote it, and version equivalences."""

    def __init__(self) -> None:
        self.latest: dict[uuid.UUID, int] = {}
        self._same_as: dict[tuple[uuid.UUID, int], int] = {}

    def wrote(self, record: ApiRead, *, same_as: int | None = None) -> None:
        """``record`` was just written; ``same_as``: it re-creates that earlier version."""
        self.latest[record.id] = record.version
        if same_as is not None and same_as != record.version:
            self._same_as[(record.id, record.version)] = self.canonical(record.id, same_as)

    def gone(self, record_id: uuid.UUID) -> None:
        self.latest.pop(record_id, None)

    def canonical(self, record_id: uuid.UUID, version: int) -> int:
        while (record_id, version) in self._same_as:
            version = self._same_as[(record_id, version)]
        return version

    def expect(self, resource: Resource, record: ApiRead, state: int) -> int:
        """The version to send when the record should be as version ``state`` left it.

        Refused (Conflict) when this app knows the record was changed in between."""
        current = self.latest.get(record.id)
        if current is None:
            raise Conflict(f"{resource.name(record)} no longer exists.", field="@odata.etag")
        if self.canonical(record.id, current) != self.canonical(record.id, state):
            raise Conflict(f"{resource.name(record)} was changed after this step, so the step "
                           "cannot be taken back without losing that change.",
                           field="@odata.etag")
        return current


class Step(QUndoCommand):
    """A step on the undo stack. The change itself was made before it was pushed, so the
    stack's first call to ``redo`` does nothing."""

    kinds: tuple[str, ...] = ()

    def __init__(self, ops: Gateway, text: str) -> None:
        super().__init__(text)
        self.ops = ops
        self._skip_redo = True  # QUndoStack.push calls redo(): the change is already made
        self._skip_undo = False

    # --- what subclasses implement -------------------------------------------------------
    def perform_undo(self) -> None:
        raise NotImplementedError

    def perform_redo(self) -> None:
        raise NotImplementedError

    # --- called by Operations before it moves the stack ------------------------------------
    def try_undo(self) -> None:
        self.perform_undo()
        self._skip_undo = True

    def try_redo(self) -> None:
        self.perform_redo()
        self._skip_redo = True

    # --- QUndoCommand ---------------------------------------------------------------------
    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        self._direct(self.perform_undo, "undo")

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._direct(self.perform_redo, "redo")

    def _direct(self, action: Callable[[], None], verb: str) -> None:
        if not self.ops.take_step(self, verb, action, None):
            self.setObsolete(True)  # nothing was changed: the stack drops the step


class CreateStep(Step):
    """New record. Undo deletes it; redo puts the very same record back (same id)."""

    def __init__(self, ops: Gateway, resource: Resource, company_id: uuid.UUID,
                 created: ApiRead) -> None:
        super().__init__(ops, f"New {resource.name(created)}")
        self.resource, self.company_id = resource, company_id
        self.kinds = resource.affects
        self.snapshot: Any = snapshot_of_new(resource, created)
        self.record = created

    def perform_undo(self) -> None:
        version = self.ops.book.expect(self.resource, self.record, self.record.version)
        current = self.record.model_copy(update={"version": version})
        self.snapshot = self.resource.delete(self.ops.db, self.company_id, current, True)
        self.record = self.resource.record_of(self.snapshot)
        self.ops.book.gone(self.record.id)

    def perform_redo(self) -> None:
        self.record = self.resource.restore(self.ops.db, self.company_id, self.snapshot)
        self.ops.book.wrote(self.record)


class EditStep(Step):
    """Changed properties. Undo writes the previous values back, redo the new ones, each
    time only if the record is still as the step left it."""

    def __init__(self, ops: Gateway, resource: Resource, company_id: uuid.UUID,
                 before: ApiRead, after: ApiRead) -> None:
        super().__init__(ops, f"Edit {resource.name(after)}")
        self.resource, self.company_id = resource, company_id
        self.kinds = resource.affects
        self.before, self.after = before, after
        self.fields = changed_fields(resource, before, after)

    def _write(self, source: ApiRead, state: int, result_same_as: int) -> ApiRead:
        version = self.ops.book.expect(self.resource, source, state)
        data = self.resource.update_schema.model_validate(values_of(source, self.fields))
        written = self.resource.update(self.ops.db, self.company_id, source.id, data, version)
        self.ops.book.wrote(written, same_as=result_same_as)
        return written

    def perform_undo(self) -> None:
        self._write(self.before, self.after.version, self.before.version)

    def perform_redo(self) -> None:
        self._write(self.after, self.before.version, self.after.version)


class DeleteStep(Step):
    """A deleted record (with everything its delete removed). Undo restores it all with the
    same ids, versions and line numbers; redo deletes it again."""

    def __init__(self, ops: Gateway, resource: Resource, company_id: uuid.UUID,
                 snapshot: Any) -> None:
        self.resource, self.company_id = resource, company_id
        self.snapshot = snapshot
        self.record: ApiRead = resource.record_of(snapshot)
        super().__init__(ops, f"Delete {resource.name(self.record)}")
        self.kinds = resource.affects

    def perform_undo(self) -> None:
        self.record = self.resource.restore(self.ops.db, self.company_id, self.snapshot)
        self.ops.book.wrote(self.record)
        for line in _lines_in(self.snapshot):
            self.ops.book.wrote(line)

    def perform_redo(self) -> None:
        version = self.ops.book.expect(self.resource, self.record, self.record.version)
        current = self.record.model_copy(update={"version": version})
        self.snapshot = self.resource.delete(self.ops.db, self.company_id, current, False)
        self.record = self.resource.record_of(self.snapshot)
        self.ops.book.gone(self.record.id)
        for line in _lines_in(self.snapshot):
            self.ops.book.gone(line.id)


class DeleteLinesStep(Step):
    """Several payment lines deleted at once ("Delete 3 Payment Lines"), in one transaction
    each way."""

    kinds = PAYMENT.affects

    def __init__(self, ops: Gateway, company_id: uuid.UUID,
                 lines: list[PaymentRead]) -> None:
        text = (f"Delete {PAYMENT.name(lines[0])}" if len(lines) == 1
                else f"Delete {len(lines)} {PAYMENT.plural}")
        super().__init__(ops, text)
        self.company_id = company_id
        self.lines = list(lines)

    def perform_undo(self) -> None:
        from app.services import payments

        self.lines = payments.restore(self.ops.db, self.company_id, self.lines)
        for line in self.lines:
            self.ops.book.wrote(line)

    def perform_redo(self) -> None:
        from app.services import payments

        versions: dict[uuid.UUID, int | None] = {
            line.id: self.ops.book.expect(PAYMENT, line, line.version) for line in self.lines}
        self.lines = payments.delete_many(self.ops.db, self.company_id, versions)
        for line in self.lines:
            self.ops.book.gone(line.id)


class BatchStep(Step):
    """Several steps as one ("Paste 12 Payment Lines"): all of them or none is undone."""

    def __init__(self, ops: Gateway, text: str, steps: list[Step]) -> None:
        super().__init__(ops, text)
        self.steps = steps
        self.kinds = tuple(dict.fromkeys(k for s in steps for k in s.kinds))

    def perform_undo(self) -> None:
        self._all([s.perform_undo for s in reversed(self.steps)],
                  [s.perform_redo for s in self.steps])

    def perform_redo(self) -> None:
        self._all([s.perform_redo for s in self.steps],
                  [s.perform_undo for s in reversed(self.steps)])

    @staticmethod
    def _all(actions: list[Callable[[], None]], inverses: list[Callable[[], None]]) -> None:
        done = 0
        try:
            for action in actions:
                action()
                done += 1
        except DomainError:
            # Take back the part already done, so the step is refused as a whole.
            for inverse in inverses[len(inverses) - done:]:
                inverse()
            raise


def _lines_in(snapshot: Any) -> list[ApiRead]:
    """Every record besides the main one that a delete removed and a restore puts back."""
    from app.domain.schemas import CompanyArchive, JournalArchive

    if isinstance(snapshot, JournalArchive):
        return list(snapshot.lines)
    if isinstance(snapshot, CompanyArchive):
        return [*snapshot.number_series, *snapshot.accounts, *snapshot.customers,
                *snapshot.invoices,
                *(record for journal in snapshot.journals
                  for record in (journal.journal, *journal.lines))]
    return []

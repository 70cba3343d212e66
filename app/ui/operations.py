"""One path for every change the GUI makes (Anki's ``aqt.operations`` pattern).

``Operations`` runs the service call, pushes the undo step, and emits ``changed(kind)`` so
table models refresh. Its methods raise the domain error unchanged, so the caller shows it
where it belongs (a dialog at its field, the grid at its cell). Undo and redo go through
``undo()`` / ``redo()`` (and the actions and history view made here), which refuse a step
that has become impossible with a message, leaving database and stack as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QUndoView, QWidget

from app.db import Database
from app.domain.errors import DomainError, StaleWrite
from app.domain.schemas import ApiInput, ApiRead, PaymentCreate, PaymentRead, PaymentUpdate
from app.ui import messages
from app.ui.resources import JOURNAL, PAYMENT, RESOURCES, Resource
from app.ui.undo import (
    BatchStep,
    CreateStep,
    DeleteLinesStep,
    DeleteStep,
    EditStep,
    Step,
    VersionBook,
)

# A delete that removes more journal lines than this is not kept for undo (the lines would
# have to stay in memory); the confirmation says so.
UNDO_LINE_LIMIT = 50_000


class Operations(QObject):
    """The undo stack, the version book and the one way to change records from the GUI."""

    changed = Signal(str)  # a kind of ALL_KINDS: views showing it should refresh()
    refusal = Signal(str)  # an undo or redo was refused: the message shown

    def __init__(self, db: Database, parent: QObject | None = None, *,
                 window: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.window = window  # parent of the message boxes
        self.stack = QUndoStack(self)
        self.book = VersionBook()
        self._batch: list[Step] | None = None

    # --- changes ------------------------------------------------------------------------
    def create(self, kind: str, company_id: uuid.UUID | None, data: ApiInput) -> ApiRead:
        """Create a record (company_id is ignored for a company) and push "New ..."."""
        resource = RESOURCES[kind]
        created = resource.create(self.db, company_id or uuid.UUID(int=0), data)
        self.book.wrote(created)
        cid = created.id if kind == "company" else company_id
        assert cid is not None
        self._push(CreateStep(self, resource, cid, created))
        return created

    def update(self, kind: str, company_id: uuid.UUID | None, before: ApiRead,
               data: ApiInput) -> ApiRead:
        """Change ``before`` (as the caller read it: its version is checked) and push "Edit"."""
        resource = RESOURCES[kind]
        cid = before.id if kind == "company" else company_id
        assert cid is not None
        after = resource.update(self.db, cid, before.id, data, before.version)
        self.book.wrote(after)
        if after != before:
            self._push(EditStep(self, resource, cid, before, after))
        return after

    def delete(self, kind: str, company_id: uuid.UUID | None, record: ApiRead, *,
               keep_undo: bool = True) -> None:
        """Delete ``record`` (at the version the caller read) and push "Delete ...".

        ``keep_undo=False`` deletes without an undo step (see ``needs_no_undo``)."""
        resource = RESOURCES[kind]
        cid = record.id if kind == "company" else company_id
        assert cid is not None
        snapshot = resource.delete(self.db, cid, record, False)
        if keep_undo:
            step = DeleteStep(self, resource, cid, snapshot)
            self.book.gone(record.id)
            self._push(step)
        else:
            self.notify(resource.affects)

    def lines_removed_with(self, kind: str, company_id: uuid.UUID | None,
                           record: ApiRead) -> int:
        """How many journal lines deleting this record removes with it."""
        from app.services import journals

        if kind == "journal":
            assert company_id is not None
            return journals.line_count(self.db, company_id, record.id)
        if kind == "company":
            return sum(journals.line_count(self.db, record.id, j.id)
                       for j in journals.list_all(self.db, record.id))
        return 0

    def get(self, kind: str, company_id: uuid.UUID | None, record_id: uuid.UUID) -> ApiRead:
        resource = RESOURCES[kind]
        cid = record_id if kind == "company" else company_id
        assert cid is not None
        return resource.get(self.db, cid, record_id)

    # --- the payment grid: one method per kind of write --------------------------------
    def create_line(self, company_id: uuid.UUID, journal_id: uuid.UUID,
                    data: PaymentCreate) -> PaymentRead:
        data = data.model_copy(update={"journal_id": journal_id})
        created = self.create("payment", company_id, data)
        assert isinstance(created, PaymentRead)
        return created

    def update_line(self, company_id: uuid.UUID, before: PaymentRead,
                    data: PaymentUpdate) -> PaymentRead:
        after = self.update("payment", company_id, before, data)
        assert isinstance(after, PaymentRead)
        return after

    def delete_lines(self, company_id: uuid.UUID, lines: Sequence[PaymentRead]) -> None:
        """Delete lines (at the versions the grid read) in one transaction and one step."""
        from app.services import payments

        if not lines:
            return
        deleted = payments.delete_many(self.db, company_id,
                                       {line.id: line.version for line in lines})
        for line in deleted:
            self.book.gone(line.id)
        self._push(DeleteLinesStep(self, company_id, deleted))

    @contextmanager
    def batch(self, text: str) -> Iterator[None]:
        """Group the changes made inside into one undo step named ``text``."""
        outer = self._batch is None
        if outer:
            self._batch = []
        try:
            yield
        finally:
            if outer:
                steps, self._batch = self._batch or [], None
                if len(steps) == 1:
                    steps[0].setText(text)
                    self._push(steps[0])
                elif steps:
                    self._push(BatchStep(self, text, steps))

    def push(self, step: Step) -> None:
        """Push a step for a change made elsewhere (a posting: app/ui/posting/steps.py)."""
        self._push(step)

    def _push(self, step: Step) -> None:
        if self._batch is not None:
            self._batch.append(step)
        else:
            self.stack.push(step)  # its first redo() does nothing: the change is made
        self.notify(step.kinds)

    def notify(self, kinds: Sequence[str]) -> None:
        for kind in kinds:
            self.changed.emit(kind)

    # --- undo and redo ----------------------------------------------------------------
    def undo(self) -> bool:
        """Undo the last step, or refuse it with a message and change nothing."""
        index = self.stack.index()
        if index == 0:
            return False
        step = self.stack.command(index - 1)
        assert isinstance(step, Step)
        try:
            step.try_undo()
        except DomainError as exc:
            self.refused(step, "undo", exc)
            return False
        self.stack.undo()
        self.notify(step.kinds)
        return True

    def redo(self) -> bool:
        """Redo the next step, or refuse it with a message and change nothing."""
        index = self.stack.index()
        if index >= self.stack.count():
            return False
        step = self.stack.command(index)
        assert isinstance(step, Step)
        try:
            step.try_redo()
        except DomainError as exc:
            self.refused(step, "redo", exc)
            return False
        self.stack.redo()
        self.notify(step.kinds)
        return True

    def go_to(self, index: int) -> bool:
        """Undo or redo step by step up to ``index``; stops at the first refusal."""
        while self.stack.index() > index:
            if not self.undo():
                return False
        while self.stack.index() < index:
            if not self.redo():
                return False
        return True

    def refused(self, step: Step, verb: str, exc: DomainError) -> None:
        reason = exc.message
        if isinstance(exc, StaleWrite):
            reason = ("The record was changed in another window or program since. Taking the "
                      "step back would overwrite that change; refresh to see it.")
        done = "undone" if verb == "undo" else "redone"
        message = f"“{step.text()}” cannot be {done}. {reason}"
        self.refusal.emit(message)
        self.notify(step.kinds)  # what is on screen may be stale: that is why it failed
        messages.warn(self.window, "Undo" if verb == "undo" else "Redo", message)

    # --- widgets for the main window ----------------------------------------------------
    def create_undo_action(self, parent: QObject) -> QAction:
        """Edit > Undo: reads "Undo New Journal BANK"; Ctrl+Z; refuses impossible steps."""
        return self._action(parent, "Undo", QKeySequence.StandardKey.Undo, self.undo,
                            self.stack.canUndoChanged, self.stack.undoTextChanged,
                            self.stack.canUndo, self.stack.undoText)

    def create_redo_action(self, parent: QObject) -> QAction:
        return self._action(parent, "Redo", QKeySequence.StandardKey.Redo, self.redo,
                            self.stack.canRedoChanged, self.stack.redoTextChanged,
                            self.stack.canRedo, self.stack.redoText)

    def _action(self, parent: QObject, prefix: str, key: QKeySequence.StandardKey,
                slot: Any, can_changed: Any, text_changed: Any, can: Any,
                text: Any) -> QAction:
        action = StepAction(prefix, can(), text(), parent)
        action.setObjectName(f"{prefix.lower()}Action")
        action.setShortcuts(QKeySequence.keyBindings(key))
        # Bound to the action (a QObject): the connections end with it. The values come
        # with the signals: the stack emits them from its destructor too, when calling
        # back into it would fail.
        can_changed.connect(action.set_can)
        text_changed.connect(action.set_step)
        action.triggered.connect(lambda: slot())
        return action

    def create_history_view(self, parent: QWidget | None = None) -> HistoryView:
        return HistoryView(self, parent)


class StepAction(QAction):
    """Undo or Redo, named after the step it would take back or make again."""

    def __init__(self, prefix: str, can: bool, step: str, parent: QObject) -> None:
        super().__init__(prefix, parent)
        self.prefix = prefix
        self._can = can
        self._step = step
        self._show()

    def set_can(self, can: bool) -> None:
        self._can = can
        self._show()

    def set_step(self, step: str) -> None:
        self._step = step
        self._show()

    def _show(self) -> None:
        self.setEnabled(self._can)
        self.setText(f"{self.prefix} {self._step}" if self._can and self._step
                     else self.prefix)


class HistoryView(QUndoView):
    """The list of steps (Edit > History). Clicking a step undoes or redoes up to it, each
    step through ``Operations``, so a refused step stops there with a message."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(ops.stack, parent)
        self.ops = ops
        self.setObjectName("historyView")
        self.setEmptyLabel("<no changes yet>")

    def mousePressEvent(self, event: Any) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            self.ops.go_to(index.row())
        event.accept()

    def mouseMoveEvent(self, event: Any) -> None:
        event.accept()  # no drag-selection: it would move the stack behind our back

    def mouseReleaseEvent(self, event: Any) -> None:
        event.accept()

    def keyPressEvent(self, event: Any) -> None:
        moves = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10,
                 Qt.Key.Key_PageDown: 10, Qt.Key.Key_Home: -10**9, Qt.Key.Key_End: 10**9}
        key = Qt.Key(event.key())
        if key in moves:
            target = max(0, min(self.ops.stack.count(), self.ops.stack.index() + moves[key]))
            self.ops.go_to(target)
            event.accept()
        else:
            super().keyPressEvent(event)


__all__ = ["JOURNAL", "PAYMENT", "UNDO_LINE_LIMIT", "HistoryView", "Operations", "Resource"]

"""The gateway: the one path for every change the GUI makes (after Anki's ``CollectionOp``).

Every write of the GUI (dialogs, grid cells, Apply Entries, post, reverse, undo, redo, and
later imports) is one call of ``Operations``. The gateway

- runs the service call inside ``db.capture()`` (the change-set of what it committed), on a
  worker thread behind a progress dialog with Cancel when the work is long (``run_long``);
- pushes the undo step (``step=`` or the resource methods below);
- shows a classified error: an ``EnvironmentProblem`` (locked, read-only, disk full, ...) in a
  plain message box; another ``DomainError`` is raised to the caller, which shows it where it
  belongs (a dialog at its field, the grid at its cell), or, with ``attempt``, in a box named
  after the command; anything else is a bug and goes on to the crash dialog (app/ui/crash.py);
- broadcasts the typed ``ChangeSet`` (``changes`` signal): each view decides what to re-read.

A call site is one line::

    created = ops.create("journal", company_id, data)                # raises DomainError
    register = ops.attempt("Post", lambda: ..., step=make_step)      # None: refused, shown

Undo and redo go through ``undo()`` / ``redo()`` (and the actions and history view made
here), which refuse a step that has become impossible with a message, leaving database and
stack as they were. ``in_gateway()`` tells (per thread) whether a call is running inside the
gateway: the window's database listener ignores those commits (the gateway broadcasts them),
and a test asserts that no write service is called outside it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QUndoView, QWidget

from app.db import Database
from app.domain.changes import ChangeSet
from app.domain.errors import DomainError, EnvironmentProblem, StaleWrite
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

T = TypeVar("T")


class Versioned(Protocol):
    """A record as a list read it: its id and the version the user saw."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def version(self) -> int: ...

Progress = Callable[[str], None]


class _Depth(threading.local):
    def __init__(self) -> None:
        self.value = 0


_depth = _Depth()


def in_gateway() -> bool:
    """Is this thread running a call of the gateway (a service write it will broadcast)?"""
    return _depth.value > 0


@contextmanager
def _inside() -> Iterator[None]:
    _depth.value += 1
    try:
        yield
    finally:
        _depth.value -= 1


def _no_progress(_stage: str) -> None:
    return None


def error_text(error: DomainError) -> str:
    return "\n".join(e.message for e in error.errors)


class Operations(QObject):
    """The undo stack, the version book and the one way to change records from the GUI."""

    changes = Signal(object)  # a ChangeSet: what a call of the gateway changed
    refusal = Signal(str)  # an undo or redo was refused: the message shown
    notice = Signal(str)  # something the user should know about Undo (status bar)

    def __init__(self, db: Database, parent: QObject | None = None, *,
                 window: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.window = window  # parent of the message boxes
        self.stack = QUndoStack(self)
        self.book = VersionBook()
        self._batch: list[Step] | None = None

    # --- the one path ---------------------------------------------------------------------
    def run(self, call: Callable[[], T], *, step: Callable[[T], Step | None] | None = None,
            refresh: ChangeSet | None = None, scope: uuid.UUID | None = None,
            final: str | None = None) -> T:
        """Run ``call`` (one service call), push ``step(result)``, broadcast what changed.

        A ``DomainError`` is raised to the caller (shown at its field or cell); an
        environment problem is shown in a plain box first. ``refresh``: broadcast when the
        call failed (what is on screen may be stale: that may be why it failed). ``scope``:
        the company the call works in, when the captured change-set could not tell.
        ``final``: the change is too big to undo (named so in the message): the undo stack is
        cleared, so Undo never skips over it to take back something older."""
        return self._perform(lambda _progress: call(), step, refresh, None, False, scope,
                             final)

    def run_long(self, title: str, text: str, call: Callable[[Progress], T], *,
                 step: Callable[[T], Step | None] | None = None,
                 refresh: ChangeSet | None = None, cancellable: bool = False) -> T:
        """``run`` on a worker thread behind a progress dialog (Cancel raises ``Cancelled``
        from the next ``progress(stage)`` call: the transaction rolls back)."""
        return self._perform(call, step, refresh, (title, text), cancellable)

    def attempt(self, title: str, call: Callable[[], T], *,
                step: Callable[[T], Step | None] | None = None,
                refresh: ChangeSet | None = None) -> T | None:
        """As ``run``, for a command of a menu: every refusal is shown in a box titled
        ``title``; returns None when the call was refused."""
        return self.attempt_long(title, "", lambda _progress: call(), step=step,
                                 refresh=refresh, busy=False)

    def attempt_long(self, title: str, text: str, call: Callable[[Progress], T], *,
                     step: Callable[[T], Step | None] | None = None,
                     refresh: ChangeSet | None = None, cancellable: bool = False,
                     cancelled: str = "", busy: bool = True,
                     final: str | None = None) -> T | None:
        """``attempt`` on a worker thread behind a progress dialog reading ``text``; None
        when refused or cancelled (``cancelled``: what the box then says)."""
        from app.ui.busy import Cancelled

        try:
            return self._perform(call, step, refresh, (title, text) if busy else None,
                                 cancellable, final=final)
        except Cancelled:
            messages.warn(self.window, title, cancelled or "Cancelled. Nothing was saved.")
            return None
        except EnvironmentProblem:
            return None  # shown by _perform
        except DomainError as error:
            messages.warn(self.window, title, error_text(error))
            return None

    def _perform(self, call: Callable[[Progress], T], step: Callable[[T], Step | None] | None,
                 refresh: ChangeSet | None, busy: tuple[str, str] | None,
                 cancellable: bool, scope: uuid.UUID | None = None,
                 final: str | None = None) -> T:
        db = self.db

        def job(progress: Progress) -> tuple[T, ChangeSet]:
            with _inside(), db.capture() as box:
                result = call(progress)
            return result, box.changes

        try:
            if busy is None:
                result, changed = job(_no_progress)
            else:
                from app.ui.busy import run_busy

                result, changed = run_busy(self.window, busy[0], busy[1], job,
                                           cancellable=cancellable)
        except BaseException as exc:
            if refresh is not None:
                self.broadcast(refresh)
            if isinstance(exc, EnvironmentProblem):
                messages.warn(self.window, "Cannot save the change", exc.message)
            raise
        made = step(result) if step is not None else None
        if made is not None:
            self._push(made)
        if final is not None:
            self.clear_undo(final)
        if scope is not None and changed.company_id is None:
            changed = ChangeSet(changed.kinds, scope, changed.journal_ids, changed.ids,
                                changed.source)
        self.broadcast(changed)
        return result

    def clear_undo(self, what: str) -> None:
        """A change too big to undo was made: the earlier steps go too (undoing them now
        would skip over it), and the user is told."""
        had = self.stack.count() > 0
        self.stack.clear()
        self.notice.emit(f"{what} cannot be undone"
                         + (", so the earlier steps were cleared from Edit > Undo."
                            if had else "."))

    def broadcast(self, changes: ChangeSet) -> None:
        """Tell the views what changed (they re-read what they show of it)."""
        if changes:
            self.changes.emit(changes)

    def refresh_kinds(self, kinds: Sequence[str], company_id: uuid.UUID | None = None) -> None:
        """Ask the views showing these kinds to read them again (a record shown was deleted
        or changed elsewhere)."""
        self.broadcast(ChangeSet.of(*kinds, company_id=company_id))

    # --- changes ------------------------------------------------------------------------
    def create(self, kind: str, company_id: uuid.UUID | None, data: ApiInput) -> ApiRead:
        """Create a record (company_id is ignored for a company) and push "New ..."."""
        resource = RESOURCES[kind]

        def made(created: ApiRead) -> Step:
            self.book.wrote(created)
            cid = created.id if kind == "company" else company_id
            assert cid is not None
            return CreateStep(self, resource, cid, created)

        return self.run(lambda: resource.create(self.db, company_id or uuid.UUID(int=0), data),
                        step=made, scope=company_id)

    def update(self, kind: str, company_id: uuid.UUID | None, before: ApiRead,
               data: ApiInput) -> ApiRead:
        """Change ``before`` (as the caller read it: its version is checked) and push "Edit"."""
        resource = RESOURCES[kind]
        cid = before.id if kind == "company" else company_id
        assert cid is not None

        def made(after: ApiRead) -> Step | None:
            self.book.wrote(after)
            return EditStep(self, resource, cid, before, after) if after != before else None

        return self.run(lambda: resource.update(self.db, cid, before.id, data, before.version),
                        step=made, refresh=ChangeSet.of(*resource.affects, company_id=cid),
                        scope=cid)

    def delete(self, kind: str, company_id: uuid.UUID | None, record: ApiRead, *,
               keep_undo: bool = True) -> None:
        """Delete ``record`` (at the version the caller read) and push "Delete ...".

        ``keep_undo=False`` deletes without an undo step (see ``needs_no_undo``)."""
        resource = RESOURCES[kind]
        cid = record.id if kind == "company" else company_id
        assert cid is not None

        def made(snapshot: Any) -> Step | None:
            self.book.gone(record.id)
            return DeleteStep(self, resource, cid, snapshot) if keep_undo else None

        self.run(lambda: resource.delete(self.db, cid, record, False), step=made,
                 refresh=ChangeSet.of(*resource.affects, company_id=cid), scope=cid,
                 final=None if keep_undo else f"Deleting {resource.name(record)}")

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

    def delete_lines(self, company_id: uuid.UUID, lines: Sequence[Versioned], *,
                     keep_undo: bool = True) -> list[PaymentRead]:
        """Delete lines (at the versions the grid read) in one transaction and one step;
        ``keep_undo=False``: too many to keep for undo, the delete is final."""
        from app.services import payments

        if not lines:
            return []

        def made(deleted: list[PaymentRead]) -> Step | None:
            for line in deleted:
                self.book.gone(line.id)
            return DeleteLinesStep(self, company_id, deleted) if keep_undo else None

        return self.run(lambda: payments.delete_many(
            self.db, company_id, {line.id: line.version for line in lines}), step=made,
            refresh=ChangeSet.of("payment", company_id=company_id), scope=company_id,
            final=None if keep_undo else f"Deleting {len(lines):,} {PAYMENT.plural.lower()}")

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

    def _push(self, step: Step) -> None:
        if self._batch is not None:
            self._batch.append(step)
        else:
            self.stack.push(step)  # its first redo() does nothing: the change is made

    def step_changes(self, step: Step) -> ChangeSet:
        """What a step concerns, for the views to re-read after it was refused."""
        return ChangeSet.of(*step.kinds, company_id=getattr(step, "company_id", None))

    # --- undo and redo ----------------------------------------------------------------
    def undo(self) -> bool:
        """Undo the last step, or refuse it with a message and change nothing."""
        index = self.stack.index()
        if index == 0:
            return False
        step = self.stack.command(index - 1)
        assert isinstance(step, Step)
        return self.take_step(step, "undo", step.try_undo, self.stack.undo)

    def redo(self) -> bool:
        """Redo the next step, or refuse it with a message and change nothing."""
        index = self.stack.index()
        if index >= self.stack.count():
            return False
        step = self.stack.command(index)
        assert isinstance(step, Step)
        return self.take_step(step, "redo", step.try_redo, self.stack.redo)

    def take_step(self, step: Step, verb: str, perform: Callable[[], None],
                  move: Callable[[], None] | None) -> bool:
        """Undo or redo one step through the gateway; refused: a message, nothing changes
        (``move`` moves the stack only when the step succeeded)."""
        try:
            self.run(perform, scope=getattr(step, "company_id", None))
        except EnvironmentProblem:
            self.broadcast(self.step_changes(step))
            return False  # shown by the gateway
        except DomainError as exc:
            self.refused(step, verb, exc)
            return False
        if move is not None:
            move()
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
        self.broadcast(self.step_changes(step))  # what is on screen may be stale
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


__all__ = ["JOURNAL", "PAYMENT", "UNDO_LINE_LIMIT", "HistoryView", "Operations", "Resource",
           "in_gateway"]

"""Running a long service call off the GUI thread, behind a modal busy dialog with Cancel.

``run_busy`` runs a function on a worker thread while a modal busy dialog keeps the window
painted. The services are safe there: each call opens its own session, which checks a
connection out of the engine's pool for that thread only (SQLAlchemy's SQLite pool hands a
pysqlite connection to one thread at a time; nothing is shared), and the GUI thread's lists
keep reading through their own pooled connections (WAL: readers do not wait for the writer).
The gateway (app/ui/operations.py: ``run_long``, ``attempt_long``) is its one user.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class Cancelled(Exception):
    """Raised from the progress callback when the user pressed Cancel: the service's
    transaction rolls back, so nothing of the posting exists."""


class _Worker(QThread):
    progressed = Signal(str)

    def __init__(self, job: Callable[[Callable[[str], None]], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancel_requested = threading.Event()
        self.stages: list[str] = []

    def report(self, stage: str) -> None:
        self.stages.append(stage)
        self.progressed.emit(stage)
        if self.cancel_requested.is_set() and stage != "committed":
            raise Cancelled

    def run(self) -> None:
        try:
            self.result = self.job(self.report)
        except BaseException as exc:  # handed to the GUI thread, raised there
            self.error = exc


class BusyDialog(QProgressDialog):
    """A busy indicator the user cannot close while the job runs (Escape and the title
    bar's close would otherwise hide it and give the window back half-way); with Cancel,
    closing it means Cancel, and it stays up until the rollback is done."""

    def __init__(self, title: str, text: str, cancellable: bool,
                 parent: QWidget | None) -> None:
        super().__init__(text, "Cancel", 0, 0, parent)
        self.setObjectName("busyDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.cancellable = cancellable
        self.done_running = False
        if not cancellable:
            self.setCancelButton(None)
        self.setMinimumDuration(300)  # a small journal is done before it would show
        self.setValue(0)

    def take_cancel_away(self) -> None:
        if self.cancellable:
            self.cancellable = False
            self.setCancelButton(None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.cancellable:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.done_running:
            super().closeEvent(event)
            return
        if self.cancellable:
            self.canceled.emit()
        event.ignore()


STAGES = {"checked": "Checked the lines…", "register": "Writing the G/L register…",
          "gl entries": "Writing G/L entries…", "customer entries":
          "Writing customer ledger entries…", "detailed entries":
          "Writing detailed entries…", "applications": "Applying to invoices…",
          "lines deleted": "Removing the posted lines…", "committed": "Saved."}


def run_busy(parent: QWidget | None, title: str, text: str,
             job: Callable[[Callable[[str], None]], T], *, cancellable: bool = False) -> T:
    """Run ``job(progress)`` on a worker thread behind a modal busy dialog; return its result
    or raise its exception here. With ``cancellable``, Cancel makes the next ``progress``
    call raise ``Cancelled`` (the job's transaction rolls back); once the job said "lines
    deleted" (only the commit is left) Cancel is taken away: it could not undo anything."""
    worker = _Worker(job)
    dialog = BusyDialog(title, text, cancellable, parent)

    def stage(name: str) -> None:
        dialog.setLabelText(STAGES.get(name, text))
        if name in ("lines deleted", "committed"):
            dialog.take_cancel_away()

    def cancel() -> None:
        if dialog.cancellable:
            worker.cancel_requested.set()
            dialog.setLabelText("Cancelling: rolling the posting back…")

    worker.progressed.connect(stage)
    if cancellable:
        dialog.canceled.connect(cancel)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    # No cyclic garbage collection while the worker runs: the collector runs in whichever
    # thread allocates, and freeing a Qt wrapper (a closed dialog held in a cycle) on the
    # worker thread crashes the process. Collect here, on the GUI thread, before and after.
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        worker.start()
        if not worker.isFinished():
            loop.exec()
        worker.wait()
    finally:
        if collecting:
            gc.enable()
    dialog.done_running = True
    dialog.close()
    dialog.deleteLater()
    worker.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result



__all__ = ["STAGES", "BusyDialog", "Cancelled", "run_busy"]

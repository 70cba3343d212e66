"""Bugs get a crash dialog with copyable details and a log file (DESIGN.md 4).

``install()`` sets ``sys.excepthook``: PySide6 hands exceptions raised in slots to it too.
The traceback is appended to ``crash.log`` in app.paths.log_dir() and shown in a dialog whose
details can be selected and copied.
"""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from app import APP_NAME, __version__


def write_log(details: str) -> Path | None:
    from app import paths

    try:
        log = paths.private_file(paths.log_dir() / "crash.log")  # 0600 in a 0700 folder
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {stamp} {APP_NAME} {__version__}\n{details}\n")
        return log
    except OSError:
        return None


def report(kind: type[BaseException], value: BaseException,
           tb: TracebackType | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    details = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(details)
    log = write_log(details)
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_NAME}: unexpected error",
                      f"{APP_NAME} met an error it did not expect: {value}\n\n"
                      "Your data is safe: every change is saved when it is made, and the "
                      "change in progress was not written.")
    box.setObjectName("crashDialog")
    box.setInformativeText(f"The details were written to {log}." if log
                           else "The details could not be written to a log file.")
    box.setDetailedText(details)  # selectable, so it can be copied into a report
    box.exec()


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    report(kind, value, tb)


def install() -> None:
    sys.excepthook = _hook

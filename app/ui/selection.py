"""The one piece of state the panes share: which company and which journal are shown.

The companies pane decides (it owns the lists the user picks from) and calls ``select``;
every other pane listens to ``changed`` and reads ``company_id`` / ``journal_id``. No pane
reaches into another: they meet here and in the change-sets (app/domain/changes.py).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    changed = Signal(bool, bool)  # (the company changed, the journal changed)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.company_id: uuid.UUID | None = None
        self.journal_id: uuid.UUID | None = None

    def select(self, company_id: uuid.UUID | None, journal_id: uuid.UUID | None) -> None:
        company_changed = company_id != self.company_id
        journal_changed = company_changed or journal_id != self.journal_id
        self.company_id, self.journal_id = company_id, journal_id
        if company_changed or journal_changed:
            self.changed.emit(company_changed, journal_changed)

    def clear(self) -> None:
        self.select(None, None)


__all__ = ["Selection"]

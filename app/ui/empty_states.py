"""Empty views say what to do next (issue 15): "No journals yet: press Ctrl+N to create one".

``install(window)`` puts a hint label over the viewport of each main list; it shows while the
list has no rows and names the next step (which differs when a filter hides every row, or
when there is no database, company or journal yet).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class EmptyHint(QObject):
    """A hint over an item view's viewport while its model has no rows."""

    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view)
        self.view = view
        self.text = text
        self._label: QLabel | None = None  # made when first needed (after the first paint)
        self._model: object = None

    @property
    def label(self) -> QLabel:
        if self._label is None:
            viewport = self.view.viewport()  # touched only now: not before the first paint
            viewport.installEventFilter(self)
            label = QLabel(viewport)
            self._label = label
            label.setObjectName(f"{self.view.objectName()}EmptyHint")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setEnabled(False)  # the palette's disabled text: quiet in light and dark
            label.hide()
            self._place()
        return self._label

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        if self._label is not None:
            self._label.setGeometry(self.view.viewport().rect().adjusted(12, 8, -12, -8))

    def watch(self) -> None:
        """Follow the view's (possibly new) model."""
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self.update)

    def update(self) -> None:
        self.watch()
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        if not empty and self._label is None:
            return
        if empty:
            self.label.setText(self.text())
            self._place()
        self.label.setVisible(empty and bool(self.label.text()))


def _filtered(window: MainWindow, name: str) -> bool:
    box = window.boxes.get(name)
    return box is not None and bool(box.filter.text().strip())


def install(window: MainWindow) -> dict[str, EmptyHint]:
    def companies() -> str:
        if window.db is None:
            return "No database open: File > Open Database (Ctrl+O) or New Database " \
                   "(Ctrl+Shift+N)."
        if _filtered(window, "companiesView"):
            return "No company matches the filter."
        return "No companies yet: press Ctrl+N here to create one."

    def journals() -> str:
        if window.db is None or window.company_id is None:
            return "Select or create a company first."
        if _filtered(window, "journalsView"):
            return "No journal matches the filter."
        return "No journals yet: press Ctrl+N to create one."

    def lines() -> str:
        if window.db is None:
            return "Open a database to see its journals (File > Open Database, Ctrl+O)."
        if window.company_id is None:
            return "Select or create a company first (F6 moves to the companies)."
        if window.journal_id is None:
            return "Select a journal, or press Ctrl+N in the journals list (F6) to create one."
        if _filtered(window, "paymentsView"):
            return "No line matches the filter (Ctrl+F); clear it to see every line."
        return "No lines yet: press Enter or Ctrl+N to start the first one."

    def plain(what: str, create: bool = True) -> Callable[[], str]:
        def text() -> str:
            if window.db is None or window.company_id is None:
                return ""
            return f"No {what} yet" + (": press Ctrl+N here to create one." if create
                                       else ".")
        return text

    hints = {
        "companiesView": EmptyHint(window.companiesView, companies),
        "journalsView": EmptyHint(window.journalsView, journals),
        "paymentsView": EmptyHint(window.paymentsView, lines),
        "customersView": EmptyHint(window.customersView, plain("customers")),
        "invoicesView": EmptyHint(window.invoicesView, plain("open invoices")),
        "accountsView": EmptyHint(window.accountsView, plain("G/L accounts")),
    }

    def update_all() -> None:
        for hint in hints.values():
            hint.update()

    window.databaseReady.connect(update_all)
    window.firstPainted.connect(update_all)  # nothing of this delays the first paint
    for box in window.boxes.values():
        box.filter.textChanged.connect(lambda _text: update_all())
    window.empty_hints = hints  # type: ignore[attr-defined]
    return hints

"""Keyboard-first navigation around the main window (issue 15, part 1).

``install(window)`` adds window-wide actions (they work from anywhere, inside a table or an
open cell editor too):

- F6 / Shift+F6: the next / previous pane: companies, journals, journal lines, then the
  tabbed lookups and ledgers pane (its current tab's table). A hidden dock is shown first.
- Ctrl+PageDown / Ctrl+PageUp: the next / previous tab of the tabbed pane; the focus goes
  into that tab's table.
- Ctrl+Tab / Ctrl+Shift+Tab: leave the widget (a table keeps Tab and Shift+Tab for moving
  between its cells) to the next / previous widget of the focus chain, as Qt's convention
  for text edits.

The pane that has the keyboard is marked: its table gets a frame in the palette's
highlight colour (``paneFocus`` dynamic property + a style sheet), readable in light and
dark themes alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

# The panes in F6 order: the objectName of a table, or the tabbed pane.
PANES = ("companiesView", "journalsView", "paymentsView", "lookupTabs")
DOCK_OF_PANE = {"companiesView": "companies", "lookupTabs": "lookups"}
MARK_STYLE = ("QTableView { border: 2px solid palette(highlight); }")


class PaneNavigator(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.marked: QTableView | None = None
        context = Qt.ShortcutContext.WindowShortcut

        def action(name: str, text: str, keys: list[str], slot: object, tip: str) -> QAction:
            made = QAction(text, window)
            made.setObjectName(name)
            made.setShortcuts([QKeySequence(k) for k in keys])
            made.setShortcutContext(context)
            made.setStatusTip(tip)
            made.setToolTip(tip)
            made.triggered.connect(slot)
            window.addAction(made)
            return made

        self.actionNextPane = action(
            "actionNextPane", "Next &Pane", ["F6"], lambda: self.move_pane(1),
            "Move the keyboard to the next pane: companies, journals, lines, lookups")
        self.actionPreviousPane = action(
            "actionPreviousPane", "Pre&vious Pane", ["Shift+F6"], lambda: self.move_pane(-1),
            "Move the keyboard to the previous pane")
        self.actionNextTab = action(
            "actionNextTab", "Ne&xt Tab", ["Ctrl+PgDown"], lambda: self.move_tab(1),
            "The next tab of the lookups and ledgers pane")
        self.actionPreviousTab = action(
            "actionPreviousTab", "Previous &Tab", ["Ctrl+PgUp"], lambda: self.move_tab(-1),
            "The previous tab of the lookups and ledgers pane")
        self.actionLeaveForward = action(
            "actionLeaveForward", "&Leave Table", ["Ctrl+Tab"],
            lambda: self.leave(forward=True),
            "Move the keyboard out of the table to the next field (Tab stays in the cells)")
        self.actionLeaveBackward = action(
            "actionLeaveBackward", "Leave Table &Backwards",
            ["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+Backtab"],
            lambda: self.leave(forward=False),
            "Move the keyboard out of the table to the previous field")
        self.actions = [self.actionNextPane, self.actionPreviousPane, self.actionNextTab,
                        self.actionPreviousTab, self.actionLeaveForward,
                        self.actionLeaveBackward]
        app = cast(QApplication, QApplication.instance())
        app.focusChanged.connect(self._focus_changed)

    # --- panes -----------------------------------------------------------------------------
    def tabs(self) -> QTabWidget | None:
        return self.window.findChild(QTabWidget, "lookupTabs")

    def pane_widget(self, name: str) -> QWidget | None:
        """The widget that stands for a pane: its frame (the table's box) or the tabs."""
        if name == "lookupTabs":
            return self.tabs()
        box = getattr(self.window, "boxes", {}).get(name)
        if box is not None:
            return cast(QWidget, box)
        return self.window.findChild(QTableView, name)

    def pane_of(self, widget: QWidget | None) -> str | None:
        while widget is not None:
            for name in PANES:
                if widget is self.pane_widget(name):
                    return name
            widget = widget.parentWidget()
        return None

    def table_of(self, name: str) -> QTableView | None:
        """The table that takes the keyboard in a pane (for the tabs: the current tab's)."""
        if name != "lookupTabs":
            return self.window.findChild(QTableView, name)
        tabs = self.tabs()
        page = tabs.currentWidget() if tabs is not None else None
        if page is None:
            return None
        if isinstance(page, QTableView):
            return page
        view = getattr(page, "view", None)
        if isinstance(view, QTableView):
            return view
        return page.findChild(QTableView)

    def focus_pane(self, name: str) -> QTableView | None:
        dock = DOCK_OF_PANE.get(name)
        if dock is not None and not self.window.docks[dock].isVisible():
            self.window.docks[dock].show()
        self._close_editor()
        view = self.table_of(name)
        if view is None:
            return None
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        model = view.model()
        if model is not None and not view.currentIndex().isValid() and model.rowCount() > 0:
            column = 1 if name == "paymentsView" and model.columnCount() > 1 else 0
            view.setCurrentIndex(model.index(0, column))
        return view

    def move_pane(self, step: int) -> None:
        current = self.pane_of(QApplication.focusWidget())
        if current is None:
            start = PANES.index("paymentsView") - (1 if step > 0 else -1)
        else:
            start = PANES.index(current)
        for offset in range(1, len(PANES) + 1):
            name = PANES[(start + step * offset) % len(PANES)]
            if self.focus_pane(name) is not None:
                return

    def move_tab(self, step: int) -> None:
        tabs = self.tabs()
        if tabs is None or tabs.count() == 0:
            return
        if self.pane_of(QApplication.focusWidget()) == "lookupTabs" or \
                not self.window.docks["lookups"].isVisible():
            tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
        self.focus_pane("lookupTabs")

    # --- leaving a table -------------------------------------------------------------------
    def _close_editor(self) -> None:
        """An open cell editor is committed before the keyboard leaves its table."""
        grid = self.window.paymentsView
        if grid.state() == QAbstractItemView.State.EditingState:
            grid.commit_editor()
            editor = QApplication.focusWidget()
            if editor is not None and grid.isAncestorOf(editor):
                grid.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def leave(self, *, forward: bool) -> None:
        focus = QApplication.focusWidget()
        if focus is None:
            return
        # From a cell editor, leave from its table.
        view: QWidget | None = focus
        while view is not None and not isinstance(view, QAbstractItemView):
            view = view.parentWidget()
        if view is not None:
            self._close_editor()
            focus = view
        target = self._neighbour(focus, forward=forward)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason if forward
                            else Qt.FocusReason.BacktabFocusReason)

    def _neighbour(self, start: QWidget, *, forward: bool) -> QWidget | None:
        widget: QWidget | None = start
        for _ in range(1000):
            assert widget is not None
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is None or widget is start:
                return None
            if (widget.window() is self.window and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and not start.isAncestorOf(widget)
                    and isinstance(widget, (QAbstractItemView, QLineEdit, QAbstractSpinBox))
                    and not isinstance(widget.parentWidget(), QAbstractItemView)
                    and not _inside_viewport(widget)):
                return widget
        return None

    # --- the mark --------------------------------------------------------------------------
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.window() is not self.window:
            return
        pane = self.pane_of(new)
        view = self.table_of(pane) if pane is not None else None
        if view is self.marked:
            return
        if self.marked is not None:
            try:
                self.marked.setProperty("paneFocus", False)
                self.marked.setStyleSheet("")
            except RuntimeError:  # deleted with its tab
                pass
        self.marked = view
        if view is not None:
            view.setProperty("paneFocus", True)
            view.setStyleSheet(MARK_STYLE)


def _inside_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


# Menu texts whose Alt+letter clashed with another entry of the same menu (objectName: text).
MNEMONIC_TEXTS = {
    "actionNewCustomer": "&New Customer…", "actionEditCustomer": "&Edit Customer…",
    "actionDeleteCustomer": "&Delete Customer…",
    "actionNewInvoice": "New Sales &Invoice…", "actionEditInvoice": "Edit Sales In&voice…",
    "actionDeleteInvoice": "Delete Sales Invoi&ce…",
    "actionNewAccount": "New G/L &Account…", "actionEditAccount": "Edit G/L Acc&ount…",
    "actionDeleteAccount": "Delete G/L Accoun&t…",
    "actionShowRegisters": "G/L Re&gisters",
}


def unique_mnemonics(window: QWidget) -> None:
    for name, text in MNEMONIC_TEXTS.items():
        action = window.findChild(QAction, name)
        if action is not None:
            action.setText(text)


def install(window: MainWindow) -> PaneNavigator:
    navigator = PaneNavigator(window)
    window.keyboard = navigator  # type: ignore[attr-defined]
    unique_mnemonics(window)
    view_menu = window.findChild(QMenu, "viewMenu")
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addActions(navigator.actions)
    return navigator

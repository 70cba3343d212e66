"""The help window: topics on the left, the page on the right (the pages: app/ui/help.py);
Help > Contents (F1) and Help > Keyboard Shortcuts open it (``install``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui.help import KEYBOARD_TOPIC, TOPICS, keyboard_html, topic_markdown

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class HelpWindow(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("helpWindow")
        self.setWindowTitle("Ledgerdesk Help")
        self.main_window = window
        self.topics = QListWidget(self)
        self.topics.setObjectName("helpTopics")
        self.topics.addItem(KEYBOARD_TOPIC)
        for _name, title in TOPICS:
            self.topics.addItem(title)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.browser.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.topics)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 700])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.topics.currentRowChanged.connect(self.show_topic)
        self.resize(960, 680)

    def show_topic(self, row: int) -> None:
        if row <= 0:
            self.browser.setHtml(keyboard_html(self.main_window))
        else:
            name = TOPICS[row - 1][0]
            self.browser.setMarkdown(topic_markdown(name))
        if self.topics.currentRow() != max(row, 0):
            self.topics.setCurrentRow(max(row, 0))

    def _follow(self, url: object) -> None:
        """Links between the docs open the linked topic; others are not followed offline."""
        target = getattr(url, "fileName", lambda: "")()
        for number, (name, _title) in enumerate(TOPICS, 1):
            if target == name:
                self.topics.setCurrentRow(number)
                return


def install(window: MainWindow) -> None:
    state: dict[str, HelpWindow] = {}

    def open_help(topic: int) -> HelpWindow:
        help_window = state.get("window")
        if help_window is None:
            help_window = state["window"] = HelpWindow(window)
        help_window.show_topic(topic)
        help_window.show()
        help_window.raise_()
        help_window.activateWindow()
        return help_window

    contents = QAction("&Contents", window)
    contents.setObjectName("actionHelp")
    contents.setShortcuts(QKeySequence.StandardKey.HelpContents)
    if not contents.shortcuts():
        contents.setShortcut(QKeySequence("F1"))
    contents.setStatusTip("The keyboard map and the user guide (F1); works offline")
    contents.triggered.connect(lambda: open_help(1))
    keys = QAction("&Keyboard Shortcuts", window)
    keys.setObjectName("actionKeyboardShortcuts")
    keys.setStatusTip("Every shortcut of the window, from the commands themselves")
    keys.triggered.connect(lambda: open_help(0))
    for action in (contents, keys):
        window.addAction(action)
    first = window.helpMenu.actions()[0] if window.helpMenu.actions() else None
    window.helpMenu.insertActions(first, [contents, keys])  # type: ignore[arg-type]
    if first is not None:
        window.helpMenu.insertSeparator(first)
    window.open_help = open_help  # type: ignore[attr-defined]

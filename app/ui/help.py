"""Help that works offline (issue 15, part 7).

F1 (Help > Contents) opens a help window: the keyboard map first, then the user docs shipped
with the app (app/resources/help/*.md, copies of docs/*.md that a test keeps identical),
rendered by QTextBrowser's Markdown support. Help > Keyboard Shortcuts opens it at the
keyboard map, which is generated from the window's own QActions (their menus, texts and
shortcuts), so it cannot drift from what the keys do.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    pass

# (file in app/resources/help, title in the list)
TOPICS = (("main-window.md", "The Main Window"), ("editing.md", "Editing and Undo"),
          ("posting.md", "Posting"), ("json-format.md", "Import and Export (JSON)"))
KEYBOARD_TOPIC = "Keyboard Shortcuts"
# Keys a table or dialog handles itself (no QAction stands behind them).
IN_TABLE_KEYS = (
    ("Tab, Enter", "Journal lines: save the cell and move to the next editable cell; "
                   "past the last cell, a new line"),
    ("Shift+Tab", "Journal lines: save the cell and move back (never starts a line)"),
    ("F2, typing", "Journal lines: edit the cell"),
    ("Escape", "Journal lines: leave the cell as it was"),
    ("Enter, Tab or Down", "An empty journal: start the first line"),
    ("F2, Enter", "Other lists: edit the selected record in a form"),
    ("Space", "Apply Entries: mark or unmark the current entry"),
)
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$", re.MULTILINE)
_IMAGE_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\.png\)")


def help_dir() -> Path:
    from app.resources import resource_dir

    return resource_dir() / "help"


def topic_markdown(name: str) -> str:
    """A doc page as Markdown, without its screenshots (they are not shipped)."""
    text = (help_dir() / name).read_text(encoding="utf-8")
    return _IMAGE_LINK.sub(r"\1", _IMAGE.sub("", text))


def _menu_path(action: QAction) -> str:
    for widget in action.associatedObjects():
        if isinstance(widget, QMenu):
            names = [widget.title()]
            parent = widget.parentWidget()
            while isinstance(parent, QMenu):
                names.insert(0, parent.title())
                parent = parent.parentWidget()
            return " > ".join(n.replace("&", "") for n in names if n)
    return ""


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(keys, command, menu) for every action of the window that has a shortcut."""
    seen: set[int] = set()
    rows = []
    actions = list(window.actions()) + window.findChildren(QAction)
    for action in actions:
        if id(action) in seen or not action.shortcuts():
            continue
        seen.add(id(action))
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                         for s in action.shortcuts())
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        text = text.rstrip(".…").strip() or action.objectName()
        rows.append((keys, text, _menu_path(action)))
    rows.sort(key=lambda r: (r[2] == "", r[2], r[1]))
    return rows


def keyboard_html(window: QWidget) -> str:
    def table(rows: list[tuple[str, ...]], heads: tuple[str, ...]) -> str:
        head = "".join(f"<th align='left'>{h}</th>" for h in heads)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in rows)
        return f"<table cellspacing='0' cellpadding='4' border='1'><tr>{head}</tr>{body}</table>"

    return (f"<h2>{KEYBOARD_TOPIC}</h2><p>Every command with a key, as the menus have it. "
            "F6 and Shift+F6 move between the panes; Ctrl+PageDown and Ctrl+PageUp switch "
            "the tabs; Ctrl+Tab leaves a table. Alt and the underlined letter open a menu."
            "</p>"
            + table(list(shortcut_rows(window)), ("Keys", "Command", "Menu"))
            + "<h3>In the tables</h3>"
            + table(list(IN_TABLE_KEYS), ("Keys", "Does")))

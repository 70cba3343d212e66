"""The confirmation a successful posting ends with (issue 15, part 3): the G/L register
number, the lines posted and their total, with "Show Entries" (the default button) to see
the register in G/L Registers and Close.

It is opened window-modal with ``open()``, not ``exec()``: posting returns at once, so a
script or a test that posts carries on, and the dialog waits for Enter or Escape."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.ui.formats import format_amount


def posted_text(register_number: int, lines: int, total: Decimal, from_entry: int,
                to_entry: int, *, undoable: bool = True) -> str:
    noun = "line" if lines == 1 else "lines"
    return (f"G/L Register {register_number} posted: {lines:,} journal {noun}, "
            f"total {format_amount(total)}.\n"
            f"G/L entries {from_entry} to {to_entry}.\n"
            + ("Edit > Undo reverses the posting." if undoable else
               "It is too big to undo: reverse its register to take it back."))


class PostedDialog(QDialog):
    """Say what was posted; Show Entries calls ``show_entries`` and closes."""

    def __init__(self, text: str, show_entries: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postedDialog")
        self.setWindowTitle("Posted")
        self.label = QLabel(text, self)
        self.label.setObjectName("postedText")
        self.label.setWordWrap(True)
        heading = QLabel("The journal lines were successfully posted.", self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        buttons = QDialogButtonBox(self)
        self.show_button = buttons.addButton("&Show Entries",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.show_button.setObjectName("showEntriesButton")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        self.show_button.setDefault(True)
        self.show_button.setAutoDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.accepted.connect(show_entries)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.show_button.setFocus()

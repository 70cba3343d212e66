"""Every message box the editing code shows goes through here: one place to style them, and
one place a test replaces (``monkeypatch.setattr(messages, "ask", ...)``) to answer them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget


def warn(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, choices: Sequence[str],
        default: int = 0, *, escape: int | None = None) -> str | None:
    """Ask a question; returns the text of the button chosen (None if the box was closed).

    ``choices`` are button texts, in order; ``escape`` is the one Escape picks (default: the
    last one, the cautious answer)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    buttons = [box.addButton(choice, QMessageBox.ButtonRole.ActionRole) for choice in choices]
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[len(buttons) - 1 if escape is None else escape])
    box.exec()
    clicked = box.clickedButton()
    for choice, button in zip(choices, buttons, strict=True):
        if button is clicked:
            return choice
    return None

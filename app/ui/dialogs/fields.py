"""Field specs and the input widgets built from them.

A ``FieldSpec`` says what a property is (name, label, kind of input, lookup); an ``Editor``
wraps the widget for it, whose ``objectName`` is the API property name. Editors return the
raw value the Pydantic schema validates, or raise ValueError when the text cannot even be
read (an amount or a date in a form the locale does not know)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app.ui.dialogs.lookup import LookupCompleter, LookupDialog, LookupSource
from app.ui.localized import date_format, format_amount, format_date, parse_amount, parse_date

KINDS = ("text", "code", "int", "amount", "date", "optional_date", "choice", "bool", "lookup")


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the API property (camelCase): the input widget's objectName
    label: str
    kind: str = "text"
    required: bool = False  # shown in bold; the schema decides what is really required
    choices: tuple[tuple[str, Any], ...] = ()  # (shown text, value) for "choice"
    choices_from: str | None = None  # or a named list given to the dialog
    lookup: str | None = None  # the LookupSource for a "lookup" field
    blank_is_default: bool = False  # creating: a blank input is left out (service default)
    nullable: bool = False  # editing: a blank input clears the value (None)
    read_only: bool = False
    placeholder: str = ""
    hint: str = ""  # a tooltip
    column: int = 0  # 0 or 1: forms with many fields use two columns

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


class LookupLineEdit(QLineEdit):
    """A line edit that asks for its lookup list on F4."""

    lookupRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F4:
            self.lookupRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class Editor(QObject):
    """The input for one property: ``widget`` carries the objectName, ``container`` goes
    into the form (the widget, or the widget with its lookup button and name)."""

    changed = Signal()
    left = Signal()  # the user finished with the field (focus out, Enter)

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget: QWidget = self._make(parent)
        self.widget.setObjectName(spec.name)
        self.widget.setAccessibleName(spec.label)
        if spec.hint:
            self.widget.setToolTip(spec.hint)
        self.container: QWidget = self.widget
        self.widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return super().eventFilter(watched, event)

    def _make(self, parent: QWidget) -> QWidget:
        raise NotImplementedError

    def raw(self) -> Any:
        raise NotImplementedError

    def set_raw(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.widget.setEnabled(not read_only)


class TextEditor(Editor):
    upper = False

    def _make(self, parent: QWidget) -> QWidget:
        edit = self._line_edit(parent)
        edit.setPlaceholderText(self.spec.placeholder)
        edit.textEdited.connect(self._edited)
        edit.textChanged.connect(lambda _text: self.changed.emit())
        self.edit = edit
        return edit

    def _line_edit(self, parent: QWidget) -> QLineEdit:
        return QLineEdit(parent)

    def _edited(self, text: str) -> None:
        if self.upper and text != text.upper():
            # Codes are upper-cased as typed, as Business Central does.
            position = self.edit.cursorPosition()
            self.edit.setText(text.upper())
            self.edit.setCursorPosition(position)

    def raw(self) -> Any:
        return self.edit.text()

    def set_raw(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class CodeEditor(TextEditor):
    upper = True


class IntEditor(TextEditor):
    def raw(self) -> Any:
        text = self.edit.text().strip()
        return text or None  # the schema reads the number ("must be a whole number")


class AmountEditor(TextEditor):
    """An amount in the locale's format, read into a Decimal (never a float)."""

    def _make(self, parent: QWidget) -> QWidget:
        edit = super()._make(parent)
        assert isinstance(edit, QLineEdit)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.editingFinished.connect(self._tidy)
        return edit

    def _tidy(self) -> None:
        try:
            value = parse_amount(self.edit.text())
        except ValueError:
            return
        if value is not None and value == value.quantize(value.__class__("0.01")):
            self.edit.setText(format_amount(value))

    def raw(self) -> Any:
        return parse_amount(self.edit.text())

    def set_raw(self, value: Any) -> None:
        self.edit.setText("" if value is None else format_amount(value))


class DateEditor(Editor):
    def _make(self, parent: QWidget) -> QWidget:
        edit = QDateEdit(parent)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_format())
        edit.setDate(QDate.currentDate())
        edit.dateChanged.connect(lambda _date: self.changed.emit())
        self.edit = edit
        return edit

    def raw(self) -> Any:
        value = self.edit.date()
        return date(value.year(), value.month(), value.day())

    def set_raw(self, value: Any) -> None:
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class OptionalDateEditor(TextEditor):
    """A date that may be empty: typed in the locale's short format (or ISO)."""

    def _make(self, parent: QWidget) -> QWidget:
        edit = super()._make(parent)
        assert isinstance(edit, QLineEdit)
        if not self.spec.placeholder:
            edit.setPlaceholderText(date_format().replace("yyyy", "YYYY").upper())
        edit.editingFinished.connect(self._tidy)
        return edit

    def _tidy(self) -> None:
        try:
            value = parse_date(self.edit.text())
        except ValueError:
            return
        if value is not None:
            self.edit.setText(format_date(value))

    def raw(self) -> Any:
        return parse_date(self.edit.text())

    def set_raw(self, value: Any) -> None:
        self.edit.setText(format_date(value))


class ChoiceEditor(Editor):
    def _make(self, parent: QWidget) -> QWidget:
        combo = QComboBox(parent)
        for text, value in self.spec.choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.combo = combo
        return combo

    def set_choices(self, choices: tuple[tuple[str, Any], ...]) -> None:
        self.combo.clear()
        for text, value in choices:
            self.combo.addItem(text, value)

    def raw(self) -> Any:
        return self.combo.currentData()

    def set_raw(self, value: Any) -> None:
        for index in range(self.combo.count()):
            if self.combo.itemData(index) == value:
                self.combo.setCurrentIndex(index)
                return


class BoolEditor(Editor):
    def _make(self, parent: QWidget) -> QWidget:
        box = QCheckBox(parent)
        box.toggled.connect(lambda _on: self.changed.emit())
        self.box = box
        return box

    def raw(self) -> Any:
        return self.box.isChecked()

    def set_raw(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class LookupEditor(CodeEditor):
    """A number with completion on number and name, F4 or the button for the list, and the
    name of the record shown beside it."""

    def __init__(self, spec: FieldSpec, parent: QWidget, source: LookupSource,
                 context: Callable[[], Mapping[str, Any]]) -> None:
        self.source = source
        self.context = context
        super().__init__(spec, parent)
        self.button = QToolButton(parent)
        self.button.setObjectName(f"{spec.name}Lookup")
        self.button.setText("…")
        self.button.setToolTip(f"{source.title} (F4)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_lookup)
        self.name_label = QLabel(parent)
        self.name_label.setObjectName(f"{spec.name}Name")
        self.name_label.setMinimumWidth(140)
        self.name_label.setStyleSheet("color: palette(mid);")
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.widget.setMinimumWidth(110)
        row.addWidget(self.widget, 1)
        row.addWidget(self.button)
        row.addWidget(self.name_label, 1)
        self.container = box
        self.completer = LookupCompleter(self.edit)
        self.edit.setCompleter(self.completer)
        self._loaded_for: object = None
        self.changed.connect(self.show_name)

    def _line_edit(self, parent: QWidget) -> QLineEdit:
        edit = LookupLineEdit(parent)
        edit.lookupRequested.connect(self.open_lookup)
        return edit

    def _rows(self) -> list[Any]:
        return self.source.rows(self.context())

    def refresh_completion(self) -> None:
        rows = self._rows()
        if rows is not self._loaded_for:
            self.completer.lookup_model.set_rows(rows)
            self._loaded_for = rows

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusIn:
            self.refresh_completion()
        return super().eventFilter(watched, event)

    def show_name(self) -> None:
        text = self.edit.text().strip()
        name = self.source.name_of(text, self.context()) if text else None
        self.name_label.setText(name or "")

    def open_lookup(self) -> None:
        if self.edit.isReadOnly():
            return
        dialog = LookupDialog(self.source, self._rows(), self.edit.text(),
                              self.widget.window())
        if dialog.exec() == LookupDialog.DialogCode.Accepted:
            number = dialog.chosen()
            if number is not None:
                self.edit.setText(number)
                self.edit.textEdited.emit(number)  # a user edit: validates, marks touched
        self.edit.setFocus()


EDITORS: dict[str, type[Editor]] = {
    "text": TextEditor, "code": CodeEditor, "int": IntEditor, "amount": AmountEditor,
    "date": DateEditor, "optional_date": OptionalDateEditor, "choice": ChoiceEditor,
    "bool": BoolEditor,
}

"""The one dialog every resource is edited in, built from a ``FormSpec``.

As the user types, the input is validated through the resource's own Pydantic Create or
Update schema (the same one the grid, import and the command line use); each error is shown
under its field in plain words, and OK stays disabled until the form is valid. On OK the
dialog calls ``submit``; a rule only the service can check (unknown customer, blocked
account, duplicate code, invoice not open) comes back as a DomainError and is shown at its
field, with the dialog left open and the input intact. A record changed elsewhere since the
dialog read it is never overwritten: the user is told and asked whether to reload it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from pydantic import ValidationError
from pydantic.alias_generators import to_snake
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError, EnvironmentProblem, NotFound, StaleWrite
from app.domain.schemas import ApiInput, ApiRead
from app.domain.validation import errors_of
from app.ui import messages
from app.ui.dialogs.fields import (
    EDITORS,
    ChoiceEditor,
    Editor,
    FieldSpec,
    LookupEditor,
)
from app.ui.dialogs.lookup import LookupSource

ERROR_COLOUR = "#b3261e"


def form_style() -> str:
    """Error labels and refused fields, readable in the light and the dark theme."""
    from app.ui.theme import is_dark

    dark = is_dark()
    colour = "#ff8c8c" if dark else ERROR_COLOUR
    background = "#4a2323" if dark else "#fff5f4"
    return f"""
QLabel[role="error"] {{ color: {colour}; }}
QLineEdit[invalid="true"] {{ border: 1px solid {colour}; border-radius: 2px;
    padding: 2px; background: {background}; }}
QLabel[role="form-error"] {{ color: {colour}; font-weight: bold; }}
"""


@dataclass(frozen=True)
class FormSpec:
    kind: str  # the resource kind (operations.RESOURCES)
    label: str  # "Journal"
    create_schema: type[ApiInput]
    update_schema: type[ApiInput]
    fields: tuple[FieldSpec, ...]
    key: Callable[[Any], str]  # the record's number / code in the title
    # Errors the service reports on a property the form shows under another name.
    aliases: Mapping[str, str] = field(default_factory=dict)
    record_error_field: str | None = None  # where errors about the whole record go
    intro: str = ""  # one line at the top of the dialog


class FormDialog(QDialog):
    """Create (``record`` None) or edit one record."""

    def __init__(self, spec: FormSpec, *,
                 submit: Callable[[ApiInput, ApiRead | None], ApiRead],
                 record: ApiRead | None = None,
                 reload: Callable[[], ApiRead] | None = None,
                 lookups: Mapping[str, LookupSource] | None = None,
                 choices: Mapping[str, tuple[tuple[str, Any], ...]] | None = None,
                 initial: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.record = record
        self.result_record: ApiRead | None = None
        self._submit = submit
        self._reload = reload
        self.editors: dict[str, Editor] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._server_errors: dict[str, str] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._ready = False
        self.setObjectName(f"{spec.kind}Dialog")
        self.setStyleSheet(form_style())
        self._build(lookups or {}, choices or {})
        self._fill(record, initial or {})
        self._ready = True
        self.validate()

    # --- building ---------------------------------------------------------------------
    @property
    def creating(self) -> bool:
        return self.record is None

    @property
    def schema(self) -> type[ApiInput]:
        return self.spec.create_schema if self.creating else self.spec.update_schema

    def _title(self) -> str:
        if self.record is None:
            return f"New {self.spec.label}"
        return f"Edit {self.spec.label} {self.spec.key(self.record)}"

    def _build(self, lookups: Mapping[str, LookupSource],
               choices: Mapping[str, tuple[tuple[str, Any], ...]]) -> None:
        self.setWindowTitle(self._title())
        self.setMinimumWidth(540)
        outer = QVBoxLayout(self)
        if self.spec.intro:
            intro = QLabel(self.spec.intro, self)
            intro.setWordWrap(True)
            outer.addWidget(intro)
        columns = QHBoxLayout()
        grids = [QGridLayout(), QGridLayout()]
        for grid in grids:
            grid.setColumnStretch(1, 1)
            grid.setVerticalSpacing(2)
            grid.setHorizontalSpacing(10)
        rows = [0, 0]
        for spec in self.spec.fields:
            editor = self._editor(spec, lookups, choices)
            self.editors[spec.name] = editor
            label = QLabel(spec.label + ":", self)
            label.setObjectName(f"{spec.name}Label")
            label.setBuddy(editor.widget)
            if spec.required:
                font = QFont(label.font())
                font.setBold(True)
                label.setFont(font)
            error = QLabel(self)
            error.setObjectName(f"{spec.name}Error")
            error.setProperty("role", "error")
            error.setWordWrap(True)
            error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            error.hide()
            self.error_labels[spec.name] = error
            grid, row = grids[spec.column], rows[spec.column]
            grid.addWidget(label, row, 0)
            grid.addWidget(editor.container, row, 1)
            grid.addWidget(error, row + 1, 1)
            rows[spec.column] = row + 2
            if spec.read_only:
                editor.set_read_only(True)
            editor.changed.connect(lambda name=spec.name: self._changed(name))
            editor.left.connect(lambda name=spec.name: self._left(name))
        for grid in grids:
            grid.setRowStretch(max(rows) + 1, 1)
        columns.addLayout(grids[0], 1)
        if rows[1]:
            columns.addSpacing(18)
            columns.addLayout(grids[1], 1)
        outer.addLayout(columns)

        self.form_error = QLabel(self)
        self.form_error.setObjectName("formError")
        self.form_error.setProperty("role", "form-error")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        outer.addWidget(self.form_error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        ok.setObjectName("okButton")
        self.ok_button = ok
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def _editor(self, spec: FieldSpec, lookups: Mapping[str, LookupSource],
                choices: Mapping[str, tuple[tuple[str, Any], ...]]) -> Editor:
        if spec.kind == "lookup":
            assert spec.lookup is not None
            return LookupEditor(spec, self, lookups[spec.lookup], self.context)
        editor = EDITORS[spec.kind](spec, self)
        if isinstance(editor, ChoiceEditor) and spec.choices_from:
            editor.set_choices(choices.get(spec.choices_from, ()))
        return editor

    def _fill(self, record: ApiRead | None, initial: Mapping[str, Any]) -> None:
        defaults = self.spec.create_schema.model_fields
        for name, editor in self.editors.items():
            if record is not None and hasattr(record, to_snake(name)):
                editor.set_raw(getattr(record, to_snake(name)))
            elif name in initial:
                editor.set_raw(initial[name])
            elif record is None and to_snake(name) in defaults and \
                    not defaults[to_snake(name)].is_required():
                default = defaults[to_snake(name)].get_default(call_default_factory=True)
                if default is not None and not editor.spec.blank_is_default:
                    editor.set_raw(default)  # the schema's default (direct posting: yes)

    # --- validating -------------------------------------------------------------------
    def context(self) -> dict[str, Any]:
        """The current raw values, for lookups that depend on other fields."""
        values: dict[str, Any] = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.raw()
            except ValueError:
                values[name] = None
        return values

    def _original(self, name: str) -> Any:
        assert self.record is not None
        return getattr(self.record, to_snake(name), None)

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The data to send (by API property) and the errors found reading the input."""
        data: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, editor in self.editors.items():
            spec = editor.spec
            if spec.read_only:
                continue
            try:
                value = editor.raw()
            except ValueError as exc:
                errors[name] = f"{spec.label} {exc}."
                continue
            blank = value is None or (isinstance(value, str) and not value.strip())
            if self.creating:
                if blank and spec.blank_is_default:
                    continue  # the service fills in its default
                if value is None and not spec.nullable:
                    continue  # the schema says whether it must have a value
            else:
                if self._same(value, self._original(name)):
                    continue  # PATCH: only what changed
                if value is None and not spec.nullable:
                    errors[name] = f"{spec.label} must have a value."
                    continue
            data[name] = value
        return data, errors

    @staticmethod
    def _same(value: Any, original: Any) -> bool:
        if isinstance(value, str) and isinstance(original, str):
            return value.strip() == original.strip()
        if value is None and original == "":
            return True
        return bool(value == original)

    def _schema_errors(self, data: dict[str, Any]) -> tuple[ApiInput | None, dict[str, str]]:
        errors: dict[str, str] = {}
        try:
            return self.schema.model_validate(data), errors
        except ValidationError as exc:
            for error in errors_of(exc):
                name = self._field_for(error.field)
                errors.setdefault(name, self._plain(error.message, error.field))
            return None, errors

    def _field_for(self, name: str | None) -> str:
        if name is None:
            return self.spec.record_error_field or ""
        name = self.spec.aliases.get(name, name)
        return name if name in self.editors else ""

    def _plain(self, message: str, field: str | None = None) -> str:
        """Name the fields as the form labels them: "Code must have a value", "Allow posting
        to must not be before ...". A one-word property ("code") is replaced only where the
        message names the field it is about, not in prose ("with the code BANK")."""
        if field in self.editors:
            message = re.sub(rf"\b{re.escape(field)}\b", self.editors[field].spec.label,
                             message, count=1)
        for name, editor in self.editors.items():
            if name != name.lower():  # camelCase: cannot be an ordinary word
                message = re.sub(rf"\b{re.escape(name)}\b", editor.spec.label, message)
        return message[:1].upper() + message[1:]

    def validate(self) -> bool:
        """Check the input; show the errors of touched fields; enable OK when valid."""
        data, errors = self.collect()
        _model, schema_errors = self._schema_errors(data)
        for name, message in schema_errors.items():
            errors.setdefault(name, message)
        for name, message in self._server_errors.items():
            errors.setdefault(name, message)
        self.errors = errors
        for name, label in self.error_labels.items():
            shown = errors.get(name) if (self._show_all or name in self._touched
                                         or name in self._server_errors) else None
            self._show_error(name, label, shown)
        form_message = errors.get("")
        self.form_error.setText(form_message or "")
        self.form_error.setVisible(bool(form_message))
        self.ok_button.setEnabled(not errors)
        self._fit()
        return not errors

    def _fit(self) -> None:
        """Grow the dialog when an error appears, so no message is cut off."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _show_error(self, name: str, label: QLabel, message: str | None) -> None:
        label.setText(message or "")
        label.setVisible(bool(message))
        widget = self.editors[name].widget
        if bool(widget.property("invalid")) != bool(message):
            widget.setProperty("invalid", bool(message))
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _alive(self) -> bool:
        # Focus moves while Qt destroys the dialog's children; nothing to validate then.
        return self._ready and shiboken6.isValid(self.ok_button)

    def _left(self, name: str) -> None:
        """The user left a field: from now on its errors show (an empty required field)."""
        if self._alive() and name not in self._touched:
            self._touched.add(name)
            self.validate()

    def _changed(self, name: str) -> None:
        if not self._alive():
            return
        self._touched.add(name)
        self._server_errors.pop(name, None)
        self._server_errors.pop("", None)
        for editor in self.editors.values():  # lookups that depend on it see the new value
            if isinstance(editor, LookupEditor) and name in editor.source.depends_on:
                editor.refresh_completion()
        self.validate()

    # --- saving -----------------------------------------------------------------------
    def data(self) -> ApiInput | None:
        data, errors = self.collect()
        model, schema_errors = self._schema_errors(data)
        return None if errors or schema_errors else model

    def accept(self) -> None:
        self._show_all = True
        if not self.validate():
            self._focus_first_error()
            return
        model = self.data()
        assert model is not None
        if not self.creating and not model.model_fields_set:
            super().accept()  # nothing changed: nothing to write, no undo step
            return
        try:
            self.result_record = self._submit(model, self.record)
        except EnvironmentProblem:
            return  # the gateway showed it in a box; the input stays for another try
        except DomainError as exc:
            self.show_server_error(exc)
            return
        super().accept()

    def show_server_error(self, exc: DomainError) -> None:
        """A rule the service enforced: at its field, the dialog open, the input intact."""
        if isinstance(exc, StaleWrite):
            self._conflict()
            return
        if isinstance(exc, NotFound) and exc.field in ("id", None):
            messages.warn(self, self.windowTitle(),
                          f"{self.spec.label} {self._key()} no longer exists: it was deleted "
                          "in another window or program. Cancel to close this dialog.")
            return
        for error in exc.errors:
            self._server_errors.setdefault(self._field_for(error.field),
                                           self._plain(error.message))
        self.validate()
        self._focus_first_error()

    def _key(self) -> str:
        return self.spec.key(self.record) if self.record is not None else ""

    def _conflict(self) -> None:
        answer = messages.ask(
            self, "Changed elsewhere",
            f"{self.spec.label} {self._key()} was changed in another window or by another "
            "program after you opened it, so your changes have not been saved (they would "
            "overwrite the other change).\n\nReload shows the record as it is now, replacing "
            "your input in this dialog. Keep editing leaves your input as it is.",
            ["Reload", "Keep editing"], default=1)
        if answer == "Reload":
            self.reload()
        else:
            self.form_error.setText(
                "Not saved: the record was changed elsewhere. Reload it to save changes.")
            self.form_error.show()

    def reload(self) -> None:
        """Read the record again into the form (the caller has asked the user)."""
        assert self._reload is not None
        try:
            record = self._reload()
        except DomainError as exc:
            messages.warn(self, self.windowTitle(), exc.message)
            return
        self.record = record
        self._ready = False
        self._fill(record, {})
        self._ready = True
        self._server_errors.clear()
        self._touched.clear()
        self._show_all = False
        self.setWindowTitle(self._title())
        self.validate()

    def _focus_first_error(self) -> None:
        for name, editor in self.editors.items():
            if name in self.errors:
                editor.widget.setFocus()
                return

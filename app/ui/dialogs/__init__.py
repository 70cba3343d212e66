"""Dialogs to create, edit and delete every resource, built from one form mechanism.

For the main window:
    record = open_new(window, ops, "journal", company_id)            # New
    record = open_edit(window, ops, "journal", company_id, journal)   # Edit (Enter, F2, dbl-click)
    delete_records(window, ops, "journal", company_id, [journal])    # Delete (asks first)
``kind`` is one of company, account, customer, invoice, journal, payment; a payment line
needs ``journal_id`` to create. Every change goes through ``ops`` (app/ui/operations.py), so
it is validated by the services, undoable, and announced by ``ops.changes`` (a ChangeSet).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.errors import DomainError, EnvironmentProblem, StaleWrite
from app.domain.schemas import ApiInput, ApiRead, PaymentCreate, PaymentRead
from app.ui import messages
from app.ui.dialogs.form import FormDialog, FormSpec
from app.ui.dialogs.lookup import LookupDialog, LookupSource
from app.ui.dialogs.specs import FORMS, choices_for, lookups_for
from app.ui.operations import UNDO_LINE_LIMIT, Operations
from app.ui.resources import RESOURCES

__all__ = ["FORMS", "FormDialog", "FormSpec", "LookupDialog", "LookupSource",
           "build_edit_dialog", "build_new_dialog", "delete_records", "open_edit", "open_new"]


def build_new_dialog(ops: Operations, kind: str, company_id: uuid.UUID | None = None, *,
                     journal_id: uuid.UUID | None = None,
                     parent: QWidget | None = None) -> FormDialog:
    """The dialog for a new record (not shown: ``open_new`` shows it)."""
    spec = FORMS[kind]
    initial = {}
    if kind == "payment":
        from app.services import journals

        assert company_id is not None and journal_id is not None, "a line needs its journal"
        initial["journalDisplayName"] = journals.get(ops.db, company_id, journal_id).code

    def submit(data: ApiInput, _record: ApiRead | None) -> ApiRead:
        if kind == "payment":
            assert isinstance(data, PaymentCreate) and company_id and journal_id
            return ops.create_line(company_id, journal_id, data)
        return ops.create(kind, company_id, data)

    return FormDialog(
        spec, submit=submit, initial=initial, parent=parent,
        lookups=lookups_for(ops.db, company_id) if company_id else {},
        choices=choices_for(ops.db, company_id, True) if company_id else {})


def build_edit_dialog(ops: Operations, kind: str, company_id: uuid.UUID | None,
                      record: ApiRead | uuid.UUID, *,
                      parent: QWidget | None = None) -> FormDialog:
    """The dialog to edit a record, read afresh (its version is what saving checks)."""
    record_id = record if isinstance(record, uuid.UUID) else record.id
    current = ops.get(kind, company_id, record_id)
    cid = current.id if kind == "company" else company_id
    assert cid is not None

    def submit(data: ApiInput, shown: ApiRead | None) -> ApiRead:
        assert shown is not None
        return ops.update(kind, company_id, shown, data)

    return FormDialog(
        FORMS[kind], submit=submit, record=current, parent=parent,
        reload=lambda: ops.get(kind, company_id, record_id),
        lookups=lookups_for(ops.db, cid) if kind != "company" else {},
        choices=choices_for(ops.db, cid, False) if kind != "company" else {})


def open_new(parent: QWidget | None, ops: Operations, kind: str,
             company_id: uuid.UUID | None = None, *,
             journal_id: uuid.UUID | None = None) -> ApiRead | None:
    """Show the New dialog; returns the record created, or None if cancelled."""
    dialog = build_new_dialog(ops, kind, company_id, journal_id=journal_id, parent=parent)
    return dialog.result_record if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_edit(parent: QWidget | None, ops: Operations, kind: str,
              company_id: uuid.UUID | None, record: ApiRead | uuid.UUID) -> ApiRead | None:
    """Show the Edit dialog; returns the record as saved, or None if cancelled/unchanged."""
    try:
        dialog = build_edit_dialog(ops, kind, company_id, record, parent=parent)
    except DomainError as exc:  # deleted elsewhere since the list showed it
        messages.warn(parent, "Edit", exc.message)
        ops.refresh_kinds(RESOURCES[kind].affects, company_id)
        return None
    return dialog.result_record if dialog.exec() == QDialog.DialogCode.Accepted else None


def delete_question(ops: Operations, kind: str, company_id: uuid.UUID | None,
                    records: Sequence[ApiRead]) -> tuple[str, bool]:
    """What to ask before deleting, and whether the delete can be undone."""
    resource = RESOURCES[kind]
    if kind == "payment":
        what = (f"payment line {records[0].line_number}"  # type: ignore[attr-defined]
                if len(records) == 1 else f"{len(records)} payment lines")
        return f"Delete {what}?\n\nEdit > Undo brings them back.", True
    record = records[0]
    name = f"{resource.description.in_sentence} {resource.key(record)}"
    lines = ops.lines_removed_with(kind, company_id, record)
    extra = ""
    if kind == "journal":
        extra = f" and its {lines} lines" if lines else ""
    elif kind == "company":
        extra = (" and everything in it (G/L accounts, customers, invoices, journals"
                 + (f" and {lines} journal lines" if lines else "") + ")")
    if lines > UNDO_LINE_LIMIT:
        return (f"Delete {name}{extra}?\n\nThis cannot be undone: {lines} lines are too many "
                "to keep for Undo."), False
    return f"Delete {name}{extra}?\n\nEdit > Undo brings it back.", True


def delete_records(parent: QWidget | None, ops: Operations, kind: str,
                   company_id: uuid.UUID | None, records: Sequence[ApiRead]) -> bool:
    """Ask, then delete (payment lines: all selected in one step; others: one record).

    The records are as the caller read them: if one changed since, nothing is deleted."""
    if not records:
        return False
    question, undoable = delete_question(ops, kind, company_id, records)
    if messages.ask(parent, "Delete", question, ["Delete", "Cancel"], default=1) != "Delete":
        return False
    try:
        if kind == "payment":
            ops.delete_lines(company_id,  # type: ignore[arg-type]
                             [r for r in records if isinstance(r, PaymentRead)])
        else:
            ops.delete(kind, company_id, records[0], keep_undo=undoable)
    except EnvironmentProblem:
        return False  # the gateway showed it
    except DomainError as exc:
        reason = exc.message
        if isinstance(exc, StaleWrite):
            reason = ("It was changed in another window or program since it was shown here, "
                      "so nothing was deleted. The list has been refreshed: check the change "
                      "and delete again if you still want to.")
        messages.warn(parent, "Delete", reason)
        return False  # the gateway broadcast a refresh of what the list shows
    return True

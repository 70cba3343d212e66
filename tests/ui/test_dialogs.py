"""The edit dialogs: valid input persists; every kind of bad input is shown at its widget
(found by objectName) and writes nothing; Cancel and Escape write nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.schemas import AccountUpdate, CompanyRead, JournalUpdate, SalesInvoiceUpdate
from app.services import accounts, companies, customers, invoices, journals, payments
from app.ui.dialogs import FormDialog, build_edit_dialog, build_new_dialog, open_new
from app.ui.operations import Operations
from tests.snapshots import dump
from tests.ui.conftest import Boxes


def widget(dialog: QDialog, name: str) -> QWidget:
    found = dialog.findChild(QWidget, name)
    assert found is not None, f"no widget named {name}"
    return found


def type_into(qtbot: QtBot, dialog: FormDialog, name: str, text: str) -> None:
    """Type as a user does: select all, then the keys (codes upper-case as typed)."""
    edit = widget(dialog, name)
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)


def choose(dialog: FormDialog, name: str, value: Any) -> None:
    combo = widget(dialog, name)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def error_at(dialog: FormDialog, name: str) -> str:
    label = dialog.findChild(QLabel, f"{name}Error")
    assert label is not None
    return label.text() if label.isVisibleTo(dialog) else ""


def shown_errors(dialog: FormDialog) -> dict[str, str]:
    return {name: error_at(dialog, name) for name in dialog.editors if error_at(dialog, name)}


def new_dialog(qtbot: QtBot, ops: Operations, kind: str, company: CompanyRead | None,
               **kwargs: Any) -> FormDialog:
    dialog = build_new_dialog(ops, kind, company.id if company else None, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def edit_dialog(qtbot: QtBot, ops: Operations, kind: str, company: CompanyRead | None,
                record: Any) -> FormDialog:
    dialog = build_edit_dialog(ops, kind, company.id if company else None, record)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def refused(dialog: FormDialog, db: Database, before: dict[str, Any], name: str,
            message: str) -> None:
    """The message is at its field, nothing was written and the dialog is still open."""
    assert error_at(dialog, name) == message, shown_errors(dialog)
    assert widget(dialog, name).property("invalid") is True
    assert not dialog.ok_button.isEnabled()
    assert dialog.result() == 0 and dialog.isVisible() and dialog.result_record is None
    assert dump(db) == before


# --- journal ------------------------------------------------------------------------------

def test_journal_valid_entry_persists(qtbot: QtBot, ops: Operations, db: Database,
                                      demo: CompanyRead) -> None:
    dialog = new_dialog(qtbot, ops, "journal", demo)
    assert not dialog.ok_button.isEnabled()  # the code is required
    type_into(qtbot, dialog, "code", "save")
    assert widget(dialog, "code").text() == "SAVE"  # type: ignore[attr-defined]
    type_into(qtbot, dialog, "displayName", "Savings receipts")
    type_into(qtbot, dialog, "balancingAccountNumber", "2920")
    assert widget(dialog, "balancingAccountNumberName").text() == "Bank, Savings"  # type: ignore[attr-defined]
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = journals.find_by_code(db, demo.id, "SAVE")
    assert (saved.display_name, saved.balancing_account_number) == ("Savings receipts", "2920")
    assert saved.number_series_code == "GJNL-RCPT"  # the company default
    assert ops.stack.undoText() == "New Journal SAVE"


@pytest.mark.parametrize(("name", "text", "message"), [
    ("code", "BANKACCOUNT1", "The length of Code is 12, but it must be less than or equal to "
                             "10 characters."),
    ("code", "", "Code must have a value."),
    ("displayName", "x" * 101, "The length of Description is 101, but it must be less than "
                               "or equal to 100 characters."),
])
def test_journal_client_errors(qtbot: QtBot, ops: Operations, db: Database, demo: CompanyRead,
                               name: str, text: str, message: str) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "journal", demo)
    type_into(qtbot, dialog, "code", "NEW")
    type_into(qtbot, dialog, name, text)
    refused(dialog, db, before, name, message)
    dialog.accept()  # Enter on a disabled OK does nothing either
    refused(dialog, db, before, name, message)


@pytest.mark.parametrize(("code", "account", "name", "message"), [
    ("NEW", "9999", "balancingAccountNumber", "G/L Account 9999 does not exist."),
    ("NEW", "2310", "balancingAccountNumber",
     "Direct Posting must be equal to 'Yes' in G/L Account: No.=2310. Current value is 'No'."),
    ("NEW", "6000", "balancingAccountNumber",
     "Account Type must be equal to 'Posting' in G/L Account: No.=6000. Current value is "
     "'Heading'."),
    ("BANK", "2910", "code", "A customer payment journal with the code BANK already exists."),
])
def test_journal_server_errors_at_their_field(qtbot: QtBot, ops: Operations, db: Database,
                                              demo: CompanyRead, code: str, account: str,
                                              name: str, message: str) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "journal", demo)
    type_into(qtbot, dialog, "code", code)
    type_into(qtbot, dialog, "balancingAccountNumber", account)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    refused(dialog, db, before, name, message)
    assert widget(dialog, "code").text() == code  # type: ignore[attr-defined]
    assert widget(dialog, "balancingAccountNumber").text() == account  # type: ignore[attr-defined]
    assert ops.stack.count() == 0
    # Correcting the field clears its message and OK works again.
    type_into(qtbot, dialog, name, "NEW2" if name == "code" else "2920")
    assert error_at(dialog, name) == "" and dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_journal_blocked_balancing_account(qtbot: QtBot, ops: Operations, db: Database,
                                           demo: CompanyRead) -> None:
    savings = next(a for a in accounts.list_all(db, demo.id) if a.number == "2920")
    accounts.update(db, demo.id, savings.id, AccountUpdate(blocked=True),
                    version=savings.version)
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "journal", demo)
    type_into(qtbot, dialog, "code", "NEW")
    type_into(qtbot, dialog, "balancingAccountNumber", "2920")
    dialog.accept()
    refused(dialog, db, before, "balancingAccountNumber",
            "Blocked must be equal to 'No' in G/L Account: No.=2920. Current value is 'Yes'.")


def test_cancel_and_escape_write_nothing(qtbot: QtBot, ops: Operations, db: Database,
                                         demo: CompanyRead) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "journal", demo)
    type_into(qtbot, dialog, "code", "NEW")
    qtbot.mouseClick(widget(dialog, "cancelButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = edit_dialog(qtbot, ops, "journal", demo, bank)
    type_into(qtbot, dialog, "displayName", "Changed")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dump(db) == before and ops.stack.count() == 0


def test_journal_edit_persists_only_changes(qtbot: QtBot, ops: Operations, db: Database,
                                            demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = edit_dialog(qtbot, ops, "journal", demo, bank.id)
    assert dialog.windowTitle() == "Edit Journal BANK"
    assert widget(dialog, "balancingAccountNumber").text() == "2910"  # type: ignore[attr-defined]
    before = dump(db)
    dialog.accept()  # nothing changed: nothing written, no undo step
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dump(db) == before and ops.stack.count() == 0
    dialog = edit_dialog(qtbot, ops, "journal", demo, bank.id)
    type_into(qtbot, dialog, "balancingAccountNumber", "2940")
    choose(dialog, "numberSeriesCode", None)
    dialog.accept()
    saved = journals.get(db, demo.id, bank.id)
    assert (saved.balancing_account_number, saved.number_series_code) == ("2940", None)
    assert saved.display_name == bank.display_name
    assert ops.stack.undoText() == "Edit Journal BANK"


# --- conflicts ----------------------------------------------------------------------------

def _change_elsewhere(db_path: Path, change: Callable[[Database], None]) -> None:
    other = open_database(db_path)  # a second session on the same file (another process)
    try:
        change(other)
    finally:
        other.close()


def test_stale_edit_gives_conflict_and_loses_nothing(qtbot: QtBot, ops: Operations,
                                                     db: Database, db_path: Path,
                                                     demo: CompanyRead, boxes: Boxes) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = edit_dialog(qtbot, ops, "journal", demo, bank)
    type_into(qtbot, dialog, "displayName", "Mine")
    _change_elsewhere(db_path, lambda other: journals.update(
        other, demo.id, bank.id, JournalUpdate(display_name="Theirs"), version=bank.version))
    before = dump(db)

    boxes.answers = ["Keep editing"]
    dialog.accept()
    assert len(boxes.questions) == 1
    assert boxes.questions[0].startswith(
        "Journal BANK was changed in another window or by another program after you opened "
        "it, so your changes have not been saved")
    assert dump(db) == before  # their change stands
    assert journals.get(db, demo.id, bank.id).display_name == "Theirs"
    assert dialog.isVisible() and dialog.result_record is None
    assert widget(dialog, "displayName").text() == "Mine"  # type: ignore[attr-defined]
    assert "changed elsewhere" in dialog.form_error.text()
    assert ops.stack.count() == 0

    boxes.answers = ["Reload"]
    dialog.accept()
    assert dump(db) == before
    assert widget(dialog, "displayName").text() == "Theirs"  # type: ignore[attr-defined]
    type_into(qtbot, dialog, "displayName", "Mine after all")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert journals.get(db, demo.id, bank.id).display_name == "Mine after all"


def test_stale_payment_line_edit(qtbot: QtBot, ops: Operations, db: Database, db_path: Path,
                                 demo: CompanyRead, boxes: Boxes) -> None:
    from app.domain.schemas import PaymentUpdate

    bank = journals.find_by_code(db, demo.id, "BANK")
    line = payments.list_all(db, demo.id, bank.id)[1]
    dialog = edit_dialog(qtbot, ops, "payment", demo, line)
    type_into(qtbot, dialog, "amount", "-10")
    _change_elsewhere(db_path, lambda other: payments.update(
        other, demo.id, line.id, PaymentUpdate(comment="theirs"), version=line.version))
    before = dump(db)
    boxes.answers = ["Keep editing"]
    dialog.accept()
    assert "Payment Line 20000 was changed in another window" in boxes.questions[0]
    assert dump(db) == before
    assert widget(dialog, "amount").text() == "-10"  # type: ignore[attr-defined]


def test_edit_of_a_record_deleted_elsewhere(qtbot: QtBot, ops: Operations, db: Database,
                                            demo: CompanyRead, boxes: Boxes) -> None:
    cash = journals.find_by_code(db, demo.id, "CASH")
    dialog = edit_dialog(qtbot, ops, "journal", demo, cash)
    type_into(qtbot, dialog, "displayName", "Mine")
    journals.delete(db, demo.id, cash.id, version=None)
    before = dump(db)
    dialog.accept()
    assert boxes.warnings == ["Journal CASH no longer exists: it was deleted in another "
                              "window or program. Cancel to close this dialog."]
    assert dump(db) == before and dialog.isVisible()


# --- payment line -------------------------------------------------------------------------

def test_payment_valid_entry_persists_with_defaults(qtbot: QtBot, ops: Operations,
                                                    db: Database, demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    dialog = new_dialog(qtbot, ops, "payment", demo, journal_id=bank.id)
    assert widget(dialog, "journalDisplayName").text() == "BANK"  # type: ignore[attr-defined]
    assert dialog.ok_button.isEnabled()  # every field has a default
    type_into(qtbot, dialog, "customerNumber", "c10010")
    assert widget(dialog, "customerNumberName").text() == "Trey Research"  # type: ignore[attr-defined]
    type_into(qtbot, dialog, "amount", "-1,234.5")
    type_into(qtbot, dialog, "externalDocumentNumber", "chk77")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    line = payments.list_all(db, demo.id, bank.id)[-1]
    assert line.line_number == 80000 and line.customer_number == "C10010"
    assert line.amount == Decimal("-1234.50") and isinstance(line.amount, Decimal)
    assert line.description == "Trey Research" and line.external_document_number == "CHK77"
    assert line.posting_date is not None and line.document_number
    assert ops.stack.undoText() == "New Payment Line 80000"


def test_payment_every_property_in_edit(qtbot: QtBot, ops: Operations, db: Database,
                                        demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    line = payments.list_all(db, demo.id, bank.id)[-1]  # C10030 on account
    dialog = edit_dialog(qtbot, ops, "payment", demo, line)
    invoice = next(i for i in invoices.list_all(db, demo.id, open_only=True)
                   if i.customer_number == "C10030" and i.number not in ("103001", "103002",
                                                                         "103003", "103004",
                                                                         "103005", "103006"))
    values = {"lineNumber": "70500", "postingDate": "11/21/2026", "documentNumber": "g9",
              "externalDocumentNumber": "ext", "contactId": "contact", "amount": "-99.99",
              "appliesToInvoiceNumber": invoice.number, "description": "Own text",
              "comment": "A comment"}
    for name, text in values.items():
        type_into(qtbot, dialog, name, text)
    assert dialog.ok_button.isEnabled(), shown_errors(dialog)
    dialog.accept()
    saved = payments.get(db, demo.id, line.id)
    assert (saved.line_number, str(saved.posting_date), saved.document_number,
            saved.external_document_number, saved.contact_id, saved.amount,
            saved.applies_to_invoice_number, saved.description, saved.comment) == (
        70500, "2026-11-21", "G9", "EXT", "contact", Decimal("-99.99"), invoice.number,
        "Own text", "A comment")


@pytest.mark.parametrize(("name", "text", "message"), [
    ("amount", "12,34.5", "Amount must be a number like -1,234.56, not '12,34.5'."),
    ("amount", "-1.234", "Amount can have at most 2 decimals."),
    ("amount", "abc", "Amount must be a number like -1,234.56, not 'abc'."),
    ("postingDate", "31/31/2026", "Posting date must be a date like 11/20/2026, not "
                                  "'31/31/2026'."),
    ("lineNumber", "ten", "Line no. must be a whole number, not 'ten'."),
    ("description", "d" * 101, "The length of Description is 101, but it must be less than "
                               "or equal to 100 characters."),
    ("documentNumber", "D" * 21, "The length of Document no. is 21, but it must be less than "
                                 "or equal to 20 characters."),
])
def test_payment_client_errors(qtbot: QtBot, ops: Operations, db: Database, demo: CompanyRead,
                               name: str, text: str, message: str) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "payment", demo, journal_id=bank.id)
    type_into(qtbot, dialog, name, text)
    refused(dialog, db, before, name, message)


def test_payment_server_errors(qtbot: QtBot, ops: Operations, db: Database,
                               demo: CompanyRead) -> None:
    bank = journals.find_by_code(db, demo.id, "BANK")
    paid = invoices.list_all(db, demo.id)[10]
    invoices.update(db, demo.id, paid.id, SalesInvoiceUpdate(remaining_amount=Decimal(0)),
                    version=paid.version)
    before = dump(db)
    cases = [
        ({"customerNumber": "C99999"}, "customerNumber", "Customer C99999 does not exist."),
        ({"customerNumber": "C10190"}, "customerNumber",
         "You cannot enter a payment for customer C10190 (Fourth Coffee) because the customer "
         "is blocked for All transactions."),
        ({"customerNumber": paid.customer_number, "appliesToInvoiceNumber": paid.number},
         "appliesToInvoiceNumber", f"Sales invoice {paid.number} is not open: it has been "
                                   "paid."),
        ({"lineNumber": "10000"}, "lineNumber", "Line 10000 already exists in journal BANK."),
        ({"appliesToInvoiceNumber": "NOSUCH"}, "appliesToInvoiceNumber",
         "Sales Invoice NOSUCH does not exist."),
    ]
    for values, name, message in cases:
        dialog = new_dialog(qtbot, ops, "payment", demo, journal_id=bank.id)
        for field, text in values.items():
            type_into(qtbot, dialog, field, text)
        assert dialog.ok_button.isEnabled()
        dialog.accept()
        refused(dialog, db, before, name, message)
        for field, text in values.items():
            assert widget(dialog, field).text() == text  # type: ignore[attr-defined]


# --- company, account, customer, invoice ---------------------------------------------------

def test_company_dialog(qtbot: QtBot, ops: Operations, db: Database, demo: CompanyRead) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "company", None)
    type_into(qtbot, dialog, "name", "C" * 31)
    refused(dialog, db, before, "name",
            "The length of Name is 31, but it must be less than or equal to 30 characters.")
    type_into(qtbot, dialog, "name", "")
    refused(dialog, db, before, "name", "Name must have a value.")
    type_into(qtbot, dialog, "name", "Second Books")
    type_into(qtbot, dialog, "workDate", "2026-13-01")
    refused(dialog, db, before, "workDate",
            "Work date must be a date like 11/20/2026, not '2026-13-01'.")
    type_into(qtbot, dialog, "workDate", "12/1/2026")
    type_into(qtbot, dialog, "allowPostingFrom", "12/1/2026")
    type_into(qtbot, dialog, "allowPostingTo", "11/1/2026")
    refused(dialog, db, before, "allowPostingTo",
            "Allow posting to must not be before Allow posting from.")
    type_into(qtbot, dialog, "allowPostingTo", "")
    type_into(qtbot, dialog, "name", demo.name)
    dialog.accept()
    refused(dialog, db, before, "name", f"A company named {demo.name} already exists.")
    type_into(qtbot, dialog, "name", "Second Books")
    dialog.accept()
    saved = companies.find(db, "Second Books")
    assert (str(saved.work_date), str(saved.allow_posting_from), saved.allow_posting_to) == (
        "2026-12-01", "2026-12-01", None)
    assert saved.display_name == "Second Books"


def test_account_dialog(qtbot: QtBot, ops: Operations, db: Database, demo: CompanyRead) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "account", demo)
    type_into(qtbot, dialog, "number", "2" * 21)
    refused(dialog, db, before, "number",
            "The length of No. is 21, but it must be less than or equal to 20 characters.")
    type_into(qtbot, dialog, "number", "")
    refused(dialog, db, before, "number", "No. must have a value.")
    type_into(qtbot, dialog, "displayName", "n" * 101)
    refused(dialog, db, before, "displayName",
            "The length of Name is 101, but it must be less than or equal to 100 characters.")
    type_into(qtbot, dialog, "displayName", "")
    type_into(qtbot, dialog, "number", "2910")
    dialog.accept()
    refused(dialog, db, before, "number", "G/L Account 2910 already exists.")
    type_into(qtbot, dialog, "number", "2950")
    type_into(qtbot, dialog, "displayName", "Bank, Deposits")
    choose(dialog, "category", "Assets")
    widget(dialog, "blocked").setChecked(True)  # type: ignore[attr-defined]
    assert isinstance(widget(dialog, "directPosting"), QCheckBox)
    dialog.accept()
    saved = next(a for a in accounts.list_all(db, demo.id) if a.number == "2950")
    assert (saved.display_name, saved.category, saved.blocked, saved.direct_posting,
            saved.account_type) == ("Bank, Deposits", "Assets", True, True, "Posting")


def test_customer_dialog(qtbot: QtBot, ops: Operations, db: Database,
                         demo: CompanyRead) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "customer", demo)
    type_into(qtbot, dialog, "number", "c20000")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(widget(dialog, "number"), Qt.Key.Key_Tab)
    assert error_at(dialog, "displayName") == ""  # not before the user has been there
    qtbot.keyClick(widget(dialog, "displayName"), Qt.Key.Key_Tab)  # passing it empty
    refused(dialog, db, before, "displayName", "Name must have a value.")
    type_into(qtbot, dialog, "displayName", "Nordic Paper")
    type_into(qtbot, dialog, "email", "e" * 81)
    refused(dialog, db, before, "email",
            "The length of Email is 81, but it must be less than or equal to 80 characters.")
    type_into(qtbot, dialog, "email", "ap@nordic.example")
    type_into(qtbot, dialog, "receivablesAccountNumber", "2399")
    dialog.accept()
    refused(dialog, db, before, "receivablesAccountNumber", "G/L Account 2399 does not exist.")
    type_into(qtbot, dialog, "receivablesAccountNumber", "2310")
    type_into(qtbot, dialog, "number", "C10000")
    dialog.accept()
    refused(dialog, db, before, "number", "Customer C10000 already exists.")
    type_into(qtbot, dialog, "number", "C20000")
    choose(dialog, "blocked", "Invoice")
    dialog.accept()
    saved = next(c for c in customers.list_all(db, demo.id) if c.number == "C20000")
    assert (saved.display_name, saved.email, saved.receivables_account_number,
            saved.blocked) == ("Nordic Paper", "ap@nordic.example", "2310", "Invoice")


def test_invoice_dialog(qtbot: QtBot, ops: Operations, db: Database, demo: CompanyRead) -> None:
    before = dump(db)
    dialog = new_dialog(qtbot, ops, "invoice", demo)
    type_into(qtbot, dialog, "number", "INV1")
    assert not dialog.ok_button.isEnabled()  # customer and total are required
    type_into(qtbot, dialog, "customerNumber", "C99999")
    type_into(qtbot, dialog, "totalAmountIncludingTax", "1,000.00")
    type_into(qtbot, dialog, "totalAmountIncludingTax", "")
    refused(dialog, db, before, "totalAmountIncludingTax", "Total incl. tax must have a value.")
    type_into(qtbot, dialog, "totalAmountIncludingTax", "1,000.00")
    type_into(qtbot, dialog, "remainingAmount", "1,500")
    dialog.accept()
    refused(dialog, db, before, "customerNumber", "Customer C99999 does not exist.")
    type_into(qtbot, dialog, "customerNumber", "C10000")
    dialog.accept()
    refused(dialog, db, before, "remainingAmount",
            "Remaining amount must be between 0 and the invoice total.")
    type_into(qtbot, dialog, "remainingAmount", "")
    type_into(qtbot, dialog, "paymentDiscountAmount", "2O.00")
    refused(dialog, db, before, "paymentDiscountAmount",
            "Pmt. discount amount must be a number like -1,234.56, not '2O.00'.")
    type_into(qtbot, dialog, "paymentDiscountAmount", "")
    type_into(qtbot, dialog, "number", "103001")
    dialog.accept()
    refused(dialog, db, before, "number", "Sales invoice 103001 already exists.")
    type_into(qtbot, dialog, "number", "INV1")
    dialog.accept()
    saved = next(i for i in invoices.list_all(db, demo.id) if i.number == "INV1")
    assert saved.remaining_amount == saved.total_amount_including_tax == Decimal("1000.00")
    assert saved.due_date == saved.invoice_date and saved.customer_name == "Adatum Corporation"


def test_invoice_edit_requires_its_amounts(qtbot: QtBot, ops: Operations, db: Database,
                                           demo: CompanyRead) -> None:
    invoice = invoices.list_all(db, demo.id)[0]
    before = dump(db)
    dialog = edit_dialog(qtbot, ops, "invoice", demo, invoice)
    type_into(qtbot, dialog, "remainingAmount", "")
    refused(dialog, db, before, "remainingAmount", "Remaining amount must have a value.")


def test_open_new_returns_none_when_cancelled(qtbot: QtBot, ops: Operations, db: Database,
                                             demo: CompanyRead,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FormDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    before = dump(db)
    assert open_new(None, ops, "account", demo.id) is None
    assert dump(db) == before


def test_company_edit_and_undo(qtbot: QtBot, ops: Operations, db: Database,
                               demo: CompanyRead) -> None:
    company = companies.get(db, demo.id)
    before = dump(db, without_stamps=True)
    dialog = edit_dialog(qtbot, ops, "company", None, company)
    assert widget(dialog, "workDate").text() == "11/20/2026"  # type: ignore[attr-defined]
    type_into(qtbot, dialog, "workDate", "")  # an empty work date means today
    type_into(qtbot, dialog, "displayName", "CRONUS Books")
    dialog.accept()
    saved = companies.get(db, demo.id)
    assert (saved.work_date, saved.display_name) == (None, "CRONUS Books")
    assert ops.stack.undoText() == "Edit Company CRONUS Demo"
    assert ops.undo()
    assert dump(db, without_stamps=True) == before

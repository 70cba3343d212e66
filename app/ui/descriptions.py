"""Each resource described once: what one record is called (step names "New Journal BANK",
form titles, messages), what the menus call it ("New Line…"), the objectName stem of its
actions (actionNewLine…), the list that shows it and the key that names a record.

Plain data (no Qt, no services), so the window reads it before the database layers load.
The undo steps and service calls (app/ui/resources.py), the forms (app/ui/dialogs/specs.py)
and the menus (app/ui/window_editing.py) all take their words from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Description:
    kind: str  # the resource's name in the change-sets (app/domain/changes.Kind)
    label: str  # one record: "Payment Line" -> "New Payment Line 10000", the form's title
    plural: str  # "Delete 3 Payment Lines"
    menu_label: str  # what the menus and the toolbar say: "New Line (Form)…", "Edit Line…"
    stem: str  # objectName stem: actionNewLine, actionEditLine, ...
    view: str  # the list that shows it (objectName)
    key: Callable[[Any], str]  # the record's name in messages: number, code, line number

    def name(self, record: Any) -> str:
        return f"{self.label} {self.key(record)}"


COMPANY = Description("company", "Company", "Companies", "Company", "Company",
                      "companiesView", lambda r: r.name)
ACCOUNT = Description("account", "G/L Account", "G/L Accounts", "G/L Account", "Account",
                      "accountsView", lambda r: r.number)
CUSTOMER = Description("customer", "Customer", "Customers", "Customer", "Customer",
                       "customersView", lambda r: r.number)
INVOICE = Description("invoice", "Sales Invoice", "Sales Invoices", "Sales Invoice",
                      "Invoice", "invoicesView", lambda r: r.number)
JOURNAL = Description("journal", "Journal", "Journals", "Journal", "Journal", "journalsView",
                      lambda r: r.code)
PAYMENT = Description("payment", "Payment Line", "Payment Lines", "Line", "Line",
                      "paymentsView", lambda r: str(r.line_number))

DESCRIPTIONS: dict[str, Description] = {d.kind: d for d in (
    COMPANY, JOURNAL, PAYMENT, CUSTOMER, ACCOUNT, INVOICE)}

__all__ = ["DESCRIPTIONS", "Description"]

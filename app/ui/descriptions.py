"""Each resource described once: what one record is called (step names "New Journal BANK",
form titles, messages), what the menus call it ("New Line…"), the objectName stem of its
actions (actionNewLine…), the list that shows it and the key that names a record.

Plain data (no Qt, no services), so the window reads it before the database layers load.
The undo steps and service calls (app/ui/resources.py), the forms (app/ui/dialogs/specs.py)
and the menus (app/ui/window_editing.py) all take their words from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    # The title of each property (API name), in the form's label and the list's column.
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "Delete G/L account 1000?", "Delete sales invoice"."""
        return " ".join(w if "/" in w else w.lower() for w in self.label.split())

    def title(self, name: str) -> str:
        """A list's column title: "Posting Date", "Bal. Account No."."""
        return self.titles[name]

    def field_label(self, name: str) -> str:
        """A form's label, the same title as a sentence: "Posting date", "Bal. account no."
        (abbreviations like ID and G/L stay as they are)."""
        first, *rest = self.titles[name].split(" ")
        return " ".join([first, *(w if "/" in w or w.isupper() else w.lower() for w in rest)])

    def name(self, record: Any) -> str:
        return f"{self.label} {self.key(record)}"


COMPANY_TITLES: dict[str, str] = {
    "name": "Name", "displayName": "Display Name", "businessProfileId": "Business Profile ID",
    "workDate": "Work Date", "allowPostingFrom": "Allow Posting From",
    "allowPostingTo": "Allow Posting To",
    "paymentDiscountAccountNumber": "Pmt. Disc. G/L Account",
}
JOURNAL_TITLES: dict[str, str] = {
    "code": "Code", "displayName": "Description", "balancingAccountNumber": "Bal. Account No.",
    "numberSeriesCode": "No. Series",
}
PAYMENT_TITLES: dict[str, str] = {
    "journalDisplayName": "Journal", "lineNumber": "Line No.", "postingDate": "Posting Date",
    "documentNumber": "Document No.", "externalDocumentNumber": "Ext. Document No.",
    "customerNumber": "Customer No.", "contactId": "Contact ID", "amount": "Amount",
    "appliesToInvoiceNumber": "Applies-to Inv. No.", "description": "Description",
    "comment": "Comment", "customerName": "Customer Name", "amountReceived": "Amount Received",
    "userId": "User ID",
}
CUSTOMER_TITLES: dict[str, str] = {
    "number": "No.", "displayName": "Name", "type": "Type", "blocked": "Blocked",
    "applicationMethod": "Application Method",
    "receivablesAccountNumber": "Receivables Account", "currencyCode": "Currency Code",
    "taxRegistrationNumber": "Tax Registration No.", "addressLine1": "Address",
    "addressLine2": "Address 2", "city": "City", "state": "State", "postalCode": "Postal Code",
    "country": "Country/Region", "phoneNumber": "Phone No.", "email": "Email",
    "website": "Website",
}
ACCOUNT_TITLES: dict[str, str] = {
    "number": "No.", "displayName": "Name", "category": "Category",
    "subCategory": "Subcategory", "accountType": "Account Type",
    "directPosting": "Direct Posting", "blocked": "Blocked", "balance": "Balance",
}
INVOICE_TITLES: dict[str, str] = {
    "number": "No.", "customerNumber": "Customer No.",
    "externalDocumentNumber": "Ext. Document No.", "invoiceDate": "Invoice Date",
    "postingDate": "Posting Date", "dueDate": "Due Date", "currencyCode": "Currency Code",
    "totalAmountIncludingTax": "Total Incl. Tax", "remainingAmount": "Remaining Amount",
    "paymentDiscountDate": "Pmt. Discount Date",
    "paymentDiscountAmount": "Pmt. Discount Amount", "customerName": "Customer Name",
}

COMPANY = Description("company", "Company", "Companies", "Company", "Company",
                      "companiesView", lambda r: r.name,
                      titles=COMPANY_TITLES)
ACCOUNT = Description("account", "G/L Account", "G/L Accounts", "G/L Account", "Account",
                      "accountsView", lambda r: r.number,
                      titles=ACCOUNT_TITLES)
CUSTOMER = Description("customer", "Customer", "Customers", "Customer", "Customer",
                       "customersView", lambda r: r.number,
                       titles=CUSTOMER_TITLES)
INVOICE = Description("invoice", "Sales Invoice", "Sales Invoices", "Sales Invoice",
                      "Invoice", "invoicesView", lambda r: r.number,
                      titles=INVOICE_TITLES)
JOURNAL = Description("journal", "Journal", "Journals", "Journal", "Journal", "journalsView",
                      lambda r: r.code,
                      titles=JOURNAL_TITLES)
PAYMENT = Description("payment", "Payment Line", "Payment Lines", "Line", "Line",
                      "paymentsView", lambda r: str(r.line_number),
                      titles=PAYMENT_TITLES)

DESCRIPTIONS: dict[str, Description] = {d.kind: d for d in (
    COMPANY, JOURNAL, PAYMENT, CUSTOMER, ACCOUNT, INVOICE)}

__all__ = ["DESCRIPTIONS", "Description"]

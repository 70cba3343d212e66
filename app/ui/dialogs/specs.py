"""The six forms: which properties each dialog shows, how, and with which lookups.

Property names, sizes and rules come from app/domain/schemas.py; this file only says how to
present them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, get_args

from app.db import Database
from app.domain.schemas import (
    AccountCategory,
    AccountCreate,
    AccountType,
    AccountUpdate,
    ApplicationMethod,
    CompanyCreate,
    CompanyUpdate,
    ContactType,
    CustomerBlocked,
    CustomerCreate,
    CustomerUpdate,
    JournalCreate,
    JournalUpdate,
    PaymentCreate,
    PaymentUpdate,
    SalesInvoiceCreate,
    SalesInvoiceUpdate,
)
from app.ui.dialogs.fields import FieldSpec as F
from app.ui.dialogs.form import FormSpec
from app.ui.dialogs.lookup import LookupRow, LookupSource
from app.ui.localized import format_amount, format_date


def _choices(literal: Any, blank: str = "(none)") -> tuple[tuple[str, Any], ...]:
    return tuple((value if value.strip() else blank, value) for value in get_args(literal))


COMPANY_FORM = FormSpec(
    "company", "Company", CompanyCreate, CompanyUpdate, key=lambda r: r.name,
    record_error_field="allowPostingTo",
    fields=(
        F("name", "Name", "text", required=True),
        F("displayName", "Display name", placeholder="the name, if left empty"),
        F("businessProfileId", "Business profile ID"),
        F("workDate", "Work date", "optional_date", nullable=True,
          hint="The date new journal lines get; empty: today"),
        F("allowPostingFrom", "Allow posting from", "optional_date", nullable=True),
        F("allowPostingTo", "Allow posting to", "optional_date", nullable=True,
          hint="Posting refuses dates outside this period; empty: no limit"),
        F("paymentDiscountAccountNumber", "Pmt. disc. G/L account", "code", nullable=True,
          hint="A posting G/L account of the company: where payment discounts granted "
               "are posted"),
    ))

ACCOUNT_FORM = FormSpec(
    "account", "G/L Account", AccountCreate, AccountUpdate, key=lambda r: r.number,
    fields=(
        F("number", "No.", "code", required=True),
        F("displayName", "Name"),
        F("category", "Category", "choice", choices=_choices(AccountCategory)),
        F("subCategory", "Subcategory"),
        F("accountType", "Account type", "choice", choices=_choices(AccountType)),
        F("directPosting", "Direct posting", "bool",
          hint="Journals may post to this account directly"),
        F("blocked", "Blocked", "bool"),
    ))

CUSTOMER_FORM = FormSpec(
    "customer", "Customer", CustomerCreate, CustomerUpdate, key=lambda r: r.number,
    aliases={"receivablesAccountId": "receivablesAccountNumber"},
    fields=(
        F("number", "No.", "code", required=True),
        F("displayName", "Name", required=True),
        F("type", "Type", "choice", choices=_choices(ContactType)),
        F("blocked", "Blocked", "choice", choices=_choices(CustomerBlocked, "(not blocked)"),
          hint="All: no payments can be entered for the customer"),
        F("applicationMethod", "Application method", "choice",
          choices=_choices(ApplicationMethod)),
        F("receivablesAccountNumber", "Receivables account", "lookup",
          lookup="receivables_account",
          hint="The G/L account its receivables are posted to (F4 to look up)"),
        F("currencyCode", "Currency code", "code", placeholder="local currency"),
        F("taxRegistrationNumber", "Tax registration no."),
        F("addressLine1", "Address", column=1),
        F("addressLine2", "Address 2", column=1),
        F("city", "City", column=1),
        F("state", "State", column=1),
        F("postalCode", "Postal code", "code", column=1),
        F("country", "Country/region", "code", column=1),
        F("phoneNumber", "Phone no.", column=1),
        F("email", "Email", column=1),
        F("website", "Website", column=1),
    ))

INVOICE_FORM = FormSpec(
    "invoice", "Sales Invoice", SalesInvoiceCreate, SalesInvoiceUpdate, key=lambda r: r.number,
    aliases={"customerId": "customerNumber"},
    intro="A posted sales invoice that payments are applied to while it is open.",
    fields=(
        F("number", "No.", "code", required=True),
        F("customerNumber", "Customer no.", "lookup", lookup="customer", required=True),
        F("externalDocumentNumber", "External document no.", "code"),
        F("invoiceDate", "Invoice date", "date", required=True),
        F("postingDate", "Posting date", "optional_date", blank_is_default=True,
          placeholder="the invoice date"),
        F("dueDate", "Due date", "optional_date", blank_is_default=True,
          placeholder="the invoice date"),
        F("currencyCode", "Currency code", "code", placeholder="the customer's"),
        F("totalAmountIncludingTax", "Total incl. tax", "amount", required=True),
        F("remainingAmount", "Remaining amount", "amount", blank_is_default=True,
          placeholder="the total"),
        F("paymentDiscountDate", "Pmt. discount date", "optional_date", nullable=True),
        F("paymentDiscountAmount", "Pmt. discount amount", "amount", blank_is_default=True,
          placeholder="0.00"),
    ))

JOURNAL_FORM = FormSpec(
    "journal", "Journal", JournalCreate, JournalUpdate, key=lambda r: r.code,
    aliases={"balancingAccountId": "balancingAccountNumber"},
    intro="A customer payment journal: a batch of cash receipt lines, posted against its "
          "balancing account.",
    fields=(
        F("code", "Code", "code", required=True),
        F("displayName", "Description"),
        F("balancingAccountNumber", "Balancing account no.", "lookup",
          lookup="posting_account",
          hint="A posting G/L account, not blocked, open for direct posting (F4 to look up)"),
        F("numberSeriesCode", "No. series", "choice", choices_from="number_series", nullable=True,
          hint="Where new lines take their document numbers from"),
    ))

PAYMENT_FORM = FormSpec(
    "payment", "Payment Line", PaymentCreate, PaymentUpdate,
    key=lambda r: str(r.line_number),
    aliases={"customerId": "customerNumber", "appliesToInvoiceId": "appliesToInvoiceNumber",
             "journalId": "journalDisplayName"},
    fields=(
        F("journalDisplayName", "Journal", "code", read_only=True),
        F("lineNumber", "Line no.", "int", blank_is_default=True,
          placeholder="last line + 10000"),
        F("postingDate", "Posting date", "optional_date", blank_is_default=True,
          nullable=True, placeholder="previous line's date, else the work date"),
        F("documentNumber", "Document no.", "code", blank_is_default=True,
          placeholder="from the journal's no. series"),
        F("externalDocumentNumber", "External document no.", "code"),
        F("customerNumber", "Customer no.", "lookup", lookup="customer"),
        F("contactId", "Contact ID"),
        F("amount", "Amount", "amount", blank_is_default=True, placeholder="0.00",
          hint="A receipt is a negative amount: -250.00 received from the customer"),
        F("appliesToInvoiceNumber", "Applies-to invoice no.", "lookup", lookup="invoice",
          hint="An open invoice of the customer (F4 to look up)"),
        F("description", "Description", blank_is_default=True, placeholder="customer name"),
        F("comment", "Comment"),
    ))

FORMS: dict[str, FormSpec] = {form.kind: form for form in (
    COMPANY_FORM, ACCOUNT_FORM, CUSTOMER_FORM, INVOICE_FORM, JOURNAL_FORM, PAYMENT_FORM)}


def lookups_for(db: Database, company_id: uuid.UUID) -> dict[str, LookupSource]:
    """The lookup lists of one company, read through the services when first opened."""
    from app.domain import rules
    from app.services import accounts, customers, invoices

    def customer_rows(_context: Mapping[str, Any]) -> list[LookupRow]:
        return [LookupRow(number, name, city + (f" · blocked: {blocked}" if blocked.strip()
                                                else ""))
                for number, name, city, blocked in customers.lookup_rows(db, company_id)]

    def receivables_rows(_context: Mapping[str, Any]) -> list[LookupRow]:
        return [LookupRow(a.number, a.display_name, a.category)
                for a in accounts.list_all(db, company_id)
                if rules.is_postable(a)]

    def posting_rows(_context: Mapping[str, Any]) -> list[LookupRow]:
        return [LookupRow(a.number, a.display_name, a.category)
                for a in accounts.list_direct_posting(db, company_id)]

    def invoice_rows(context: Mapping[str, Any]) -> list[LookupRow]:
        customer = str(context.get("customerNumber") or "").strip().upper()
        return [LookupRow(number, name, f"{customer_number} · due {format_date(due)} · "
                                        f"{format_amount(remaining)} open")
                for number, name, customer_number, due, remaining
                in invoices.open_lookup_rows(db, company_id, customer or None)]

    return {
        "customer": LookupSource("Customers", ("No.", "Name", "City"), customer_rows,
                                 name=lambda number: customers.name_of(db, company_id, number)),
        "receivables_account": LookupSource("G/L Accounts (posting)",
                                            ("No.", "Name", "Category"), receivables_rows),
        "posting_account": LookupSource("G/L Accounts open for direct posting",
                                        ("No.", "Name", "Category"), posting_rows),
        "invoice": LookupSource("Open Sales Invoices", ("No.", "Customer", "Due, open"),
                                invoice_rows, depends_on=("customerNumber",),
                                name=lambda number: invoices.customer_name_of(
                                    db, company_id, number)),
    }


def choices_for(db: Database, company_id: uuid.UUID,
                creating: bool) -> dict[str, tuple[tuple[str, Any], ...]]:
    from app.services import number_series

    series = tuple((f"{s.code}  {s.description}".strip(), s.code)
                   for s in number_series.list_all(db, company_id))
    return {"number_series": (("(company default)" if creating else "(none)", None), *series)}

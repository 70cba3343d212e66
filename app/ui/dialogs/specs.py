"""The six forms: which properties each dialog shows, how, and with which lookups.

Property names, sizes and rules come from app/domain/schemas.py; titles, the form's title
and the record's name from the resource's one description (app/ui/descriptions.py); this file
only says how to present them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, get_args

from app.db import Database
from app.domain.schemas import (
    AccountCategory,
    AccountCreate,
    AccountType,
    AccountUpdate,
    ApiInput,
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
from app.ui.descriptions import DESCRIPTIONS
from app.ui.dialogs.fields import FieldSpec as F
from app.ui.dialogs.form import FormSpec
from app.ui.dialogs.lookup import LookupRow, LookupSource
from app.ui.localized import format_amount, format_date


def _fields(kind: str) -> Callable[..., F]:
    """The fields of one resource's form, titled from its one description."""
    description = DESCRIPTIONS[kind]

    def make(name: str, *args: Any, **kwargs: Any) -> F:
        return F(name, description.field_label(name), *args, **kwargs)

    return make


def _form(kind: str, create: type[ApiInput], update: type[ApiInput], **kwargs: Any) -> FormSpec:
    """A resource's form: its title and the record's name from its description."""
    description = DESCRIPTIONS[kind]
    return FormSpec(kind, description.label, create, update, key=description.key, **kwargs)


_company, _account, _customer = _fields("company"), _fields("account"), _fields("customer")
_invoice, _journal, _payment = _fields("invoice"), _fields("journal"), _fields("payment")


def _choices(literal: Any, blank: str = "(none)") -> tuple[tuple[str, Any], ...]:
    return tuple((value if value.strip() else blank, value) for value in get_args(literal))


COMPANY_FORM = _form(
    "company", CompanyCreate, CompanyUpdate,
    record_error_field="allowPostingTo",
    fields=(
        _company("name", "text", required=True),
        _company("displayName", placeholder="the name, if left empty"),
        _company("businessProfileId"),
        _company("workDate", "optional_date", nullable=True,
                 hint="The date new journal lines get; empty: today"),
        _company("allowPostingFrom", "optional_date", nullable=True),
        _company("allowPostingTo", "optional_date", nullable=True,
                 hint="Posting refuses dates outside this period; empty: no limit"),
        _company("paymentDiscountAccountNumber", "code", nullable=True,
                 hint="A posting G/L account of the company: where payment discounts granted "
                      "are posted"),
    ))

ACCOUNT_FORM = _form(
    "account", AccountCreate, AccountUpdate,
    fields=(
        _account("number", "code", required=True),
        _account("displayName"),
        _account("category", "choice", choices=_choices(AccountCategory)),
        _account("subCategory"),
        _account("accountType", "choice", choices=_choices(AccountType)),
        _account("directPosting", "bool",
                 hint="Journals may post to this account directly"),
        _account("blocked", "bool"),
    ))

CUSTOMER_FORM = _form(
    "customer", CustomerCreate, CustomerUpdate,
    aliases={"receivablesAccountId": "receivablesAccountNumber"},
    fields=(
        _customer("number", "code", required=True),
        _customer("displayName", required=True),
        _customer("type", "choice", choices=_choices(ContactType)),
        _customer("blocked", "choice", choices=_choices(CustomerBlocked, "(not blocked)"),
                  hint="All: no payments can be entered for the customer"),
        _customer("applicationMethod", "choice",
                  choices=_choices(ApplicationMethod)),
        _customer("receivablesAccountNumber", "lookup",
                  lookup="receivables_account",
                  hint="The G/L account its receivables are posted to (F4 to look up)"),
        _customer("currencyCode", "code", placeholder="local currency"),
        _customer("taxRegistrationNumber"),
        _customer("addressLine1", column=1),
        _customer("addressLine2", column=1),
        _customer("city", column=1),
        _customer("state", column=1),
        _customer("postalCode", "code", column=1),
        _customer("country", "code", column=1),
        _customer("phoneNumber", column=1),
        _customer("email", column=1),
        _customer("website", column=1),
    ))

INVOICE_FORM = _form(
    "invoice", SalesInvoiceCreate, SalesInvoiceUpdate,
    aliases={"customerId": "customerNumber"},
    intro="A posted sales invoice that payments are applied to while it is open.",
    fields=(
        _invoice("number", "code", required=True),
        _invoice("customerNumber", "lookup", lookup="customer", required=True),
        _invoice("externalDocumentNumber", "code"),
        _invoice("invoiceDate", "date", required=True),
        _invoice("postingDate", "optional_date", blank_is_default=True,
                 placeholder="the invoice date"),
        _invoice("dueDate", "optional_date", blank_is_default=True,
                 placeholder="the invoice date"),
        _invoice("currencyCode", "code", placeholder="the customer's"),
        _invoice("totalAmountIncludingTax", "amount", required=True),
        _invoice("remainingAmount", "amount", blank_is_default=True,
                 placeholder="the total"),
        _invoice("paymentDiscountDate", "optional_date", nullable=True),
        _invoice("paymentDiscountAmount", "amount", blank_is_default=True,
                 placeholder="0.00"),
    ))

JOURNAL_FORM = _form(
    "journal", JournalCreate, JournalUpdate,
    aliases={"balancingAccountId": "balancingAccountNumber"},
    intro="A customer payment journal: a batch of cash receipt lines, posted against its "
          "balancing account.",
    fields=(
        _journal("code", "code", required=True),
        _journal("displayName"),
        _journal("balancingAccountNumber", "lookup", lookup="posting_account",
                 hint="A posting G/L account, not blocked, open for direct posting (F4 to "
                      "look up)"),
        _journal("numberSeriesCode", "choice", choices_from="number_series", nullable=True,
                 hint="Where new lines take their document numbers from"),
    ))

PAYMENT_FORM = _form(
    "payment", PaymentCreate, PaymentUpdate,
    aliases={"customerId": "customerNumber", "appliesToInvoiceId": "appliesToInvoiceNumber",
             "journalId": "journalDisplayName"},
    fields=(
        _payment("journalDisplayName", "code", read_only=True),
        _payment("lineNumber", "int", blank_is_default=True,
                 placeholder="last line + 10000"),
        _payment("postingDate", "optional_date", blank_is_default=True,
                 nullable=True, placeholder="previous line's date, else the work date"),
        _payment("documentNumber", "code", blank_is_default=True,
                 placeholder="from the journal's no. series"),
        _payment("externalDocumentNumber", "code"),
        _payment("customerNumber", "lookup", lookup="customer"),
        _payment("contactId"),
        _payment("amount", "amount", blank_is_default=True, placeholder="0.00",
                 hint="A receipt is a negative amount: -250.00 received from the customer"),
        _payment("appliesToInvoiceNumber", "lookup", lookup="invoice",
                 hint="An open invoice of the customer (F4 to look up)"),
        _payment("description", blank_is_default=True, placeholder="customer name"),
        _payment("comment"),
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

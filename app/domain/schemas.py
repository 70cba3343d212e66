"""Pydantic schemas per resource: Create (POST body), Update (PATCH body), Read (response).

They are the one source of validation for dialogs, the grid, import and the command line.
Property names are the Business Central API's (camelCase); Python attributes are snake_case.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from app.domain.types import (
    MAX_INTEGER,
    Amount,
    Code10,
    Code20,
    Code35,
    JournalCode,
    OptionalGuid,
    RequiredCode20,
    RequiredText30,
    RequiredText100,
    Text20,
    Text30,
    Text50,
    Text80,
    Text100,
    Text250,
    Timestamp,
)

# Read-only or annotation properties a client may send back unchanged; they are ignored on
# input, as Business Central ignores @odata annotations and server-set values in a body.
IGNORED_ON_INPUT = ("id", "lastModifiedDateTime")
_IGNORED_KEYS = frozenset(IGNORED_ON_INPUT)

AccountCategory = Literal[
    "", "Assets", "Liabilities", "Equity", "Income", "Cost of Goods Sold", "Expense"
]
AccountType = Literal["Posting", "Heading", "Total", "Begin-Total", "End-Total"]
CustomerBlocked = Literal[" ", "Ship", "Invoice", "All"]
ContactType = Literal["Company", "Person"]
ApplicationMethod = Literal["Manual", "Apply to Oldest"]
InvoiceStatus = Literal["Open", "Paid", "Canceled", "Corrective"]


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class ApiInput(ApiModel):
    """A request body: unknown properties are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_ignored(cls, data: Any) -> Any:
        # Runs for every record of an import: the body is only copied when it holds a key to
        # drop (most hold none), and the common key costs one set lookup and one type check.
        if isinstance(data, dict):
            for key in data:
                if key in _IGNORED_KEYS or (type(key) is str and key[:1] == "@"
                                            and key.startswith("@odata.")):
                    return {k: v for k, v in data.items()
                            if not (isinstance(k, str) and k.startswith("@odata."))
                            and k not in _IGNORED_KEYS}
        return data

    def changes(self) -> dict[str, Any]:
        """The fields the client actually sent (PATCH semantics), by Python attribute name."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class ApiPatch(ApiInput):
    """A PATCH body. A property sent as null is refused unless it is one that can be empty
    (``nullable``): the others would have reached the database as NULL (a crash, not a
    message)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(f"{to_camel(info.field_name or '')} cannot be null: leave it out "
                             "to keep its value.")
        return value


class ApiRead(ApiModel):
    """A response entity. ``version`` is the concurrency token, written as ``@odata.etag``."""

    model_config = ConfigDict(frozen=True)
    odata_type: ClassVar[str] = ""

    id: uuid.UUID
    version: int = Field(exclude=True)
    last_modified_date_time: Timestamp

    @property
    def etag(self) -> str:
        return make_etag(self.version)

    def to_json(self) -> dict[str, Any]:
        """The Business Central JSON shape: annotations first, then camelCase properties."""
        head = {"@odata.etag": self.etag}
        if self.odata_type:
            head = {"@odata.type": self.odata_type, **head}
        return {**head, **self.model_dump(mode="json")}


def make_etag(version: int) -> str:
    return f'W/"{version}"'


def parse_etag(etag: str) -> int | None:
    """The version an If-Match value names; None for '*' (any version)."""
    text = etag.strip()
    if text == "*":
        return None
    if text.startswith("W/"):
        text = text[2:]
    try:
        return int(text.strip('"'))
    except ValueError:
        raise ValueError(
            "Could not validate the client concurrency token required by the service."
        ) from None


# --- company -------------------------------------------------------------------------------

class CompanyCreate(ApiInput):
    name: RequiredText30
    display_name: Text250 = ""
    business_profile_id: Text250 = ""
    # Ledgerdesk's setup (Business Central keeps these in G/L Setup and User Setup).
    work_date: date | None = None
    allow_posting_from: date | None = None
    allow_posting_to: date | None = None
    # Where payment discounts granted are posted: a posting G/L account of the company.
    payment_discount_account_number: Code20 | None = None

    @model_validator(mode="after")
    def _posting_range(self) -> CompanyCreate:
        _check_posting_range(self.allow_posting_from, self.allow_posting_to)
        return self


class CompanyUpdate(ApiPatch):
    nullable = frozenset({"work_date", "allow_posting_from", "allow_posting_to",
                          "payment_discount_account_number"})

    name: RequiredText30 | None = None
    display_name: Text250 | None = None
    business_profile_id: Text250 | None = None
    work_date: date | None = None
    allow_posting_from: date | None = None
    allow_posting_to: date | None = None
    payment_discount_account_number: Code20 | None = None  # "" or null: none

    @model_validator(mode="after")
    def _posting_range(self) -> CompanyUpdate:
        _check_posting_range(self.allow_posting_from, self.allow_posting_to)
        return self


def _check_posting_range(start: date | None, end: date | None) -> None:
    if start and end and start > end:
        raise ValueError("allowPostingTo must not be before allowPostingFrom.")


class CompanyRead(ApiRead):
    odata_type = "#microsoft.graph.company"
    name: str
    display_name: str
    business_profile_id: str
    work_date: date | None
    allow_posting_from: date | None
    allow_posting_to: date | None
    payment_discount_account_number: str = ""


# --- G/L account ---------------------------------------------------------------------------

class AccountCreate(ApiInput):
    number: RequiredCode20
    display_name: Text100 = ""
    category: AccountCategory = ""
    sub_category: Text80 = ""
    account_type: AccountType = "Posting"
    direct_posting: bool = True
    blocked: bool = False


class AccountUpdate(ApiPatch):
    number: RequiredCode20 | None = None
    display_name: Text100 | None = None
    category: AccountCategory | None = None
    sub_category: Text80 | None = None
    account_type: AccountType | None = None
    direct_posting: bool | None = None
    blocked: bool | None = None


class AccountRead(ApiRead):
    odata_type = "#microsoft.graph.account"
    number: str
    display_name: str
    category: str
    sub_category: str
    account_type: str
    direct_posting: bool
    blocked: bool


# --- customer ------------------------------------------------------------------------------

def _blank_blocked(value: Any) -> Any:
    # v2.0 writes a blank option as "_x0020_"; users type "" or nothing.
    return " " if value in ("", "_x0020_") else value


class _CustomerFields(ApiInput):
    @field_validator("blocked", mode="before", check_fields=False)
    @classmethod
    def _blocked(cls, value: Any) -> Any:
        return _blank_blocked(value)


class CustomerCreate(_CustomerFields):
    number: RequiredCode20
    display_name: RequiredText100
    type: ContactType = "Company"
    address_line1: Text100 = ""
    address_line2: Text50 = ""
    city: Text30 = ""
    state: Text30 = ""
    country: Code10 = ""
    postal_code: Code20 = ""
    phone_number: Text30 = ""
    email: Text80 = ""
    website: Text80 = ""
    tax_registration_number: Text20 = ""
    currency_code: Code10 = ""
    blocked: CustomerBlocked = " "
    application_method: ApplicationMethod = "Manual"
    # Stands in for the customer posting group: where its receivables are posted.
    receivables_account_id: OptionalGuid = None
    receivables_account_number: Code20 | None = None


class CustomerUpdate(_CustomerFields, ApiPatch):
    nullable = frozenset({"receivables_account_id", "receivables_account_number"})

    number: RequiredCode20 | None = None
    display_name: RequiredText100 | None = None
    type: ContactType | None = None
    address_line1: Text100 | None = None
    address_line2: Text50 | None = None
    city: Text30 | None = None
    state: Text30 | None = None
    country: Code10 | None = None
    postal_code: Code20 | None = None
    phone_number: Text30 | None = None
    email: Text80 | None = None
    website: Text80 | None = None
    tax_registration_number: Text20 | None = None
    currency_code: Code10 | None = None
    blocked: CustomerBlocked | None = None
    application_method: ApplicationMethod | None = None
    receivables_account_id: OptionalGuid = None
    receivables_account_number: Code20 | None = None


class CustomerRead(ApiRead):
    odata_type = "#microsoft.graph.customer"
    number: str
    display_name: str
    type: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    country: str
    postal_code: str
    phone_number: str
    email: str
    website: str
    tax_registration_number: str
    currency_code: str
    blocked: str
    application_method: str
    receivables_account_id: OptionalGuid
    receivables_account_number: str


# --- number series -------------------------------------------------------------------------

class NumberSeriesCreate(ApiInput):
    code: RequiredCode20
    description: Text100 = ""
    starting_number: RequiredCode20
    last_number_used: Code20 = ""
    increment_by: int = Field(1, ge=1, le=1_000_000)
    manual_numbers: bool = True


class NumberSeriesUpdate(ApiPatch):
    code: RequiredCode20 | None = None
    description: Text100 | None = None
    starting_number: RequiredCode20 | None = None
    last_number_used: Code20 | None = None
    increment_by: int | None = Field(None, ge=1, le=1_000_000)
    manual_numbers: bool | None = None


class NumberSeriesRead(ApiRead):
    code: str
    description: str
    starting_number: str
    last_number_used: str
    increment_by: int
    manual_numbers: bool = True


# --- sales invoice (posted, open) ----------------------------------------------------------

class SalesInvoiceCreate(ApiInput):
    number: RequiredCode20
    external_document_number: Code35 = ""
    invoice_date: date
    posting_date: date | None = None  # defaults to invoiceDate
    due_date: date | None = None  # defaults to invoiceDate
    customer_id: OptionalGuid = None
    customer_number: Code20 | None = None
    currency_code: Code10 = ""
    total_amount_including_tax: Amount
    remaining_amount: Amount | None = None  # defaults to the total
    payment_discount_date: date | None = None
    payment_discount_amount: Amount = Decimal("0.00")


class SalesInvoiceUpdate(ApiPatch):
    nullable = frozenset({"payment_discount_date", "customer_id", "customer_number"})

    number: RequiredCode20 | None = None
    external_document_number: Code35 | None = None
    invoice_date: date | None = None
    posting_date: date | None = None
    due_date: date | None = None
    customer_id: OptionalGuid = None
    customer_number: Code20 | None = None
    currency_code: Code10 | None = None
    total_amount_including_tax: Amount | None = None
    remaining_amount: Amount | None = None
    payment_discount_date: date | None = None
    payment_discount_amount: Amount | None = None


class SalesInvoiceRead(ApiRead):
    odata_type = "#microsoft.graph.salesInvoice"
    number: str
    external_document_number: str
    invoice_date: date
    posting_date: date
    due_date: date
    customer_id: uuid.UUID
    customer_number: str
    customer_name: str
    currency_code: str
    total_amount_including_tax: Amount
    remaining_amount: Amount
    payment_discount_date: date | None
    payment_discount_amount: Amount
    status: InvoiceStatus


# --- customer payment journal --------------------------------------------------------------

class JournalCreate(ApiInput):
    code: JournalCode
    display_name: Text100 = ""
    balancing_account_id: OptionalGuid = None
    balancing_account_number: Code20 | None = None
    # Ledgerdesk: the journal's No. Series; a new journal inherits the company default.
    number_series_code: Code20 | None = None


class JournalUpdate(ApiPatch):
    nullable = frozenset({"balancing_account_id", "balancing_account_number",
                          "number_series_code"})

    code: JournalCode | None = None
    display_name: Text100 | None = None
    balancing_account_id: OptionalGuid = None
    balancing_account_number: Code20 | None = None
    number_series_code: Code20 | None = None


class JournalRead(ApiRead):
    odata_type = "#microsoft.graph.customerPaymentJournal"
    code: str
    display_name: str
    balancing_account_id: OptionalGuid
    balancing_account_number: str
    # Not part of Business Central's JSON shape; kept for the app's own screens.
    number_series_code: str | None = Field(default=None, exclude=True)


# --- customer payment (journal line) -------------------------------------------------------

class PaymentCreate(ApiInput):
    journal_id: OptionalGuid = None
    journal_display_name: Code10 | None = None
    line_number: int | None = Field(None, ge=0, le=MAX_INTEGER)
    customer_id: OptionalGuid = None
    customer_number: Code20 | None = None
    contact_id: Text250 | None = None
    posting_date: date | None = None
    document_number: Code20 | None = None
    external_document_number: Code35 = ""
    amount: Amount = Decimal("0.00")
    applies_to_invoice_id: OptionalGuid = None
    applies_to_invoice_number: Code20 | None = None
    description: Text100 | None = None
    comment: Text250 = ""


class PaymentUpdate(ApiInput):
    journal_id: OptionalGuid = None
    journal_display_name: Code10 | None = None
    line_number: int | None = Field(None, ge=1, le=MAX_INTEGER)
    customer_id: OptionalGuid = None
    customer_number: Code20 | None = None
    contact_id: Text250 | None = None
    posting_date: date | None = None
    document_number: Code20 | None = None
    external_document_number: Code35 | None = None
    amount: Amount | None = None
    applies_to_invoice_id: OptionalGuid = None
    applies_to_invoice_number: Code20 | None = None
    description: Text100 | None = None
    comment: Text250 | None = None


class LineApplication(ApiModel):
    """One of a payment line's applications (Applies-to ID): the open customer ledger entry
    it marks and the Amount to Apply (kept in the archive of a delete, so undo puts it back)."""

    model_config = ConfigDict(frozen=True)
    cust_ledger_entry_id: int
    amount_to_apply: Decimal


class PaymentRead(ApiRead):
    odata_type = "#microsoft.graph.customerPayment"
    journal_id: uuid.UUID
    journal_display_name: str
    line_number: int
    customer_id: OptionalGuid
    customer_number: str
    contact_id: str
    posting_date: date | None
    document_number: str
    external_document_number: str
    amount: Amount
    applies_to_invoice_id: OptionalGuid
    applies_to_invoice_number: str
    description: str
    comment: str
    # Not an API property: filled only in what a delete returns (the line's applications,
    # which the delete removed by cascade), so a restore puts them back.
    applications: tuple[LineApplication, ...] = Field(default=(), exclude=True)


# --- archives: what a delete removed, so undo can put it back -------------------------------

class JournalArchive(ApiModel):
    """A deleted journal with the lines its delete removed (undo restores both, same ids)."""

    model_config = ConfigDict(frozen=True)
    journal: JournalRead
    lines: list[PaymentRead] = Field(default_factory=list)


class CompanyArchive(ApiModel):
    """A deleted company with everything in it (undo restores all of it, same ids)."""

    model_config = ConfigDict(frozen=True)
    company: CompanyRead
    receipts_number_series_code: str | None = None
    number_series: list[NumberSeriesRead] = Field(default_factory=list)
    accounts: list[AccountRead] = Field(default_factory=list)
    customers: list[CustomerRead] = Field(default_factory=list)
    invoices: list[SalesInvoiceRead] = Field(default_factory=list)
    journals: list[JournalArchive] = Field(default_factory=list)
    # Posting setup and the ledgers, as database rows by table (restored exactly, same
    # entry numbers): G/L registers and entries, customer ledger and detailed entries, and
    # the journal lines' applications.
    payment_discount_account_id: uuid.UUID | None = None
    invoice_account_id: uuid.UUID | None = None
    ledger_rows: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)

    @property
    def line_count(self) -> int:
        return sum(len(j.lines) for j in self.journals)

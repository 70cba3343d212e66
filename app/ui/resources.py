"""The six resources the editing code knows: their description (app/ui/descriptions.py: the
words), schemas, and the service calls to create, update, read, delete (returning what was
deleted) and restore.

The undo commands and the dialogs are generic over these descriptions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.db import Database
from app.domain.schemas import (
    AccountCreate,
    AccountUpdate,
    ApiInput,
    ApiRead,
    CompanyCreate,
    CompanyUpdate,
    CustomerCreate,
    CustomerUpdate,
    JournalArchive,
    JournalCreate,
    JournalUpdate,
    PaymentCreate,
    PaymentRead,
    PaymentUpdate,
    SalesInvoiceCreate,
    SalesInvoiceUpdate,
)
from app.services import accounts, companies, customers, invoices, journals, payments
from app.ui import descriptions as words
from app.ui.descriptions import Description

ALL_KINDS = ("company", "account", "customer", "invoice", "journal", "payment")


@dataclass(frozen=True)
class Resource:
    description: Description  # its words (app/ui/descriptions.py): label, plural, key
    create_schema: type[ApiInput]
    update_schema: type[ApiInput]
    create: Callable[[Database, uuid.UUID, Any], ApiRead]
    update: Callable[[Database, uuid.UUID, uuid.UUID, Any, int | None], ApiRead]
    get: Callable[[Database, uuid.UUID, uuid.UUID], ApiRead]
    # Deletes and returns a snapshot of everything removed; ``empty`` refuses when the record
    # holds children (undo of a create must not take records entered elsewhere with it).
    delete: Callable[[Database, uuid.UUID, ApiRead, bool], Any]
    restore: Callable[[Database, uuid.UUID, Any], ApiRead]
    record_of: Callable[[Any], ApiRead]  # the record inside a snapshot
    affects: tuple[str, ...]  # kinds whose views change when this one does

    @property
    def kind(self) -> str:
        return self.description.kind

    @property
    def label(self) -> str:  # "Journal": step names read "New Journal BANK"
        return self.description.label

    @property
    def plural(self) -> str:
        return self.description.plural

    def key(self, record: Any) -> str:
        return self.description.key(record)

    def name(self, record: Any) -> str:
        return self.description.name(record)


def _deleting(delete: Callable[..., None]) -> Callable[[Database, uuid.UUID, ApiRead, bool], Any]:
    """A plain delete (no children to archive): the snapshot is the record as it was read,
    which the version check proves is what was deleted."""
    def run(db: Database, cid: uuid.UUID, record: ApiRead, _empty: bool) -> Any:
        delete(db, cid, record.id, version=record.version)
        return record
    return run


def _payment_delete(db: Database, cid: uuid.UUID, line: ApiRead, _empty: bool) -> Any:
    return payments.delete_many(db, cid, {line.id: line.version})


def _payment_create(db: Database, cid: uuid.UUID, data: Any) -> ApiRead:
    assert isinstance(data, PaymentCreate) and data.journal_id is not None
    return payments.create(db, cid, data.journal_id, data)


COMPANY = Resource(
    words.COMPANY, CompanyCreate, CompanyUpdate,
    create=lambda db, cid, data: companies.create(db, data),
    update=lambda db, cid, rid, data, v: companies.update(db, rid, data, version=v),
    get=lambda db, cid, rid: companies.get(db, rid),
    delete=lambda db, cid, r, empty: companies.delete_archived(
        db, r.id, version=r.version, only_if_empty=empty),
    restore=lambda db, cid, snap: companies.restore(db, snap),
    record_of=lambda snap: snap.company,
    affects=ALL_KINDS,
)
ACCOUNT = Resource(
    words.ACCOUNT, AccountCreate, AccountUpdate,
    create=accounts.create,
    update=lambda db, cid, rid, data, v: accounts.update(db, cid, rid, data, version=v),
    get=accounts.get,
    delete=_deleting(accounts.delete),
    restore=accounts.restore,
    record_of=lambda snap: snap,
    affects=("account", "customer", "journal"),
)
CUSTOMER = Resource(
    words.CUSTOMER, CustomerCreate, CustomerUpdate,
    create=customers.create,
    update=lambda db, cid, rid, data, v: customers.update(db, cid, rid, data, version=v),
    get=customers.get,
    delete=_deleting(customers.delete),
    restore=customers.restore,
    record_of=lambda snap: snap,
    affects=("customer", "invoice", "payment"),
)
INVOICE = Resource(
    words.INVOICE, SalesInvoiceCreate, SalesInvoiceUpdate,
    create=invoices.create,
    update=lambda db, cid, rid, data, v: invoices.update(db, cid, rid, data, version=v),
    get=invoices.get,
    delete=_deleting(invoices.delete),
    restore=invoices.restore,
    record_of=lambda snap: snap,
    affects=("invoice",),
)
JOURNAL = Resource(
    words.JOURNAL, JournalCreate, JournalUpdate,
    create=journals.create,
    update=lambda db, cid, rid, data, v: journals.update(db, cid, rid, data, version=v),
    get=journals.get,
    delete=lambda db, cid, r, empty: journals.delete_archived(
        db, cid, r.id, version=r.version, only_if_empty=empty),
    restore=journals.restore,
    record_of=lambda snap: snap.journal,
    affects=("journal", "payment"),
)
PAYMENT = Resource(
    words.PAYMENT, PaymentCreate, PaymentUpdate,
    create=_payment_create,
    update=lambda db, cid, rid, data, v: payments.update(db, cid, rid, data, version=v),
    get=payments.get,
    delete=_payment_delete,
    restore=lambda db, cid, snap: payments.restore(db, cid, snap)[0],
    record_of=lambda snap: snap[0],
    affects=("payment",),
)

RESOURCES: dict[str, Resource] = {r.kind: r for r in
                                  (COMPANY, ACCOUNT, CUSTOMER, INVOICE, JOURNAL, PAYMENT)}


def snapshot_of_new(resource: Resource, record: ApiRead) -> Any:
    """What restoring a just-created record needs (redo of a create)."""
    if resource is JOURNAL:
        return JournalArchive(journal=record)
    if resource is PAYMENT:
        return [record]
    if resource is COMPANY:
        from app.domain.schemas import CompanyArchive

        return CompanyArchive(company=record)
    return record


# Properties whose value names another record: undo writes the number back, not the id.
REFERENCE_PAIRS = {
    "customer_id": "customer_number",
    "balancing_account_id": "balancing_account_number",
    "receivables_account_id": "receivables_account_number",
    "applies_to_invoice_id": "applies_to_invoice_number",
}


def changed_fields(resource: Resource, before: ApiRead, after: ApiRead) -> list[str]:
    """The properties an edit changed (Python names), as the update schema takes them.

    The diff covers side effects too (a new customer on a line also sets its description),
    so writing these fields back restores the record exactly."""
    editable = set(resource.update_schema.model_fields) & set(type(before).model_fields)
    changed = []
    for name in sorted(editable):
        if name in REFERENCE_PAIRS:
            continue
        if name in ("journal_id", "journal_display_name"):
            continue
        if getattr(before, name) != getattr(after, name):
            changed.append(name)
    for id_name, number_name in REFERENCE_PAIRS.items():
        if id_name in editable and number_name not in changed and \
                getattr(before, id_name) != getattr(after, id_name):
            changed.append(number_name)
    return changed


def values_of(record: ApiRead, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in fields}


def is_payment(record: ApiRead) -> bool:
    return isinstance(record, PaymentRead)

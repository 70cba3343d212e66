"""Posted sales invoices that payments are applied to."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import Customer, Payment, SalesInvoice, utc_now
from app.domain.errors import Conflict, Invalid
from app.domain.schemas import SalesInvoiceCreate, SalesInvoiceRead, SalesInvoiceUpdate
from app.services import ledger_common
from app.services.common import (
    apply_changes,
    get_company,
    missing_ids,
    resolve_by_id_or_number,
)
from app.services.crud import Guard, MasterData

LABEL = "Sales Invoice"


def to_read(invoice: SalesInvoice) -> SalesInvoiceRead:
    return SalesInvoiceRead(
        id=invoice.id, version=invoice.version, last_modified_date_time=invoice.last_modified,
        number=invoice.number, external_document_number=invoice.external_document_number,
        invoice_date=invoice.invoice_date, posting_date=invoice.posting_date,
        due_date=invoice.due_date, customer_id=invoice.customer_id,
        customer_number=invoice.customer.number, customer_name=invoice.customer.display_name,
        currency_code=invoice.currency_code,
        total_amount_including_tax=invoice.total_amount_including_tax,
        remaining_amount=invoice.remaining_amount,
        payment_discount_date=invoice.payment_discount_date,
        payment_discount_amount=invoice.payment_discount_amount,
        status="Open" if invoice.remaining_amount != 0 else "Paid",
    )


def _customer(session: Session, company_id: uuid.UUID, fields: dict[str, Any]) -> Customer:
    customer = resolve_by_id_or_number(
        session, Customer, company_id, fields.get("customer_id"), fields.get("customer_number"),
        id_field="customerId", number_field="customerNumber", label="Customer")
    if customer is None:
        raise Invalid("A customerNumber or a customerId must be provided.",
                      field="customerNumber")
    return customer


def _check_amounts(invoice: SalesInvoice) -> None:
    if invoice.total_amount_including_tax <= 0:
        raise Invalid("totalAmountIncludingTax must be positive for an invoice.",
                      field="totalAmountIncludingTax")
    if not Decimal(0) <= invoice.remaining_amount <= invoice.total_amount_including_tax:
        raise Invalid("remainingAmount must be between 0 and the invoice total.",
                      field="remainingAmount")
    if not Decimal(0) <= invoice.payment_discount_amount <= invoice.total_amount_including_tax:
        raise Invalid("paymentDiscountAmount must be between 0 and the invoice total.",
                      field="paymentDiscountAmount")
    if invoice.due_date < invoice.invoice_date:
        raise Invalid("dueDate must not be before invoiceDate.", field="dueDate")


def _duplicate(number: str) -> str:
    return f"Sales invoice {number} already exists."


CRUD: MasterData[SalesInvoice, SalesInvoiceRead] = MasterData(
    SalesInvoice, LABEL, to_read, _duplicate,
    order_by=(SalesInvoice.due_date, SalesInvoice.number), guards=(
        Guard(lambda i: Payment.applies_to_invoice_id == i, "You cannot delete sales invoice "
              "{key} because journal lines are applied to it."),
    ))


def create(db: Database, company_id: uuid.UUID, data: SalesInvoiceCreate) -> SalesInvoiceRead:
    return CRUD.create(db, company_id, data, create_in)


def create_in(session: Session, company_id: uuid.UUID, data: SalesInvoiceCreate) -> SalesInvoice:
    """Create inside the caller's transaction (an import runs many creates in one)."""
    get_company(session, company_id)
    fields = data.model_dump(by_alias=False)
    customer = _customer(session, company_id, fields)
    invoice = SalesInvoice(
        company_id=company_id, customer=customer, number=data.number,
        external_document_number=data.external_document_number,
        invoice_date=data.invoice_date,
        posting_date=data.posting_date or data.invoice_date,
        due_date=data.due_date or data.invoice_date,
        currency_code=data.currency_code or customer.currency_code,
        total_amount_including_tax=data.total_amount_including_tax,
        remaining_amount=(data.total_amount_including_tax if data.remaining_amount is None
                          else data.remaining_amount),
        payment_discount_date=data.payment_discount_date,
        payment_discount_amount=data.payment_discount_amount,
    )
    _check_amounts(invoice)
    CRUD.added(session, invoice)
    # An open invoice is a customer ledger entry: a balance is the sum of the entries.
    ledger_common.write_invoice_entry(session, invoice)
    return invoice


def get(db: Database, company_id: uuid.UUID, invoice_id: uuid.UUID) -> SalesInvoiceRead:
    return CRUD.get(db, company_id, invoice_id)


def list_all(db: Database, company_id: uuid.UUID, *, open_only: bool = False,
             customer_id: uuid.UUID | None = None) -> list[SalesInvoiceRead]:
    with db.reading() as session:
        query = select(SalesInvoice).where(SalesInvoice.company_id == company_id)
        if open_only:
            query = query.where(SalesInvoice.remaining_amount != 0)
        if customer_id is not None:
            query = query.where(SalesInvoice.customer_id == customer_id)
        rows = session.scalars(query.order_by(SalesInvoice.due_date, SalesInvoice.number))
        return [to_read(i) for i in rows]


def update(db: Database, company_id: uuid.UUID, invoice_id: uuid.UUID,
           data: SalesInvoiceUpdate, *, version: int | None) -> SalesInvoiceRead:
    with CRUD.editing(db, company_id, invoice_id, version) as (session, invoice):
        changes = data.changes()
        if "customer_id" in changes or "customer_number" in changes:
            invoice.customer = _customer(session, company_id, changes)
        old_number = invoice.number
        apply_changes(invoice, {k: v for k, v in changes.items()
                                if k not in ("customer_id", "customer_number")})
        _check_amounts(invoice)
        CRUD.saved(session, invoice)
        if invoice.number != old_number:
            # Journal lines keep the number of the invoice they apply to (as BC's Applies-to
            # Doc. No.): rename them too, moving their versions, as a customer's rename does.
            session.execute(sql_update(Payment).where(Payment.applies_to_invoice_id == invoice_id)
                            .values(applies_to_invoice_number=invoice.number,
                                    version=Payment.version + 1, last_modified=utc_now())
                            .execution_options(synchronize_session=False))
        ledger_common.sync_invoice_entry(session, invoice, changes)
        return to_read(invoice)


def delete(db: Database, company_id: uuid.UUID, invoice_id: uuid.UUID, *,
           version: int | None) -> None:
    CRUD.delete(db, company_id, invoice_id, version=version,
                before=ledger_common.delete_invoice_entry)  # its open entry goes with it


def row_of(company_id: uuid.UUID, invoice: SalesInvoiceRead) -> dict[str, Any]:
    """The table row a read model came from (for restoring it exactly)."""
    values = invoice.model_dump(by_alias=False, exclude={
        "last_modified_date_time", "customer_number", "customer_name", "status"})
    return {**values, "last_modified": invoice.last_modified_date_time,
            "company_id": company_id, "version": invoice.version}


def restore(db: Database, company_id: uuid.UUID, snapshot: SalesInvoiceRead) -> SalesInvoiceRead:
    """Put a deleted invoice back with its id and version (undo of a delete)."""
    def check(session: Session) -> None:
        if missing_ids(session, Customer, {snapshot.customer_id}):
            raise Conflict(f"Sales invoice {snapshot.number} cannot be restored: customer "
                           f"{snapshot.customer_number} no longer exists.",
                           field="customerNumber")

    return CRUD.restore(db, company_id, snapshot, row_of(company_id, snapshot), check=check,
                        after=ledger_common.write_invoice_entry)  # its entry, as on create


def open_lookup_rows(db: Database, company_id: uuid.UUID, customer_number: str | None = None
                     ) -> list[tuple[str, str, str, date, Decimal]]:
    """(number, customer name, customer number, due date, remaining) of the open invoices,
    by due date (of one customer if given): a lookup list's rows in one query."""
    with db.reading() as session:
        query = (select(SalesInvoice.number, Customer.display_name, Customer.number,
                        SalesInvoice.due_date, SalesInvoice.remaining_amount)
                 .join(Customer, SalesInvoice.customer_id == Customer.id)
                 .where(SalesInvoice.company_id == company_id, SalesInvoice.remaining_amount != 0)
                 .order_by(SalesInvoice.due_date, SalesInvoice.number))
        if customer_number:
            query = query.where(Customer.number == customer_number.strip().upper())
        return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(query)]


def customer_name_of(db: Database, company_id: uuid.UUID, number: str) -> str | None:
    """The customer name of the invoice with this number, or None."""
    with db.reading() as session:
        return session.scalar(
            select(Customer.display_name).join(SalesInvoice,
                                               SalesInvoice.customer_id == Customer.id)
            .where(SalesInvoice.company_id == company_id,
                   SalesInvoice.number == number.strip().upper()))

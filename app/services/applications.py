"""Apply Customer Entries: which open entries a payment line pays, and how much of each.

Business Central's Applies-to ID with an Amount to Apply per entry: a payment line may apply
to several open entries. Amount to Apply defaults to the remaining amount, or to the remaining
amount less the payment discount when the payment date is on or before the discount date.
An entry posted after the payment cannot be applied (Business Central refuses it). Setting an
Applies-to ID clears the line's Applies-to Doc. No. (the two are exclusive), and when the line
has no amount yet it takes the applied total, as Business Central fills it in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.models import CustLedgerEntry, Customer, Payment, PaymentApplication
from app.domain import posting as rules
from app.domain import rules as rulebook
from app.domain.errors import FieldError, Invalid
from app.domain.ledger_schemas import ApplicationInput, ApplicationsRead, OpenEntryRead
from app.domain.money import from_cents, to_cents
from app.services.common import check_version, touch
from app.services.payments import get_owned_payment

ZERO = Decimal("0.00")


def _open_entries(session: Session, customer_id: uuid.UUID) -> list[CustLedgerEntry]:
    """The customer's open entries a payment can apply to (positive remaining), oldest first."""
    return list(session.scalars(
        select(CustLedgerEntry).where(CustLedgerEntry.customer_id == customer_id,
                                      CustLedgerEntry.open.is_(True),
                                      CustLedgerEntry.remaining_amount > 0)
        .order_by(CustLedgerEntry.posting_date, CustLedgerEntry.entry_number)))


def _as_rule(entry: CustLedgerEntry) -> rules.OpenEntry:
    return rules.OpenEntry(entry.id, entry.entry_number, entry.customer_id, entry.document_type,
                           entry.document_number, entry.posting_date,
                           to_cents(entry.remaining_amount), entry.open, entry.pmt_discount_date,
                           to_cents(entry.remaining_pmt_disc_possible))


def _facts(entry: CustLedgerEntry) -> rulebook.EntryFacts:
    return rulebook.EntryFacts(entry.entry_number, entry.customer_id, entry.document_type,
                               entry.document_number, entry.posting_date, entry.open)


def default_amount_to_apply(entry: CustLedgerEntry, payment_date: date | None) -> Decimal:
    discount = rules.discount_possible(payment_date, _as_rule(entry))
    return from_cents(to_cents(entry.remaining_amount) - min(
        discount, to_cents(entry.remaining_amount)))


def _read(session: Session, payment: Payment) -> ApplicationsRead:
    marked = {a.cust_ledger_entry_id: a.amount_to_apply for a in session.scalars(
        select(PaymentApplication).where(PaymentApplication.payment_id == payment.id))}
    entries = []
    if payment.customer_id is not None:
        listed = _open_entries(session, payment.customer_id)
        listed_ids = {e.id for e in listed}
        # A marked entry that closed meanwhile still shows, so it can be unmarked.
        missing = [i for i in marked if i not in listed_ids]
        if missing:
            listed += list(session.scalars(select(CustLedgerEntry)
                                           .where(CustLedgerEntry.id.in_(missing))))
        for entry in listed:
            later = payment.posting_date is not None and entry.posting_date > \
                payment.posting_date
            entries.append(OpenEntryRead(
                id=entry.id, entry_number=entry.entry_number, document_type=entry.document_type,
                document_number=entry.document_number,
                external_document_number=entry.external_document_number,
                posting_date=entry.posting_date, due_date=entry.due_date, amount=entry.amount,
                remaining_amount=entry.remaining_amount,
                pmt_discount_date=entry.pmt_discount_date,
                remaining_pmt_disc_possible=entry.remaining_pmt_disc_possible,
                default_amount_to_apply=default_amount_to_apply(entry, payment.posting_date),
                amount_to_apply=marked.get(entry.id, ZERO), applied=entry.id in marked,
                can_apply=not later and entry.open,
                reason=("Posted after the payment: post the payment first, then apply it."
                        if later else "" if entry.open else "Not open any more.")))
    applied = sum(marked.values(), ZERO)
    return ApplicationsRead(
        payment_id=payment.id, customer_number=payment.customer_number,
        payment_amount=payment.amount, posting_date=payment.posting_date, entries=entries,
        applied_amount=applied, remaining_after=-payment.amount - applied)


def open_entries(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID) -> ApplicationsRead:
    """The payment's customer's open entries, with what is applied and the defaults."""
    with db.reading() as session:
        return _read(session, get_owned_payment(session, company_id, payment_id))


def set_applications(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID,
                     applications: Sequence[ApplicationInput], *,
                     version: int | None = None) -> ApplicationsRead:
    """Replace the payment line's applications (an empty list clears them)."""
    with db.transaction() as session:
        payment = get_owned_payment(session, company_id, payment_id)
        check_version(payment, version)
        _replace(session, payment, [(a.cust_ledger_entry_id, a.amount_to_apply)
                                    for a in applications])
        return _read(session, payment)


def clear_applications(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID, *,
                       version: int | None = None) -> ApplicationsRead:
    return set_applications(db, company_id, payment_id, [], version=version)


def apply_to_oldest(db: Database, company_id: uuid.UUID, payment_id: uuid.UUID, *,
                    version: int | None = None) -> ApplicationsRead:
    """Apply the payment to the customer's oldest open entries until it is used up (the
    Apply to Oldest application method); entries posted after the payment are left out."""
    with db.transaction() as session:
        payment = get_owned_payment(session, company_id, payment_id)
        check_version(payment, version)
        if payment.customer_id is None:
            raise Invalid("Account No. must have a value: choose the customer first.",
                          field="customerNumber")
        if payment.amount >= 0:
            raise Invalid("Amount must be negative: enter the amount received first, then "
                          "apply it to the oldest entries.", field="amount")
        date_ = payment.posting_date
        entries = [(e.id, e.posting_date, to_cents(default_amount_to_apply(e, date_)))
                   for e in _open_entries(session, payment.customer_id)]
        chosen = [(entry_id, from_cents(cents)) for entry_id, cents in rulebook.apply_to_oldest(
            to_cents(payment.amount), payment.posting_date, entries)]
        _replace(session, payment, chosen)
        return _read(session, payment)


def _replace(session: Session, payment: Payment,
             applications: Sequence[tuple[int, Decimal]]) -> None:
    errors: list[FieldError] = []
    seen: set[int] = set()
    customer = session.get(Customer, payment.customer_id) if payment.customer_id else None
    if applications and customer is None:
        raise Invalid("Account No. must have a value: choose the customer first.",
                      field="customerNumber")
    total = ZERO
    for entry_id, amount in applications:
        entry = session.get(CustLedgerEntry, entry_id)
        if entry is None or customer is None or entry.company_id != customer.company_id:
            errors.append(FieldError("custLedgerEntryId",
                                     f"There is no Cust. Ledger Entry within the filter. "
                                     f"Filters: Entry No.: {entry_id}"))
            continue
        label = f"{entry.document_type} {entry.document_number}"
        if entry_id in seen:
            errors.append(FieldError("custLedgerEntryId", rulebook.applied_twice_message(label)))
            continue
        seen.add(entry_id)
        problem = rulebook.application_problem(
            _facts(entry), to_cents(entry.remaining_amount) if entry.open else 0,
            customer_id=customer.id, posting_date=payment.posting_date,
            document_number=payment.document_number, amount=to_cents(amount),
            customer_numbers=(entry.customer_number, customer.number))
        if problem is not None:
            concern, message = problem
            errors.append(FieldError(
                "amountToApply" if concern == "amount" else "custLedgerEntryId", message))
        total += amount
    too_much = None if errors else rulebook.total_problem(to_cents(total),
                                                          to_cents(payment.amount))
    if too_much:
        errors.append(FieldError("amountToApply", too_much))
    if errors:
        raise Invalid(errors[0].message, errors=errors)

    session.execute(sql_delete(PaymentApplication)
                    .where(PaymentApplication.payment_id == payment.id))
    for entry_id, amount in applications:
        session.add(PaymentApplication(payment_id=payment.id, cust_ledger_entry_id=entry_id,
                                       amount_to_apply=amount))
    changed = False
    if applications and payment.applies_to_invoice_id is not None:
        payment.applies_to_invoice_id = None
        payment.applies_to_invoice_number = ""
        changed = True
    if applications and payment.amount == 0:
        payment.amount = -total  # Business Central fills in the amount applied
        changed = True
    if changed:
        touch(payment)
    session.flush()


def of_journal(db: Database, company_id: uuid.UUID,
               journal_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[int, Decimal]]]:
    """Every line's applications in a journal: payment id -> [(entry id, amount to apply)]
    (kept by the GUI so the undo of a posting can put them back)."""
    from app.db.models import Journal

    with db.reading() as session:
        journal = session.get(Journal, journal_id)
        if journal is None or journal.company_id != company_id:
            return {}
        found: dict[uuid.UUID, list[tuple[int, Decimal]]] = {}
        for payment_id, entry_id, amount in session.execute(
                select(PaymentApplication.payment_id, PaymentApplication.cust_ledger_entry_id,
                       PaymentApplication.amount_to_apply)
                .join(Payment, Payment.id == PaymentApplication.payment_id)
                .where(Payment.journal_id == journal_id)
                .order_by(PaymentApplication.id)):
            found.setdefault(payment_id, []).append((entry_id, amount))
        return found


@dataclass(frozen=True, slots=True)
class AppliedEntry:
    """One open entry a line is applied to (Applies-to ID), as the grid names it."""

    document_type: str
    document_number: str
    amount_to_apply: Decimal


def applied_entries(db: Database,
                    payment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[AppliedEntry]]:
    """The entries each of these lines is applied to, in one query (the grid asks per page
    of lines, never per cell). Lines without applications are left out."""
    if not payment_ids:
        return {}
    found: dict[uuid.UUID, list[AppliedEntry]] = {}
    with db.reading() as session:
        for payment_id, kind, number, amount in session.execute(
                select(PaymentApplication.payment_id, CustLedgerEntry.document_type,
                       CustLedgerEntry.document_number, PaymentApplication.amount_to_apply)
                .join(CustLedgerEntry,
                      CustLedgerEntry.id == PaymentApplication.cust_ledger_entry_id)
                .where(PaymentApplication.payment_id.in_(list(payment_ids)))
                .order_by(PaymentApplication.id)):
            found.setdefault(payment_id, []).append(AppliedEntry(kind, number, amount))
    return found

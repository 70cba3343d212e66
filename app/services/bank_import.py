"""Bank statement lines into a customer payment journal, matched to open invoices.

``plan`` reads (one read transaction): it gives every credit line its import key, marks the
lines already imported into this journal (duplicates), and asks the matcher
(app/domain/bank_matching.py) for a proposal over indexes built here once per import:
open invoice entries by document / external document number token and by customer, customers
by IBAN (their bank accounts) and by name. ``write`` then writes the lines the caller keeps,
with their customers and applications, and their import keys, in ONE transaction through the
payments service's bulk path (``BatchLines``: every rule and default of a typed line).

Keys: the bank's reference where the line has one (with the account, date and amount), else
the line's content with its occurrence count within the day, so two genuine identical
payments of one day are both kept and a re-import (the same or an overlapping statement)
adds nothing twice. The keys outlive the payment lines (posting deletes them).
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import BigInteger, String, insert, select, type_coerce
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from app.db import Database
from app.db.changes import note
from app.db.models import (
    BankStatementLine,
    CustLedgerEntry,
    Customer,
    CustomerBankAccount,
    Journal,
    Payment,
    PaymentApplication,
)
from app.domain import bank_matching as m
from app.domain.bank import Statement, StatementLine, compact_iban
from app.domain.errors import Conflict, DomainError, FieldError, Invalid, NotFound
from app.domain.ledger_schemas import ApplicationsRead, OpenEntryRead
from app.domain.money import from_cents, to_cents
from app.domain.schemas import PaymentCreate
from app.services import payments
from app.services.common import get_company
from app.services.importing import ImportRejected

_CHUNK = 500
EXTERNAL_DOCUMENT_LENGTH, DESCRIPTION_LENGTH, COMMENT_LENGTH = 35, 100, 250


# --- keys --------------------------------------------------------------------------------------

def line_keys(statement: Statement) -> list[str]:
    """One key per line of the statement (debits too), in order."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for line in statement.lines:
        if line.bank_reference:
            parts = ["ref", statement.account, line.bank_reference, line.booking_date.isoformat(),
                     str(line.amount), "C" if line.credit else "D"]
        else:
            parts = ["content", statement.account, line.booking_date.isoformat(),
                     str(line.amount), "C" if line.credit else "D", line.counterparty_iban,
                     line.counterparty_name.upper(), line.remittance.upper(),
                     line.structured_remittance.upper(), line.end_to_end_id]
        base = "\x1f".join(parts)
        seen[base] += 1
        keys.append(hashlib.sha256(f"{base}\x1f#{seen[base]}".encode()).hexdigest())
    return keys


def _existing_keys(session: Session, company_id: uuid.UUID, journal_id: uuid.UUID,
                   keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(session.scalars(select(BankStatementLine.key).where(
            BankStatementLine.company_id == company_id,
            BankStatementLine.journal_id == journal_id,
            BankStatementLine.key.in_(keys[start:start + _CHUNK]))))
    return found


# --- the lookups the matcher asks --------------------------------------------------------------

def _day(value: Any) -> date:
    """A date as the driver gives it (SQLite: ISO text; PostgreSQL: a date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class DbLookup(m.Lookup):
    """Indexes over the company's open invoice entries, customers and bank accounts, read
    in a few queries: by token, by customer, by IBAN, by name (exact, then by shared name
    tokens and their prefixes, scored with rapidfuzz). No line is compared with every
    invoice or every customer."""

    COMMON_TOKEN = 40  # a name token shared by more customers than this does not select

    def __init__(self, session: Session, company_id: uuid.UUID,
                 ibans: Iterable[str] = ()) -> None:
        self._by_customer: dict[uuid.UUID, list[m.OpenDoc]] = {}
        self._customers: dict[uuid.UUID, m.CustomerRef] = {}
        self._by_name: dict[str, list[m.CustomerRef]] = defaultdict(list)
        self._by_name_token: dict[str, list[m.CustomerRef]] = defaultdict(list)
        self._normal: dict[uuid.UUID, str] = {}
        # Rows are read through Core with the columns as the driver gives them (cents as
        # integers, ids and dates as stored): 100,000 entries without a Decimal, a UUID or a
        # date object made per value by the column types; ids are mapped back once per
        # customer.
        connection = session.connection()
        raw_ids: dict[Any, uuid.UUID] = {}
        for cid, raw, number, name, blocked in connection.execute(
                select(Customer.id, type_coerce(Customer.id, String()), Customer.number,
                       Customer.display_name, Customer.blocked)
                .where(Customer.company_id == company_id)):
            if blocked == "All":
                continue  # takes no payments
            raw_ids[raw] = cid
            ref = m.CustomerRef(cid, number, name)
            self._customers[cid] = ref
            normal = m.normal_name(name)
            self._normal[cid] = normal
            self._by_name[normal].append(ref)
            for key in self._name_keys(normal):
                self._by_name_token[key].append(ref)
        rows = connection.execute(
            select(CustLedgerEntry.id, type_coerce(CustLedgerEntry.customer_id, String()),
                   CustLedgerEntry.document_number, CustLedgerEntry.external_document_number,
                   type_coerce(CustLedgerEntry.posting_date, String()),
                   type_coerce(CustLedgerEntry.remaining_amount, BigInteger()),
                   type_coerce(CustLedgerEntry.pmt_discount_date, String()),
                   type_coerce(CustLedgerEntry.remaining_pmt_disc_possible, BigInteger()))
            .where(CustLedgerEntry.company_id == company_id, CustLedgerEntry.open.is_(True),
                   CustLedgerEntry.remaining_amount > 0)
            .order_by(CustLedgerEntry.posting_date, CustLedgerEntry.entry_number))
        # Only the rows are indexed here (a loop of a few operations per open entry); an
        # entry becomes an OpenDoc when a line asks for it.
        minimum = m.MIN_DOCUMENT_LENGTH
        by_token: dict[str, list[Any]] = defaultdict(list)
        by_raw: dict[Any, list[Any]] = defaultdict(list)  # str keys hash fast
        compact = m.compact
        # Plain driver tuples (the selected columns need no conversion: coerced above).
        fetched: Sequence[Any] = (rows.cursor.fetchall() if rows.cursor is not None
                                  else rows.all())
        rows.close()
        for row in fetched:
            by_raw[row[1]].append(row)
            number = row[2]
            key = number if number.isalnum() else compact(number)
            if len(key) >= minimum:
                by_token[key].append(row)
            if row[3]:
                other = compact(row[3])
                if len(other) >= minimum and other != key:
                    by_token[other].append(row)
        self._rows_by_token = by_token
        self._rows_by_customer = {raw_ids[r]: found for r, found in by_raw.items()
                                  if r in raw_ids}
        self._docs: dict[int, m.OpenDoc] = {}
        self._days: dict[Any, date] = {}
        self._raw_ids = raw_ids
        self._by_iban: dict[str, list[m.CustomerRef]] = defaultdict(list)
        wanted = sorted({compact_iban(i) for i in ibans if i})
        for start in range(0, len(wanted), _CHUNK):
            for customer_id, iban in session.execute(
                    select(CustomerBankAccount.customer_id, CustomerBankAccount.iban).where(
                        CustomerBankAccount.company_id == company_id,
                        CustomerBankAccount.iban.in_(wanted[start:start + _CHUNK]))):
                known = self._customers.get(customer_id)
                if known is not None and known not in self._by_iban[iban]:
                    self._by_iban[iban].append(known)

    @staticmethod
    def _name_keys(normal: str) -> set[str]:
        """Words, their 4-letter prefixes, and pairs of prefixes (rare even when each word
        is common: a typo in one word leaves the pairs of the others)."""
        words = [w for w in normal.split() if len(w) >= 3][:5]
        prefixes = [w[:4] for w in words]
        keys = set(words) | {"^" + p for p in prefixes}
        keys.update(f"{a}|{b}" for i, a in enumerate(prefixes) for b in prefixes[i + 1:])
        return keys

    def _doc(self, row: Any) -> m.OpenDoc:
        found = self._docs.get(row[0])
        if found is None:
            days = self._days
            posted, disc_date = row[4], row[6]
            day = days.get(posted) or days.setdefault(posted, _day(posted))
            disc_day = (days.get(disc_date) or days.setdefault(disc_date, _day(disc_date))
                        if disc_date else None)
            found = self._docs[row[0]] = m.OpenDoc(
                row[0], self._raw_ids[row[1]], row[2], row[3], day, int(row[5]), disc_day,
                int(row[7] or 0))
        return found

    def docs_by_token(self, token: str) -> Sequence[m.OpenDoc]:
        rows = self._rows_by_token.get(token)
        if not rows:
            return ()
        return [self._doc(r) for r in rows if r[1] in self._raw_ids]

    def docs_of(self, customer_id: uuid.UUID) -> Sequence[m.OpenDoc]:
        found = self._by_customer.get(customer_id)
        if found is None:
            found = self._by_customer[customer_id] = [
                self._doc(r) for r in self._rows_by_customer.get(customer_id, ())]
        return found

    def customers_by_iban(self, iban: str) -> Sequence[m.CustomerRef]:
        return self._by_iban.get(iban, ())

    def customer(self, customer_id: uuid.UUID) -> m.CustomerRef:
        return self._customers.get(customer_id) or m.CustomerRef(customer_id, "", "")

    def customers_by_name(self, name: str) -> Sequence[tuple[m.CustomerRef, float]]:
        normal = m.normal_name(name)
        exact = self._by_name.get(normal)
        if exact:
            return [(c, 1.0) for c in exact]
        candidates: dict[uuid.UUID, m.CustomerRef] = {}
        for key in self._name_keys(normal):
            found = self._by_name_token.get(key, ())
            if len(found) <= self.COMMON_TOKEN:
                candidates.update((c.id, c) for c in found)
        scored = [(c, fuzz.ratio(normal, self._normal[c.id]) / 100) for c in candidates.values()]
        scored.sort(key=lambda pair: -pair[1])
        return scored[:5]


# --- plan --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposedLine:
    index: int  # position in the statement's lines
    line: StatementLine
    key: str
    duplicate: bool
    match: m.Match
    auto: bool  # at or above the minimum confidence, and no tie: applied as proposed

    @property
    def needs_review(self) -> bool:
        return not self.duplicate and not self.auto


@dataclass(frozen=True)
class Decision:
    """What one line becomes: its customer (or none) and its applications (entry id, amount
    to apply). ``skip`` leaves the line out of the journal."""

    customer_id: uuid.UUID | None
    applications: tuple[tuple[int, Decimal], ...] = ()
    skip: bool = False


@dataclass(frozen=True)
class ImportPlan:
    company_id: uuid.UUID
    journal_id: uuid.UUID
    journal_code: str
    statement: Statement
    lines: list[ProposedLine]  # the credit lines
    debits: int
    min_confidence: m.Confidence

    @property
    def new_lines(self) -> list[ProposedLine]:
        return [p for p in self.lines if not p.duplicate]

    @property
    def duplicates(self) -> int:
        return sum(1 for p in self.lines if p.duplicate)

    def credit_sum(self) -> Decimal:
        return sum((p.line.amount for p in self.lines), Decimal("0.00"))

    def default_decision(self, proposed: ProposedLine) -> Decision:
        """Auto lines: customer and applications as proposed; the others: the customer when
        the party matched (Fully or Partially, one customer), nothing applied."""
        match = proposed.match
        if proposed.auto and match.customer is not None:
            return Decision(match.customer.id, tuple(
                (a.entry_id, from_cents(a.amount)) for a in match.applications))
        if match.party is not m.Party.NO and match.customer is not None:
            return Decision(match.customer.id)
        return Decision(None)


def plan(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID, statement: Statement,
         *, min_confidence: m.Confidence = m.Confidence.HIGH,
         tolerance: Decimal = Decimal("0.00")) -> ImportPlan:
    with db.reading() as session:
        get_company(session, company_id)
        journal = session.get(Journal, journal_id)
        if journal is None or journal.company_id != company_id:
            raise NotFound(f"The journal with ID {journal_id} cannot be found.",
                           field="journalId")
        keys = line_keys(statement)
        credit_keys = [k for k, line in zip(keys, statement.lines, strict=True) if line.credit]
        existing = _existing_keys(session, company_id, journal_id, credit_keys)
        if all(k in existing for k in credit_keys):
            lookup: m.Lookup = m.EmptyLookup()  # nothing new: no line asks (a re-import)
        else:
            lookup = DbLookup(session, company_id, (line.counterparty_iban
                                                    for line in statement.lines if line.credit))
        return _propose(company_id, journal_id, journal.code, statement, keys, existing, lookup,
                        min_confidence, to_cents(tolerance))


def _propose(company_id: uuid.UUID, journal_id: uuid.UUID, journal_code: str,
             statement: Statement, keys: Sequence[str], existing: set[str], lookup: m.Lookup,
             min_confidence: m.Confidence, tolerance: int) -> ImportPlan:
    matcher = m.Matcher(lookup, tolerance=tolerance)
    proposed: list[ProposedLine] = []
    debits = 0
    for index, (line, key) in enumerate(zip(statement.lines, keys, strict=True)):
        if not line.credit:
            debits += 1
            continue
        if key in existing:
            proposed.append(ProposedLine(index, line, key, True, m.NO_MATCH, False))
            continue
        existing.add(key)
        match = matcher.match(line)
        auto = (match.confidence >= min_confidence and not match.tie
                and match.customer is not None)
        if auto:
            matcher.commit(match)
        proposed.append(ProposedLine(index, line, key, False, match, auto))
    return ImportPlan(company_id, journal_id, journal_code, statement, proposed, debits,
                      min_confidence)


# --- write -------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    journal_code: str
    lines_read: int
    written: int
    applied: dict[str, int]  # by confidence label, lines written with applications
    unmatched: int  # written without an application
    duplicates: int
    debits: int
    credit_sum: Decimal
    opening: Decimal | None
    closing: Decimal | None
    dry_run: bool = False
    payment_ids: list[uuid.UUID] = field(default_factory=list)

    def line(self) -> str:
        applied = ", ".join(f"{n} {label}" for label, n in self.applied.items())
        verb = "would import" if self.dry_run else "imported"
        balances = ""
        if self.opening is not None or self.closing is not None:
            balances = (f"; opening {_amount(self.opening)}, closing "
                        f"{_amount(self.closing)}")
        return (f"{self.lines_read} statement lines read; {verb} {self.written} into journal "
                f"{self.journal_code} (sum {self.credit_sum:,.2f}); applied: {applied}; "
                f"unmatched {self.unmatched}; duplicates skipped {self.duplicates}; debits "
                f"skipped {self.debits}{balances}.")


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _cut(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _payment_of(line: StatementLine, customer_id: uuid.UUID | None) -> PaymentCreate:
    return PaymentCreate(
        posting_date=line.booking_date, amount=-line.amount, customer_id=customer_id,
        external_document_number=line.bank_reference[:EXTERNAL_DOCUMENT_LENGTH].strip(),
        description=_cut(line.counterparty_name, DESCRIPTION_LENGTH) or None,
        comment=_cut(" ".join(t for t in (line.structured_remittance, line.remittance) if t),
                     COMMENT_LENGTH))


def _check_applications(session: Session, company_id: uuid.UUID,
                        rows: Sequence[tuple[ProposedLine, Decision]]) -> list[FieldError]:
    wanted = sorted({e for _, d in rows for e, _ in d.applications})
    entries: dict[int, Any] = {}
    for start in range(0, len(wanted), _CHUNK):
        entries.update((r.id, r) for r in session.execute(
            select(CustLedgerEntry.id, CustLedgerEntry.company_id, CustLedgerEntry.customer_id,
                   CustLedgerEntry.open, CustLedgerEntry.remaining_amount,
                   CustLedgerEntry.posting_date, CustLedgerEntry.document_number)
            .where(CustLedgerEntry.id.in_(wanted[start:start + _CHUNK]))))
    problems: list[FieldError] = []
    used: dict[int, Decimal] = defaultdict(Decimal)
    for proposed, decision in rows:
        where = proposed.line.where or f"line {proposed.index + 1}"
        total = Decimal("0.00")
        for entry_id, amount in decision.applications:
            entry = entries.get(entry_id)
            if entry is None or entry.company_id != company_id:
                problems.append(FieldError("custLedgerEntryId",
                                           f"{where}: customer ledger entry {entry_id} does "
                                           "not exist."))
                continue
            label = f"{where}: invoice {entry.document_number}"
            used[entry_id] += amount
            if entry.customer_id != decision.customer_id:
                problems.append(FieldError("custLedgerEntryId",
                                           f"{label} belongs to another customer."))
            elif not entry.open or used[entry_id] > entry.remaining_amount:
                problems.append(FieldError("amountToApply",
                                           f"{label} has {entry.remaining_amount:,.2f} open, "
                                           f"less than the statement applies to it."))
            elif entry.posting_date > proposed.line.booking_date:
                problems.append(FieldError("custLedgerEntryId",
                                           f"{label} was posted after the payment."))
            elif amount <= 0:
                problems.append(FieldError("amountToApply",
                                           f"{label}: Amount to Apply must be positive."))
            total += amount
        if total > proposed.line.amount:
            problems.append(FieldError("amountToApply",
                                       f"{where}: the amounts to apply, {total:,.2f}, are "
                                       f"larger than the payment, {proposed.line.amount:,.2f}."))
    return problems


def write(db: Database, plan: ImportPlan,
          decisions: dict[int, Decision] | None = None, *, dry_run: bool = False
          ) -> ImportResult:
    """Write the plan's new lines (with ``decisions`` by line index, else the defaults) in
    one transaction. Raises ImportRejected naming every line that cannot be written; then
    nothing is written. With ``dry_run`` everything is checked and rolled back."""
    decisions = decisions or {}
    chosen = [(p, decisions.get(p.index) or plan.default_decision(p)) for p in plan.new_lines]
    chosen = [(p, d) for p, d in chosen if not d.skip]
    statement = plan.statement
    result = ImportResult(
        plan.journal_code, len(statement.lines), 0, {"High": 0, "Medium": 0, "Low": 0}, 0,
        plan.duplicates, plan.debits, sum((p.line.amount for p, _ in chosen), Decimal("0.00")),
        statement.opening.amount if statement.opening else None,
        statement.closing.amount if statement.closing else None, dry_run)
    with contextlib.suppress(_DryRun):  # a dry run: checked, then rolled back
        _write(db, plan, chosen, result)
    return result


def _write(db: Database, plan: ImportPlan, chosen: list[tuple[ProposedLine, Decision]],
           result: ImportResult) -> None:
    with db.transaction() as session:
        note(session, company_id=plan.company_id)
        # Another import may have written some of these lines since the plan was read.
        again = _existing_keys(session, plan.company_id, plan.journal_id,
                               [p.key for p, _ in chosen])
        result.duplicates += len(again)
        chosen = [(p, d) for p, d in chosen if p.key not in again]
        problems = _check_applications(session, plan.company_id, chosen)
        lines = payments.BatchLines(session, plan.company_id, plan.journal_id)
        items = [_payment_of(p.line, d.customer_id) for p, d in chosen]
        lines.prefetch(items)
        added = []
        for (proposed, _), item in zip(chosen, items, strict=True):
            try:
                added.append(lines.add(item))
            except DomainError as exc:
                where = proposed.line.where or f"line {proposed.index + 1}"
                problems.extend(FieldError(e.field, f"{where}: {e.message}") for e in exc.errors)
        if problems:
            raise ImportRejected(problems, "The bank statement")
        lines.write()
        numbers = [n.line_number for n in added]
        ids: dict[int, tuple[uuid.UUID, str]] = {}
        for start in range(0, len(numbers), _CHUNK):
            ids.update((n, (i, d)) for i, n, d in session.execute(
                select(Payment.id, Payment.line_number, Payment.document_number).where(
                    Payment.journal_id == plan.journal_id,
                    Payment.line_number.in_(numbers[start:start + _CHUNK]))))
        applications: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for (proposed, decision), new in zip(chosen, added, strict=True):
            payment_id, document_number = ids[new.line_number]
            result.payment_ids.append(payment_id)
            applications.extend({"payment_id": payment_id, "cust_ledger_entry_id": e,
                                 "amount_to_apply": a} for e, a in decision.applications)
            keys.append({"company_id": plan.company_id, "journal_id": plan.journal_id,
                         "key": proposed.key, "booking_date": proposed.line.booking_date,
                         "amount": proposed.line.amount,
                         "bank_reference": proposed.line.bank_reference[:35],
                         "payment_id": payment_id, "document_number": document_number})
            if decision.applications:
                label = proposed.match.confidence.label
                if label in result.applied:
                    result.applied[label] += 1
                else:  # applied by hand in the review
                    result.applied["Manual"] = result.applied.get("Manual", 0) + 1
            else:
                result.unmatched += 1
        for start in range(0, len(applications), _CHUNK):
            session.execute(insert(PaymentApplication), applications[start:start + _CHUNK])
        for start in range(0, len(keys), _CHUNK):
            session.execute(insert(BankStatementLine), keys[start:start + _CHUNK])
        result.written = len(added)
        if result.dry_run:
            result.payment_ids = []
            raise _DryRun(result)  # rolls the transaction back


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("dry run")
        self.result = result


def undo(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID,
         payment_ids: Sequence[uuid.UUID]) -> int:
    """Take an import back: its payment lines (still in the journal) and their import keys,
    so the statement can be imported again. Returns the lines deleted."""
    with db.transaction() as session:
        note(session, company_id=company_id)
        journal = session.get(Journal, journal_id)
        if journal is None or journal.company_id != company_id:
            raise NotFound(f"The journal with ID {journal_id} cannot be found.",
                           field="journalId")
        ids = list(payment_ids)
        present = 0
        for start in range(0, len(ids), _CHUNK):
            present += len(list(session.scalars(select(Payment.id).where(
                Payment.id.in_(ids[start:start + _CHUNK]),
                Payment.journal_id == journal_id))))
        if present != len(ids):
            raise Conflict(f"{len(ids) - present} of the {len(ids)} lines of this bank "
                           "statement import were posted or deleted since; the import can no "
                           "longer be undone as a whole.", field="id")
        deleted = 0
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            session.execute(sql_delete(PaymentApplication)
                            .where(PaymentApplication.payment_id.in_(chunk)))
            outcome: Any = session.execute(sql_delete(Payment).where(
                Payment.id.in_(chunk), Payment.journal_id == journal_id)
                .execution_options(synchronize_session=False))
            deleted += int(outcome.rowcount or 0)
            session.execute(sql_delete(BankStatementLine).where(
                BankStatementLine.company_id == company_id,
                BankStatementLine.journal_id == journal_id,
                BankStatementLine.payment_id.in_(chunk)))
        return deleted


def import_statement(db: Database, company_id: uuid.UUID, journal_id: uuid.UUID,
                     statement: Statement, *, min_confidence: m.Confidence = m.Confidence.HIGH,
                     dry_run: bool = False) -> ImportResult:
    """Plan and write with the default decisions (the command line)."""
    planned = plan(db, company_id, journal_id, statement, min_confidence=min_confidence)
    return write(db, planned, dry_run=dry_run)


def journal_by_code(db: Database, company_id: uuid.UUID, code: str) -> uuid.UUID:
    with db.reading() as session:
        found = session.scalar(select(Journal.id).where(
            Journal.company_id == company_id, Journal.code == code.strip().upper()))
        if found is None:
            raise NotFound(f"There is no journal {code.strip().upper()} in this company.",
                           field="journal")
        return found


def open_amount_on(doc: m.OpenDoc, day: date) -> Decimal:
    return from_cents(doc.due_on(day))


__all__ = ["Decision", "ImportPlan", "ImportResult", "Invalid", "ProposedLine", "import_statement",
           "plan", "undo", "write"]


# --- for the review dialog ---------------------------------------------------------------------

def open_entries_for(db: Database, company_id: uuid.UUID, customer_id: uuid.UUID,
                     line: StatementLine, marked: dict[int, Decimal]) -> ApplicationsRead:
    """A customer's open entries as Apply Customer Entries shows them, for a statement line
    not written yet (the review's Change: the same table, the same defaults)."""
    from app.services.applications import default_amount_to_apply

    with db.reading() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.company_id != company_id:
            raise NotFound(f"The customer with ID {customer_id} cannot be found.",
                           field="customerNumber")
        rows = list(session.scalars(
            select(CustLedgerEntry).where(CustLedgerEntry.customer_id == customer_id,
                                          CustLedgerEntry.open.is_(True),
                                          CustLedgerEntry.remaining_amount > 0)
            .order_by(CustLedgerEntry.posting_date, CustLedgerEntry.entry_number)))
        entries = []
        for entry in rows:
            later = entry.posting_date > line.booking_date
            entries.append(OpenEntryRead(
                id=entry.id, entry_number=entry.entry_number, document_type=entry.document_type,
                document_number=entry.document_number,
                external_document_number=entry.external_document_number,
                posting_date=entry.posting_date, due_date=entry.due_date, amount=entry.amount,
                remaining_amount=entry.remaining_amount,
                pmt_discount_date=entry.pmt_discount_date,
                remaining_pmt_disc_possible=entry.remaining_pmt_disc_possible,
                default_amount_to_apply=default_amount_to_apply(entry, line.booking_date),
                amount_to_apply=marked.get(entry.id, Decimal("0.00")),
                applied=entry.id in marked, can_apply=not later,
                reason="Posted after the payment." if later else ""))
        applied = sum(marked.values(), Decimal("0.00"))
        return ApplicationsRead(
            payment_id=uuid.UUID(int=0), customer_number=customer.number,
            payment_amount=-line.amount, posting_date=line.booking_date, entries=entries,
            applied_amount=applied, remaining_after=line.amount - applied)


def customer_choices(db: Database, company_id: uuid.UUID) -> list[tuple[uuid.UUID, str, str]]:
    """(id, number, name) of the customers that can take payments, by number."""
    with db.reading() as session:
        return [(i, n, d) for i, n, d in session.execute(
            select(Customer.id, Customer.number, Customer.display_name)
            .where(Customer.company_id == company_id, Customer.blocked != "All")
            .order_by(Customer.number))]

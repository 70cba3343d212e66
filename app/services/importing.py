"""Importing a batch of records (journals with their lines, and the master data they name)
in ONE transaction, through the same create rules as every other path.

The caller (app/io) has already validated each record against its Pydantic schema and hands
over the valid ones, labelled by where they stand in the file. Here every record is created
inside its own savepoint, so one bad record does not stop the others from being checked:
all the problems are collected, and if there is any, the whole transaction is rolled back
and nothing is written. Master data (accounts, number series, customers, sales invoices) is
created when its number does not exist in the company; an existing record with that number
is used as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.db import Database
from app.domain.errors import DomainError, FieldError, Invalid
from app.domain.schemas import (
    AccountCreate,
    CompanyCreate,
    CompanyRead,
    CustomerCreate,
    JournalCreate,
    NumberSeriesCreate,
    PaymentCreate,
    SalesInvoiceCreate,
)
from app.services import companies, import_master, journals, payments
from app.services.common import get_company

T = TypeVar("T")

MAX_ERRORS = 100  # shown; the count of the rest is given


@dataclass(frozen=True)
class Item(Generic[T]):
    """One record of the file: where it stands (``customers[3] (C10030)``) and its data."""

    label: str
    data: T


@dataclass(frozen=True)
class JournalItem:
    label: str
    data: JournalCreate
    payments: list[Item[PaymentCreate]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportBatch:
    accounts: list[Item[AccountCreate]] = field(default_factory=list)
    number_series: list[Item[NumberSeriesCreate]] = field(default_factory=list)
    customers: list[Item[CustomerCreate]] = field(default_factory=list)
    sales_invoices: list[Item[SalesInvoiceCreate]] = field(default_factory=list)
    journals: list[JournalItem] = field(default_factory=list)
    # Records of the file that failed their schema, by kind then number -> label, so that a
    # record naming one is told "it is in the file but could not be imported", not "missing".
    invalid: dict[str, dict[str, str]] = field(default_factory=dict)


# A reference property -> the kind of record it names, and that kind's name in messages.
REFERENCES = {
    "customerNumber": ("customers", "Customer"),
    "receivablesAccountNumber": ("accounts", "G/L Account"),
    "balancingAccountNumber": ("accounts", "G/L Account"),
    "appliesToInvoiceNumber": ("salesInvoices", "Sales invoice"),
    "numberSeriesCode": ("numberSeries", "No. Series"),
}


@dataclass(frozen=True)
class ImportSummary:
    company: CompanyRead
    company_created: bool
    journals: int
    payments: int
    created: dict[str, int]  # master data created, by collection name
    existing: dict[str, int]  # master data already there with the same number, used as is

    def line(self) -> str:
        """One line for the command line."""
        made = ", ".join(f"{n} {name}" for name, n in self.created.items())
        text = (f"Imported into {self.company.name}"
                f"{' (new company)' if self.company_created else ''}: "
                f"{self.journals} journal{'s' if self.journals != 1 else ''}, "
                f"{self.payments} payment line{'s' if self.payments != 1 else ''}; "
                f"created {made}")
        kept = ", ".join(f"{n} {name}" for name, n in self.existing.items() if n)
        if kept:
            text += f"; already there, used as is: {kept}"
        return text + "."


class ImportRejected(Invalid):
    """Nothing was imported. ``errors`` holds a headline, then each problem (capped)."""

    def __init__(self, problems: Sequence[FieldError], what: str = "The file") -> None:
        count = len(problems)
        headline = (f"{what} was not imported: {count} problem{'s' if count != 1 else ''} "
                    "found, nothing was written.")
        shown = list(problems[:MAX_ERRORS])
        if count > MAX_ERRORS:
            shown.append(FieldError(None, f"... and {count - MAX_ERRORS} more."))
        super().__init__(headline, errors=[FieldError(None, headline), *shown])
        self.problems = list(problems)


def problem(label: str, error: FieldError) -> FieldError:
    """``label: field: message`` (the field is left out when the message is about the record)."""
    where = f"{label}: {error.field}: " if error.field else f"{label}: "
    return FieldError(error.field, where + error.message)


class _Run:
    def __init__(self, session: Session, company_id: uuid.UUID,
                 invalid: dict[str, dict[str, str]]) -> None:
        self.session = session
        self.company_id = company_id
        self.problems: list[FieldError] = []
        self.invalid = {kind: dict(numbers) for kind, numbers in invalid.items()}

    def attempt(self, label: str, action: Callable[..., T], *args: Any) -> T | None:
        """Run one record's create in a savepoint; a domain error is noted, not raised.

        The record's data is the last argument."""
        try:
            with self.session.begin_nested():
                return action(self.session, self.company_id, *args)
        except DomainError as exc:
            self.refused(label, exc, args[-1])
            return None

    def refused(self, label: str, exc: DomainError, data: Any) -> None:
        self.problems.extend(problem(label, self._explained(e, data)) for e in exc.errors)

    def _explained(self, error: FieldError, data: Any) -> FieldError:
        """'Customer C1 does not exist' is misleading when C1 is in the file but invalid."""
        if error.field not in REFERENCES or not isinstance(data, BaseModel):
            return error
        kind, name = REFERENCES[error.field]
        value = data.model_dump(by_alias=True).get(error.field)
        where = self.invalid.get(kind, {}).get(value) if isinstance(value, str) else None
        if where is None:
            return error
        return FieldError(error.field, f"{name} {value} is in the file but could not be "
                                       f"imported (see {where}).")

    def note(self, label: str, field_name: str | None, message: str) -> None:
        self.problems.append(problem(label, FieldError(field_name, message)))


class Importer:
    """One import inside its transaction, fed collection by collection (``run`` feeds it an
    ImportBatch; ``app/io`` feeds it straight from a file as it reads it, in the order the
    records depend on each other: accounts, number series, customers, sales invoices,
    journals). Every collection and journal may be a lazy iterable: records are checked and
    written in batches, so memory is bounded by a batch, not by the file."""

    def __init__(self, session: Session, company: Any, invalid: dict[str, dict[str, str]],
                 company_created: bool, what: str) -> None:
        self.session = session
        self.company = company
        self.company_created = company_created
        self.what = what
        self.state = _Run(session, company.id, {})
        self.state.invalid = invalid  # shared: the reader adds records as it finds them
        self.master = import_master.MasterImport(session, company.id, self.state)
        self.created = {"accounts": 0, "number series": 0, "customers": 0, "sales invoices": 0}
        self.existing = dict(self.created)
        self.journal_count = self.payment_count = 0
        self.codes: dict[str, str] = {}

    def _count(self, name: str, counts: tuple[int, int]) -> None:
        self.created[name] += counts[0]
        self.existing[name] += counts[1]

    # Master data takes the bulk path: the same rules, asked of the database per batch.
    def accounts(self, items: Iterable[Item[AccountCreate]]) -> None:
        self._count("accounts", self.master.accounts(items))

    def number_series(self, items: Iterable[Item[NumberSeriesCreate]]) -> None:
        self._count("number series", self.master.number_series(items))

    def customers(self, items: Iterable[Item[CustomerCreate]]) -> None:
        self._count("customers", self.master.customers(items))

    def sales_invoices(self, items: Iterable[Item[SalesInvoiceCreate]]) -> None:
        self._count("sales invoices", self.master.sales_invoices(items))

    def journal(self, label: str, data: JournalCreate,
                lines: Iterable[Item[PaymentCreate]]) -> None:
        """One journal and its lines; the lines are always read to the end (the reader
        checks each against its schema even when the journal is refused)."""
        state = self.state
        code = data.code
        if code in self.codes:
            state.note(label, "code", f"The journal code {code} appears twice in the file "
                                      f"(also {self.codes[code]}).")
            _drain(lines)
            return
        self.codes[code] = label
        journal = state.attempt(label, journals.create_in, data)
        if journal is None:
            _drain(lines)
            return
        self.journal_count += 1
        # The lines go through the same rules one by one, but are kept in memory and
        # written in one bulk insert per batch (no savepoint or flush per line: BatchLines).
        batch_lines = payments.BatchLines(self.session, self.company.id, journal.id)
        for chunk in import_master.batches(lines, LINE_BATCH):
            batch_lines.prefetch(item.data for item in chunk)
            for item in chunk:
                try:
                    batch_lines.add(item.data)
                except DomainError as exc:
                    state.refused(item.label, exc, item.data)
            self.payment_count += batch_lines.write()
            batch_lines.forget()

    def finish(self, known_problems: Sequence[FieldError] = ()) -> ImportSummary:
        """The summary; ImportRejected (the caller's transaction rolls back) on any problem.
        ``known_problems`` (the reader's: records that failed their schema) come first."""
        problems = [*known_problems, *self.state.problems]
        if problems:
            raise ImportRejected(problems, self.what)
        return ImportSummary(
            company=companies.to_read(self.company), company_created=self.company_created,
            journals=self.journal_count, payments=self.payment_count,
            created=self.created, existing=self.existing)


LINE_BATCH = 20_000  # journal lines checked and written together


def _drain(items: Iterable[Any]) -> None:
    for _ in items:
        pass


def run_fed(db: Database, feed: Callable[[Importer], Sequence[FieldError]], *,
            company_id: uuid.UUID | None = None, new_company: CompanyCreate | None = None,
            invalid: dict[str, dict[str, str]] | None = None,
            what: str = "The file") -> ImportSummary:
    """Import into a company (or into ``new_company``, created in the same transaction)
    whatever ``feed`` gives the Importer; ``feed`` returns its own problems (records that
    failed their schema). Everything is checked, so one run reports every problem; raises
    ImportRejected listing them, and then nothing is written."""
    if (company_id is None) == (new_company is None):
        raise ValueError("give either company_id or new_company")
    with db.transaction() as session:
        if new_company is not None:
            try:
                company = companies.create_in(session, new_company)
            except DomainError as exc:
                raise ImportRejected([problem("company", e) for e in exc.errors], what) \
                    from None
        else:
            assert company_id is not None
            company = get_company(session, company_id)
        importer = Importer(session, company, invalid if invalid is not None else {},
                            new_company is not None, what)
        known = feed(importer)
        return importer.finish(known)  # raising rolls the whole transaction back


def run(db: Database, batch: ImportBatch, *, company_id: uuid.UUID | None = None,
        new_company: CompanyCreate | None = None,
        known_problems: Sequence[FieldError] = (), what: str = "The file") -> ImportSummary:
    """Import ``batch`` (see run_fed). ``known_problems`` are the caller's own findings."""
    def feed(importer: Importer) -> Sequence[FieldError]:
        importer.accounts(batch.accounts)
        importer.number_series(batch.number_series)
        importer.customers(batch.customers)
        importer.sales_invoices(batch.sales_invoices)
        for journal in batch.journals:
            importer.journal(journal.label, journal.data, journal.payments)
        return known_problems

    return run_fed(db, feed, company_id=company_id, new_company=new_company,
                   invalid={kind: dict(numbers) for kind, numbers in batch.invalid.items()},
                   what=what)

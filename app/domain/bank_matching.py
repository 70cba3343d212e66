"""Matching bank statement lines to open customer entries, after Business Central's
Payment Application Rules (codeunit "Match Bank Payments", bc-model 3.9, bc-api-v2 4).

Three findings per line, then a rule table gives the confidence:
- **Related party**: Fully when the counterparty IBAN is one of exactly one customer's bank
  accounts; otherwise the counterparty name is compared with the customers' names by string
  nearness: Partially when near, raised to Fully when the name is unique (one customer near
  it and very near). No otherwise.
- **Document number**: an open entry's document number or external document number (more
  than 4 characters) found as a whole token in the upper-cased remittance text (structured
  reference first). A token such as ``INV103004`` also offers its trailing run of digits.
  Yes (one entry), Yes - Multiple (several entries of one customer), No.
- **Amount**: the candidates (the entries found by number, else the party's open entries)
  whose remaining amount, less the payment discount when the booking date is on or before
  the discount date, is within the tolerance of the line's amount. The sum of the entries
  found by number, or of the party's oldest entries, counts as one match. One / Multiple /
  No matches / Not considered (no candidates).

Ties (several candidates equally good, or numbers of several customers with no party) are
never applied: they are reported with their candidates. The rules are pure: the indexes the
lookups use are built by app/services/bank_import.py from the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum
from typing import Protocol

from app.domain.bank import StatementLine, compact_iban

MIN_DOCUMENT_LENGTH = 5  # "Text matching needs more than 4 characters"


class Confidence(IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return {0: "None", 1: "Low", 2: "Medium", 3: "High"}[int(self)]

    @classmethod
    def parse(cls, text: str) -> Confidence:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"confidence must be high, medium or low, not {text!r}") from None


class Party(StrEnum):
    FULLY = "Fully"
    PARTIALLY = "Partially"
    NO = "No"


class DocMatch(StrEnum):
    YES = "Yes"
    MULTIPLE = "Yes - Multiple"
    NO = "No"


class AmountMatch(StrEnum):
    ONE = "One Match"
    MULTIPLE = "Multiple Matches"
    NO = "No Matches"
    NOT_CONSIDERED = "Not Considered"


# BC's default Payment Application Rules: (party, document, amount) -> (confidence,
# priority within the confidence). A combination not listed is None.
RULES: dict[tuple[Party, DocMatch, AmountMatch], tuple[Confidence, int]] = {
    # High (10)
    (Party.FULLY, DocMatch.YES, AmountMatch.ONE): (Confidence.HIGH, 1),
    (Party.FULLY, DocMatch.MULTIPLE, AmountMatch.ONE): (Confidence.HIGH, 2),
    (Party.FULLY, DocMatch.YES, AmountMatch.MULTIPLE): (Confidence.HIGH, 3),
    (Party.FULLY, DocMatch.MULTIPLE, AmountMatch.MULTIPLE): (Confidence.HIGH, 4),
    (Party.PARTIALLY, DocMatch.YES, AmountMatch.ONE): (Confidence.HIGH, 5),
    (Party.PARTIALLY, DocMatch.MULTIPLE, AmountMatch.ONE): (Confidence.HIGH, 6),
    (Party.FULLY, DocMatch.YES, AmountMatch.NO): (Confidence.HIGH, 7),
    (Party.FULLY, DocMatch.MULTIPLE, AmountMatch.NO): (Confidence.HIGH, 8),
    (Party.NO, DocMatch.YES, AmountMatch.ONE): (Confidence.HIGH, 9),
    (Party.NO, DocMatch.MULTIPLE, AmountMatch.ONE): (Confidence.HIGH, 10),
    # Medium (9)
    (Party.FULLY, DocMatch.NO, AmountMatch.ONE): (Confidence.MEDIUM, 1),
    (Party.PARTIALLY, DocMatch.YES, AmountMatch.MULTIPLE): (Confidence.MEDIUM, 2),
    (Party.PARTIALLY, DocMatch.MULTIPLE, AmountMatch.MULTIPLE): (Confidence.MEDIUM, 3),
    (Party.PARTIALLY, DocMatch.YES, AmountMatch.NO): (Confidence.MEDIUM, 4),
    (Party.PARTIALLY, DocMatch.MULTIPLE, AmountMatch.NO): (Confidence.MEDIUM, 5),
    (Party.NO, DocMatch.YES, AmountMatch.MULTIPLE): (Confidence.MEDIUM, 6),
    (Party.NO, DocMatch.MULTIPLE, AmountMatch.MULTIPLE): (Confidence.MEDIUM, 7),
    (Party.FULLY, DocMatch.NO, AmountMatch.MULTIPLE): (Confidence.MEDIUM, 8),
    (Party.PARTIALLY, DocMatch.NO, AmountMatch.ONE): (Confidence.MEDIUM, 9),
    # Low (5)
    (Party.NO, DocMatch.YES, AmountMatch.NO): (Confidence.LOW, 1),
    (Party.NO, DocMatch.MULTIPLE, AmountMatch.NO): (Confidence.LOW, 2),
    (Party.PARTIALLY, DocMatch.NO, AmountMatch.MULTIPLE): (Confidence.LOW, 3),
    (Party.NO, DocMatch.NO, AmountMatch.ONE): (Confidence.LOW, 4),
    (Party.FULLY, DocMatch.NO, AmountMatch.NO): (Confidence.LOW, 5),
}


def rule(party: Party, doc: DocMatch, amount: AmountMatch) -> tuple[Confidence, int]:
    # "Not Considered" (no candidates at all) reads as "No Matches" in the table.
    key = (party, doc, AmountMatch.NO if amount is AmountMatch.NOT_CONSIDERED else amount)
    return RULES.get(key, (Confidence.NONE, 0))


# --- what the lookups give -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OpenDoc:
    """An open customer ledger entry (an invoice) a payment can apply to. Cents."""

    entry_id: int
    customer_id: uuid.UUID
    document_number: str
    external_document_number: str
    posting_date: date
    remaining: int
    discount_date: date | None = None
    discount: int = 0  # remaining payment discount possible

    def due_on(self, day: date) -> int:
        """What pays it in full on ``day``: less the discount by the discount date."""
        if self.discount_date is not None and day <= self.discount_date:
            return self.remaining - min(max(self.discount, 0), self.remaining)
        return self.remaining


@dataclass(frozen=True, slots=True)
class CustomerRef:
    id: uuid.UUID
    number: str
    name: str


class Lookup(Protocol):
    """The indexes the matcher asks (built once per import by the service; in memory so each
    line costs a few dictionary look-ups, never a pass over every entry)."""

    def docs_by_token(self, token: str) -> Sequence[OpenDoc]:
        ...

    def docs_of(self, customer_id: uuid.UUID) -> Sequence[OpenDoc]:
        """Open entries of a customer, oldest first."""
        ...

    def customers_by_iban(self, iban: str) -> Sequence[CustomerRef]:
        ...

    def customers_by_name(self, name: str) -> Sequence[tuple[CustomerRef, float]]:
        """Customers whose name is near ``name`` with the nearness (0..1), best first."""
        ...

    def customer(self, customer_id: uuid.UUID) -> CustomerRef:
        ...


class EmptyLookup:
    """A ``Lookup`` that knows nothing: for an import whose lines are all known already
    (a re-import), where no line asks."""

    def docs_by_token(self, token: str) -> Sequence[OpenDoc]:
        return ()

    def docs_of(self, customer_id: uuid.UUID) -> Sequence[OpenDoc]:
        return ()

    def customers_by_iban(self, iban: str) -> Sequence[CustomerRef]:
        return ()

    def customers_by_name(self, name: str) -> Sequence[tuple[CustomerRef, float]]:
        return ()

    def customer(self, customer_id: uuid.UUID) -> CustomerRef:
        raise KeyError(customer_id)  # it found no customer, so none is asked for


@dataclass(frozen=True)
class Application:
    entry_id: int
    document_number: str
    amount: int  # cents to apply
    closes: bool = False  # pays the entry in full (with its discount)


@dataclass(frozen=True)
class Match:
    confidence: Confidence
    priority: int
    party: Party
    doc: DocMatch
    amount: AmountMatch
    customer: CustomerRef | None
    applications: tuple[Application, ...]
    reasons: str
    tie: bool = False
    candidates: tuple[OpenDoc, ...] = field(default_factory=tuple)

    @property
    def needs_review(self) -> bool:
        return self.tie or self.confidence < Confidence.HIGH


NO_MATCH = Match(Confidence.NONE, 0, Party.NO, DocMatch.NO, AmountMatch.NOT_CONSIDERED, None,
                 (), "no party, document or amount found")

_WORDS = re.compile(r"[^0-9A-Z/._-]+")
_PARTS = re.compile(r"[^0-9A-Z]+")
_TRAILING_DIGITS = re.compile(r"(\d{5,})$")


def compact(number: str) -> str:
    """A document number as the index keys it: upper case, letters and digits only
    (``PO-77881`` -> ``PO77881``)."""
    return _PARTS.sub("", number.upper())


def tokens(text: str) -> list[str]:
    """Whole tokens of the upper-cased text (in compact form), each once, in order. A word
    with punctuation inside (``RE-103004``) also offers its parts, and a token ending in five
    or more digits (``INV103004``) those digits."""
    seen: dict[str, None] = {}
    for word in _WORDS.split(text.upper()):
        if len(word) < MIN_DOCUMENT_LENGTH:
            continue
        candidates = [word] if word.isalnum() else [compact(word), *_PARTS.split(word)]
        for token in candidates:
            if len(token) >= MIN_DOCUMENT_LENGTH:
                seen.setdefault(token)
                digits = _TRAILING_DIGITS.search(token)
                if digits and digits.group(1) != token:
                    seen.setdefault(digits.group(1))
    return list(seen)


_NAME_NOISE = re.compile(r"[^0-9a-z ]+")


def normal_name(name: str) -> str:
    """Lower case, letters, digits and single spaces (for name nearness)."""
    return " ".join(_NAME_NOISE.sub(" ", name.lower().replace("&", " and ")).split())


@dataclass
class _State:
    """Amounts the lines of this statement already applied (so two lines do not both close
    one invoice)."""

    used: dict[int, int] = field(default_factory=dict)

    def left(self, doc: OpenDoc, day: date) -> int:
        return max(doc.due_on(day) - self.used.get(doc.entry_id, 0), 0)

    def remaining(self, doc: OpenDoc) -> int:
        return max(doc.remaining - self.used.get(doc.entry_id, 0), 0)


class Matcher:
    def __init__(self, lookup: Lookup, *, tolerance: int = 0, name_threshold: float = 0.86,
                 fully_threshold: float = 0.999) -> None:
        self.lookup = lookup
        self.tolerance = tolerance  # cents
        self.name_threshold = name_threshold
        self.fully_threshold = fully_threshold
        self.state = _State()

    # --- the three findings -------------------------------------------------------------

    def _party(self, line: StatementLine) -> tuple[Party, CustomerRef | None, str]:
        if line.counterparty_iban:
            found = self.lookup.customers_by_iban(compact_iban(line.counterparty_iban))
            if len(found) == 1:
                return Party.FULLY, found[0], "IBAN"
        if line.counterparty_name:
            near = self.lookup.customers_by_name(line.counterparty_name)
            near = [(c, s) for c, s in near if s >= self.name_threshold]
            if near:
                best, score = near[0]
                rivals = [c for c, s in near[1:] if s >= score - 0.04]
                if not rivals:
                    exact = score >= self.fully_threshold
                    return (Party.FULLY if exact else Party.PARTIALLY, best,
                            "name" if exact else f"name ~{score:.0%}")
                return Party.PARTIALLY, None, "name of several customers"
        return Party.NO, None, ""

    def _documents(self, line: StatementLine) -> list[OpenDoc]:
        found: dict[int, OpenDoc] = {}
        for token in tokens(line.text):
            for doc in self.lookup.docs_by_token(token):
                if doc.posting_date <= line.booking_date and self.state.remaining(doc) > 0:
                    found.setdefault(doc.entry_id, doc)
        return list(found.values())

    def _within(self, due: int, cents: int) -> bool:
        return abs(due - cents) <= self.tolerance

    # --- one line ------------------------------------------------------------------------

    def match(self, line: StatementLine) -> Match:
        if not line.credit:
            return NO_MATCH
        cents = int(line.amount * 100)
        day = line.booking_date
        party, customer, party_reason = self._party(line)
        docs = self._documents(line)
        reasons: list[str] = [party_reason] if party_reason else []

        if docs:
            owners = {d.customer_id for d in docs}
            if customer is not None and customer.id in owners:
                docs = [d for d in docs if d.customer_id == customer.id]
            elif customer is not None:
                # Numbers of another customer than the party's: BC trusts the party; the
                # numbers do not count.
                docs = []
            elif len(owners) > 1:
                rivals = tuple(sorted(docs, key=lambda d: d.document_number))
                return Match(Confidence.LOW, 0, party, DocMatch.MULTIPLE,
                             AmountMatch.NOT_CONSIDERED, None, (),
                             "numbers of several customers: "
                             + ", ".join(d.document_number for d in rivals),
                             tie=True, candidates=rivals)
        doc_match = (DocMatch.NO if not docs else DocMatch.YES if len(docs) == 1
                     else DocMatch.MULTIPLE)
        if docs and customer is None:
            customer = self.lookup.customer(docs[0].customer_id)

        chosen: list[OpenDoc] = []
        tie = False
        candidates: tuple[OpenDoc, ...] = ()
        full = False  # True: the full remaining amounts were paid, no discount taken
        if docs:
            docs.sort(key=lambda d: (d.posting_date, d.entry_id))
            amount_match = AmountMatch.NO
            chosen = docs  # a partial payment (or an overpayment) of the numbers given
            for full in (False, True):  # net of the discounts first, as BC
                total = sum(self._due(d, day, full) for d in docs)
                singles = [d for d in docs if self._within(self._due(d, day, full), cents)]
                if self._within(total, cents) or len(singles) == 1:
                    amount_match = AmountMatch.ONE
                    chosen = docs if self._within(total, cents) else singles
                    break
                if len(singles) > 1:
                    amount_match = AmountMatch.MULTIPLE
                    break
            else:
                full = False
                total = sum(self._due(d, day, False) for d in docs)
            label = "invoice" if len(docs) == 1 else "invoices"
            reasons.append(f"{label} " + " ".join(d.document_number for d in docs))
            if amount_match is AmountMatch.NO:
                reasons.append("part payment" if cents < total else "more than is open")
        elif customer is not None:
            open_docs = [d for d in self.lookup.docs_of(customer.id)
                         if d.posting_date <= day and self.state.left(d, day) > 0]
            amount_match = AmountMatch.NOT_CONSIDERED if not open_docs else AmountMatch.NO
            for full in (False, True) if open_docs else ():
                singles = [d for d in open_docs if self._within(self._due(d, day, full), cents)]
                if len(singles) == 1:
                    amount_match, chosen = AmountMatch.ONE, singles
                    break
                if len(singles) > 1:
                    amount_match, tie, candidates = AmountMatch.MULTIPLE, True, tuple(singles)
                    break
                running, prefix = 0, []
                for d in open_docs:  # oldest first: a payment of several, in order
                    running += self._due(d, day, full)
                    prefix.append(d)
                    if len(prefix) > 1 and self._within(running, cents):
                        amount_match, chosen = AmountMatch.ONE, list(prefix)
                        break
                    if running > cents + self.tolerance:
                        break
                if amount_match is AmountMatch.ONE:
                    break
            else:
                full = False
        else:
            amount_match = AmountMatch.NOT_CONSIDERED
        if amount_match is AmountMatch.ONE:
            reasons.append("amount" if len(chosen) == 1 else f"amount = {len(chosen)} invoices")
        elif amount_match is AmountMatch.MULTIPLE:
            reasons.append("amount of several invoices")

        confidence, priority = rule(party, doc_match, amount_match)
        if customer is None:
            return Match(confidence, priority, party, doc_match, amount_match, None, (),
                         " + ".join(reasons) or NO_MATCH.reasons, tie, candidates)
        if doc_match is DocMatch.NO and amount_match is AmountMatch.MULTIPLE:
            tie = True
            candidates = tuple(candidates or chosen)
            chosen = []
        applications = self._spread(chosen, cents, day, full)
        return Match(confidence, priority, party, doc_match, amount_match, customer,
                     applications, " + ".join(reasons), tie, candidates)

    def _due(self, doc: OpenDoc, day: date, full: bool) -> int:
        return self.state.remaining(doc) if full else self.state.left(doc, day)

    def _spread(self, docs: Iterable[OpenDoc], cents: int, day: date,
                full: bool = False) -> tuple[Application, ...]:
        """The payment over the entries, oldest first: each its due amount (its default Amount
        to Apply) while the payment lasts, the last one what is left."""
        left = cents
        out = []
        for doc in docs:
            if left <= 0:
                break
            due = self._due(doc, day, full)
            take = min(due, left)  # within the tolerance, a residual stays open
            if take > 0:
                out.append(Application(doc.entry_id, doc.document_number, take,
                                       closes=take >= due))
                left -= take
        return tuple(out)

    def commit(self, match: Match) -> None:
        """Count the applications of an accepted match against the entries' open amounts."""
        for application in match.applications:
            if application.closes:
                self.state.used[application.entry_id] = _CLOSED
            else:
                self.state.used[application.entry_id] = (
                    self.state.used.get(application.entry_id, 0) + application.amount)


_CLOSED = 10**15

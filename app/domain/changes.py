"""Change-sets: what a committed transaction changed, in terms a view can act on.

A change-set names the kinds of record that changed, the company and journals concerned, and
the ids where they are cheap to know. It is plain data (no Qt, no SQLAlchemy) and serialises
to a small JSON object, because it travels: from a service to the window, from another
process on the same file, from the API server and from other users on PostgreSQL.

Every view asks ``changes.touches(...)`` and re-reads only what it shows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """The kinds of record a change-set can name (a view re-reads on the kinds it shows)."""

    COMPANY = "company"
    ACCOUNT = "account"
    CUSTOMER = "customer"
    INVOICE = "invoice"
    JOURNAL = "journal"
    PAYMENT = "payment"  # a customer payment journal line
    NUMBER_SERIES = "numberSeries"
    LEDGER = "ledger"  # G/L registers and entries, customer ledger and detailed entries
    APPLICATION = "application"  # applications of journal lines to open entries
    BANK_ACCOUNT = "bankAccount"  # a customer's bank account
    OTHER = "other"  # a table no view shows (settings, mappings, ...)


ALL_KINDS: frozenset[Kind] = frozenset(Kind)


@dataclass(frozen=True)
class ChangeSet:
    """What changed. ``company_id`` None means "a company not known" (any company).

    ``journal_ids`` and ``ids`` are hints: empty means "not known", never "none"."""

    kinds: frozenset[Kind] = frozenset()
    company_id: uuid.UUID | None = None
    journal_ids: frozenset[uuid.UUID] = frozenset()
    ids: frozenset[uuid.UUID] = frozenset()
    source: str = "local"  # local | file (another process) | api | server (another user)

    # --- building ------------------------------------------------------------------------
    @classmethod
    def of(cls, *kinds: Kind | str, company_id: uuid.UUID | None = None,
           journal_ids: Iterable[uuid.UUID] = (), ids: Iterable[uuid.UUID] = (),
           source: str = "local") -> ChangeSet:
        return cls(frozenset(Kind(k) for k in kinds), company_id, frozenset(journal_ids),
                   frozenset(ids), source)

    @classmethod
    def everything(cls, source: str = "local") -> ChangeSet:
        """Anything may have changed (another process wrote, a reconnect): re-read all."""
        return cls(ALL_KINDS, None, frozenset(), frozenset(), source)

    def merge(self, other: ChangeSet) -> ChangeSet:
        if not other.kinds:
            return self
        if not self.kinds:
            return other
        company = self.company_id if self.company_id == other.company_id else None
        # A hint is only kept when both sides know it (empty = unknown).
        journals = (self.journal_ids | other.journal_ids
                    if self.journal_ids and other.journal_ids else frozenset())
        ids = self.ids | other.ids if self.ids and other.ids else frozenset()
        return ChangeSet(self.kinds | other.kinds, company, journals, ids,
                         self.source if self.source == other.source else other.source)

    def with_source(self, source: str) -> ChangeSet:
        return ChangeSet(self.kinds, self.company_id, self.journal_ids, self.ids, source)

    # --- asking --------------------------------------------------------------------------
    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: Kind | str, company_id: uuid.UUID | None = None,
                journal_id: uuid.UUID | None = None) -> bool:
        """Does this change concern a view showing ``kinds`` of this company / journal?"""
        if not self.kinds.intersection(Kind(k) for k in kinds):
            return False
        if company_id is not None and self.company_id is not None \
                and self.company_id != company_id and Kind.COMPANY not in self.kinds:
            return False
        return not (journal_id is not None and self.journal_ids
                    and journal_id not in self.journal_ids)

    # --- travelling ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": sorted(k.value for k in self.kinds),
            "companyId": str(self.company_id) if self.company_id else None,
            "journalIds": sorted(str(j) for j in self.journal_ids),
            "ids": sorted(str(i) for i in self.ids),
            "source": self.source,
        }

    def to_json(self, max_ids: int = 200) -> str:
        """Compact JSON; past ``max_ids`` ids the hint is dropped (PostgreSQL's NOTIFY
        payload must stay under 8,000 bytes)."""
        data = self.to_dict()
        if len(data["ids"]) > max_ids:
            data["ids"] = []
        if len(data["journalIds"]) > max_ids:
            data["journalIds"] = []
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeSet:
        known = {k.value for k in Kind}
        company = data.get("companyId")
        return cls(
            frozenset(Kind(k) for k in data.get("kinds", ()) if k in known),
            uuid.UUID(company) if company else None,
            frozenset(uuid.UUID(j) for j in data.get("journalIds", ())),
            frozenset(uuid.UUID(i) for i in data.get("ids", ())),
            str(data.get("source", "local")),
        )

    @classmethod
    def from_json(cls, text: str) -> ChangeSet:
        return cls.from_dict(json.loads(text))


NOTHING = ChangeSet()

# Which kinds a change to one kind makes stale elsewhere (a customer's name shows on its
# lines; a posting changes invoices, balances and the lines that were posted).
FOLLOWS: dict[Kind, frozenset[Kind]] = {
    Kind.CUSTOMER: frozenset({Kind.PAYMENT, Kind.INVOICE, Kind.LEDGER}),
    Kind.INVOICE: frozenset({Kind.PAYMENT, Kind.LEDGER}),
    Kind.ACCOUNT: frozenset({Kind.JOURNAL}),
    Kind.JOURNAL: frozenset({Kind.PAYMENT}),
    Kind.LEDGER: frozenset({Kind.INVOICE, Kind.CUSTOMER}),
    Kind.APPLICATION: frozenset({Kind.PAYMENT}),
}


def with_followers(kinds: Iterable[Kind]) -> frozenset[Kind]:
    out = set(kinds)
    for kind in list(out):
        out |= FOLLOWS.get(kind, frozenset())
    return frozenset(out)


__all__ = ["ALL_KINDS", "FOLLOWS", "NOTHING", "ChangeSet", "Kind", "with_followers"]

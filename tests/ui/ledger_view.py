"""What "exactly as before" means for the books once ledger rows were written again.

G/L entries and registers are never changed or deleted, and their numbers are never reused
(Business Central's rule): deleting an invoice writes a register that takes its G/L side
back out ("Invoice 103038, changed"), and undoing that delete writes the invoice's G/L side
again, under a new register with new entry numbers, and gives its customer entry a new
number in that register. So after the undo the books are as before when

- every other table holds exactly the rows it held (ids, versions, times included);
- the customer ledger and its detailed entries hold the same rows but for their own ids and
  entry numbers, the references to them, and the register they belong to;
- every G/L entry and register from before is still there, unchanged (append only);
- each account's balance per document (document type and number, customer) is the same:
  the same documents have entries, with the same amounts. A document whose entries net to
  zero has no balance (its G/L side was taken out).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import text

from app.db import Database
from tests.snapshots import dump

GL = ("gl_entry", "gl_register")
CUST_LEDGER_NUMBERS = {
    "cust_ledger_entry": ("id", "entry_number", "register_id", "closed_by_entry_number",
                          "reversed_by_entry_number", "reversed_entry_number"),
    "detailed_cust_ledg_entry": ("id", "cust_ledger_entry_id",
                                 "applied_cust_ledger_entry_id", "register_id"),
}


def _rows(db: Database, table: str, leave_out: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        result = conn.execute(text(f'SELECT * FROM "{table}"'))
        keys = list(result.keys())
        keep = [i for i, k in enumerate(keys) if k not in leave_out]
        return sorted((tuple(row[i] for i in keep) for row in result), key=repr)


def balances(db: Database) -> dict[tuple[str, str, str, str], Decimal]:
    """(account, document type, document number, customer) -> net amount, zeros left out."""
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT account_number, document_type, document_number, source_number, amount "
            "FROM gl_entry"))
        out: dict[tuple[str, str, str, str], Decimal] = {}
        for account, kind, number, source, amount in rows:
            key = (account, kind, number, source or "")
            out[key] = out.get(key, Decimal(0)) + Decimal(str(amount))
    return {k: v for k, v in out.items() if v}


class Books:
    """The books as seen for "exactly as before" (see the module's docstring)."""

    def __init__(self, db: Database) -> None:
        whole = dump(db)
        self.other = {t: rows for t, rows in whole.items()
                      if t not in GL and t not in CUST_LEDGER_NUMBERS}
        self.customer_ledger = {t: _rows(db, t, columns)
                                for t, columns in CUST_LEDGER_NUMBERS.items()}
        self.gl_rows = {t: set(whole[t]) for t in GL}
        self.balances = balances(db)

    def assert_restored(self, now: Books) -> None:
        """``now`` (after an undo or redo) is the books of ``self`` again."""
        assert now.other == self.other
        assert now.customer_ledger == self.customer_ledger
        for table in GL:  # append only: nothing from before changed or went
            assert self.gl_rows[table] <= now.gl_rows[table], table
        assert now.balances == self.balances

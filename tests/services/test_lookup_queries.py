"""The light queries behind the lookups: one indexed query, plain rows."""

from __future__ import annotations

from decimal import Decimal

from app.db import Database
from app.domain.schemas import CompanyRead
from app.services import customers, invoices


def test_customer_lookup_rows_and_name(db: Database, demo: CompanyRead) -> None:
    rows = customers.lookup_rows(db, demo.id)
    assert len(rows) == 20 and rows[0][:2] == ("C10000", "Adatum Corporation")
    assert rows[-1][0] == "C10190" and rows[-1][3] == "All"
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert customers.name_of(db, demo.id, " c10010 ") == "Trey Research"
    assert customers.name_of(db, demo.id, "C99999") is None


def test_open_invoice_lookup_rows(db: Database, demo: CompanyRead) -> None:
    everyone = invoices.open_lookup_rows(db, demo.id)
    assert len(everyone) == 50
    assert all(isinstance(r[4], Decimal) and r[4] != 0 for r in everyone)
    adatum = invoices.open_lookup_rows(db, demo.id, "c10000")
    assert adatum and {r[2] for r in adatum} == {"C10000"}
    assert invoices.customer_name_of(db, demo.id, adatum[0][0]) == "Adatum Corporation"
    assert invoices.customer_name_of(db, demo.id, "NOPE") is None

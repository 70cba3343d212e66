"""0005_invoice_gl: invoices already in a file get their G/L side, after the backup."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import func, select

from app.db import open_database
from app.db.database import SCHEMA_HEAD
from app.db.models import Account, Company, CustLedgerEntry, GLEntry, GLRegister
from app.services import ledgers
from tests.db.test_migration_ledgers import _old_file


def test_old_invoices_post_their_gl_side(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ids = _old_file(path)  # schema 0001: two companies' invoices, one partly paid
    receivables = uuid.uuid4()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO account (id, version, last_modified, company_id, number, "
                     "display_name, category, sub_category, account_type, direct_posting, "
                     "blocked) VALUES (?, 1, '2026-01-01 00:00:00', ?, '2310', 'Customers', "
                     "'Assets', '', 'Posting', 0, 0)", (receivables.hex, ids["co1"].hex))
        conn.execute("UPDATE customer SET receivables_account_id = ? WHERE id = ?",
                     (receivables.hex, ids["cu1"].hex))
    db = open_database(path)
    try:
        assert list(tmp_path.glob(f"old.*.before-{SCHEMA_HEAD}.backup.sqlite"))
        with db.reading() as session:
            company = session.get(Company, ids["co1"])
            assert company is not None and company.invoice_account_id is not None
            opening = session.get(Account, company.invoice_account_id)
            assert opening is not None and opening.number == "OPENING"
            rows = [(g.entry_number, g.account_number, g.amount, g.document_number,
                     g.source_number) for g in session.scalars(
                select(GLEntry).where(GLEntry.company_id == ids["co1"])
                .order_by(GLEntry.entry_number))]
            # I2 (entry 1: 50.00, 30.00 paid before), then I1 (entry 2: 100.00).
            assert rows == [
                (1, "2310", 50, "I2", "CU1"), (2, "OPENING", -50, "I2", "CU1"),
                (3, "2310", -30, "I2", "CU1"), (4, "OPENING", 30, "I2", "CU1"),
                (5, "2310", 100, "I1", "CU1"), (6, "OPENING", -100, "I1", "CU1")]
            register = session.scalars(select(GLRegister).where(
                GLRegister.company_id == ids["co1"])).one()
            assert (register.number, register.from_entry_number, register.to_entry_number,
                    register.source_code, register.from_cust_entry_number,
                    register.to_cust_entry_number) == (1, 1, 6, "SALES", 1, 2)
            assert set(session.scalars(select(CustLedgerEntry.register_id).where(
                CustLedgerEntry.company_id == ids["co1"]))) == {register.id}
            receivable = session.scalar(select(func.sum(GLEntry.amount)).where(
                GLEntry.account_number == "2310"))
            assert receivable == sum(ledgers.balances(db, ids["co1"]).values()) == 120
            # The customer of the other company has no receivables account: no G/L side.
            assert session.scalar(select(func.count()).select_from(GLEntry).where(
                GLEntry.company_id == ids["co2"])) == 0
    finally:
        db.close()

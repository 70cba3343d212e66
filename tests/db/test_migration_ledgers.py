"""0003_ledgers: existing invoices become customer ledger entries, amounts unchanged."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, select

from app.db import migrations, open_database
from app.db.database import SCHEMA_HEAD, current_revision
from app.db.models import CustLedgerEntry, DetailedCustLedgEntry
from app.services import invoices, ledgers


def _old_file(path: Path) -> dict[str, uuid.UUID]:
    """A file at schema 0001 (before the ledgers) holding two companies' invoices, one of
    them partly paid."""
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0001_initial")
    engine.dispose()
    ids = {name: uuid.uuid4() for name in ("co1", "co2", "cu1", "cu2", "i1", "i2", "i3")}
    now = datetime(2026, 1, 1).isoformat(sep=" ")
    with sqlite3.connect(path) as conn:
        for company, name in (("co1", "ONE"), ("co2", "TWO")):
            conn.execute("INSERT INTO company (id, version, last_modified, name, display_name, "
                         "business_profile_id) VALUES (?, 1, ?, ?, ?, '')",
                         (ids[company].hex, now, name, name))
        for customer, company in (("cu1", "co1"), ("cu2", "co2")):
            conn.execute(
                "INSERT INTO customer (id, version, last_modified, company_id, number, "
                "display_name, type, address_line1, address_line2, city, state, country, "
                "postal_code, phone_number, email, website, tax_registration_number, "
                "currency_code, blocked, application_method) VALUES (?, 1, ?, ?, ?, ?, "
                "'Company', '', '', '', '', '', '', '', '', '', '', '', ' ', 'Manual')",
                (ids[customer].hex, now, ids[company].hex, customer.upper(), customer))
        for invoice, company, customer, day, total, remaining, disc in (
                ("i1", "co1", "cu1", "2026-03-02", 10000, 10000, 200),
                ("i2", "co1", "cu1", "2026-03-01", 5000, 2000, 0),
                ("i3", "co2", "cu2", "2026-03-05", 7000, 0, 0)):
            conn.execute(
                "INSERT INTO sales_invoice (id, version, last_modified, company_id, number, "
                "external_document_number, invoice_date, posting_date, due_date, customer_id, "
                "currency_code, total_amount_including_tax, remaining_amount, "
                "payment_discount_date, payment_discount_amount) VALUES (?, 1, ?, ?, ?, '', ?, "
                "?, ?, ?, '', ?, ?, ?, ?)",
                (ids[invoice].hex, now, ids[company].hex, invoice.upper(), day, day, day,
                 ids[customer].hex, total, remaining, day, disc))
    return ids


def test_existing_invoices_become_ledger_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ids = _old_file(path)
    db = open_database(path)  # migrates, after a backup copy
    try:
        assert current_revision(db) == SCHEMA_HEAD
        assert list(tmp_path.glob(f"old.*.before-{SCHEMA_HEAD}.backup.sqlite"))
        with db.reading() as session:
            entries = {e.document_number: (e.entry_number, e.document_type, e.amount,
                                           e.remaining_amount, e.open,
                                           e.remaining_pmt_disc_possible, e.sales_invoice_id,
                                           e.id)
                       for e in session.scalars(select(CustLedgerEntry))}
            details = [(d.cust_ledger_entry_id, d.entry_type, d.amount) for d in
                       session.scalars(select(DetailedCustLedgEntry)
                                       .order_by(DetailedCustLedgEntry.id))]
        # Entry numbers per company, in posting-date order.
        assert {n: e[:5] for n, e in entries.items()} == {
            "I2": (1, "Invoice", 50, 20, True), "I1": (2, "Invoice", 100, 100, True),
            "I3": (1, "Invoice", 70, 0, False)}
        assert entries["I1"][5:7] == (2, ids["i1"])
        assert (entries["I2"][7], "Application", -30) in details
        assert sum(a for _, _, a in details) == 20 + 100 + 0
        assert ledgers.balances(db, ids["co1"]) == {ids["cu1"]: 120}
        assert ledgers.balances(db, ids["co2"]) == {ids["cu2"]: 0}
        # The invoices read exactly as before.
        read = {i.number: (i.remaining_amount, i.status)
                for i in invoices.list_all(db, ids["co1"])}
        assert read == {"I1": (100, "Open"), "I2": (20, "Open")}
    finally:
        db.close()


def test_downgrade_removes_the_ledgers(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "new.sqlite"
    open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrations.config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0001_initial")
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    engine.dispose()
    assert "gl_entry" not in tables and "cust_ledger_entry" not in tables


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.db.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'head.sqlite'}")
    migrations.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()

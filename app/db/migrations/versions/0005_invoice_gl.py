"""invoice G/L side: the company's invoice account, Manual Nos. on number series; data: the
G/L entries of the invoices already in the file

Every company that has invoice ledger entries without a register gets a G/L account
OPENING ("Opening balances (invoices before G/L)") as its invoice account, unless it has one
with that number, and one G/L register (source code SALES) holding, for each such invoice in
entry-number order, a debit of the customer's receivables account by the invoice total and a
credit of OPENING, plus (when part was paid before it came into Ledgerdesk) the paid part
back. Invoices of customers without a receivables account are left without a G/L side.
The file was copied beside itself before this runs (app/db/database.py).

Revision ID: 0005_invoice_gl
Revises: 0004_change_log
Create Date: 2026-12-02 17:00:00
"""
import uuid
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0005_invoice_gl'
down_revision = '0004_change_log'
branch_labels = None
depends_on = None

OPENING = "OPENING"


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_account_id', sa.Uuid(), nullable=True))
    with op.batch_alter_table('number_series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manual_numbers', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    _write_invoice_gl(op.get_bind())


def _write_invoice_gl(conn: sa.engine.Connection) -> None:
    company = sa.table('company', sa.column('id', sa.Uuid()),
                       sa.column('invoice_account_id', sa.Uuid()))
    account = sa.table('account', sa.column('id', sa.Uuid()), sa.column('version'),
                       sa.column('last_modified', sa.DateTime()),
                       sa.column('company_id', sa.Uuid()), sa.column('number'),
                       sa.column('display_name'), sa.column('category'),
                       sa.column('sub_category'), sa.column('account_type'),
                       sa.column('direct_posting', sa.Boolean()),
                       sa.column('blocked', sa.Boolean()))
    customer = sa.table('customer', sa.column('id', sa.Uuid()), sa.column('number'),
                        sa.column('receivables_account_id', sa.Uuid()))
    entry = sa.table('cust_ledger_entry', sa.column('id'), sa.column('company_id', sa.Uuid()),
                     sa.column('entry_number'), sa.column('customer_id', sa.Uuid()),
                     sa.column('posting_date', sa.Date()), sa.column('document_number'),
                     sa.column('external_document_number'), sa.column('amount'),
                     sa.column('remaining_amount'), sa.column('register_id'),
                     sa.column('sales_invoice_id', sa.Uuid()))
    detail = sa.table('detailed_cust_ledg_entry', sa.column('cust_ledger_entry_id'),
                      sa.column('register_id'))
    register = sa.table('gl_register', sa.column('id'), sa.column('company_id', sa.Uuid()),
                        sa.column('number'), sa.column('from_entry_number'),
                        sa.column('to_entry_number'), sa.column('from_cust_entry_number'),
                        sa.column('to_cust_entry_number'), sa.column('journal_code'),
                        sa.column('source_code'), sa.column('created_at', sa.DateTime()),
                        sa.column('user_id'), sa.column('reversed', sa.Boolean()))
    gl = sa.table('gl_entry', *(sa.column(n) for n in (
        'entry_number', 'register_id', 'document_type', 'document_number',
        'external_document_number', 'account_number', 'description', 'amount', 'source_type',
        'source_number')), sa.column('company_id', sa.Uuid()), sa.column('account_id', sa.Uuid()),
        sa.column('source_id', sa.Uuid()), sa.column('posting_date', sa.Date()),
        sa.column('reversed', sa.Boolean()))

    rows = conn.execute(
        sa.select(entry.c.id, entry.c.company_id, entry.c.entry_number, entry.c.customer_id,
                  customer.c.number, customer.c.receivables_account_id, entry.c.posting_date,
                  entry.c.document_number, entry.c.external_document_number, entry.c.amount,
                  entry.c.remaining_amount)
        .join(customer, customer.c.id == entry.c.customer_id)
        .where(entry.c.sales_invoice_id.is_not(None), entry.c.register_id.is_(None),
               customer.c.receivables_account_id.is_not(None))
        .order_by(entry.c.company_id, entry.c.entry_number)).all()
    by_company: dict[uuid.UUID, list[sa.Row]] = {}
    for row in rows:
        by_company.setdefault(row.company_id, []).append(row)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for company_id, invoices in by_company.items():
        counter_id = conn.scalar(sa.select(company.c.invoice_account_id)
                                 .where(company.c.id == company_id))
        if counter_id is None:
            counter_id = conn.scalar(sa.select(account.c.id).where(
                account.c.company_id == company_id, account.c.number == OPENING))
        if counter_id is None:
            counter_id = uuid.uuid4()
            conn.execute(sa.insert(account).values(
                id=counter_id, version=1, last_modified=now, company_id=company_id,
                number=OPENING, display_name="Opening balances (invoices before G/L)",
                category="Equity", sub_category="", account_type="Posting",
                direct_posting=False, blocked=False))
        conn.execute(sa.update(company).where(company.c.id == company_id)
                     .values(invoice_account_id=counter_id))
        numbers = {row[0]: row[1] for row in conn.execute(
            sa.select(account.c.id, account.c.number).where(account.c.company_id == company_id))}

        def after(col: sa.ColumnElement, tab: sa.TableClause) -> int:
            return int(conn.scalar(sa.select(sa.func.coalesce(sa.func.max(col), 0))
                                   .where(tab.c.company_id == company_id)) or 0) + 1

        first = number = after(gl.c.entry_number, gl)
        lines = []
        for inv in invoices:
            paid_before = int(inv.amount) - int(inv.remaining_amount)
            text = f"Invoice {inv.document_number}"
            parts = [(inv.receivables_account_id, int(inv.amount), text),
                     (counter_id, -int(inv.amount), text)]
            if paid_before:
                parts += [(inv.receivables_account_id, -paid_before, f"{text}, paid before"),
                          (counter_id, paid_before, f"{text}, paid before")]
            for account_id, amount, description in parts:
                lines.append(dict(
                    entry_number=number, document_type="Invoice",
                    document_number=inv.document_number,
                    external_document_number=inv.external_document_number,
                    account_number=numbers.get(account_id, ""), description=description,
                    amount=amount, source_type="Customer", source_number=inv.number,
                    company_id=company_id, account_id=account_id, source_id=inv.customer_id,
                    posting_date=inv.posting_date, reversed=False))
                number += 1
        conn.execute(sa.insert(register).values(
            company_id=company_id, number=after(register.c.number, register),
            from_entry_number=first, to_entry_number=number - 1,
            from_cust_entry_number=invoices[0].entry_number,
            to_cust_entry_number=invoices[-1].entry_number, journal_code="",
            source_code="SALES", created_at=now, user_id="migration", reversed=False))
        register_id = conn.scalar(sa.select(sa.func.max(register.c.id))
                                  .where(register.c.company_id == company_id))
        for line in lines:
            line["register_id"] = register_id
        conn.execute(sa.insert(gl), lines)
        ids = [inv.id for inv in invoices]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            conn.execute(sa.update(entry).where(entry.c.id.in_(chunk))
                         .values(register_id=register_id))
            conn.execute(sa.update(detail).where(detail.c.cust_ledger_entry_id.in_(chunk))
                         .values(register_id=register_id))


def downgrade() -> None:
    with op.batch_alter_table('number_series', schema=None) as batch_op:
        batch_op.drop_column('manual_numbers')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('invoice_account_id')

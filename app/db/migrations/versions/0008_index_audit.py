"""Index audit: the document-number indexes of the two big ledgers drop their company id

Every query that searches G/L or customer ledger entries by document number (posting's
"already posted" check, the invoice G/L side of a reversal, the ledgers' documentNumber
filter of the API and the grids) gives the document number itself, so an index on it alone
finds the same few rows; the leading company id (32 characters on SQLite) was a third of
each index entry. The audit of every index is in benchmarks/README.md. The file is backed up
before this runs (app/db/database.py, _migrate).

Revision ID: 0008_index_audit
Revises: 0007_user_ids
Create Date: 2026-12-02 21:45:00
"""
from alembic import op


revision = '0008_index_audit'
down_revision = '0007_user_ids'
branch_labels = None
depends_on = None

_TABLES = ('gl_entry', 'cust_ledger_entry')


def upgrade() -> None:
    for table in _TABLES:
        op.drop_index(f'ix_{table}_company_id_document_number', table_name=table)
        op.create_index(f'ix_{table}_document_number', table, ['document_number'],
                        unique=False)


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f'ix_{table}_document_number', table_name=table)
        op.create_index(f'ix_{table}_company_id_document_number', table,
                        ['company_id', 'document_number'], unique=False)

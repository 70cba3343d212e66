"""Browse indexes: the payment grid's sort orders carry the line number as tiebreak.

Each (journal_id, <sort column>) index becomes (journal_id, <sort column>, line_number), so
``ORDER BY <sort column>, line_number LIMIT n OFFSET k`` is read from the index alone, with no
temporary sort and no table lookups for the skipped rows (app/services/browse.py).

Revision ID: 0002_browse_indexes
Revises: 0001_initial
"""
from alembic import op

revision = "0002_browse_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_COLUMNS = ("amount", "customer_number", "posting_date", "document_number")


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.drop_index(f"ix_payment_journal_id_{column}")
            batch_op.create_index(f"ix_payment_journal_id_{column}_line_number",
                                  ["journal_id", column, "line_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.drop_index(f"ix_payment_journal_id_{column}_line_number")
            batch_op.create_index(f"ix_payment_journal_id_{column}", ["journal_id", column],
                                  unique=False)

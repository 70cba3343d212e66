"""User IDs: each journal line records who wrote it last (registers already record who posted)

Revision ID: 0007_user_ids
Revises: 0006_customer_bank_accounts
Create Date: 2026-12-02 16:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_user_ids'
down_revision = '0006_customer_bank_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payment') as batch:
        batch.add_column(sa.Column('user_id', sa.String(length=50), server_default='',
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('payment') as batch:
        batch.drop_column('user_id')

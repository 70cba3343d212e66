"""change_log: one row per committed write, so other processes see what changed

Revision ID: 0004_change_log
Revises: 0003_ledgers
Create Date: 2026-12-02 16:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_change_log'
down_revision = '0003_ledgers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'change_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('origin', sa.String(length=36), nullable=False),
        sa.Column('changes', sa.String(length=8000), nullable=False),
        sa.Column('committed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log')),
    )


def downgrade() -> None:
    op.drop_table('change_log')

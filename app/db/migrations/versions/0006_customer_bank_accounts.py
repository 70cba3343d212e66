"""Bank statements: customer bank accounts (IBAN), import keys of statement lines, saved
CSV mapping profiles

Revision ID: 0006_customer_bank_accounts
Revises: 0005_invoice_gl
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_customer_bank_accounts'
down_revision = '0005_invoice_gl'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customer_bank_account',
        sa.Column('company_id', sa.Uuid(), nullable=False),
        sa.Column('customer_id', sa.Uuid(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('iban', sa.String(length=50), nullable=False),
        sa.Column('swift_code', sa.String(length=20), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('last_modified', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE',
                                name=op.f('fk_customer_bank_account_company_id_company')),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE',
                                name=op.f('fk_customer_bank_account_customer_id_customer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_bank_account')),
        sa.UniqueConstraint('customer_id', 'code',
                            name=op.f('uq_customer_bank_account_customer_id_code')),
    )
    op.create_index('ix_customer_bank_account_company_id_iban', 'customer_bank_account',
                    ['company_id', 'iban'])
    op.create_table(
        'bank_statement_line',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('company_id', sa.Uuid(), nullable=False),
        sa.Column('journal_id', sa.Uuid(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('booking_date', sa.Date(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('bank_reference', sa.String(length=35), nullable=False),
        sa.Column('payment_id', sa.Uuid(), nullable=True),
        sa.Column('document_number', sa.String(length=20), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE',
                                name=op.f('fk_bank_statement_line_company_id_company')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement_line')),
        sa.UniqueConstraint('company_id', 'journal_id', 'key',
                            name=op.f('uq_bank_statement_line_company_id_journal_id_key')),
    )
    op.create_table(
        'bank_csv_profile',
        sa.Column('company_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('settings', sa.String(length=4000), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('last_modified', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE',
                                name=op.f('fk_bank_csv_profile_company_id_company')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_csv_profile')),
        sa.UniqueConstraint('company_id', 'name', name=op.f('uq_bank_csv_profile_company_id_name')),
    )


def downgrade() -> None:
    op.drop_table('bank_csv_profile')
    op.drop_table('bank_statement_line')
    op.drop_index('ix_customer_bank_account_company_id_iban', table_name='customer_bank_account')
    op.drop_table('customer_bank_account')

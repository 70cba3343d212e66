"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-21 20:31:33.376308
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('company',
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('display_name', sa.String(length=250), nullable=False),
    sa.Column('business_profile_id', sa.String(length=250), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=True),
    sa.Column('allow_posting_from', sa.Date(), nullable=True),
    sa.Column('allow_posting_to', sa.Date(), nullable=True),
    sa.Column('receipts_number_series_code', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company')),
    sa.UniqueConstraint('name', name=op.f('uq_company_name'))
    )
    op.create_table('account',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('sub_category', sa.String(length=80), nullable=False),
    sa.Column('account_type', sa.String(length=20), nullable=False),
    sa.Column('direct_posting', sa.Boolean(), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_account_company_id_company'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_account_company_id_number'))
    )
    op.create_table('number_series',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=100), nullable=False),
    sa.Column('starting_number', sa.String(length=20), nullable=False),
    sa.Column('last_number_used', sa.String(length=20), nullable=False),
    sa.Column('increment_by', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_number_series_company_id_company'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_series')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_number_series_company_id_code'))
    )
    op.create_table('customer',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('address_line1', sa.String(length=100), nullable=False),
    sa.Column('address_line2', sa.String(length=50), nullable=False),
    sa.Column('city', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('country', sa.String(length=10), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('phone_number', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=80), nullable=False),
    sa.Column('website', sa.String(length=80), nullable=False),
    sa.Column('tax_registration_number', sa.String(length=20), nullable=False),
    sa.Column('currency_code', sa.String(length=10), nullable=False),
    sa.Column('blocked', sa.String(length=10), nullable=False),
    sa.Column('application_method', sa.String(length=20), nullable=False),
    sa.Column('receivables_account_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_customer_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receivables_account_id'], ['account.id'], name=op.f('fk_customer_receivables_account_id_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_customer_company_id_number'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_company_id_display_name', ['company_id', 'display_name'], unique=False)

    op.create_table('journal',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('balancing_account_id', sa.Uuid(), nullable=True),
    sa.Column('number_series_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['balancing_account_id'], ['account.id'], name=op.f('fk_journal_balancing_account_id_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_journal_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['number_series_id'], ['number_series.id'], name=op.f('fk_journal_number_series_id_number_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_journal_company_id_code'))
    )
    op.create_table('sales_invoice',
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('external_document_number', sa.String(length=35), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('posting_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('currency_code', sa.String(length=10), nullable=False),
    sa.Column('total_amount_including_tax', sa.BigInteger(), nullable=False),
    sa.Column('remaining_amount', sa.BigInteger(), nullable=False),
    sa.Column('payment_discount_date', sa.Date(), nullable=True),
    sa.Column('payment_discount_amount', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_sales_invoice_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_sales_invoice_customer_id_customer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_invoice')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_sales_invoice_company_id_number'))
    )
    with op.batch_alter_table('sales_invoice', schema=None) as batch_op:
        batch_op.create_index('ix_sales_invoice_customer_id_remaining', ['customer_id', 'remaining_amount'], unique=False)

    op.create_table('payment',
    sa.Column('journal_id', sa.Uuid(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('customer_number', sa.String(length=20), nullable=False),
    sa.Column('contact_id', sa.String(length=250), nullable=False),
    sa.Column('posting_date', sa.Date(), nullable=True),
    sa.Column('document_number', sa.String(length=20), nullable=False),
    sa.Column('external_document_number', sa.String(length=35), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('applies_to_invoice_id', sa.Uuid(), nullable=True),
    sa.Column('applies_to_invoice_number', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=100), nullable=False),
    sa.Column('comment', sa.String(length=250), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['applies_to_invoice_id'], ['sales_invoice.id'], name=op.f('fk_payment_applies_to_invoice_id_sales_invoice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_customer_id_customer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], name=op.f('fk_payment_journal_id_journal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('journal_id', 'line_number', name=op.f('uq_payment_journal_id_line_number'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index('ix_payment_applies_to_invoice_id', ['applies_to_invoice_id'], unique=False)
        batch_op.create_index('ix_payment_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_payment_journal_id_amount', ['journal_id', 'amount'], unique=False)
        batch_op.create_index('ix_payment_journal_id_customer_number', ['journal_id', 'customer_number'], unique=False)
        batch_op.create_index('ix_payment_journal_id_document_number', ['journal_id', 'document_number'], unique=False)
        batch_op.create_index('ix_payment_journal_id_posting_date', ['journal_id', 'posting_date'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_journal_id_posting_date')
        batch_op.drop_index('ix_payment_journal_id_document_number')
        batch_op.drop_index('ix_payment_journal_id_customer_number')
        batch_op.drop_index('ix_payment_journal_id_amount')
        batch_op.drop_index('ix_payment_customer_id')
        batch_op.drop_index('ix_payment_applies_to_invoice_id')

    op.drop_table('payment')
    with op.batch_alter_table('sales_invoice', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_invoice_customer_id_remaining')

    op.drop_table('sales_invoice')
    op.drop_table('journal')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_company_id_display_name')

    op.drop_table('customer')
    op.drop_table('number_series')
    op.drop_table('account')
    op.drop_table('company')


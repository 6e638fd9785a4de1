"""cash on delivery and manual bank transfer: koperasi payment settings, transfer proofs, order.cash_on_delivery

Revision ID: 1150
Revises: 1100
Create Date: 2026-12-04 18:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1150'
down_revision = '1100'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'koperasi_payment_settings',
        sa.Column('koperasi_id', sa.Integer(), nullable=False),
        sa.Column('cod_enabled', sa.Boolean(), nullable=False),
        sa.Column('cod_max_amount', sa.Integer(), nullable=True),
        sa.Column('bank_name', sa.String(length=60), nullable=True),
        sa.Column('bank_account_number', sa.String(length=30), nullable=True),
        sa.Column('bank_account_holder', sa.String(length=120), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['koperasi_id'], ['koperasi.id'], ),
        sa.PrimaryKeyConstraint('koperasi_id'),
    )
    op.create_table(
        'transfer_proof',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('koperasi_id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=True),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['koperasi_id'], ['koperasi.id'], ),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('transfer_proof', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_proof_koperasi_id'), ['koperasi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_proof_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_proof_status'), ['status'], unique=False)
        batch_op.create_index('uq_transfer_proof_waiting', ['payment_id'], unique=True,
                              postgresql_where=sa.text("status = 'waiting'"),
                              sqlite_where=sa.text("status = 'waiting'"))
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cash_on_delivery', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_column('cash_on_delivery')
    with op.batch_alter_table('transfer_proof', schema=None) as batch_op:
        batch_op.drop_index('uq_transfer_proof_waiting')
        batch_op.drop_index(batch_op.f('ix_transfer_proof_status'))
        batch_op.drop_index(batch_op.f('ix_transfer_proof_payment_id'))
        batch_op.drop_index(batch_op.f('ix_transfer_proof_koperasi_id'))
    op.drop_table('transfer_proof')
    op.drop_table('koperasi_payment_settings')

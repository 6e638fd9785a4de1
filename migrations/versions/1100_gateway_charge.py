"""gateway charges (Midtrans-shaped VA and QRIS)

Revision ID: 1100
Revises: 1050
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1100'
down_revision = '1050'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'gateway_charge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('gateway', sa.String(length=16), nullable=False),
        sa.Column('order_ref', sa.String(length=64), nullable=False),
        sa.Column('transaction_id', sa.String(length=64), nullable=True),
        sa.Column('method', sa.String(length=24), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('refund_status', sa.String(length=16), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('settled_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('order_ref'),
    )
    with op.batch_alter_table('gateway_charge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gateway_charge_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gateway_charge_transaction_id'), ['transaction_id'], unique=False)


def downgrade():
    with op.batch_alter_table('gateway_charge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gateway_charge_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_gateway_charge_payment_id'))
    op.drop_table('gateway_charge')

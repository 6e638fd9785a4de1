"""payment method and details

Revision ID: 1050
Revises: 1000
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1050'
down_revision = '1000'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('method')

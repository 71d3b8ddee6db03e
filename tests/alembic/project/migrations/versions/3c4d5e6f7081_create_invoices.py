"""create invoices

The billing branch starts here.

Revision ID: 3c4d5e6f7081
Revises: 2b3c4d5e6f70
Create Date: 2024-01-04 10:00:00.000001

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c4d5e6f7081'
down_revision = '2b3c4d5e6f70'
branch_labels = ('billing',)
depends_on = None


def upgrade():
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('total', sa.Numeric(12, 2), nullable=False),
    )


def downgrade():
    op.drop_table('invoices')

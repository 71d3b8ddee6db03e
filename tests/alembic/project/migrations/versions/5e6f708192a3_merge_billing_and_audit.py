"""merge billing and audit

Revision ID: 5e6f708192a3
Revises: 3c4d5e6f7081, 4d5e6f708192
Create Date: 2024-01-05 10:00:00.000001

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e6f708192a3'
down_revision = ('3c4d5e6f7081', '4d5e6f708192')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('invoice_id', sa.Integer, sa.ForeignKey('invoices.id')),
        sa.Column('status', sa.String(20), nullable=False),
    )


def downgrade():
    op.drop_table('jobs')

"""create licenses

Revision ID: 6f708192a3b4
Revises: 5e6f708192a3
Create Date: 2024-01-06 10:00:00.000001

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '6f708192a3b4'
down_revision: Union[str, Sequence[str], None] = [
    '5e6f708192a3',  # the merge
]
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'licenses',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('licenses')

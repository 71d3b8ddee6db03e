"""create audit_log

Revision ID: 4d5e6f708192
Revises: 2b3c4d5e6f70
Create Date: 2024-01-04 11:00:00.000001

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "4d5e6f708192"
# this file used to say down_revision = "0000deadbeef"; that id must be ignored
down_revision: Union[str, None] = "2b3c4d5e6f70"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NOTE = "revision = 'ffffffffffff' in a string is not a revision"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_log")

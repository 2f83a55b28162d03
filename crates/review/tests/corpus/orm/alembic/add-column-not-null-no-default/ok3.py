"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    # op.add_column("users", sa.Column("status", sa.String(20), nullable=False))
    op.add_column("users", sa.Column("status", sa.String(20)))


def downgrade():
    pass

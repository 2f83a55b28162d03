"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    op.alter_column("users", "email", nullable=True)


def downgrade():
    pass

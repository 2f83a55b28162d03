"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    table = "users"
    op.execute(f"UPDATE {table} SET flag = true")


def downgrade():
    pass

"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    op.create_table("customers", sa.Column("id", sa.BigInteger(), primary_key=True))


def downgrade():
    op.rename_table("customers", "clients")

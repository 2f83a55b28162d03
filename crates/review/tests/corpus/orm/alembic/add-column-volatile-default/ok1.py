"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    op.add_column("users", sa.Column("seen_at", sa.DateTime(), server_default=sa.text("now()")))


def downgrade():
    pass

"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    op.create_foreign_key(
        "fk_orders_user", "orders", "users", ["user_id"], ["id"],
        postgresql_not_valid=True,
    )


def downgrade():
    pass

"""change

Revision ID: abc123
Revises: 000000
"""
from alembic import op
import sqlalchemy as sa

revision = "abc123"
down_revision = "000000"


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("legacy_code")


def downgrade():
    pass

"""the bodies that send documents, as a list the admin keeps

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 03:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "issuers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issuers")),
        sa.UniqueConstraint("key", name=op.f("uq_issuers_key")),
        sa.UniqueConstraint("name", name=op.f("uq_issuers_name")),
    )


def downgrade():
    op.drop_table("issuers")

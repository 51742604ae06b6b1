"""documents from outside, the registers, secrecy: origin, issuer, arrival numbers, security level

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "arrival_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_arrival_counters")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=16), server_default="internal", nullable=False))
        batch_op.add_column(sa.Column("registered", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("issuer", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("received_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("arrival_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("arrival_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("urgency", sa.String(length=16), server_default="thuong", nullable=False))
        batch_op.add_column(sa.Column("handler", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("reply_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("replied_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("security_level", sa.String(length=16), server_default="none", nullable=False)
        )
        batch_op.add_column(sa.Column("recipients", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("copies", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sent_date", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_security_level"), ["security_level"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_documents_arrival_year_arrival_number"), ["arrival_year", "arrival_number"]
        )


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_documents_arrival_year_arrival_number"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_documents_security_level"))
        for column in (
            "sent_date", "copies", "recipients", "security_level", "replied_date", "reply_due", "handler", "urgency",
            "arrival_number", "arrival_year", "received_date", "issuer", "registered", "origin",
        ):
            batch_op.drop_column(column)
    op.drop_table("arrival_counters")

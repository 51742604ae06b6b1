"""digital signatures found on versions' PDFs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 08:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "version_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field_name", sa.String(length=200), nullable=False),
        sa.Column("signer_name", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("timestamp_authority", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("intact", sa.Boolean(), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("coverage", sa.String(length=32), nullable=False),
        sa.Column("modification", sa.String(length=32), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["document_versions.id"], name=op.f("fk_version_signatures_version_id_document_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_signatures")),
    )
    with op.batch_alter_table("version_signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_version_signatures_version_id"), ["version_id"], unique=False)


def downgrade():
    op.drop_table("version_signatures")

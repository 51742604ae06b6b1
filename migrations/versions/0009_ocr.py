"""OCR: renditions derived from versions, and the durable OCR jobs

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 08:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "version_renditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["document_versions.id"], name=op.f("fk_version_renditions_version_id_document_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_renditions")),
    )
    with op.batch_alter_table("version_renditions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_version_renditions_version_id"), ["version_id"], unique=False)
    op.create_table(
        "ocr_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["document_versions.id"], name=op.f("fk_ocr_jobs_version_id_document_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_jobs")),
    )
    with op.batch_alter_table("ocr_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_jobs_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocr_jobs_version_id"), ["version_id"], unique=False)


def downgrade():
    op.drop_table("ocr_jobs")
    op.drop_table("version_renditions")

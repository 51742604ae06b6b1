"""comments on drafts (lấy ý kiến): who is asked, their answers per version; readers granted a
draft; committee membership; login times for "since my last visit"

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("committee", sa.String(length=16), server_default="", nullable=False))
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("previous_login_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_issued_at"), ["issued_at"], unique=False)
    # Documents issued before: as of their last change, the closest the rows know.
    op.execute("UPDATE documents SET issued_at = updated_at WHERE status IN ('approved', 'superseded')")

    op.create_table(
        "document_readers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_readers_document_id_documents")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_document_readers_user_id_users")),
        sa.ForeignKeyConstraint(["granted_by_id"], ["users.id"], name=op.f("fk_document_readers_granted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_readers")),
        sa.UniqueConstraint("document_id", "user_id", name=op.f("uq_document_readers_document_id_user_id")),
    )
    with op.batch_alter_table("document_readers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_readers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_consultations_document_id_documents")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["users.id"], name=op.f("fk_consultations_opened_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_document_id"), ["document_id"], unique=False)

    op.create_table(
        "consultation_invitees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"], name=op.f("fk_consultation_invitees_consultation_id_consultations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consultation_invitees_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_invitees")),
        sa.UniqueConstraint("consultation_id", "user_id", name=op.f("uq_consultation_invitees_consultation_id_user_id")),
    )
    with op.batch_alter_table("consultation_invitees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_invitees_user_id"), ["user_id"], unique=False)

    op.create_table(
        "consultation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version_n", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"], name=op.f("fk_consultation_answers_consultation_id_consultations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consultation_answers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_answers")),
    )
    with op.batch_alter_table("consultation_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_answers_consultation_id"), ["consultation_id"], unique=False)


def downgrade():
    op.drop_table("consultation_answers")
    op.drop_table("consultation_invitees")
    op.drop_table("consultations")
    op.drop_table("document_readers")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_issued_at"))
        batch_op.drop_column("issued_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("previous_login_at")
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("committee")

"""issued versions: how a version was generated, what approval could not do to a file;
presenters' positions;
one meeting per body, term and ordinal

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 07:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Earlier versions let a body record the same "lần thứ …" twice in a term: say which, rather
    # than fail on the constraint with a database message.
    duplicates = op.get_bind().execute(
        sa.text(
            "SELECT term, body, ordinal, COUNT(*) FROM meetings GROUP BY term, body, ordinal HAVING COUNT(*) > 1"
        )
    ).fetchall()
    if duplicates:
        listed = "; ".join(f"nhiệm kỳ {t}, {b}, lần {o}: {n} hội nghị" for t, b, o, n in duplicates)
        raise RuntimeError(
            "Không nâng cấp được: có hội nghị trùng lần họp (" + listed + "). "
            "Sửa số lần họp của các hội nghị trùng rồi chạy lại «flask --app app db upgrade»."
        )
    op.create_table(
        "generated_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("fields_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["document_versions.id"], name=op.f("fk_generated_versions_version_id_document_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_versions")),
        sa.UniqueConstraint("version_id", name=op.f("uq_generated_versions_version_id")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issue_note", sa.Text(), nullable=True))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_meetings_term_body_ordinal"), ["term", "body", "ordinal"]
        )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("presenter_position", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_meetings_term_body_ordinal"), type_="unique")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("presenter_position")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("issue_note")
    op.drop_table("generated_versions")

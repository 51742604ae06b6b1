"""audit events name their object (object_type, object_id) instead of a document only

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:00:00

Existing rows are moved: document events keep their document, meeting events take the
meeting_id out of their JSON details, user events point to their user (by username) and
template events to their template (by key).
"""
import json

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("object_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("object_id", sa.Integer(), nullable=True))

    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE audit_events SET object_type = 'document', object_id = document_id "
            "WHERE document_id IS NOT NULL"
        )
    )
    users = dict(connection.execute(sa.text("SELECT username, id FROM users")).all())
    templates = dict(connection.execute(sa.text("SELECT key, id FROM draft_templates")).all())
    rows = connection.execute(
        sa.text(
            "SELECT id, action, details_json FROM audit_events WHERE document_id IS NULL "
            "AND (action LIKE 'meeting.%' OR action LIKE 'user.%' OR action LIKE 'template.%')"
        )
    ).all()
    update = sa.text(
        "UPDATE audit_events SET object_type = :kind, object_id = :object_id, details_json = :details "
        "WHERE id = :id"
    )
    for event_id, action, details_json in rows:
        details = json.loads(details_json or "{}")
        kind, object_id = None, None
        if action.startswith("meeting."):
            kind, object_id = "meeting", details.pop("meeting_id", None)
        elif action.startswith("user.") and action != "user.login_failed":  # a typed name, no user
            kind, object_id = "user", users.get(details.get("username"))
        elif action.startswith("template."):
            kind, object_id = "template", templates.get(details.get("template_key"))
        if object_id is None:
            continue
        connection.execute(
            update,
            {"kind": kind, "object_id": object_id, "details": json.dumps(details, ensure_ascii=False), "id": event_id},
        )
    # A login names no username in its details: its user is the one who logged in.
    connection.execute(
        sa.text(
            "UPDATE audit_events SET object_type = 'user', object_id = actor_id "
            "WHERE action IN ('user.login', 'user.logout') AND object_id IS NULL"
        )
    )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_document_id")
        batch_op.drop_constraint("fk_audit_events_document_id_documents", type_="foreignkey")
        batch_op.drop_column("document_id")
        batch_op.create_index("ix_audit_events_object", ["object_type", "object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
    connection = op.get_bind()
    connection.execute(
        sa.text("UPDATE audit_events SET document_id = object_id WHERE object_type = 'document'")
    )
    rows = connection.execute(
        sa.text("SELECT id, object_id, details_json FROM audit_events WHERE object_type = 'meeting'")
    ).all()
    for event_id, meeting_id, details_json in rows:
        details = {**json.loads(details_json or "{}"), "meeting_id": meeting_id}
        connection.execute(
            sa.text("UPDATE audit_events SET details_json = :details WHERE id = :id"),
            {"details": json.dumps(details, ensure_ascii=False), "id": event_id},
        )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))
        batch_op.drop_index("ix_audit_events_object")
        batch_op.drop_column("object_id")
        batch_op.drop_column("object_type")
        batch_op.create_foreign_key(
            "fk_audit_events_document_id_documents", "documents", ["document_id"], ["id"]
        )
        batch_op.create_index("ix_audit_events_document_id", ["document_id"], unique=False)

"""an index of the read rule's columns: the documents a member may not read, asked on every
search, are found from it without reading the rows

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 17:30:00

"""
from alembic import op


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_documents_readable", "documents", ["status", "confidential", "security_level"], unique=False
    )


def downgrade():
    op.drop_index("ix_documents_readable", table_name="documents")

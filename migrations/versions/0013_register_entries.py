"""the registers as kept on paper: Ghi chú and bản lưu columns, cancelled entries, and the
secret incoming register's own arrival series

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("register_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("archive_holder", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("arrival_secret", sa.Boolean(), server_default="0", nullable=False))
        batch_op.drop_constraint("uq_documents_arrival_year_arrival_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_documents_arrival_year_arrival_secret_arrival_number",
            ["arrival_year", "arrival_secret", "arrival_number"],
        )
    true = "true" if op.get_bind().dialect.name == "postgresql" else "1"
    # Secret arrivals registered before this had taken numbers of the general series: they
    # keep them (an arrival number never changes), in the secret book from now on.
    op.execute(
        f"UPDATE documents SET arrival_secret = {true} "
        "WHERE arrival_number IS NOT NULL AND security_level <> 'none'"
    )
    with op.batch_alter_table("arrival_counters", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("secret", sa.Boolean(), server_default="0", nullable=False))
        batch_op.drop_constraint("pk_arrival_counters", type_="primary")
        batch_op.create_primary_key("pk_arrival_counters", ["year", "secret"])
    # The secret series of those years goes on after the numbers they hold.
    op.execute(
        f"INSERT INTO arrival_counters (year, secret, last_value) "
        f"SELECT arrival_year, {true}, MAX(arrival_number) FROM documents "
        f"WHERE arrival_secret = {true} AND arrival_year IS NOT NULL GROUP BY arrival_year"
    )


def downgrade():
    true = "true" if op.get_bind().dialect.name == "postgresql" else "1"
    op.execute(f"DELETE FROM arrival_counters WHERE secret = {true}")  # one series per year again
    with op.batch_alter_table("arrival_counters", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint("pk_arrival_counters", type_="primary")
        batch_op.drop_column("secret")
        batch_op.create_primary_key("pk_arrival_counters", ["year"])
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documents_arrival_year_arrival_secret_arrival_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_documents_arrival_year_arrival_number", ["arrival_year", "arrival_number"]
        )
        for column in ("arrival_secret", "cancel_reason", "cancelled_at", "archive_holder", "register_note"):
            batch_op.drop_column(column)

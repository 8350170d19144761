"""Model card export jobs, claimed by any server's worker.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cardinal.store.tables import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "model_card_export_jobs",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("card_id", Id, nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("card_name", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("arn", sa.String(length=256), nullable=False),
        sa.Column("card_version", sa.Integer(), nullable=False),
        sa.Column("output_path", sa.String(length=1024), nullable=False),
        sa.Column("document_format", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failure_reason", sa.String(length=1024), nullable=True),
        sa.Column("artifact_uri", sa.String(length=2048), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_by", sa.String(length=256), nullable=True),
        sa.Column("claim_expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["model_cards.id"],
            name=op.f("fk_model_card_export_jobs_card_id_model_cards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_card_export_jobs")),
        sa.UniqueConstraint("arn", name=op.f("uq_model_card_export_jobs_arn")),
        sa.UniqueConstraint("card_id", "name", name=op.f("uq_model_card_export_jobs_card_id_name")),
    )
    with op.batch_alter_table("model_card_export_jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_model_card_export_jobs_pending", ["status", "claim_expires_at", "id"]
        )
        batch_op.create_index(
            "ix_model_card_export_jobs_card_created", ["card_id", "created_at", "id"]
        )
        batch_op.create_index("ix_model_card_export_jobs_card_name", ["card_id", "name", "id"])
        batch_op.create_index("ix_model_card_export_jobs_card_status", ["card_id", "status", "id"])


def downgrade() -> None:
    op.drop_table("model_card_export_jobs")

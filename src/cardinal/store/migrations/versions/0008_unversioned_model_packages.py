"""Model packages that belong to no group (SageMaker's unversioned model packages).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cardinal.store.tables import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLE = "unversioned_model_packages"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("arn", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("client_token", sa.String(length=36), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("arn", name=op.f(f"uq_{TABLE}_arn")),
        sa.UniqueConstraint(
            "account_id", "region", "name", name=op.f(f"uq_{TABLE}_account_id_region_name")
        ),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            f"ix_{TABLE}_scope_created", ["account_id", "region", "created_at", "id"]
        )
        batch_op.create_index(f"ix_{TABLE}_scope_name", ["account_id", "region", "name", "id"])


def downgrade() -> None:
    op.drop_table(TABLE)

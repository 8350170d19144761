"""Model registry, model cards and tags: the first schema.

Groups with a version counter, versioned model packages, model cards with their immutable
versions (a card links at most one package version, enforced by a partial unique index), tags.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 02:33:02.106458
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cardinal.store.tables import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_cards",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("arn", sa.String(length=256), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("kms_key_id", sa.String(length=2048), nullable=True),
        sa.Column("model_id", sa.String(length=1024), nullable=True),
        sa.Column("model_name", sa.String(length=1024), nullable=True),
        sa.Column("risk_rating", sa.String(length=16), nullable=True),
        sa.Column("model_package_group_name", sa.String(length=63), nullable=True),
        sa.Column("model_package_arn", sa.String(length=256), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_cards")),
        sa.UniqueConstraint(
            "account_id", "region", "name", name=op.f("uq_model_cards_account_id_region_name")
        ),
        sa.UniqueConstraint("arn", name=op.f("uq_model_cards_arn")),
    )
    with op.batch_alter_table("model_cards", schema=None) as batch_op:
        batch_op.create_index("ix_model_cards_model_id", ["model_id"], unique=False)
        batch_op.create_index(
            "ix_model_cards_scope_created",
            ["account_id", "region", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_cards_scope_group_modified",
            ["account_id", "region", "model_package_group_name", "last_modified_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_cards_scope_modified",
            ["account_id", "region", "last_modified_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_cards_scope_name", ["account_id", "region", "name", "id"], unique=False
        )
        batch_op.create_index(
            "uq_model_cards_model_package_arn",
            ["model_package_arn"],
            unique=True,
            sqlite_where=sa.text("model_package_arn IS NOT NULL"),
            postgresql_where=sa.text("model_package_arn IS NOT NULL"),
        )

    op.create_table(
        "model_package_groups",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("arn", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("version_counter", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_package_groups")),
        sa.UniqueConstraint(
            "account_id",
            "region",
            "name",
            name=op.f("uq_model_package_groups_account_id_region_name"),
        ),
        sa.UniqueConstraint("arn", name=op.f("uq_model_package_groups_arn")),
    )
    with op.batch_alter_table("model_package_groups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_model_package_groups_scope_created",
            ["account_id", "region", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_package_groups_scope_name",
            ["account_id", "region", "name", "id"],
            unique=False,
        )

    op.create_table(
        "tags",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("resource_arn", sa.String(length=256), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("resource_arn", "key", name=op.f("uq_tags_resource_arn_key")),
    )
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.create_index("ix_tags_key_value", ["key", "value"], unique=False)

    op.create_table(
        "model_card_versions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("card_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["model_cards.id"],
            name=op.f("fk_model_card_versions_card_id_model_cards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_card_versions")),
        sa.UniqueConstraint(
            "card_id", "version", name=op.f("uq_model_card_versions_card_id_version")
        ),
    )
    op.create_table(
        "model_packages",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("group_name", sa.String(length=63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("arn", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("approval_status", sa.String(length=32), nullable=False),
        sa.Column("approval_description", sa.Text(), nullable=True),
        sa.Column("lifecycle_stage", sa.String(length=63), nullable=True),
        sa.Column("lifecycle_stage_status", sa.String(length=63), nullable=True),
        sa.Column("client_token", sa.String(length=36), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("model_card_content", sa.Text(), nullable=True),
        sa.Column("model_card_status", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["model_package_groups.id"],
            name=op.f("fk_model_packages_group_id_model_package_groups"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_packages")),
        sa.UniqueConstraint("arn", name=op.f("uq_model_packages_arn")),
        sa.UniqueConstraint(
            "group_id", "client_token", name=op.f("uq_model_packages_group_id_client_token")
        ),
        sa.UniqueConstraint("group_id", "version", name=op.f("uq_model_packages_group_id_version")),
        sa.UniqueConstraint(
            "account_id",
            "region",
            "group_name",
            "version",
            name=op.f("uq_model_packages_account_id_region_group_name_version"),
        ),
    )
    with op.batch_alter_table("model_packages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_model_packages_group_created", ["group_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_model_packages_scope_created",
            ["account_id", "region", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_packages_scope_modified",
            ["account_id", "region", "last_modified_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_model_packages_scope_name", ["account_id", "region", "name", "id"], unique=False
        )
        batch_op.create_index(
            "ix_model_packages_scope_group_modified",
            ["account_id", "region", "group_name", "last_modified_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("model_packages", schema=None) as batch_op:
        batch_op.drop_index("ix_model_packages_scope_group_modified")
        batch_op.drop_index("ix_model_packages_scope_name")
        batch_op.drop_index("ix_model_packages_scope_modified")
        batch_op.drop_index("ix_model_packages_scope_created")
        batch_op.drop_index("ix_model_packages_group_created")

    op.drop_table("model_packages")
    op.drop_table("model_card_versions")
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.drop_index("ix_tags_key_value")

    op.drop_table("tags")
    with op.batch_alter_table("model_package_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_model_package_groups_scope_name")
        batch_op.drop_index("ix_model_package_groups_scope_created")

    op.drop_table("model_package_groups")
    with op.batch_alter_table("model_cards", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_model_cards_model_package_arn",
            sqlite_where=sa.text("model_package_arn IS NOT NULL"),
            postgresql_where=sa.text("model_package_arn IS NOT NULL"),
        )
        batch_op.drop_index("ix_model_cards_scope_name")
        batch_op.drop_index("ix_model_cards_scope_modified")
        batch_op.drop_index("ix_model_cards_scope_group_modified")
        batch_op.drop_index("ix_model_cards_scope_created")
        batch_op.drop_index("ix_model_cards_model_id")

    op.drop_table("model_cards")

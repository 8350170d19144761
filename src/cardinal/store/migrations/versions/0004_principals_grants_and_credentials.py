"""Users and service accounts, their grants, API tokens (hashed) and access keys (encrypted);
approval policies and the record of each approval decision; web sessions (hashed).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cardinal.store.tables import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _principal_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["principal_id"],
        ["principals.id"],
        name=op.f(f"fk_{table}_principal_id_principals"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "principals",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_principals")),
        sa.UniqueConstraint("name", name=op.f("uq_principals_name")),
    )
    op.create_table(
        "grants",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("principal_id", Id, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("group_name", sa.String(length=63), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        _principal_fk("grants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint(
            "principal_id",
            "role",
            "group_name",
            name=op.f("uq_grants_principal_id_role_group_name"),
        ),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("principal_id", Id, nullable=False),
        sa.Column("lookup_id", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=256), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=256), nullable=True),
        _principal_fk("api_tokens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("lookup_id", name=op.f("uq_api_tokens_lookup_id")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_api_tokens_principal", ["principal_id", "id"])
    op.create_table(
        "access_keys",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("principal_id", Id, nullable=False),
        sa.Column("access_key_id", sa.String(length=32), nullable=False),
        sa.Column("secret_ciphertext", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=256), nullable=True),
        _principal_fk("access_keys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_keys")),
        sa.UniqueConstraint("access_key_id", name=op.f("uq_access_keys_access_key_id")),
    )
    with op.batch_alter_table("access_keys", schema=None) as batch_op:
        batch_op.create_index("ix_access_keys_principal", ["principal_id", "id"])
    op.create_table(
        "approval_policies",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("group_name", sa.String(length=63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_policies")),
        sa.UniqueConstraint(
            "group_name", "version", name=op.f("uq_approval_policies_group_name_version")
        ),
    )
    op.create_table(
        "approval_decisions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("package_id", Id, nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=256), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("policy_group", sa.String(length=63), nullable=True),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("card_name", sa.String(length=63), nullable=True),
        sa.Column("card_version", sa.Integer(), nullable=True),
        sa.Column("card_content_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["model_packages.id"],
            name=op.f("fk_approval_decisions_package_id_model_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_decisions")),
    )
    with op.batch_alter_table("approval_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_approval_decisions_package", ["package_id", "id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("principal_id", Id, nullable=False),
        sa.Column("lookup_id", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        _principal_fk("web_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("lookup_id", name=op.f("uq_web_sessions_lookup_id")),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
    op.drop_table("approval_decisions")
    op.drop_table("approval_policies")
    op.drop_table("access_keys")
    op.drop_table("api_tokens")
    op.drop_table("grants")
    op.drop_table("principals")

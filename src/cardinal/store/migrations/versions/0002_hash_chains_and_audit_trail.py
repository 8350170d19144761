"""Hash chains for card versions, versioned embedded cards, and the audit trail.

Card versions gain their content hash (SHA-256 of the RFC 8785 form), the chain hash of the
version before them, and their own chain hash; existing versions are hashed here. Embedded
model-package cards get versions of their own, hashed alike (an existing embedded card becomes
its version 1). Audit events are appended to one hash chain whose head is ``audit_chain``.

The hashes are computed by a copy of the hashing as it stood when this revision was written
(:func:`frozen_content_sha256`, :func:`frozen_version_chain_sha256`), not by
``cardinal.content.canonical``: this revision writes the same hashes whatever that module becomes.
It lives in this file because Alembic loads every module of ``versions/`` as a revision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:18:27
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import rfc8785
import sqlalchemy as sa
from alembic import op

from cardinal.store.tables import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def frozen_content_sha256(content: str) -> str:
    """The SHA-256 of card content text in its RFC 8785 form, as this revision hashes it."""
    return hashlib.sha256(rfc8785.dumps(json.loads(content))).hexdigest()


def frozen_version_chain_sha256(
    resource_arn: str, version: int, content_hash: str, previous_hash: str | None
) -> str:
    """The chain hash of one card version, as this revision hashes it."""
    link: dict[str, Any] = {
        "resource": resource_arn,
        "version": version,
        "content_sha256": content_hash,
        "previous_sha256": previous_hash,
    }
    return hashlib.sha256(rfc8785.dumps(link)).hexdigest()


def _hash_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("previous_sha256", sa.String(length=64), nullable=True),
        sa.Column("chain_sha256", sa.String(length=64), nullable=False),
    ]


def _stamp_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("last_modified_at", UTCDateTime(), nullable=False),
        sa.Column("last_modified_by", sa.String(length=256), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    op.execute("INSERT INTO audit_chain (id, last_seq, last_sha256) VALUES (1, 0, NULL)")
    op.create_table(
        "audit_events",
        sa.Column("seq", Id, autoincrement=False, nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=256), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("resource_arn", sa.String(length=256), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("previous_sha256", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_action", ["action", "seq"], unique=False)
        batch_op.create_index("ix_audit_events_actor", ["actor", "seq"], unique=False)
        batch_op.create_index("ix_audit_events_resource", ["resource_arn", "seq"], unique=False)
        batch_op.create_index("ix_audit_events_time", ["occurred_at", "seq"], unique=False)

    op.create_table(
        "model_package_card_versions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("package_id", Id, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        *_hash_columns(),
        *_stamp_columns(),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["model_packages.id"],
            name=op.f("fk_model_package_card_versions_package_id_model_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_package_card_versions")),
        sa.UniqueConstraint(
            "package_id",
            "version",
            name=op.f("uq_model_package_card_versions_package_id_version"),
        ),
    )
    with op.batch_alter_table("model_card_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("previous_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("chain_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("model_cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carried_over_from", sa.JSON(), nullable=True))
    with op.batch_alter_table("model_packages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("model_card_version", sa.Integer(), nullable=True))

    _hash_existing_card_versions()
    _version_existing_embedded_cards()

    with op.batch_alter_table("model_card_versions", schema=None) as batch_op:
        batch_op.alter_column("content_sha256", existing_type=sa.String(64), nullable=False)
        batch_op.alter_column("chain_sha256", existing_type=sa.String(64), nullable=False)


def _hash_existing_card_versions() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT v.id, v.version, v.content, c.arn FROM model_card_versions v "
            "JOIN model_cards c ON c.id = v.card_id ORDER BY v.card_id, v.version"
        )
    ).all()
    previous: dict[str, str] = {}
    for row in rows:
        content_hash = frozen_content_sha256(row.content)
        before = previous.get(row.arn)
        chain = frozen_version_chain_sha256(row.arn, row.version, content_hash, before)
        previous[row.arn] = chain
        connection.execute(
            sa.text(
                "UPDATE model_card_versions SET content_sha256 = :c, previous_sha256 = :p, "
                "chain_sha256 = :h WHERE id = :id"
            ),
            {"c": content_hash, "p": before, "h": chain, "id": row.id},
        )


def _version_existing_embedded_cards() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, arn, model_card_content, model_card_status, created_at, created_by, "
            "last_modified_at, last_modified_by FROM model_packages "
            "WHERE model_card_content IS NOT NULL"
        )
    ).all()
    for row in rows:
        content_hash = frozen_content_sha256(row.model_card_content)
        connection.execute(
            sa.text(
                "INSERT INTO model_package_card_versions (package_id, version, content, status, "
                "content_sha256, previous_sha256, chain_sha256, created_at, created_by, "
                "last_modified_at, last_modified_by) VALUES (:p, 1, :c, :s, :ch, NULL, :h, "
                ":ca, :cb, :ma, :mb)"
            ),
            {
                "p": row.id,
                "c": row.model_card_content,
                "s": row.model_card_status,
                "ch": content_hash,
                "h": frozen_version_chain_sha256(row.arn, 1, content_hash, None),
                "ca": row.created_at,
                "cb": row.created_by,
                "ma": row.last_modified_at,
                "mb": row.last_modified_by,
            },
        )
        connection.execute(
            sa.text("UPDATE model_packages SET model_card_version = 1 WHERE id = :p"),
            {"p": row.id},
        )


def downgrade() -> None:
    with op.batch_alter_table("model_packages", schema=None) as batch_op:
        batch_op.drop_column("model_card_version")
    with op.batch_alter_table("model_cards", schema=None) as batch_op:
        batch_op.drop_column("carried_over_from")
    with op.batch_alter_table("model_card_versions", schema=None) as batch_op:
        batch_op.drop_column("chain_sha256")
        batch_op.drop_column("previous_sha256")
        batch_op.drop_column("content_sha256")
    op.drop_table("model_package_card_versions")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_time")
        batch_op.drop_index("ix_audit_events_resource")
        batch_op.drop_index("ix_audit_events_actor")
        batch_op.drop_index("ix_audit_events_action")
    op.drop_table("audit_events")
    op.drop_table("audit_chain")

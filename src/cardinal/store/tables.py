"""The relational schema: one SQLAlchemy Core table per stored thing.

Only Alembic migrations change the database; ``alembic check`` keeps these definitions and the
migrations in step. Times are stored as naive UTC and come back as aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

Id = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive so both backends sort and compare it alike."""

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC)


def _audit_columns() -> list[Column[Any]]:
    return [
        Column("created_at", UTCDateTime(), nullable=False),
        Column("created_by", String(256), nullable=False),
        Column("last_modified_at", UTCDateTime(), nullable=False),
        Column("last_modified_by", String(256), nullable=False),
    ]


def _hash_columns() -> list[Column[Any]]:
    return [
        Column("content_sha256", String(64), nullable=False),
        Column("previous_sha256", String(64)),
        Column("chain_sha256", String(64), nullable=False),
    ]


model_package_groups = Table(
    "model_package_groups",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("name", String(63), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("description", Text()),
    Column("details", JSON(), nullable=False),
    Column("version_counter", Integer(), nullable=False, server_default=text("0")),
    *_audit_columns(),
    UniqueConstraint("account_id", "region", "name"),
    Index("ix_model_package_groups_scope_created", "account_id", "region", "created_at", "id"),
    Index("ix_model_package_groups_scope_name", "account_id", "region", "name", "id"),
)

model_packages = Table(
    "model_packages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "group_id",
        Id,
        ForeignKey("model_package_groups.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("group_name", String(63), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("name", String(80), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("description", Text()),
    Column("approval_status", String(32), nullable=False),
    Column("approval_description", Text()),
    Column("lifecycle_stage", String(63)),
    Column("lifecycle_stage_status", String(63)),
    Column("client_token", String(36)),
    Column("details", JSON(), nullable=False),
    Column("model_card_content", Text()),
    Column("model_card_status", String(32)),
    Column("model_card_version", Integer()),
    *_audit_columns(),
    UniqueConstraint("group_id", "version"),
    UniqueConstraint("group_id", "client_token"),
    UniqueConstraint("account_id", "region", "group_name", "version"),
    Index(
        "ix_model_packages_scope_group_modified",
        "account_id",
        "region",
        "group_name",
        "last_modified_at",
        "id",
    ),
    Index("ix_model_packages_group_created", "group_id", "created_at", "id"),
    Index("ix_model_packages_scope_created", "account_id", "region", "created_at", "id"),
    Index("ix_model_packages_scope_modified", "account_id", "region", "last_modified_at", "id"),
    Index("ix_model_packages_scope_name", "account_id", "region", "name", "id"),
)

model_cards = Table(
    "model_cards",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("name", String(63), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("latest_version", Integer(), nullable=False),
    Column("status", String(32), nullable=False),
    Column("kms_key_id", String(2048)),
    Column("model_id", String(1024)),
    Column("model_name", String(1024)),
    Column("risk_rating", String(16)),
    Column("model_package_group_name", String(63)),
    Column("model_package_arn", String(256)),
    Column("carried_over_from", JSON()),
    *_audit_columns(),
    UniqueConstraint("account_id", "region", "name"),
    Index("ix_model_cards_scope_created", "account_id", "region", "created_at", "id"),
    Index("ix_model_cards_scope_modified", "account_id", "region", "last_modified_at", "id"),
    Index("ix_model_cards_scope_name", "account_id", "region", "name", "id"),
    Index(
        "ix_model_cards_scope_group_modified",
        "account_id",
        "region",
        "model_package_group_name",
        "last_modified_at",
    ),
    Index("ix_model_cards_model_id", "model_id"),
    Index(
        "uq_model_cards_model_package_arn",
        "model_package_arn",
        unique=True,
        sqlite_where=text("model_package_arn IS NOT NULL"),
        postgresql_where=text("model_package_arn IS NOT NULL"),
    ),
)

model_card_versions = Table(
    "model_card_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("card_id", Id, ForeignKey("model_cards.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("content", Text(), nullable=False),
    Column("status", String(32), nullable=False),
    *_hash_columns(),
    *_audit_columns(),
    UniqueConstraint("card_id", "version"),
)

model_package_card_versions = Table(
    "model_package_card_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("package_id", Id, ForeignKey("model_packages.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("content", Text(), nullable=False),
    Column("status", String(32), nullable=False),
    *_hash_columns(),
    *_audit_columns(),
    UniqueConstraint("package_id", "version"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("actor", String(256), nullable=False),
    Column("action", String(64), nullable=False),
    Column("resource_arn", String(256), nullable=False),
    Column("request_id", String(64), nullable=False),
    Column("before", JSON()),
    Column("after", JSON()),
    Column("previous_sha256", String(64)),
    Column("sha256", String(64), nullable=False),
    Index("ix_audit_events_resource", "resource_arn", "seq"),
    Index("ix_audit_events_actor", "actor", "seq"),
    Index("ix_audit_events_action", "action", "seq"),
    Index("ix_audit_events_time", "occurred_at", "seq"),
)

# One row: the sequence number and hash of the last audit event. Appending an event updates
# it, which serialises appends and so keeps the chain a single line.
audit_chain = Table(
    "audit_chain",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger(), nullable=False),
    Column("last_sha256", String(64)),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("resource_arn", String(256), nullable=False),
    Column("key", String(128), nullable=False),
    Column("value", String(256), nullable=False),
    UniqueConstraint("resource_arn", "key"),
    Index("ix_tags_key_value", "key", "value"),
)

# A job is claimed by setting claim_token and claim_expires_at; only that token may finish it.
model_card_export_jobs = Table(
    "model_card_export_jobs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("card_id", Id, ForeignKey("model_cards.id", ondelete="CASCADE"), nullable=False),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("card_name", String(63), nullable=False),
    Column("name", String(63), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("card_version", Integer(), nullable=False),
    Column("output_path", String(1024), nullable=False),
    Column("document_format", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("failure_reason", String(1024)),
    Column("artifact_uri", String(2048)),
    Column("runs", Integer(), nullable=False),
    Column("claim_token", String(36)),
    Column("claimed_by", String(256)),
    Column("claim_expires_at", UTCDateTime()),
    *_audit_columns(),
    UniqueConstraint("card_id", "name"),
    Index("ix_model_card_export_jobs_pending", "status", "claim_expires_at", "id"),
    Index("ix_model_card_export_jobs_card_created", "card_id", "created_at", "id"),
    Index("ix_model_card_export_jobs_card_name", "card_id", "name", "id"),
    Index("ix_model_card_export_jobs_card_status", "card_id", "status", "id"),
)

# SageMaker models, kept as registry metadata. The ARN holds the name in lower case, as AWS
# builds it, so its uniqueness makes names unique whatever their case.
models = Table(
    "models",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("name", String(63), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("details", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
    Index("ix_models_scope_created", "account_id", "region", "created_at", "id"),
    Index("ix_models_scope_name", "account_id", "region", "name", "id"),
)

# Model packages that belong to no group (SageMaker's unversioned model packages), named by
# their creator. A repeated ClientToken of the package's own creation returns it again.
unversioned_model_packages = Table(
    "unversioned_model_packages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("name", String(63), nullable=False),
    Column("arn", String(256), nullable=False, unique=True),
    Column("description", Text()),
    Column("client_token", String(36)),
    Column("details", JSON(), nullable=False),
    *_audit_columns(),
    UniqueConstraint("account_id", "region", "name"),
    Index(
        "ix_unversioned_model_packages_scope_created", "account_id", "region", "created_at", "id"
    ),
    Index("ix_unversioned_model_packages_scope_name", "account_id", "region", "name", "id"),
)

# Users and service accounts. A principal is never deleted, only disabled: the audit trail names
# it as the actor of what it did.
principals = Table(
    "principals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("disabled", Boolean(), nullable=False),
    Column("password_hash", String(256)),
    *_audit_columns(),
)

# group_name "*": every group.
grants = Table(
    "grants",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("principal_id", Id, ForeignKey("principals.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("group_name", String(63), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
    UniqueConstraint("principal_id", "role", "group_name"),
)

# Only the SHA-256 of a token is stored; lookup_id finds it without a scan.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("principal_id", Id, ForeignKey("principals.id", ondelete="CASCADE"), nullable=False),
    Column("lookup_id", String(16), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False),
    Column("description", String(256), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
    Column("expires_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
    Column("revoked_by", String(256)),
    Index("ix_api_tokens_principal", "principal_id", "id"),
)

# SigV4 needs the secret itself to verify a signature, so it is stored encrypted with the
# server's key, never in the clear.
access_keys = Table(
    "access_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("principal_id", Id, ForeignKey("principals.id", ondelete="CASCADE"), nullable=False),
    Column("access_key_id", String(32), nullable=False, unique=True),
    Column("secret_ciphertext", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
    Column("revoked_at", UTCDateTime()),
    Column("revoked_by", String(256)),
    Index("ix_access_keys_principal", "principal_id", "id"),
)

# Each set of a policy is a new version; the highest version of a scope ("*": every group) holds.
approval_policies = Table(
    "approval_policies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("group_name", String(63), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("document", JSON(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
    UniqueConstraint("group_name", "version"),
)

# One row per decision on a model package version: who, when, why, under which policy version,
# and the card version it saw (pinned by its content hash).
approval_decisions = Table(
    "approval_decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("package_id", Id, ForeignKey("model_packages.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String(32), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("decided_by", String(256), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    Column("comment", Text()),
    Column("policy_group", String(63)),
    Column("policy_version", Integer()),
    Column("card_name", String(63)),
    Column("card_version", Integer()),
    Column("card_content_sha256", String(64)),
    Index("ix_approval_decisions_package", "package_id", "id"),
)

# Web UI sign-ins: like API tokens, only the SHA-256 of the session token is stored.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("principal_id", Id, ForeignKey("principals.id", ondelete="CASCADE"), nullable=False),
    Column("lookup_id", String(16), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
)

# Webhook subscriptions. The secret signs deliveries, so it is sealed (encrypted), not hashed;
# ``through_seq`` is the last audit event the subscription has been matched against.
webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("url", String(2048), nullable=False),
    Column("events", JSON(), nullable=False),
    Column("groups", JSON(), nullable=False),
    Column("sealed_secret", Text(), nullable=False),
    Column("previous_sealed_secret", Text()),
    Column("previous_secret_expires_at", UTCDateTime()),
    Column("enabled", Boolean(), nullable=False),
    Column("disabled_reason", Text()),
    Column("through_seq", BigInteger(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(256), nullable=False),
)

# One row per event and subscription: the outbox a server delivers from, and the delivery log.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "subscription_id",
        Id,
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_seq", BigInteger(), nullable=False),
    Column("resource_arn", String(256), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("claimed_until", UTCDateTime()),
    Column("last_status_code", Integer()),
    Column("last_error", Text()),
    Column("last_attempt_at", UTCDateTime()),
    Column("delivered_at", UTCDateTime()),
    UniqueConstraint("subscription_id", "event_seq"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at", "id"),
    Index("ix_webhook_deliveries_order", "subscription_id", "resource_arn", "event_seq"),
)

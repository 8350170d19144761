"""The audit trail: one event for every change to any resource, in the order made.

An event says who (the actor), what (an action of the form ``resource:action``), to which
resource (its ARN), when, in which request, and the before and after of what changed. Events
are hash-chained: each names the hash of the one before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class AuditAction(StrEnum):
    GROUP_CREATE = "model-package-group:create"
    GROUP_DELETE = "model-package-group:delete"
    PACKAGE_REGISTER = "model-package:register"
    PACKAGE_APPROVAL = "model-package:approval"
    PACKAGE_UPDATE = "model-package:update"
    PACKAGE_CARD_CONTENT = "model-package:card-content"
    PACKAGE_CARD_STATUS = "model-package:card-status"
    PACKAGE_DELETE = "model-package:delete"
    CARD_CREATE = "model-card:create"
    CARD_CONTENT = "model-card:content"
    CARD_LINK = "model-card:link"
    CARD_STATUS = "model-card:status"
    CARD_DELETE = "model-card:delete"
    CARD_EXPORT = "model-card:export"
    EXPORT_JOB_FINISH = "model-card-export-job:finish"
    MODEL_CREATE = "model:create"
    MODEL_DELETE = "model:delete"
    TAGS_ADD = "tags:add"
    TAGS_REMOVE = "tags:remove"
    USER_CREATE = "user:create"
    USER_DISABLE = "user:disable"
    USER_ENABLE = "user:enable"
    USER_PASSWORD = "user:password"
    USER_GRANT = "user:grant"
    USER_REVOKE_GRANT = "user:revoke-grant"
    TOKEN_CREATE = "api-token:create"
    TOKEN_REVOKE = "api-token:revoke"
    ACCESS_KEY_CREATE = "access-key:create"
    ACCESS_KEY_REVOKE = "access-key:revoke"
    POLICY_SET = "approval-policy:set"
    WEBHOOK_CREATE = "webhook:create"
    WEBHOOK_DELETE = "webhook:delete"
    WEBHOOK_REDELIVER = "webhook:redeliver"
    WEBHOOK_ROTATE = "webhook:rotate"
    SESSION_START = "user:sign-in"
    SESSION_END = "user:sign-out"


# The kinds of resource (the part of an action before the colon) that are about who may act.
IDENTITY_RESOURCES = frozenset({"user", "api-token", "access-key", "approval-policy"})

# Where events are sent: subscriptions are an admin's, like identities, and not replayed.
WEBHOOK_RESOURCES = frozenset({"webhook"})

# What a person does that changes nothing stored: left out of "recent changes".
SESSION_ACTIONS = frozenset({AuditAction.SESSION_START, AuditAction.SESSION_END})


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    occurred_at: datetime
    actor: str
    action: AuditAction
    resource_arn: str
    request_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    previous_hash: str | None
    hash: str

    def record(self) -> dict[str, Any]:
        """What the event's hash covers."""
        return audit_record(
            self.seq,
            self.occurred_at,
            self.actor,
            self.action,
            self.resource_arn,
            self.request_id,
            self.before,
            self.after,
            self.previous_hash,
        )


def audit_record(
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    resource_arn: str,
    request_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    previous_hash: str | None,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "occurred_at": occurred_at.isoformat(),
        "actor": actor,
        "action": str(action),
        "resource_arn": resource_arn,
        "request_id": request_id,
        "before": before,
        "after": after,
        "previous_sha256": previous_hash,
    }


@dataclass(frozen=True)
class AuditQuery:
    resource_arn: str | None = None
    actor: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None
    max_results: int = 50
    next_token: str | None = None
    newest_first: bool = False
    leave_out: frozenset[AuditAction] = frozenset()
    """Actions not listed (sign-ins and sign-outs on a page of recent changes, say)."""

"""REST bodies of webhook subscriptions and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH

# No white space, by every reader's count: ``\S`` means one thing to JSON Schema's regular
# expressions, another to pydantic's and Python's (U+0085 and U+001C-U+001F, say), so the
# characters are named.
_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=f"^[^{_SPACE}]+$")]
GroupName = Annotated[
    str, StringConstraints(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)
]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] = Field(
        description="An http(s) URL (no user name or password; a path of printable ASCII) to "
        "a host among the server's allowed webhook destinations: 403 (rule "
        "`webhook_destinations`) for one an admin did not allow."
    )
    events: list[Pattern] = Field(
        default_factory=lambda: ["*"],
        min_length=1,
        max_length=20,
        description="Globs over audit actions: `*`, `model-package:*`, `model-card:status`.",
    )
    groups: list[GroupName] = Field(
        default_factory=list,
        max_length=100,
        description="Only events about these model package groups (empty: every group, and "
        "events about no group).",
    )


class WebhookRotate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_previous_hours: int = Field(
        default=24,
        ge=0,
        le=168,
        description="How long deliveries are also signed with the previous secret, so "
        "receivers can switch without dropping one (0: the previous secret stops at once).",
    )


class WebhookRead(BaseModel):
    id: str
    url: str
    events: list[str]
    groups: list[str]
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation: until when deliveries also carry a signature made with "
        "the previous secret."
    )
    enabled: bool
    disabled_reason: str | None
    created_at: datetime
    created_by: str


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description="`whsec_…`: verifies the signature of every delivery. Shown this once "
        "(when the subscription is created, and by each rotation)."
    )


class WebhookList(BaseModel):
    items: list[WebhookRead]


class DeliveryRead(BaseModel):
    id: int
    webhook_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    event_seq: int
    resource_arn: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryList(BaseModel):
    items: list[DeliveryRead]

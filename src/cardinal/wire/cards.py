"""Request and response bodies of the REST API (``XCreate`` / ``XUpdate`` / ``XRead``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.wire.approvals import ApprovalDecisionRead
from cardinal.wire.point_in_time import AtMoment
from cardinal.wire.registry import EntityName

TagKey = Annotated[str, StringConstraints(min_length=1, max_length=128)]
TagValue = Annotated[str, StringConstraints(max_length=256)]
Tags = Annotated[dict[TagKey, TagValue], Field(max_length=50)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CardCreate(Body):
    name: EntityName
    content: dict[str, Any] = Field(description="Model card content (the card JSON schema).")
    status: ModelCardStatus = ModelCardStatus.DRAFT
    tags: Tags = Field(default_factory=dict)


class CardContentUpdate(Body):
    content: dict[str, Any]


class CardStatusUpdate(Body):
    status: ModelCardStatus


class CardClone(Body):
    package: Annotated[str, StringConstraints(min_length=1, max_length=256)] = Field(
        description="The new model version: <group>/<version> or its ARN."
    )
    name: EntityName
    status: ModelCardStatus = ModelCardStatus.DRAFT


class CardDraft(Body):
    content: dict[str, Any]


class CardSummary(BaseModel):
    name: str
    arn: str
    status: ModelCardStatus
    latest_version: int
    model_package_arn: str | None
    created_at: datetime
    last_modified_at: datetime


class CardRead(AtMoment):
    name: str
    arn: str
    version: int
    latest_version: int
    status: ModelCardStatus
    content: dict[str, Any]
    content_sha256: str
    chain_sha256: str
    previous_sha256: str | None
    model_package_arn: str | None
    carried_over_from: dict[str, Any] | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str


class CardVersionRead(BaseModel):
    version: int
    status: ModelCardStatus
    content_sha256: str
    chain_sha256: str
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str


class ChangeRead(BaseModel):
    path: str
    kind: str
    old: Any = None
    new: Any = None


class DiffRead(BaseModel):
    name: str
    from_version: int
    to_version: int | None
    changes: list[ChangeRead]


class GateRead(AtMoment):
    open: bool = Field(description="True only if the version and its card are both Approved.")
    model_package_arn: str
    model_approval_status: str
    model_card_name: str | None
    model_card_version: int | None = Field(
        default=None, description="The card's current version (its status is the card's)."
    )
    model_card_status: ModelCardStatus | None
    missing: list[str]
    decisions: list[ApprovalDecisionRead] = Field(
        default_factory=list,
        description="Every decision on the version, oldest first, each with the card version "
        "it saw.",
    )

"""Approval decisions and approval policies as the REST API reads and writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cardinal.domain.model_cards import ModelCardStatus


class ApprovalDecisionRead(BaseModel):
    decision: str = Field(description="Approved, Rejected or PendingManualApproval (a reset).")
    outcome: str = Field(
        description="The version's approval status after it, or the approvals counted so far "
        "(e.g. '1 of 2 approvals (alice)')."
    )
    decided_by: str
    decided_at: datetime
    comment: str | None
    policy: str | None = Field(
        description="The policy version that allowed it ('global v2', 'customer-churn v1'); "
        "null: no policy held."
    )
    card_name: str | None
    card_version: int | None
    card_content_sha256: str | None = Field(
        description="The SHA-256 of the content of the card version the decision saw."
    )


class PolicyRead(BaseModel):
    group: str | None = Field(description="The group it was set for; null: every group.")
    version: int
    policy: dict[str, Any]
    set_at: datetime
    set_by: str


class CardRestore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ModelCardStatus = Field(description="The status the Archived card moves to.")
    reason: Annotated[str, StringConstraints(min_length=1, max_length=1024)]

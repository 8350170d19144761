"""Model package groups and their versioned model packages, in the user's words.

A group holds one business problem's models; each registration adds version 1, 2, 3, ...
assigned by the server without gaps. A version is immutable except for what SageMaker's
UpdateModelPackage may change: approval status and its description, customer metadata,
lifecycle stage, source URI, inference specifications and the embedded model card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ApprovalStatus(StrEnum):
    PENDING_MANUAL_APPROVAL = "PendingManualApproval"
    APPROVED = "Approved"
    REJECTED = "Rejected"


MAX_CUSTOMER_METADATA = 50
MAX_ADDITIONAL_INFERENCE_SPECIFICATIONS = 15


@dataclass
class ModelPackageGroup:
    id: int
    name: str
    arn: str
    description: str | None
    created_at: datetime
    created_by: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class EmbeddedModelCard:
    """The simplified model card a model package carries (SageMaker's ModelPackageModelCard)."""

    content: str
    status: str
    version: int = 1


@dataclass
class ModelPackage:
    id: int
    group_id: int
    group_name: str
    version: int
    arn: str
    description: str | None
    approval_status: ApprovalStatus
    approval_description: str | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str
    details: dict[str, Any] = field(default_factory=dict)
    model_card: EmbeddedModelCard | None = None

    @property
    def name(self) -> str:
        """The name SageMaker gives a versioned package: ``<group>/<version>``."""
        return f"{self.group_name}/{self.version}"

    @property
    def customer_metadata(self) -> dict[str, str]:
        return dict(self.details.get("CustomerMetadataProperties") or {})

    @property
    def lifecycle(self) -> dict[str, Any] | None:
        return self.details.get("ModelLifeCycle")

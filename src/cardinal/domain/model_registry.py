"""Model package groups and their versioned model packages, in the user's words.

A group holds one business problem's models; each registration adds version 1, 2, 3, ...
assigned by the server without gaps. A version is immutable except for what SageMaker's
UpdateModelPackage may change: approval status and its description, customer metadata,
lifecycle stage, source URI, inference specifications and the embedded model card.

A version's record (``ModelPackage.details``) keeps the registration's SageMaker members as
given, under SageMaker's member names: SageMaker clients read them back verbatim, and the audit
trail hashes them in that form. The fields Cardinal reads and writes itself are typed
(:class:`PackageFields`); this module is the one place that knows which member holds which.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any


class ApprovalStatus(StrEnum):
    PENDING_MANUAL_APPROVAL = "PendingManualApproval"
    APPROVED = "Approved"
    REJECTED = "Rejected"


MAX_CUSTOMER_METADATA = 50
MAX_ADDITIONAL_INFERENCE_SPECIFICATIONS = 15


@dataclass(frozen=True)
class Lifecycle:
    """Where a version stands in the user's own lifecycle (SageMaker's ModelLifeCycle)."""

    stage: str
    stage_status: str
    stage_description: str | None = None

    def as_member(self) -> dict[str, str]:
        found = {"Stage": self.stage, "StageStatus": self.stage_status}
        if self.stage_description is not None:
            found["StageDescription"] = self.stage_description
        return found

    @classmethod
    def of_member(cls, member: dict[str, Any]) -> Lifecycle:
        return cls(member["Stage"], member["StageStatus"], member.get("StageDescription"))


# The record's member that holds each of PackageFields' fields.
_MEMBERS = {
    "inference_specification": "InferenceSpecification",
    "additional_inference_specifications": "AdditionalInferenceSpecifications",
    "customer_metadata": "CustomerMetadataProperties",
    "lifecycle": "ModelLifeCycle",
    "source_uri": "SourceUri",
    "domain": "Domain",
    "task": "Task",
}


@dataclass(frozen=True)
class PackageFields:
    """The fields of a version that Cardinal reads and writes; None means not given."""

    inference_specification: dict[str, Any] | None = None
    additional_inference_specifications: list[dict[str, Any]] | None = None
    customer_metadata: dict[str, str] | None = None
    lifecycle: Lifecycle | None = None
    source_uri: str | None = None
    domain: str | None = None
    task: str | None = None

    def as_record(self) -> dict[str, Any]:
        """The given fields as members of a version's record."""
        record: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                record[_MEMBERS[f.name]] = (
                    value.as_member() if isinstance(value, Lifecycle) else value
                )
        return record

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> PackageFields:
        """The fields a record holds; members of other names are not read."""
        lifecycle = record.get(_MEMBERS["lifecycle"])
        return cls(
            inference_specification=record.get(_MEMBERS["inference_specification"]),
            additional_inference_specifications=record.get(
                _MEMBERS["additional_inference_specifications"]
            ),
            customer_metadata=record.get(_MEMBERS["customer_metadata"]),
            lifecycle=Lifecycle.of_member(lifecycle) if lifecycle is not None else None,
            source_uri=record.get(_MEMBERS["source_uri"]),
            domain=record.get(_MEMBERS["domain"]),
            task=record.get(_MEMBERS["task"]),
        )


def unread_members(record: dict[str, Any]) -> dict[str, Any]:
    """The members of ``record`` that no field of :class:`PackageFields` reads."""
    known = set(_MEMBERS.values())
    return {k: v for k, v in record.items() if k not in known}


@dataclass
class ModelPackageGroup:
    id: int
    name: str
    arn: str
    description: str | None
    created_at: datetime
    created_by: str
    details: dict[str, Any] = field(default_factory=dict)
    # The last version number given; a deleted version's number is never given again.
    version_counter: int = 0


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
    def fields(self) -> PackageFields:
        return PackageFields.of_record(self.details)

    @property
    def customer_metadata(self) -> dict[str, str]:
        return dict(self.fields.customer_metadata or {})

    @property
    def lifecycle(self) -> Lifecycle | None:
        return self.fields.lifecycle

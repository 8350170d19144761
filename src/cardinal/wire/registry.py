"""Request and response bodies of the registry on the REST API: groups, versions, tags.

Constraints follow SageMaker's service model (names, descriptions, metadata, lifecycle, tags), so
input the SageMaker door would refuse is refused here too, as a 422 problem with a JSON path.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from cardinal.domain import model_registry as domain
from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import (
    MAX_CUSTOMER_METADATA,
    ApprovalStatus,
    ModelPackage,
    ModelPackageGroup,
    PackageFields,
)
from cardinal.domain.tags import MAX_TAGS_PER_RESOURCE
from cardinal.wire.point_in_time import AtMoment

# SageMaker's patterns for tags and customer metadata (Unicode classes: pydantic's Rust regex).
# \p{Z} (space, line and paragraph separators) is spelled out: some JSON Schema tools read it
# as any whitespace, tabs and line breaks included, which SageMaker's pattern refuses.
_SEPARATORS = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
KEY_CHARS = rf"^[\p{{L}}{_SEPARATORS}\p{{N}}_.:/=+\-@]*$"
_TEXT = rf"^[\p{{L}}\p{{M}}{_SEPARATORS}\p{{S}}\p{{N}}\p{{P}}]*$"

EntityName = Annotated[
    str, StringConstraints(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)
]
Description = Annotated[str, StringConstraints(pattern=_TEXT, max_length=1024)]
TagKey = Annotated[str, StringConstraints(pattern=KEY_CHARS, min_length=1, max_length=128)]
TagValue = Annotated[str, StringConstraints(pattern=KEY_CHARS, max_length=256)]
Tags = Annotated[dict[TagKey, TagValue], Field(max_length=MAX_TAGS_PER_RESOURCE)]
MetadataKey = Annotated[str, StringConstraints(pattern=KEY_CHARS, min_length=1, max_length=128)]
MetadataValue = Annotated[str, StringConstraints(pattern=KEY_CHARS, min_length=1, max_length=256)]
CustomerMetadata = Annotated[
    dict[MetadataKey, MetadataValue], Field(max_length=MAX_CUSTOMER_METADATA)
]
MetadataPatch = Annotated[
    dict[MetadataKey, MetadataValue | None],
    Field(
        max_length=MAX_CUSTOMER_METADATA,
        description="Customer metadata to change, as a JSON Merge Patch (RFC 7396): a key with a "
        "value is set, a key with null is removed, a key left out is kept.",
    ),
]
SourceUri = Annotated[str, StringConstraints(max_length=1024)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GroupCreate(Body):
    name: EntityName
    description: Description | None = None
    tags: Tags = Field(default_factory=dict)


class GroupRead(BaseModel):
    name: str
    arn: str
    description: str | None
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, group: ModelPackageGroup) -> GroupRead:
        return cls(
            name=group.name,
            arn=group.arn,
            description=group.description,
            created_at=group.created_at,
            created_by=group.created_by,
        )


S3Location = Annotated[
    str, StringConstraints(pattern=r"^(https|s3)://([^/]+)/?(.*)$", max_length=1024)
]
Compression = Literal["None", "Gzip"]


class ModelAccess(Body):
    AcceptEula: bool


class HubAccess(Body):
    HubContentArn: Annotated[str, StringConstraints(max_length=255)]


class S3ModelDataSource(Body):
    """SageMaker's S3ModelDataSource: where a container's model artifacts are."""

    S3Uri: S3Location
    S3DataType: Literal["S3Prefix", "S3Object"]
    CompressionType: Compression
    ModelAccessConfig: ModelAccess | None = None
    HubAccessConfig: HubAccess | None = None
    ManifestS3Uri: S3Location | None = None
    ETag: ShortText | None = None
    ManifestEtag: ShortText | None = None


class ModelData(Body):
    S3DataSource: S3ModelDataSource | None = None


class InputConfig(Body):
    DataInputConfig: Annotated[str, StringConstraints(min_length=1, max_length=16384)]


class AdditionalModelData(Body):
    ChannelName: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9.\-_]+$", min_length=1, max_length=64)
    ]
    S3DataSource: S3ModelDataSource


class AdditionalS3Data(Body):
    S3DataType: Literal["S3Object", "S3Prefix"]
    S3Uri: S3Location
    CompressionType: Compression | None = None
    ETag: ShortText | None = None


class HubBaseModel(Body):
    HubContentName: (
        Annotated[str, StringConstraints(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)]
        | None
    ) = None
    HubContentVersion: (
        Annotated[
            str,
            StringConstraints(pattern=r"^\d{1,4}.\d{1,4}.\d{1,4}$", min_length=5, max_length=14),
        ]
        | None
    ) = None
    RecipeName: Annotated[str, StringConstraints(max_length=255)] | None = None


class Container(Body):
    """SageMaker's ModelPackageContainerDefinition, members as SageMaker names them."""

    ContainerHostname: ShortText | None = None
    Image: ShortText | None = None
    ImageDigest: Annotated[str, StringConstraints(max_length=72)] | None = None
    ModelDataUrl: ShortText | None = None
    ModelDataSource: ModelData | None = None
    ProductId: Annotated[str, StringConstraints(max_length=256)] | None = None
    Environment: Annotated[dict[str, str], Field(max_length=100)] | None = None
    ModelInput: InputConfig | None = None
    Framework: ShortText | None = None
    FrameworkVersion: ShortText | None = None
    NearestModelName: ShortText | None = None
    AdditionalModelDataSources: Annotated[list[AdditionalModelData], Field(max_length=5)] | None = (
        None
    )
    AdditionalS3DataSource: AdditionalS3Data | None = None
    ModelDataETag: ShortText | None = None
    IsCheckpoint: bool | None = None
    BaseModel: HubBaseModel | None = None


class InferenceSpecification(Body):
    """SageMaker's InferenceSpecification, members as SageMaker names them."""

    Containers: Annotated[list[Container], Field(min_length=1, max_length=15)]
    SupportedTransformInstanceTypes: Annotated[list[str], Field(min_length=1)] | None = None
    SupportedRealtimeInferenceInstanceTypes: list[str] | None = None
    SupportedContentTypes: list[str] | None = None
    SupportedResponseMIMETypes: list[str] | None = None


class Lifecycle(Body):
    stage: EntityName
    stage_status: EntityName
    stage_description: Annotated[str, StringConstraints(max_length=1024)] | None = None

    def as_domain(self) -> domain.Lifecycle:
        return domain.Lifecycle(self.stage, self.stage_status, self.stage_description)


class EmbeddedCardCreate(Body):
    """The model card embedded in a version (SageMaker's ModelPackageModelCard)."""

    content: dict[str, Any] = Field(description="Model card content (the card JSON schema).")
    status: ModelCardStatus = ModelCardStatus.DRAFT


class PackageCreate(Body):
    description: Description | None = None
    approval_status: ApprovalStatus = ApprovalStatus.PENDING_MANUAL_APPROVAL
    inference_specification: InferenceSpecification | None = None
    model_card: EmbeddedCardCreate | None = None
    customer_metadata: CustomerMetadata | None = None
    lifecycle: Lifecycle | None = None
    source_uri: SourceUri | None = None
    domain: ShortText | None = None
    task: ShortText | None = None
    client_token: (
        Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9-]+$", max_length=36)] | None
    ) = None

    def fields(self) -> PackageFields:
        spec = self.inference_specification
        return PackageFields(
            inference_specification=spec.model_dump(exclude_none=True) if spec else None,
            customer_metadata=self.customer_metadata,
            lifecycle=self.lifecycle.as_domain() if self.lifecycle else None,
            source_uri=self.source_uri,
            domain=self.domain,
            task=self.task,
        )


class PackageUpdate(Body):
    customer_metadata: MetadataPatch | None = None
    lifecycle: Lifecycle | None = None
    source_uri: SourceUri | None = None

    def metadata_set(self) -> dict[str, str] | None:
        patch = self.customer_metadata or {}
        return {k: v for k, v in patch.items() if v is not None} or None

    def metadata_removed(self) -> list[str] | None:
        patch = self.customer_metadata or {}
        return [k for k, v in patch.items() if v is None] or None

    def replaced(self) -> PackageFields:
        return PackageFields(
            lifecycle=self.lifecycle.as_domain() if self.lifecycle else None,
            source_uri=self.source_uri,
        )


class ApprovalDecision(Body):
    description: Annotated[str, StringConstraints(max_length=1024)] | None = None


class LifecycleRead(BaseModel):
    stage: str
    stage_status: str
    stage_description: str | None = None


def lifecycle_read(lifecycle: domain.Lifecycle | None) -> LifecycleRead | None:
    if lifecycle is None:
        return None
    return LifecycleRead(
        stage=lifecycle.stage,
        stage_status=lifecycle.stage_status,
        stage_description=lifecycle.stage_description,
    )


class EmbeddedCardRead(BaseModel):
    status: str
    version: int
    content: dict[str, Any]


class PackageRead(BaseModel):
    name: str
    group: str
    version: int
    arn: str
    description: str | None
    approval_status: ApprovalStatus
    approval_description: str | None
    inference_specification: dict[str, Any] | None
    customer_metadata: dict[str, str]
    lifecycle: LifecycleRead | None
    source_uri: str | None
    domain: str | None
    task: str | None
    model_card: EmbeddedCardRead | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str

    @classmethod
    def of(cls, package: ModelPackage) -> PackageRead:
        known = package.fields
        card = package.model_card
        return cls(
            name=package.name,
            group=package.group_name,
            version=package.version,
            arn=package.arn,
            description=package.description,
            approval_status=package.approval_status,
            approval_description=package.approval_description,
            inference_specification=known.inference_specification,
            customer_metadata=package.customer_metadata,
            lifecycle=lifecycle_read(known.lifecycle),
            source_uri=known.source_uri,
            domain=known.domain,
            task=known.task,
            model_card=EmbeddedCardRead(
                status=card.status, version=card.version, content=json.loads(card.content)
            )
            if card
            else None,
            created_at=package.created_at,
            created_by=package.created_by,
            last_modified_at=package.last_modified_at,
            last_modified_by=package.last_modified_by,
        )


class VersionsRead(AtMoment):
    """One page of a group's versions (as of a moment, when ``as_of`` was asked)."""

    items: list[PackageRead]
    next: str | None = None


class TagsPut(Body):
    tags: Tags


class TagsRead(BaseModel):
    arn: str
    tags: dict[str, str]

"""Request and response bodies of unversioned model packages on the REST API: model packages
that belong to no group (SageMaker's unversioned model packages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from cardinal.domain.model_registry import PackageFields
from cardinal.domain.unversioned_packages import CERTIFY_FOR_MARKETPLACE, UnversionedModelPackage
from cardinal.wire.registry import (
    Body,
    Container,
    CustomerMetadata,
    Description,
    EntityName,
    Lifecycle,
    LifecycleRead,
    ShortText,
    SourceUri,
    Tags,
    lifecycle_read,
)

InstanceTypes = Annotated[list[ShortText], Field(min_length=1)]


class UnversionedInferenceSpecification(Body):
    """SageMaker's InferenceSpecification as an unversioned package must give it: with the
    transform and real-time instance types."""

    Containers: Annotated[list[Container], Field(min_length=1, max_length=15)]
    SupportedTransformInstanceTypes: InstanceTypes
    SupportedRealtimeInferenceInstanceTypes: InstanceTypes
    SupportedContentTypes: list[str] | None = None
    SupportedResponseMIMETypes: list[str] | None = None


class UnversionedPackageCreate(Body):
    name: EntityName
    description: Description | None = None
    inference_specification: UnversionedInferenceSpecification | None = None
    certify_for_marketplace: bool = False
    customer_metadata: CustomerMetadata | None = None
    lifecycle: Lifecycle | None = None
    source_uri: SourceUri | None = None
    domain: ShortText | None = None
    task: ShortText | None = None
    tags: Tags = Field(default_factory=dict)
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

    def unread_members(self) -> dict[str, Any]:
        return {CERTIFY_FOR_MARKETPLACE: True} if self.certify_for_marketplace else {}


class UnversionedPackageRead(BaseModel):
    name: str
    arn: str
    description: str | None
    inference_specification: dict[str, Any] | None
    certify_for_marketplace: bool
    customer_metadata: dict[str, str]
    lifecycle: LifecycleRead | None
    source_uri: str | None
    domain: str | None
    task: str | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str

    @classmethod
    def of(cls, package: UnversionedModelPackage) -> UnversionedPackageRead:
        known = package.fields
        return cls(
            name=package.name,
            arn=package.arn,
            description=package.description,
            inference_specification=known.inference_specification,
            certify_for_marketplace=package.certified_for_marketplace,
            customer_metadata=dict(known.customer_metadata or {}),
            lifecycle=lifecycle_read(known.lifecycle),
            source_uri=known.source_uri,
            domain=known.domain,
            task=known.task,
            created_at=package.created_at,
            created_by=package.created_by,
            last_modified_at=package.last_modified_at,
            last_modified_by=package.last_modified_by,
        )

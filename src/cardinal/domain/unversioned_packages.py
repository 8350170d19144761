"""Unversioned model packages: a model package that belongs to no group, named by its creator
(SageMaker's "unversioned model", the kind listed on AWS Marketplace).

It carries no version and no approval status ("ModelApprovalStatus ... does not apply to
unversioned models"), so it has no approval decisions and no approval policy applies to it.
Cardinal refuses an approval status or an embedded model card given for one rather than drop
them: a governed model is registered as a version of a group. A model card may document an
unversioned package like any version.

Its record (``UnversionedModelPackage.details``) keeps the request's members as given, under
SageMaker's member names, as a version's does; what an update may change is what it may change
on a version, approval aside. Its ARN is ``…:model-package/<name>``: a name holds no ``/``,
so it never reads as a version's ``<group>/<version>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cardinal.domain.errors import AlreadyExists, InvalidInput, NotFound
from cardinal.domain.identifiers import (
    ENTITY_NAME_MAX_LENGTH,
    Scope,
    check_entity_name,
    model_package_name,
)
from cardinal.domain.model_registry import PackageFields

# What the inference specification of an unversioned package must name (AWS: "This parameter
# is required for unversioned models, and optional for versioned models.").
REQUIRED_INSTANCE_TYPES = (
    "SupportedTransformInstanceTypes",
    "SupportedRealtimeInferenceInstanceTypes",
)
CERTIFY_FOR_MARKETPLACE = "CertifyForMarketplace"


class UnversionedPackageNotFound(NotFound):
    """No unversioned model package of that name exists (in this account and region)."""


class UnversionedPackageExists(AlreadyExists):
    """An unversioned model package of that name exists already."""


@dataclass
class UnversionedModelPackage:
    id: int
    name: str
    arn: str
    description: str | None
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    last_modified_by: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def fields(self) -> PackageFields:
        return PackageFields.of_record(self.details)

    @property
    def certified_for_marketplace(self) -> bool:
        return bool(self.details.get(CERTIFY_FOR_MARKETPLACE, False))


def unversioned_package_arn(scope: Scope, name: str) -> str:
    return scope.arn("model-package", name)


def unversioned_package_name(value: str, scope: Scope | None = None) -> str | None:
    """The name in ``value`` if it names an unversioned package: a name without ``/``, or a
    model package ARN whose resource holds none; None for anything else (a version's name or
    ARN, an ARN of another kind). Read for a request in ``scope``, an ARN of another account or
    region is None too, and one of another partition is InvalidInput."""
    name = model_package_name(value, scope)
    if not name or "/" in name or len(name) > ENTITY_NAME_MAX_LENGTH:
        return None
    return name


def check_unversioned_package(name: str, fields: PackageFields) -> None:
    """Refuse a new unversioned package named ``name`` with ``fields`` (InvalidInput): a name
    SageMaker would refuse, or an inference specification without the instance types an
    unversioned package must name."""
    check_entity_name("model package", name)
    check_inference_specification(fields.inference_specification)


def check_inference_specification(specification: Mapping[str, Any] | None) -> None:
    """Refuse an unversioned package's inference specification that lacks the transform or
    real-time instance types (InvalidInput)."""
    if specification is None:
        return
    for member in REQUIRED_INSTANCE_TYPES:
        if not specification.get(member):
            raise InvalidInput(
                f"InferenceSpecification.{member} is required for an unversioned model "
                "package (one created with ModelPackageName): name at least one instance type.",
                path=f"InferenceSpecification.{member}",
            )

"""CreateModelPackage, DescribeModelPackage, ListModelPackages, UpdateModelPackage,
DeleteModelPackage, BatchDescribeModelPackage."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import (
    Call,
    Handler,
    empty_list,
    page_request,
    tags_of,
    with_token,
)
from cardinal.api.sagemaker.protocol import to_datetime
from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_registry import ApprovalStatus, PackageFields, unread_members
from cardinal.domain.unversioned_packages import unversioned_package_name
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)
from cardinal.services.unversioned_packages import NewUnversionedPackage

# Members of CreateModelPackage kept verbatim and returned by DescribeModelPackage.
KEPT_AS_GIVEN = (
    "InferenceSpecification",
    "ValidationSpecification",
    "SourceAlgorithmSpecification",
    "MetadataProperties",
    "ModelMetrics",
    "Domain",
    "Task",
    "SamplePayloadUrl",
    "CustomerMetadataProperties",
    "DriftCheckBaselines",
    "AdditionalInferenceSpecifications",
    "SkipModelValidation",
    "SourceUri",
    "SecurityConfig",
    "ModelLifeCycle",
    "ModelPackageRegistrationType",
    "ManagedStorageType",
)
REPLACED_BY_UPDATE = (
    "InferenceSpecification",
    "SourceUri",
    "ModelLifeCycle",
    "ModelPackageRegistrationType",
)


def _card_change(value: dict[str, Any] | None) -> EmbeddedCardChange | None:
    if not value:
        return None
    return EmbeddedCardChange(
        content=value.get("ModelCardContent"), status=value.get("ModelCardStatus")
    )


def create_model_package(call: Call) -> dict[str, Any]:
    group = call.get("ModelPackageGroupName")
    name = call.get("ModelPackageName")
    if name is not None and group is not None:
        raise InvalidInput(
            "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
            "Cannot determine which one to use.",
            path="ModelPackageName",
        )
    if name is not None:
        return _create_unversioned(call, name)
    if group is None:
        raise InvalidInput(
            "Give ModelPackageGroupName to register a version of a model package group, or "
            "ModelPackageName to create an unversioned model package.",
            path="ModelPackageGroupName",
        )
    if call.get("Tags"):
        raise InvalidInput(
            "A model package in a model package group uses the tags of its group; "
            "Tags cannot be given with ModelPackageGroupName.",
            path="Tags",
        )
    members = {m: call.params[m] for m in KEPT_AS_GIVEN if call.get(m) is not None}
    new = NewModelPackage(
        description=call.get("ModelPackageDescription"),
        approval_status=ApprovalStatus(
            call.get("ModelApprovalStatus", ApprovalStatus.PENDING_MANUAL_APPROVAL.value)
        ),
        fields=PackageFields.of_record(members),
        unread_members=unread_members(members),
        model_card=_card_change(call.get("ModelCard")),
        client_token=call.get("ClientToken"),
        # The SDKs send false with every registration; only true is refused for a version.
        certify_for_marketplace=bool(call.get("CertifyForMarketplace")),
    )
    package = call.services.packages.register_model_package(call.ctx, group, new)
    return {"ModelPackageArn": package.arn}


def _create_unversioned(call: Call, name: str) -> dict[str, Any]:
    status = call.get("ModelApprovalStatus")
    members = {
        m: call.params[m]
        for m in (*KEPT_AS_GIVEN, "CertifyForMarketplace")
        if call.get(m) is not None
    }
    new = NewUnversionedPackage(
        name=name,
        description=call.get("ModelPackageDescription"),
        fields=PackageFields.of_record(members),
        unread_members=unread_members(members),
        tags=tags_of(call),
        client_token=call.get("ClientToken"),
        approval_status=ApprovalStatus(status) if status else None,
        model_card=_card_change(call.get("ModelCard")),
    )
    package = call.services.unversioned_packages.create(call.ctx, new)
    return {"ModelPackageArn": package.arn}


def _is_unversioned(call: Call, name_or_arn: str) -> bool:
    return unversioned_package_name(name_or_arn, call.ctx.scope) is not None


def describe_model_package(call: Call) -> dict[str, Any]:
    name = call.params["ModelPackageName"]
    if _is_unversioned(call, name):
        found = call.services.unversioned_packages.describe(call.ctx, name)
        return shapes.unversioned_package_description(found)
    package = call.services.packages.describe_model_package(call.ctx, name)
    return shapes.package_description(
        package, metadata_only_card=call.get("IncludedData") == "MetadataOnly"
    )


def batch_describe_model_package(call: Call) -> dict[str, Any]:
    found, missing = call.services.packages.batch_describe_model_packages(
        call.ctx, call.params["ModelPackageArnList"]
    )
    body: dict[str, Any] = {
        "ModelPackageSummaries": {
            arn: shapes.batch_package_summary(package) for arn, package in found.items()
        }
    }
    if missing:
        body["BatchDescribeModelPackageErrorMap"] = {
            arn: {"ErrorCode": "ResourceNotFound", "ErrorResponse": reason}
            for arn, reason in missing.items()
        }
    return body


def list_model_packages(call: Call) -> dict[str, Any]:
    group = call.get("ModelPackageGroupName")
    kind = call.get("ModelPackageType")
    status = call.get("ModelApprovalStatus")
    filters: dict[str, Any] = {
        "name_contains": call.get("NameContains"),
        "created_after": to_datetime(call.get("CreationTimeAfter")),
        "created_before": to_datetime(call.get("CreationTimeBefore")),
    }
    # As SageMaker: unversioned packages unless told otherwise or given a group. They belong
    # to no group and have no approval status, so a group or a status filter leaves them out.
    unversioned = kind == "Unversioned" or (kind is None and group is None)
    if unversioned and (group is not None or status is not None):
        return empty_list(call, "ModelPackageSummaryList")
    if unversioned or (kind == "Both" and group is None and status is None):
        found = call.services.unversioned_packages.list(
            call.ctx,
            page_request(call, sort_by="CreationTime"),
            every_kind=not unversioned,
            **filters,
        )
        body = {"ModelPackageSummaryList": [shapes.any_package_summary(p) for p in found.items]}
        return with_token(body, found.next_token)
    page = call.services.packages.list_model_packages(
        call.ctx,
        page_request(call, sort_by="CreationTime"),
        group_name_or_arn=group,
        approval_status=ApprovalStatus(status) if status else None,
        **filters,
    )
    body = {"ModelPackageSummaryList": [shapes.package_summary(p) for p in page.items]}
    return with_token(body, page.next_token)


def update_model_package(call: Call) -> dict[str, Any]:
    status = call.get("ModelApprovalStatus")
    replaced = {m: call.params[m] for m in REPLACED_BY_UPDATE if call.get(m) is not None}
    changes = ModelPackageChanges(
        approval_status=ApprovalStatus(status) if status else None,
        approval_description=call.get("ApprovalDescription"),
        customer_metadata=call.get("CustomerMetadataProperties"),
        customer_metadata_to_remove=call.get("CustomerMetadataPropertiesToRemove"),
        additional_inference_specifications_to_add=call.get(
            "AdditionalInferenceSpecificationsToAdd"
        ),
        replaced=PackageFields.of_record(replaced),
        replaced_unread_members=unread_members(replaced),
        model_card=_card_change(call.get("ModelCard")),
    )
    arn = call.params["ModelPackageArn"]
    if _is_unversioned(call, arn):
        return {
            "ModelPackageArn": call.services.unversioned_packages.update(call.ctx, arn, changes).arn
        }
    package = call.services.packages.update_model_package(call.ctx, arn, changes)
    return {"ModelPackageArn": package.arn}


def delete_model_package(call: Call) -> dict[str, Any]:
    name = call.params["ModelPackageName"]
    if _is_unversioned(call, name):
        call.services.unversioned_packages.delete(call.ctx, name)
    else:
        call.services.packages.delete_model_package(call.ctx, name)
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateModelPackage": create_model_package,
    "DescribeModelPackage": describe_model_package,
    "BatchDescribeModelPackage": batch_describe_model_package,
    "ListModelPackages": list_model_packages,
    "UpdateModelPackage": update_model_package,
    "DeleteModelPackage": delete_model_package,
}

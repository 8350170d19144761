"""CreateModelPackage, DescribeModelPackage, ListModelPackages, UpdateModelPackage,
DeleteModelPackage, BatchDescribeModelPackage."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import Call, Handler, empty_list, page_request, with_token
from cardinal.api.sagemaker.protocol import to_datetime
from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_registry import ApprovalStatus, PackageFields, unread_members
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)

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
    if call.get("ModelPackageName") is not None:
        if group is not None:
            raise InvalidInput(
                "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
                "Cannot determine which one to use.",
                path="ModelPackageName",
            )
        raise InvalidInput(
            "Cardinal registers versioned model packages only: give ModelPackageGroupName "
            "instead of ModelPackageName.",
            path="ModelPackageName",
        )
    if group is None:
        raise InvalidInput(
            "ModelPackageGroupName is required to register a versioned model package.",
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
    )
    package = call.services.packages.register_model_package(call.ctx, group, new)
    return {"ModelPackageArn": package.arn}


def describe_model_package(call: Call) -> dict[str, Any]:
    package = call.services.packages.describe_model_package(
        call.ctx, call.params["ModelPackageName"]
    )
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
    # SageMaker lists unversioned packages unless told otherwise or given a group; Cardinal
    # stores versioned packages only.
    if kind == "Unversioned" or (kind is None and group is None):
        return empty_list(call, "ModelPackageSummaryList")
    status = call.get("ModelApprovalStatus")
    page = call.services.packages.list_model_packages(
        call.ctx,
        page_request(call, sort_by="CreationTime"),
        group_name_or_arn=group,
        name_contains=call.get("NameContains"),
        approval_status=ApprovalStatus(status) if status else None,
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
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
    package = call.services.packages.update_model_package(
        call.ctx, call.params["ModelPackageArn"], changes
    )
    return {"ModelPackageArn": package.arn}


def delete_model_package(call: Call) -> dict[str, Any]:
    call.services.packages.delete_model_package(call.ctx, call.params["ModelPackageName"])
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateModelPackage": create_model_package,
    "DescribeModelPackage": describe_model_package,
    "BatchDescribeModelPackage": batch_describe_model_package,
    "ListModelPackages": list_model_packages,
    "UpdateModelPackage": update_model_package,
    "DeleteModelPackage": delete_model_package,
}

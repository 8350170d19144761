"""SageMaker response shapes built from Cardinal's domain objects."""

from __future__ import annotations

import json
from typing import Any

from cardinal.content.card_content import metadata_only
from cardinal.domain.model_cards import CardVersion, ModelCard
from cardinal.domain.model_registry import ModelPackage, ModelPackageGroup
from cardinal.domain.models import Model
from cardinal.domain.unversioned_packages import UnversionedModelPackage

COMPLETED = "Completed"


def user(actor: str) -> dict[str, Any]:
    return {"UserProfileName": actor}


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def group_summary(group: ModelPackageGroup) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ModelPackageGroupName": group.name,
        "ModelPackageGroupArn": group.arn,
        "CreationTime": group.created_at,
        "ModelPackageGroupStatus": COMPLETED,
    }
    if group.description is not None:
        body["ModelPackageGroupDescription"] = group.description
    return body


def group_description(group: ModelPackageGroup) -> dict[str, Any]:
    return {**group_summary(group), **group.details, "CreatedBy": user(group.created_by)}


def package_summary(package: ModelPackage) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ModelPackageName": package.name,
        "ModelPackageGroupName": package.group_name,
        "ModelPackageVersion": package.version,
        "ModelPackageArn": package.arn,
        "CreationTime": package.created_at,
        "ModelPackageStatus": COMPLETED,
        "ModelApprovalStatus": package.approval_status.value,
    }
    if package.description is not None:
        body["ModelPackageDescription"] = package.description
    for member in ("ModelLifeCycle", "ModelPackageRegistrationType"):
        if member in package.details:
            body[member] = package.details[member]
    return body


def batch_package_summary(package: ModelPackage) -> dict[str, Any]:
    body = package_summary(package)
    body.pop("ModelPackageName")
    body.pop("ModelLifeCycle", None)
    body["InferenceSpecification"] = package.details.get("InferenceSpecification") or {
        "Containers": []
    }
    return body


def package_description(
    package: ModelPackage, *, metadata_only_card: bool = False
) -> dict[str, Any]:
    body: dict[str, Any] = {
        **package.details,
        **package_summary(package),
        "ModelPackageStatusDetails": {"ValidationStatuses": [], "ImageScanStatuses": []},
        "CertifyForMarketplace": False,
        "CreatedBy": user(package.created_by),
        "LastModifiedTime": package.last_modified_at,
        "LastModifiedBy": user(package.last_modified_by),
    }
    if package.approval_description is not None:
        body["ApprovalDescription"] = package.approval_description
    if package.model_card is not None:
        content = package.model_card.content
        if metadata_only_card:
            content = json.dumps(metadata_only(json.loads(content)))
        body["ModelCard"] = {
            "ModelCardContent": content,
            "ModelCardStatus": package.model_card.status,
        }
    return body


def unversioned_package_summary(package: UnversionedModelPackage) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ModelPackageName": package.name,
        "ModelPackageArn": package.arn,
        "CreationTime": package.created_at,
        "ModelPackageStatus": COMPLETED,
    }
    if package.description is not None:
        body["ModelPackageDescription"] = package.description
    for member in ("ModelLifeCycle", "ModelPackageRegistrationType"):
        if member in package.details:
            body[member] = package.details[member]
    return body


def unversioned_package_description(package: UnversionedModelPackage) -> dict[str, Any]:
    return {
        **package.details,
        **unversioned_package_summary(package),
        "ModelPackageStatusDetails": {"ValidationStatuses": [], "ImageScanStatuses": []},
        "CertifyForMarketplace": package.certified_for_marketplace,
        "CreatedBy": user(package.created_by),
        "LastModifiedTime": package.last_modified_at,
        "LastModifiedBy": user(package.last_modified_by),
    }


def any_package_summary(package: ModelPackage | UnversionedModelPackage) -> dict[str, Any]:
    if isinstance(package, UnversionedModelPackage):
        return unversioned_package_summary(package)
    return package_summary(package)


def card_summary(card: ModelCard) -> dict[str, Any]:
    return {
        "ModelCardName": card.name,
        "ModelCardArn": card.arn,
        "ModelCardStatus": card.status.value,
        "CreationTime": card.created_at,
        "LastModifiedTime": card.last_modified_at,
    }


def card_version_summary(card: ModelCard, version: CardVersion) -> dict[str, Any]:
    return {
        "ModelCardName": card.name,
        "ModelCardArn": card.arn,
        "ModelCardStatus": version.status.value,
        "ModelCardVersion": version.version,
        "CreationTime": version.created_at,
        "LastModifiedTime": version.last_modified_at,
    }


def card_description(
    card: ModelCard, version: CardVersion, *, metadata_only_content: bool = False
) -> dict[str, Any]:
    content = version.content
    if metadata_only_content:
        content = json.dumps(metadata_only(json.loads(content)))
    latest = version.version == card.latest_version
    body: dict[str, Any] = {
        "ModelCardArn": card.arn,
        "ModelCardName": card.name,
        "ModelCardVersion": version.version,
        "Content": content,
        "ModelCardStatus": version.status.value,
        "CreationTime": card.created_at,
        "CreatedBy": user(card.created_by),
        "LastModifiedTime": card.last_modified_at if latest else version.last_modified_at,
        "LastModifiedBy": user(card.last_modified_by if latest else version.last_modified_by),
    }
    if card.kms_key_id:
        body["SecurityConfig"] = {"KmsKeyId": card.kms_key_id}
    return body


def card_search_record(
    card: ModelCard, version: CardVersion, tags: dict[str, str]
) -> dict[str, Any]:
    body = card_description(card, version)
    body["Tags"] = tag_list(tags)
    for member, value in (
        ("ModelId", card.model_id),
        ("RiskRating", card.risk_rating),
        ("ModelPackageGroupName", card.model_package_group_name),
    ):
        if value is not None:
            body[member] = value
    return body


def model_summary(model: Model) -> dict[str, Any]:
    return {"ModelName": model.name, "ModelArn": model.arn, "CreationTime": model.created_at}


def model_description(model: Model) -> dict[str, Any]:
    return {"EnableNetworkIsolation": False, **model.details, **model_summary(model)}

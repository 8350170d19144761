"""CreateModelPackageGroup, DescribeModelPackageGroup, ListModelPackageGroups, DeleteModelPackageGroup."""

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


def create_model_package_group(call: Call) -> dict[str, Any]:
    details = {}
    if call.get("ManagedConfiguration"):
        details["ManagedConfiguration"] = call.params["ManagedConfiguration"]
    group = call.services.groups.create_model_package_group(
        call.ctx,
        call.params["ModelPackageGroupName"],
        description=call.get("ModelPackageGroupDescription"),
        tags=tags_of(call),
        details=details,
    )
    return {"ModelPackageGroupArn": group.arn}


def describe_model_package_group(call: Call) -> dict[str, Any]:
    group = call.services.groups.describe_model_package_group(
        call.ctx, call.params["ModelPackageGroupName"]
    )
    return shapes.group_description(group)


def list_model_package_groups(call: Call) -> dict[str, Any]:
    if call.get("CrossAccountFilterOption") == "CrossAccount":
        return empty_list(call, "ModelPackageGroupSummaryList")
    page = call.services.groups.list_model_package_groups(
        call.ctx,
        page_request(call, sort_by="CreationTime"),
        name_contains=call.get("NameContains"),
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
    )
    body = {"ModelPackageGroupSummaryList": [shapes.group_summary(g) for g in page.items]}
    return with_token(body, page.next_token)


def delete_model_package_group(call: Call) -> dict[str, Any]:
    call.services.groups.delete_model_package_group(call.ctx, call.params["ModelPackageGroupName"])
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateModelPackageGroup": create_model_package_group,
    "DescribeModelPackageGroup": describe_model_package_group,
    "ListModelPackageGroups": list_model_package_groups,
    "DeleteModelPackageGroup": delete_model_package_group,
}

"""CreateModel, DescribeModel, ListModels, DeleteModel."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import Call, Handler, page_request, tags_of, with_token
from cardinal.api.sagemaker.protocol import to_datetime
from cardinal.domain.paging import SortOrder

# Members of CreateModel kept verbatim and returned by DescribeModel.
KEPT_AS_GIVEN = (
    "PrimaryContainer",
    "Containers",
    "InferenceExecutionConfig",
    "ExecutionRoleArn",
    "VpcConfig",
    "EnableNetworkIsolation",
)


def create_model(call: Call) -> dict[str, Any]:
    details = {m: call.params[m] for m in KEPT_AS_GIVEN if call.get(m) is not None}
    model = call.services.models.create_model(
        call.ctx, call.params["ModelName"], details, tags=tags_of(call)
    )
    return {"ModelArn": model.arn}


def describe_model(call: Call) -> dict[str, Any]:
    model = call.services.models.describe_model(call.ctx, call.params["ModelName"])
    return shapes.model_description(model)


def list_models(call: Call) -> dict[str, Any]:
    page = call.services.models.list_models(
        call.ctx,
        page_request(call, sort_by="CreationTime", sort_order=SortOrder.DESCENDING),
        name_contains=call.get("NameContains"),
        created_after=to_datetime(call.get("CreationTimeAfter")),
        created_before=to_datetime(call.get("CreationTimeBefore")),
    )
    body = {"Models": [shapes.model_summary(model) for model in page.items]}
    return with_token(body, page.next_token)


def delete_model(call: Call) -> dict[str, Any]:
    call.services.models.delete_model(call.ctx, call.params["ModelName"])
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateModel": create_model,
    "DescribeModel": describe_model,
    "ListModels": list_models,
    "DeleteModel": delete_model,
}

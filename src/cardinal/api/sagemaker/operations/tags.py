"""AddTags, ListTags, DeleteTags."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import Call, Handler, tags_of, with_token


def add_tags(call: Call) -> dict[str, Any]:
    added = call.services.tags.add_tags(call.ctx, call.params["ResourceArn"], tags_of(call))
    return {"Tags": shapes.tag_list(added)}


def list_tags(call: Call) -> dict[str, Any]:
    page = call.services.tags.list_tags(
        call.ctx,
        call.params["ResourceArn"],
        min(call.get("MaxResults", 50), 100),
        call.get("NextToken"),
    )
    body = {"Tags": [{"Key": key, "Value": value} for key, value in page.items]}
    return with_token(body, page.next_token)


def delete_tags(call: Call) -> dict[str, Any]:
    call.services.tags.delete_tags(call.ctx, call.params["ResourceArn"], call.params["TagKeys"])
    return {}


OPERATIONS: dict[str, Handler] = {
    "AddTags": add_tags,
    "ListTags": list_tags,
    "DeleteTags": delete_tags,
}

"""One SageMaker call as the operation handlers see it, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cardinal.domain.errors import InvalidInput
from cardinal.domain.paging import DEFAULT_PAGE_SIZE, PageRequest, SortOrder
from cardinal.domain.tags import tag_map
from cardinal.services.container import Services
from cardinal.services.context import RequestContext


@dataclass(frozen=True)
class Call:
    ctx: RequestContext
    services: Services
    params: dict[str, Any]

    def get(self, member: str, default: Any = None) -> Any:
        value = self.params.get(member)
        return default if value is None else value


Handler = Callable[[Call], dict[str, Any]]


def page_request(
    call: Call, *, sort_by: str, sort_order: SortOrder = SortOrder.ASCENDING
) -> PageRequest:
    return PageRequest(
        sort_by=call.get("SortBy", sort_by),
        sort_order=SortOrder(call.get("SortOrder", sort_order.value)),
        max_results=call.get("MaxResults", DEFAULT_PAGE_SIZE),
        next_token=call.get("NextToken") or None,
    )


def empty_list(call: Call, member: str) -> dict[str, Any]:
    """The answer for a list that is always empty here: no token was ever issued for it."""
    if call.get("NextToken"):
        raise InvalidInput(
            "The NextToken is not valid for this request: this list has no further pages.",
            path="NextToken",
        )
    return {member: []}


def with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        body["NextToken"] = token
    return body


def tags_of(call: Call, member: str = "Tags") -> dict[str, str]:
    """The list of tags in ``member`` as a map; a key given twice is InvalidInput."""
    return tag_map((tag["Key"], tag.get("Value", "")) for tag in call.get(member, []))

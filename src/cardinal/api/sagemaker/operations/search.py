"""Search over ModelPackageGroup, ModelPackage and ModelCard (TrainingJob: always empty)."""

from __future__ import annotations

from typing import Any

from cardinal.api.sagemaker import shapes
from cardinal.api.sagemaker.call import Call, Handler, empty_list, with_token
from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.paging import DEFAULT_PAGE_SIZE
from cardinal.domain.search import (
    MAX_EXPRESSION_NODES,
    Expression,
    Filter,
    NestedFilters,
    Operator,
    Resource,
    SearchQuery,
)
from cardinal.domain.unversioned_packages import UnversionedModelPackage
from cardinal.services.search import SearchHit

# Resources Cardinal holds none of (it runs no training): their searches match nothing.
EMPTY_RESOURCES = frozenset({"TrainingJob"})


def _filter(raw: dict[str, Any]) -> Filter:
    return Filter(
        name=raw["Name"],
        operator=Operator(raw.get("Operator") or Operator.EQUALS.value),
        value=raw.get("Value"),
    )


def _expression(raw: dict[str, Any], depth: int = 1) -> Expression:
    if depth > MAX_EXPRESSION_NODES:
        raise InvalidInput(
            f"A search expression may hold at most {MAX_EXPRESSION_NODES} filters, nested "
            "filters and subexpressions in all.",
            field=InputField.SEARCH_FILTER,
        )
    return Expression(
        filters=tuple(_filter(f) for f in raw.get("Filters") or ()),
        nested_filters=tuple(
            NestedFilters(n["NestedPropertyName"], tuple(_filter(f) for f in n["Filters"]))
            for n in raw.get("NestedFilters") or ()
        ),
        subexpressions=tuple(_expression(e, depth + 1) for e in raw.get("SubExpressions") or ()),
        any_of=raw.get("Operator") == "Or",
    )


def _record(resource: Resource, hit: SearchHit) -> dict[str, Any]:
    if resource is Resource.MODEL_CARD:
        assert hit.card_version is not None
        return {"ModelCard": shapes.card_search_record(hit.item, hit.card_version, hit.tags)}
    if resource is Resource.MODEL_PACKAGE:
        if isinstance(hit.item, UnversionedModelPackage):
            body = shapes.unversioned_package_description(hit.item)
        else:
            body = shapes.package_description(hit.item)
        return {"ModelPackage": {**body, "Tags": shapes.tag_list(hit.tags)}}
    body = shapes.group_description(hit.item)
    return {"ModelPackageGroup": {**body, "Tags": shapes.tag_list(hit.tags)}}


def search(call: Call) -> dict[str, Any]:
    name = call.params["Resource"]
    if name in EMPTY_RESOURCES:
        return {**empty_list(call, "Results"), "TotalHits": {"Value": 0, "Relation": "EqualTo"}}
    try:
        resource = Resource(name)
    except ValueError:
        served = ", ".join(r.value for r in Resource)
        raise InvalidInput(
            f"Cardinal does not hold {name} resources; Search serves {served} and TrainingJob.",
            path="Resource",
        ) from None
    raw = call.get("SearchExpression")
    if raw is not None and not any(
        raw.get(k) for k in ("Filters", "NestedFilters", "SubExpressions")
    ):
        raise InvalidInput(
            "A SearchExpression needs at least one of Filters, NestedFilters or SubExpressions.",
            field=InputField.SEARCH_FILTER,
        )
    query = SearchQuery(
        resource=resource,
        expression=_expression(raw) if raw is not None else None,
        sort_by=call.get("SortBy", "LastModifiedTime"),
        descending=call.get("SortOrder", "Descending") == "Descending",
        max_results=call.get("MaxResults", DEFAULT_PAGE_SIZE),
        next_token=call.get("NextToken") or None,
    )
    page = call.services.search.search(
        call.ctx, query, every_package_kind=True, latest_card_versions=True
    )
    body = {"Results": [_record(resource, hit) for hit in page.items]}
    return with_token(body, page.next_token)


OPERATIONS: dict[str, Handler] = {"Search": search}

"""Search over cards, packages and groups with the filter language (``?q=``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Order, Page, next_link
from cardinal.domain.search import CATALOGS, Resource, SearchQuery
from cardinal.domain.search_language import (
    ALIASES,
    MAX_FILTER_CHARS,
    parse_filter,
    property_name,
)
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.search import SearchHit
from cardinal.wire.evidence import (
    CardSearchSummary,
    GroupSearchSummary,
    PackageSearchSummary,
    problem_responses,
)

router = APIRouter(prefix="/search", tags=["search"], responses=problem_responses(409, 422))

T = TypeVar("T")

FilterText = Annotated[
    str,
    Query(
        alias="q",
        max_length=MAX_FILTER_CHARS,
        description="A filter such as `group = customer-churn and risk = High`, "
        "`status in (Draft, PendingReview)`, `name ~ churn`, `not exists tag.team`: "
        "properties by alias or SageMaker name, `tag.<key>` for tags; "
        "operators = != > >= < <= ~ (contains) in; and, or, parentheses.",
    ),
]


def _sort(resource: Resource) -> Any:
    """The ``sort`` parameter of ``resource``'s search: the service checks it (its message names
    the sortable properties); the document lists them, by alias and by SageMaker name."""
    sortable = [name for name, p in CATALOGS[resource].items() if p.sortable]
    aliases = [alias for alias, name in ALIASES[resource].items() if name in sortable]
    return Query(
        max_length=128,
        description="A sortable property, by alias (in any case) or SageMaker name.",
        json_schema_extra={"enum": [*aliases, *sortable]},
    )


CardSort = Annotated[str, _sort(Resource.MODEL_CARD)]
PackageSort = Annotated[str, _sort(Resource.MODEL_PACKAGE)]
GroupSort = Annotated[str, _sort(Resource.MODEL_PACKAGE_GROUP)]


def _search(
    request: Request,
    services: Services,
    ctx: RequestContext,
    resource: Resource,
    text: str,
    sort: str,
    order: str,
    limit: int,
    next_token: str | None,
    shape: Callable[[SearchHit], T],
) -> Page[T]:
    query = SearchQuery(
        resource=resource,
        expression=parse_filter(text, resource),
        sort_by=property_name(resource, sort) or sort,
        descending=order == "desc",
        max_results=limit,
        next_token=next_token,
    )
    page = services.search.search(ctx, query)
    return Page(items=[shape(hit) for hit in page.items], next=next_link(request, page.next_token))


def _card(hit: SearchHit) -> CardSearchSummary:
    card = hit.item
    return CardSearchSummary(
        name=card.name,
        arn=card.arn,
        status=card.status,
        latest_version=card.latest_version,
        risk_rating=card.risk_rating,
        model_package_arn=card.model_package_arn,
        last_modified_at=card.last_modified_at,
    )


def _package(hit: SearchHit) -> PackageSearchSummary:
    package = hit.item
    return PackageSearchSummary(
        name=package.name,
        group=package.group_name,
        version=package.version,
        arn=package.arn,
        approval_status=package.approval_status,
        last_modified_at=package.last_modified_at,
    )


def _group(hit: SearchHit) -> GroupSearchSummary:
    group = hit.item
    return GroupSearchSummary(name=group.name, arn=group.arn, created_at=group.created_at)


@router.get("/cards", response_model=Page[CardSearchSummary])
def search_cards(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    text: FilterText = "",
    sort: CardSort = "modified",
    order: Order = "desc",
    limit: Limit = 50,
    next_token: NextToken = None,
) -> Page[CardSearchSummary]:
    """Model cards that match the filter (aliases: name, arn, status, risk, group, model,
    version, created, modified, created_by, modified_by), newest change first by default."""
    return _search(
        request, services, ctx, Resource.MODEL_CARD, text, sort, order, limit, next_token, _card
    )


@router.get("/packages", response_model=Page[PackageSearchSummary])
def search_packages(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    text: FilterText = "",
    sort: PackageSort = "modified",
    order: Order = "desc",
    limit: Limit = 50,
    next_token: NextToken = None,
) -> Page[PackageSearchSummary]:
    """Model package versions that match the filter (aliases: name, arn, group, version,
    description, status, approval, approval_description, stage, stage_status, created,
    modified, created_by, modified_by)."""
    return _search(
        request,
        services,
        ctx,
        Resource.MODEL_PACKAGE,
        text,
        sort,
        order,
        limit,
        next_token,
        _package,
    )


@router.get("/groups", response_model=Page[GroupSearchSummary])
def search_groups(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    text: FilterText = "",
    sort: GroupSort = "modified",
    order: Order = "desc",
    limit: Limit = 50,
    next_token: NextToken = None,
) -> Page[GroupSearchSummary]:
    """Model package groups that match the filter (aliases: name, arn, description, status,
    created, modified, created_by)."""
    return _search(
        request,
        services,
        ctx,
        Resource.MODEL_PACKAGE_GROUP,
        text,
        sort,
        order,
        limit,
        next_token,
        _group,
    )

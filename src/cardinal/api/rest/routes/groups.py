"""Model package groups: create, list, read, delete (by name)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Page, next_link
from cardinal.api.rest.path_params import GroupName
from cardinal.domain.paging import PageRequest
from cardinal.wire.evidence import PROBLEM_RESPONSES
from cardinal.wire.registry import GroupCreate, GroupRead

router = APIRouter(prefix="/groups", tags=["model package groups"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=GroupRead)
def create_group(
    body: GroupCreate, request: Request, response: Response, services: ServicesDep, ctx: ContextDep
) -> GroupRead:
    """Create an empty group; 409 if the name is taken."""
    group = services.groups.create_model_package_group(
        ctx, body.name, body.description, tags=body.tags
    )
    response.headers["Location"] = str(request.url_for("read_group", group=group.name))
    return GroupRead.of(group)


@router.get("", response_model=Page[GroupRead])
def list_groups(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
    name_contains: Annotated[str | None, Query(max_length=63)] = None,
) -> Page[GroupRead]:
    """Groups, oldest first."""
    page = services.groups.list_model_package_groups(
        ctx,
        PageRequest(sort_by="CreationTime", max_results=limit, next_token=next_token),
        name_contains=name_contains,
    )
    return Page(
        items=[GroupRead.of(g) for g in page.items], next=next_link(request, page.next_token)
    )


@router.get("/{group}", response_model=GroupRead)
def read_group(group: GroupName, services: ServicesDep, ctx: ContextDep) -> GroupRead:
    """One group."""
    return GroupRead.of(services.groups.describe_model_package_group(ctx, group))


@router.delete("/{group}", status_code=status.HTTP_204_NO_CONTENT)
def delete_group(group: GroupName, services: ServicesDep, ctx: ContextDep) -> Response:
    """Delete a group; 409 while it holds versions."""
    services.groups.delete_model_package_group(ctx, group)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

"""Model package versions of a group: register, list, read, update, approve, reject, delete."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, next_link
from cardinal.api.rest.path_params import GroupName, VersionNumber
from cardinal.api.rest.point_in_time import AsOfQuery, chain_read
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.domain.paging import PageRequest
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)
from cardinal.wire.evidence import PROBLEM_RESPONSES
from cardinal.wire.registry import (
    ApprovalDecision,
    PackageCreate,
    PackageRead,
    PackageUpdate,
    VersionsRead,
)

router = APIRouter(
    prefix="/groups/{group}/versions", tags=["model package versions"], responses=PROBLEM_RESPONSES
)


def _name(group: str, version: int) -> str:
    return f"{group}/{version}"


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PackageRead)
def register_version(
    group: GroupName,
    body: PackageCreate,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> PackageRead:
    """Register the group's next version; a repeated client_token returns the first one."""
    card = body.model_card
    new = NewModelPackage(
        description=body.description,
        approval_status=body.approval_status,
        fields=body.fields(),
        model_card=EmbeddedCardChange(json.dumps(card.content), card.status.value)
        if card
        else None,
        client_token=body.client_token,
    )
    package = services.packages.register_model_package(ctx, group, new)
    response.headers["Location"] = str(
        request.url_for("read_version", group=group, version=package.version)
    )
    return PackageRead.of(package)


@router.get("", response_model=VersionsRead)
def list_versions(
    group: GroupName,
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
    approval_status: Annotated[ApprovalStatus | None, Query()] = None,
    as_of: AsOfQuery = None,
) -> VersionsRead:
    """The group's versions, oldest first; 404 if the group does not exist (with ``as_of``:
    did not exist then). With ``as_of``, the versions that existed then, each with the values it
    had then, and whether the audit events the answer rests on hold."""
    if as_of is not None:
        past = services.past.group_versions(
            ctx, group, as_of, max_results=limit, next_token=next_token
        )
        items = [PackageRead.of(p) for p in past.items]
        if approval_status is not None:
            items = [p for p in items if p.approval_status is approval_status]
        return VersionsRead(
            items=items,
            next=next_link(request, past.next_token),
            as_of=as_of,
            chain=chain_read(past.chain),
        )
    page = services.packages.list_model_packages(
        ctx,
        PageRequest(sort_by="CreationTime", max_results=limit, next_token=next_token),
        group_name_or_arn=group,
        approval_status=approval_status,
        missing_group_is_empty=False,
    )
    return VersionsRead(
        items=[PackageRead.of(p) for p in page.items], next=next_link(request, page.next_token)
    )


@router.get("/{version}", response_model=PackageRead)
def read_version(
    group: GroupName, version: VersionNumber, services: ServicesDep, ctx: ContextDep
) -> PackageRead:
    """One version."""
    return PackageRead.of(services.packages.describe_model_package(ctx, _name(group, version)))


@router.patch("/{version}", response_model=PackageRead)
def update_version(
    group: GroupName,
    version: VersionNumber,
    body: PackageUpdate,
    services: ServicesDep,
    ctx: ContextDep,
) -> PackageRead:
    """Set or remove customer metadata, replace the lifecycle stage or the source URI."""
    return _update(services, ctx, _name(group, version), package_changes(body))


@router.post("/{version}/approve", response_model=PackageRead)
def approve_version(
    group: GroupName,
    version: VersionNumber,
    services: ServicesDep,
    ctx: ContextDep,
    body: ApprovalDecision | None = None,
) -> PackageRead:
    """Approve a version; the description (if any) replaces that of the decision before."""
    return _decide(services, ctx, _name(group, version), ApprovalStatus.APPROVED, body)


@router.post("/{version}/reject", response_model=PackageRead)
def reject_version(
    group: GroupName,
    version: VersionNumber,
    services: ServicesDep,
    ctx: ContextDep,
    body: ApprovalDecision | None = None,
) -> PackageRead:
    """Reject a version; the description (if any) replaces that of the decision before."""
    return _decide(services, ctx, _name(group, version), ApprovalStatus.REJECTED, body)


@router.delete("/{version}", status_code=status.HTTP_204_NO_CONTENT)
def delete_version(
    group: GroupName, version: VersionNumber, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Delete a version; 409 while a model card documents it."""
    services.packages.delete_model_package(ctx, _name(group, version))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _decide(
    services: Services,
    ctx: RequestContext,
    name: str,
    decision: ApprovalStatus,
    body: ApprovalDecision | None,
) -> PackageRead:
    description = body.description if body else None
    return PackageRead.of(services.packages.decide_approval(ctx, name, decision, description))


def package_changes(body: PackageUpdate) -> ModelPackageChanges:
    """The changes a PATCH of a package (a version or an unversioned one) asks for."""
    return ModelPackageChanges(
        customer_metadata=body.metadata_set(),
        customer_metadata_to_remove=body.metadata_removed(),
        replaced=body.replaced(),
    )


def _update(
    services: Services, ctx: RequestContext, name: str, changes: ModelPackageChanges
) -> PackageRead:
    return PackageRead.of(services.packages.update_model_package(ctx, name, changes))

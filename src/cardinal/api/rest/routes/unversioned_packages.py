"""Unversioned model packages (in no group): create, list, read, update, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Page, next_link
from cardinal.api.rest.path_params import PackageName
from cardinal.api.rest.routes.packages import package_changes
from cardinal.domain.paging import PageRequest
from cardinal.domain.unversioned_packages import UnversionedModelPackage
from cardinal.services.unversioned_packages import NewUnversionedPackage
from cardinal.wire.evidence import PROBLEM_RESPONSES
from cardinal.wire.registry import PackageUpdate
from cardinal.wire.unversioned_packages import UnversionedPackageCreate, UnversionedPackageRead

router = APIRouter(
    prefix="/packages", tags=["unversioned model packages"], responses=PROBLEM_RESPONSES
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UnversionedPackageRead)
def create_package(
    body: UnversionedPackageCreate,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> UnversionedPackageRead:
    """Create a model package in no group (SageMaker's unversioned model package); a repeated
    client_token returns the first one, another create of a taken name is 409. It has no
    approval status: register a version of a group to govern a model's approval."""
    new = NewUnversionedPackage(
        name=body.name,
        description=body.description,
        fields=body.fields(),
        unread_members=body.unread_members(),
        tags=body.tags,
        client_token=body.client_token,
    )
    package = services.unversioned_packages.create(ctx, new)
    response.headers["Location"] = str(request.url_for("read_package", name=package.name))
    return UnversionedPackageRead.of(package)


@router.get("", response_model=Page[UnversionedPackageRead])
def list_packages(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
    name_contains: Annotated[str | None, Query(max_length=63)] = None,
) -> Page[UnversionedPackageRead]:
    """Unversioned packages, oldest first."""
    page = services.unversioned_packages.list(
        ctx,
        PageRequest(sort_by="CreationTime", max_results=limit, next_token=next_token),
        name_contains=name_contains,
    )
    items = [p for p in page.items if isinstance(p, UnversionedModelPackage)]
    return Page(
        items=[UnversionedPackageRead.of(p) for p in items],
        next=next_link(request, page.next_token),
    )


@router.get("/{name}", response_model=UnversionedPackageRead)
def read_package(
    name: PackageName, services: ServicesDep, ctx: ContextDep
) -> UnversionedPackageRead:
    """One unversioned package."""
    return UnversionedPackageRead.of(services.unversioned_packages.describe(ctx, name))


@router.patch("/{name}", response_model=UnversionedPackageRead)
def update_package(
    name: PackageName, body: PackageUpdate, services: ServicesDep, ctx: ContextDep
) -> UnversionedPackageRead:
    """Set or remove customer metadata, replace the lifecycle stage or the source URI."""
    changes = package_changes(body)
    return UnversionedPackageRead.of(services.unversioned_packages.update(ctx, name, changes))


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_package(name: PackageName, services: ServicesDep, ctx: ContextDep) -> Response:
    """Delete an unversioned package and its tags; 409 while a model card documents it."""
    services.unversioned_packages.delete(ctx, name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

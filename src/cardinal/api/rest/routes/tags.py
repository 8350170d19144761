"""Tags of groups, versions and cards, at ``<resource URL>/tags``: read, add or overwrite, remove.

Every resource's tags have the same three operations; the resource is named in the URL and the
TagService is given its ARN. A body whose ``tags`` object writes one key twice is refused, as the
SageMaker door refuses a list of tags that gives one key twice: a JSON parser would silently keep
the last value.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.path_params import (
    CardName,
    GroupName,
    PackageName,
    TagKeyInPath,
    VersionNumber,
)
from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.tags import MAX_TAGS_PER_RESOURCE, tag_map
from cardinal.domain.unversioned_packages import unversioned_package_arn
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.wire.evidence import PROBLEM_RESPONSES
from cardinal.wire.registry import TagsPut, TagsRead

router = APIRouter(tags=["tags"], responses=PROBLEM_RESPONSES)


class _Members(list[tuple[str, Any]]):
    """A JSON object as written: its members in order, a name written twice kept twice."""


async def _each_tag_key_once(request: Request) -> None:
    try:
        body = json.loads(await request.body(), object_pairs_hook=_Members)
    except ValueError:
        return  # the body's own validation answers for it
    if isinstance(body, _Members):
        for name, value in body:
            if name == "tags" and isinstance(value, _Members):
                tag_map(value)


EACH_TAG_KEY_ONCE = [Depends(_each_tag_key_once)]


def _read(services: Services, ctx: RequestContext, arn: str) -> TagsRead:
    tags: dict[str, str] = {}
    token: str | None = None
    while True:
        page = services.tags.list_tags(ctx, arn, MAX_TAGS_PER_RESOURCE, token)
        tags.update(page.items)
        token = page.next_token
        if token is None:
            return TagsRead(arn=arn, tags=tags)


def _put(services: Services, ctx: RequestContext, arn: str, body: TagsPut) -> TagsRead:
    services.tags.add_tags(ctx, arn, body.tags)
    return _read(services, ctx, arn)


def _delete(services: Services, ctx: RequestContext, arn: str, key: str) -> Response:
    try:
        services.tags.delete_tags(ctx, arn, [key])
    except InvalidInput as error:
        if error.field is not InputField.TAG_KEYS:
            raise
        raise InvalidInput(error.message, path="$.key") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _group(ctx: RequestContext, group: str) -> str:
    return ctx.scope.arn("model-package-group", group)


def _version(ctx: RequestContext, group: str, version: int) -> str:
    return ctx.scope.arn("model-package", f"{group}/{version}")


def _package(ctx: RequestContext, name: str) -> str:
    return unversioned_package_arn(ctx.scope, name)


def _card(ctx: RequestContext, name: str) -> str:
    return ctx.scope.arn("model-card", name)


@router.get("/groups/{group}/tags", response_model=TagsRead)
def read_group_tags(group: GroupName, services: ServicesDep, ctx: ContextDep) -> TagsRead:
    """A group's tags."""
    return _read(services, ctx, _group(ctx, group))


@router.put("/groups/{group}/tags", response_model=TagsRead, dependencies=EACH_TAG_KEY_ONCE)
def put_group_tags(
    group: GroupName, body: TagsPut, services: ServicesDep, ctx: ContextDep
) -> TagsRead:
    """Add or overwrite tags of a group; answers all its tags."""
    return _put(services, ctx, _group(ctx, group), body)


@router.delete("/groups/{group}/tags/{key:path}", status_code=status.HTTP_204_NO_CONTENT)
def delete_group_tag(
    group: GroupName, key: TagKeyInPath, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Remove one tag of a group (no error if it is not there)."""
    return _delete(services, ctx, _group(ctx, group), key)


@router.get("/groups/{group}/versions/{version}/tags", response_model=TagsRead)
def read_version_tags(
    group: GroupName, version: VersionNumber, services: ServicesDep, ctx: ContextDep
) -> TagsRead:
    """A version's tags."""
    return _read(services, ctx, _version(ctx, group, version))


@router.put(
    "/groups/{group}/versions/{version}/tags",
    response_model=TagsRead,
    dependencies=EACH_TAG_KEY_ONCE,
)
def put_version_tags(
    group: GroupName,
    version: VersionNumber,
    body: TagsPut,
    services: ServicesDep,
    ctx: ContextDep,
) -> TagsRead:
    """Add or overwrite tags of a version; answers all its tags."""
    return _put(services, ctx, _version(ctx, group, version), body)


@router.delete(
    "/groups/{group}/versions/{version}/tags/{key:path}",
    status_code=status.HTTP_204_NO_CONTENT,
)
def delete_version_tag(
    group: GroupName,
    version: VersionNumber,
    key: TagKeyInPath,
    services: ServicesDep,
    ctx: ContextDep,
) -> Response:
    """Remove one tag of a version (no error if it is not there)."""
    return _delete(services, ctx, _version(ctx, group, version), key)


@router.get("/cards/{name}/tags", response_model=TagsRead)
def read_card_tags(name: CardName, services: ServicesDep, ctx: ContextDep) -> TagsRead:
    """A model card's tags."""
    return _read(services, ctx, _card(ctx, name))


@router.put("/cards/{name}/tags", response_model=TagsRead, dependencies=EACH_TAG_KEY_ONCE)
def put_card_tags(
    name: CardName, body: TagsPut, services: ServicesDep, ctx: ContextDep
) -> TagsRead:
    """Add or overwrite tags of a model card; answers all its tags."""
    return _put(services, ctx, _card(ctx, name), body)


@router.delete("/cards/{name}/tags/{key:path}", status_code=status.HTTP_204_NO_CONTENT)
def delete_card_tag(
    name: CardName, key: TagKeyInPath, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Remove one tag of a model card (no error if it is not there)."""
    return _delete(services, ctx, _card(ctx, name), key)


@router.get("/packages/{name}/tags", response_model=TagsRead)
def read_package_tags(name: PackageName, services: ServicesDep, ctx: ContextDep) -> TagsRead:
    """An unversioned package's tags."""
    return _read(services, ctx, _package(ctx, name))


@router.put("/packages/{name}/tags", response_model=TagsRead, dependencies=EACH_TAG_KEY_ONCE)
def put_package_tags(
    name: PackageName, body: TagsPut, services: ServicesDep, ctx: ContextDep
) -> TagsRead:
    """Add or overwrite tags of an unversioned package; answers all its tags."""
    return _put(services, ctx, _package(ctx, name), body)


@router.delete("/packages/{name}/tags/{key:path}", status_code=status.HTTP_204_NO_CONTENT)
def delete_package_tag(
    name: PackageName, key: TagKeyInPath, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Remove one tag of an unversioned package (no error if it is not there)."""
    return _delete(services, ctx, _package(ctx, name), key)

"""Use cases of model package groups: create, describe, list, delete."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import AlreadyExists, InvalidState
from cardinal.domain.identifiers import check_entity_name, name_from_name_or_arn
from cardinal.domain.model_registry import ModelPackageGroup
from cardinal.domain.paging import Page, PageRequest
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.tags import check_new_tags
from cardinal.store.unit_of_work import Store, UnitOfWork


def group_name(ctx: RequestContext, name_or_arn: str) -> str:
    return name_from_name_or_arn(
        name_or_arn, ctx.scope, "model-package-group", "model package group"
    )


class ModelPackageGroupService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create_model_package_group(
        self,
        ctx: RequestContext,
        name: str,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> ModelPackageGroup:
        """Create an empty group. Raises AlreadyExists if the name is taken."""
        ctx.require(Action.WRITE, name)
        check_entity_name("model package group", name)
        check_new_tags(0, tags or {})

        def work(uow: UnitOfWork) -> ModelPackageGroup:
            if uow.groups.find(ctx.scope, name) is not None:
                raise AlreadyExists(
                    f"Model Package Group already exists: {ctx.scope.arn('model-package-group', name)}"
                )
            now = utcnow()
            group = uow.groups.add(ctx.scope, name, description, details or {}, now, ctx.actor)
            if tags:
                uow.tags.put(group.arn, tags)
            after = {"name": name, "description": description, "tags": dict(tags or {})}
            record(uow, ctx, AuditAction.GROUP_CREATE, group.arn, after=after, at=now)
            return group

        return self._store.write(work)

    def describe_model_package_group(
        self, ctx: RequestContext, name_or_arn: str
    ) -> ModelPackageGroup:
        ctx.require(Action.READ)
        name = group_name(ctx, name_or_arn)
        return self._store.read(lambda uow: uow.groups.get(ctx.scope, name))

    def list_model_package_groups(
        self,
        ctx: RequestContext,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ModelPackageGroup]:
        ctx.require(Action.READ)
        return self._store.read(
            lambda uow: uow.groups.list_page(
                ctx.scope,
                page,
                name_contains=name_contains,
                created_after=created_after,
                created_before=created_before,
            )
        )

    def delete_model_package_group(self, ctx: RequestContext, name_or_arn: str) -> None:
        """Delete a group that holds no versions; InvalidState while it holds any."""
        name = group_name(ctx, name_or_arn)
        ctx.require(Action.WRITE, name)

        def work(uow: UnitOfWork) -> None:
            group = uow.groups.get(ctx.scope, name, for_update=True)
            count = uow.groups.package_count(group.id)
            if count:
                raise InvalidState(
                    f"Model Package Group '{name}' still holds {count} model package version(s); "
                    "delete them first."
                )
            before = {
                "name": group.name,
                "description": group.description,
                "tags": uow.tags.all(group.arn),
            }
            uow.tags.remove_all(group.arn)
            uow.groups.delete(group.id)
            record(uow, ctx, AuditAction.GROUP_DELETE, group.arn, before=before)

        self._store.write(work)

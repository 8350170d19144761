"""Use cases of models: create, describe, list, delete. Models are registry metadata; nothing
is hosted. Writing a model takes the author role over the whole registry (a model belongs to no
model package group); reading one takes any grant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.models import Model, ModelExists, ModelNotFound, check_model, model_arn
from cardinal.domain.paging import Page, PageRequest
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.tags import check_new_tags
from cardinal.store.unit_of_work import Store, UnitOfWork


def find_model(uow: UnitOfWork, ctx: RequestContext, name: str, *, lock: bool = False) -> Model:
    """The model ``name`` (in any case); ModelNotFound, in AWS's words, if there is none."""
    model = uow.models.find(ctx.scope, name, for_update=lock)
    if model is None:
        raise ModelNotFound(f'Could not find model "{model_arn(ctx.scope, name)}".')
    return model


class ModelService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create_model(
        self,
        ctx: RequestContext,
        name: str,
        details: dict[str, Any],
        tags: Mapping[str, str] | None = None,
    ) -> Model:
        """Store a model with ``details`` (SageMaker's CreateModel members, kept as given).
        Raises InvalidInput (name, containers, environments, reserved tag key), LimitExceeded
        (tags), ModelExists (the name is taken, in any case)."""
        ctx.require(Action.WRITE)
        check_model(name, details)
        check_new_tags(0, tags or {})

        def work(uow: UnitOfWork) -> Model:
            if uow.models.find(ctx.scope, name) is not None:
                raise ModelExists(
                    f'Cannot create already existing model "{model_arn(ctx.scope, name)}".'
                )
            now = utcnow()
            model = uow.models.add(ctx.scope, name, details, now, ctx.actor)
            if tags:
                uow.tags.put(model.arn, tags)
            after = {"name": name, "details": details, "tags": dict(tags or {})}
            record(uow, ctx, AuditAction.MODEL_CREATE, model.arn, after=after, at=now)
            return model

        return self._store.write(work)

    def describe_model(self, ctx: RequestContext, name: str) -> Model:
        """Raises ModelNotFound."""
        ctx.require(Action.READ)
        return self._store.read(lambda uow: find_model(uow, ctx, name))

    def list_models(
        self,
        ctx: RequestContext,
        page: PageRequest,
        *,
        name_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[Model]:
        """One page of models; a part of the name matches in any case, and ``created_after``
        includes models created at that very time."""
        ctx.require(Action.READ)
        return self._store.read(
            lambda uow: uow.models.list_page(
                ctx.scope,
                page,
                name_contains=name_contains,
                created_after=created_after,
                created_before=created_before,
            )
        )

    def delete_model(self, ctx: RequestContext, name: str) -> None:
        """Delete a model and its tags; model packages registered from it keep what they copied.
        Raises ModelNotFound."""
        ctx.require(Action.WRITE)

        def work(uow: UnitOfWork) -> None:
            model = find_model(uow, ctx, name, lock=True)
            before = {"name": model.name, "details": model.details, "tags": uow.tags.all(model.arn)}
            uow.tags.remove_all(model.arn)
            uow.models.delete(model.id)
            record(uow, ctx, AuditAction.MODEL_DELETE, model.arn, before=before)

        self._store.write(work)
